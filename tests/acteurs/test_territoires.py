"""Reference territories: the load command, the search, the form field and the search view."""

import csv
import gzip
import json
from io import StringIO

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.urls import reverse

from acteurs.models import Territoire
from acteurs.referentiel import FICHIER
from acteurs.territoires import TerritoireField, TerritoireWidget, du_departement, rechercher
from integration.text import search_key
from tests.acteurs.factories import HabilitationFactory, TerritoireFactory, UserFactory

URL = reverse("acteurs:territoires_recherche")


def charger(*args):
    out = StringIO()
    call_command("load_territoires", *args, stdout=out)
    return out.getvalue()


def reference(departement):
    """What the shipped file says about DEPARTEMENT: (communes, EPCI) counts."""
    with gzip.open(FICHIER, "rt", encoding="utf-8", newline="") as f:
        lignes = [
            ligne for ligne in csv.DictReader(f) if departement in ligne["departements"].split("|")
        ]
    return (
        sum(ligne["type"] == "commune" for ligne in lignes),
        sum(ligne["type"] == "epci" for ligne in lignes),
    )


@pytest.fixture
def territoires_05(hautes_alpes):
    charger("--departement", "05")
    return hautes_alpes


@pytest.fixture
def agent_05(hautes_alpes):
    return HabilitationFactory(departement=hautes_alpes, role="pilotage").user


# --- The command ------------------------------------------------------------------------


def test_charge_un_departement(hautes_alpes):
    communes, epci = reference("05")
    assert communes == 162

    sortie = charger("--departement", "05")

    assert f"162 communes, {epci} EPCI chargés pour 05" in sortie
    assert hautes_alpes.territoires.filter(type="commune").count() == 162
    assert hautes_alpes.territoires.filter(type="epci").count() == epci
    assert hautes_alpes.territoires.filter(type="departement", code="05").exists()
    # only 05: no commune of another département, though EPCI may straddle
    assert not Territoire.objects.filter(type="commune").exclude(code__startswith="05").exists()
    gap = Territoire.objects.get(type="commune", code="05061")
    assert (gap.nom, gap.siren, gap.codes_postaux, gap.nom_recherche) == (
        "Gap",
        "210500617",
        "05000",
        "gap",
    )
    assert gap.population > 30000


def test_chargement_idempotent(hautes_alpes):
    charger("--departement", "05")
    avant = (Territoire.objects.count(), Territoire.departements.through.objects.count())

    sortie = charger("--departement", "05")

    assert (Territoire.objects.count(), Territoire.departements.through.objects.count()) == avant
    assert "0 territoires créés, 0 mis à jour" in sortie
    assert "0 rattachements ajoutés, 0 retirés" in sortie
    doublons = Territoire.objects.values("type", "code").distinct().count()
    assert doublons == Territoire.objects.count()


def test_rechargement_corrige_les_ecarts(territoires_05):
    """update_or_create semantics: a row changed by hand is put back, links restored."""
    gap = Territoire.objects.get(type="commune", code="05061")
    Territoire.objects.filter(pk=gap.pk).update(nom="Gapp", nom_recherche="gapp", epci=None)
    gap.departements.clear()

    sortie = charger("--departement", "05")

    gap.refresh_from_db()
    assert (gap.nom, gap.nom_recherche) == ("Gap", "gap")
    assert gap.epci.nom == "CA Gap-Tallard-Durance"
    assert list(gap.departements.all()) == [territoires_05]
    assert "0 territoires créés, 1 mis à jour" in sortie


def test_communes_rattachees_a_leur_epci(territoires_05):
    gap = Territoire.objects.select_related("epci").get(type="commune", code="05061")
    assert gap.epci.nom == "CA Gap-Tallard-Durance"
    assert gap.epci.code == gap.epci.siren == "200067825"
    assert territoires_05 in gap.epci.departements.all()
    assert gap.epci.communes.filter(code="05061").exists()
    # every commune of 05 belongs to an EPCI
    assert not territoires_05.territoires.filter(type="commune", epci__isnull=True).exists()


def test_sans_option_charge_les_departements_en_base(hautes_alpes):
    charger()
    assert hautes_alpes.territoires.filter(type="commune").count() == 162
    assert not Territoire.objects.filter(type="commune", code__startswith="76").exists()


def test_sans_option_ni_departement_en_base(db):
    with pytest.raises(CommandError, match="Aucun département en base"):
        charger()


def test_departement_inconnu(db):
    with pytest.raises(CommandError, match="inconnu du référentiel : 99"):
        charger("--departement", "99")


def test_departement_absent_de_la_base(db):
    sortie = charger("--departement", "5")  # "5" is read as "05"
    assert Territoire.objects.filter(type="commune", code="05061").exists()
    assert not Territoire.departements.through.objects.exists()
    assert "Pas de département en base pour 05" in sortie


# --- The search -------------------------------------------------------------------------


@pytest.mark.parametrize("texte", ["gap", "GAP", "Gap", " gap "])
def test_recherche_insensible_a_la_casse(territoires_05, texte):
    assert rechercher(texte, territoires_05)[0].code == "05061"


def test_recherche_commence_par_avant_contient(territoires_05):
    resultats = [t.nom for t in rechercher("embrun", territoires_05)]
    assert resultats[0] == "Embrun"
    assert "Saint-André-d'Embrun" in resultats


def test_recherche_sans_accents_ni_tirets(territoires_05):
    assert [t.code for t in rechercher("saint andre d embrun", territoires_05)] == ["05128"]
    assert rechercher("BRIANCON", territoires_05)[0].nom == "Briançon"


def test_recherche_par_code_postal_et_code_insee(territoires_05):
    assert rechercher("05000", territoires_05)[0].code == "05061"
    assert [t.code for t in rechercher("05061", territoires_05)] == ["05061"]


def test_recherche_par_population_et_limite(territoires_05):
    resultats = rechercher("saint", territoires_05, limite=5)
    assert len(resultats) == 5
    populations = [t.population for t in resultats]
    assert populations == sorted(populations, reverse=True)


def test_recherche_limitee_au_departement(territoires_05, seine_maritime):
    assert rechercher("gap", seine_maritime) == []
    assert rechercher("gap", None) == []


def test_recherche_par_type(territoires_05):
    assert rechercher("gap", territoires_05, types=("epci",))[0].nom == "CA Gap-Tallard-Durance"
    assert all(t.type == "commune" for t in rechercher("gap", territoires_05))


def test_search_key():
    assert search_key("  L’Haÿ-les-Roses ") == "l hay les roses"
    assert search_key("Cœuvres-et-Valsery") == "coeuvres et valsery"


def test_du_departement(seine_maritime, hautes_alpes):
    assert du_departement(seine_maritime) == "de la Seine-Maritime"
    assert du_departement(hautes_alpes) == "des Hautes-Alpes"


# --- The form field ---------------------------------------------------------------------


class FormulaireCommune(forms.Form):
    commune = TerritoireField(label="Commune")

    def __init__(self, *args, departement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].departement = departement


def valider(departement, texte):
    form = FormulaireCommune({"commune": texte}, departement=departement)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "texte",
    ["05061", "Gap (05061)", "gap", "GAP", " Gap ", "gap (05061)"],
)
def test_champ_accepte_code_libelle_nom(territoires_05, texte):
    form = valider(territoires_05, texte)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"].code == "05061"


def test_champ_accepte_un_code_postal_sans_ambiguite(territoires_05):
    assert valider(territoires_05, "05560").cleaned_data["commune"].nom == "Vars"


def test_champ_nom_sans_accent(territoires_05):
    form = valider(territoires_05, "saint-andre-d'embrun")
    assert form.cleaned_data["commune"].nom == "Saint-André-d'Embrun"


def test_champ_nom_ambigu(territoires_05):
    form = valider(territoires_05, "Saint-Julien")
    erreur = form.errors["commune"][0]
    assert erreur.startswith("Plusieurs communes correspondent à « Saint-Julien » : ")
    assert "Saint-Julien-en-Beauchêne (05146)" in erreur
    assert "Saint-Julien-en-Champsaur (05147)" in erreur
    assert erreur.endswith("Précisez le code INSEE.")


def test_champ_code_postal_ambigu(territoires_05):
    erreur = valider(territoires_05, "05000").errors["commune"][0]
    assert erreur.startswith("Plusieurs communes ont le code postal 05000 : ")
    assert "Gap (05061)" in erreur
    assert "Précisez le code INSEE." in erreur


def test_champ_refuse_un_autre_departement(territoires_05, seine_maritime):
    for texte in ("Gap", "05061", "Gap (05061)"):
        erreur = valider(seine_maritime, texte).errors["commune"]
        assert erreur == [f"Aucune commune de la Seine-Maritime ne correspond à « {texte} »."]


def test_champ_inconnu_et_suggestion(territoires_05):
    assert valider(territoires_05, "xyz").errors["commune"] == [
        "Aucune commune des Hautes-Alpes ne correspond à « xyz »."
    ]
    erreur = valider(territoires_05, "Briançonnais").errors["commune"][0]
    assert "Vouliez-vous dire" not in erreur  # nothing close
    erreur = valider(territoires_05, "Saint-Véra").errors["commune"][0]
    assert erreur == (
        "Aucune commune des Hautes-Alpes ne s'appelle « Saint-Véra ». "
        "Vouliez-vous dire Saint-Véran (05157) ?"
    )


def test_champ_libelle_incoherent(territoires_05):
    erreur = valider(territoires_05, "Embrun (05061)").errors["commune"][0]
    assert erreur.startswith("Le code 05061 est celui de Gap, pas de « Embrun ».")


def test_champ_vide(territoires_05):
    assert valider(territoires_05, "").errors["commune"] == ["Ce champ est obligatoire."]
    champ = TerritoireField(required=False, departement=territoires_05)
    assert champ.clean("") is None


def test_champ_valeur_initiale_et_changement(territoires_05):
    gap = Territoire.objects.get(type="commune", code="05061")
    form = FormulaireCommune(initial={"commune": gap.pk}, departement=territoires_05)
    assert form["commune"].value() == "Gap (05061)"
    champ = form.fields["commune"]
    assert champ.prepare_value(gap) == "Gap (05061)"
    assert not champ.has_changed(gap.pk, "Gap (05061)")
    assert champ.has_changed(gap.pk, "Embrun")


def test_champ_epci(territoires_05):
    champ = TerritoireField(departement=territoires_05, types=("epci",))
    assert champ.widget.types == ("epci",)
    assert champ.clean("200067825").nom == "CA Gap-Tallard-Durance"
    assert champ.clean("ca gap-tallard-durance").code == "200067825"
    with pytest.raises(forms.ValidationError, match="Aucun EPCI des Hautes-Alpes"):
        champ.clean("Gap")


def test_widget_htmx_et_accessibilite(territoires_05):
    form = FormulaireCommune(departement=territoires_05)
    html = str(form["commune"])
    assert f'hx-get="{URL}"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-target="#id_commune-suggestions"' in html
    assert "&quot;types&quot;: &quot;commune&quot;" in html
    assert 'role="combobox"' in html
    assert 'aria-autocomplete="list"' in html
    assert 'aria-controls="id_commune-suggestions"' in html
    assert 'autocomplete="off"' in html
    assert '<ul class="suggestions fr-raw-list" id="id_commune-suggestions" role="listbox"' in html
    assert "js/territoires.js" in str(form.media)
    assert "defer" in str(form.media)
    assert isinstance(form.fields["commune"].widget, TerritoireWidget)


# --- The search view --------------------------------------------------------------------


def test_vue_anonyme_redirige(client, db):
    response = client.get(URL, {"q": "gap"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_vue_limitee_au_departement_courant(client, territoires_05, pilotage):
    client.force_login(pilotage)  # pilotage of 76
    response = client.get(URL, {"q": "gap"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"Gap" not in response.content
    assert "Aucune commune ne correspond." in response.content.decode()


def test_vue_suggestions(client, territoires_05, agent_05):
    client.force_login(agent_05)
    response = client.get(URL, {"q": "gap"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    # The option itself carries the value: no control nested inside it.
    assert '<li role="option" aria-selected="false" data-valeur="Gap (05061)">' in html
    assert "<button" not in html
    assert "<html" not in html


def test_vue_parametre_du_widget(client, territoires_05, agent_05):
    """The widget sends the text under the field's name and says which one in "champ"."""
    client.force_login(agent_05)
    response = client.get(URL, {"commune": "embrun", "champ": "commune", "types": "commune"})
    assert 'data-valeur="Embrun (05046)"' in response.content.decode()


def test_vue_echappe_le_texte(client, territoires_05, agent_05):
    piege = TerritoireFactory(code="05999", nom='Gap <script>alert("x")</script>')
    piege.departements.add(territoires_05)
    client.force_login(agent_05)
    html = client.get(URL, {"q": "gap <"}).content.decode()
    assert "<script>" not in html
    assert "Gap &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; (05999)" in html


def test_vue_requete_trop_courte(client, territoires_05, agent_05):
    client.force_login(agent_05)
    assert client.get(URL, {"q": "g"}).content.strip() == b""
    assert client.get(URL, {"q": "g", "format": "json"}).json() == {"resultats": []}


def test_vue_json_et_types(client, territoires_05, agent_05):
    client.force_login(agent_05)
    donnees = client.get(URL, {"q": "gap", "format": "json"}).json()
    assert donnees["resultats"][0] == {
        "type": "commune",
        "code": "05061",
        "nom": "Gap",
        "valeur": "Gap (05061)",
        "codes_postaux": ["05000"],
    }
    donnees = client.get(URL, {"q": "gap", "types": "epci,pirate", "format": "json"}).json()
    assert [r["type"] for r in donnees["resultats"]] == ["epci"]
    donnees = client.get(URL, {"q": "gap", "types": "pirate", "format": "json"}).json()
    assert {r["type"] for r in donnees["resultats"]} == {"commune"}


def test_vue_sans_departement(client, territoires_05):
    client.force_login(UserFactory())
    assert client.get(URL, {"q": "gap", "format": "json"}).json() == {"resultats": []}


def test_vue_nombre_de_requetes_constant(
    client, territoires_05, agent_05, django_assert_max_num_queries
):
    client.force_login(agent_05)
    comptes = []
    for q in ("ga", "saint", "05"):  # one, a few or ten results: the same queries
        with django_assert_max_num_queries(6) as requetes:
            response = client.get(URL, {"q": q})
        assert response.status_code == 200
        comptes.append(len(requetes))
    assert len(set(comptes)) == 1
    assert (
        len(json.loads(client.get(URL, {"q": "saint", "format": "json"}).content)["resultats"])
        == 10
    )
