"""The actions list: who reads it, its filters, its constant cost, its exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.http import FileResponse
from django.urls import reverse
from openpyxl import load_workbook

from acteurs.models import Territoire
from actions.models import Action, Financement
from integration.fichiers.ecriture import FORMAT_MONTANT
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    TerritoireFactory,
    UserFactory,
)
from tests.actions.factories import (
    ActionFactory,
    AxeFactory,
    FeuilleDeRouteFactory,
    FinancementFactory,
)

LISTE = reverse("actions:liste")
EXPORT = reverse("actions:exporter")


def titres(response) -> set[str]:
    return {a["titre"] for a in response.context["page"].object_list}


def lire_csv(response) -> list[dict]:
    texte = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(texte), delimiter=";"))


def test_anonyme_renvoye_a_la_connexion(client):
    for url in (LISTE, EXPORT + "?format=csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_compte_sans_departement_est_renseigne(client, staff_user):
    client.force_login(staff_user)
    assert client.get(LISTE).status_code == 403


def test_un_partenaire_ne_voit_pas_le_brouillon_d_un_autre(client, partenaire, feuille):
    brouillon = ActionFactory(axe=feuille.axes.first(), titre="Brouillon d'autrui")
    validee = ActionFactory(axe=feuille.axes.first(), validee=True, titre="Action retenue")
    client.force_login(partenaire)
    response = client.get(LISTE)
    assert titres(response) == {validee.titre}
    assert brouillon.titre not in response.content.decode()
    assert brouillon.titre not in b"".join(client.get(EXPORT + "?format=csv")).decode()


def test_le_pilotage_voit_tout_son_departement_mais_pas_un_autre(client, pilotage, feuille):
    mien = ActionFactory(axe=feuille.axes.first())
    ailleurs = ActionFactory(axe__feuille__departement=DepartementFactory(hautes_alpes=True))
    client.force_login(pilotage)
    assert titres(client.get(LISTE)) == {mien.titre}
    assert ailleurs.pk not in [a["pk"] for a in client.get(LISTE).context["page"].object_list]


def test_les_filtres(client, pilotage, feuille, make_actions, epci):
    commune = TerritoireFactory(nom="Elbeuf", epci=epci)
    feuille.departement.territoires.add(commune)
    departement_entier = TerritoireFactory(
        type=Territoire.Type.DEPARTEMENT, code=feuille.departement.code, nom="Seine-Maritime"
    )
    sur_commune = make_actions(1, statuts=["en_cours"], territoire=commune)[0]
    sur_departement = make_actions(1, statuts=["validee"], territoire=departement_entier)[0]
    ailleurs = make_actions(1, statuts=["en_cours"])[0]
    Financement.objects.filter(action=ailleurs).update(source="bop147")
    client.force_login(pilotage)

    assert titres(client.get(LISTE, {"territoire": epci.pk})) == {
        sur_commune.titre,
        sur_departement.titre,
    }
    assert titres(client.get(LISTE, {"territoire": commune.pk})) == {
        sur_commune.titre,
        sur_departement.titre,
    }
    assert titres(client.get(LISTE, {"statut": "validee"})) == {sur_departement.titre}
    assert titres(client.get(LISTE, {"source": "bop147"})) == {ailleurs.titre}
    assert titres(client.get(LISTE, {"source": "fami"})) == {
        sur_commune.titre,
        sur_departement.titre,
    }
    assert titres(client.get(LISTE, {"annee": 2026})) == {a.titre for a in Action.objects.all()}
    assert titres(client.get(LISTE, {"annee": 2020})) == set()
    axe = feuille.axes.get(libelle="Emploi")
    assert titres(client.get(LISTE, {"axe": "Emploi"})) == set(
        Action.objects.filter(axe=axe).values_list("titre", flat=True)
    )


def test_filtre_mes_structures_et_filtre_invalide_ignore(client, feuille, association):
    membre = MembreFactory(acteur=association, role="administrateur").user
    mienne = ActionFactory(axe=feuille.axes.first(), porteur=association, validee=True)
    autre = ActionFactory(axe=feuille.axes.first(), validee=True)
    client.force_login(membre)
    assert titres(client.get(LISTE, {"mes_structures": "on"})) == {mienne.titre}
    response = client.get(LISTE, {"statut": "n'importe quoi", "annee": "<script>"})
    assert response.status_code == 200
    assert titres(response) == {mienne.titre, autre.titre}
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("tri", ["titre", "-titre", "porteur", "-demande", "-modifie_le"])
def test_les_tris(client, pilotage, make_actions, tri):
    make_actions(3)
    client.force_login(pilotage)
    assert len(titres(client.get(LISTE, {"tri": tri}))) == 3


def test_le_tri_par_montant_range_les_lignes_et_l_export_par_total_demande(
    client, pilotage, feuille
):
    """The list shows each row's totals; sorted by amount, the largest request first, the
    list and its export in the same order (an action without funding counts 0)."""
    axe = feuille.axes.first()
    sans = ActionFactory(axe=axe, titre="Sans financement")
    deux_lignes = ActionFactory(axe=axe, titre="Deux lignes")
    FinancementFactory(action=deux_lignes, montant_demande=700, montant_accorde=600)
    FinancementFactory(action=deux_lignes, source="fami", montant_demande=Decimal("400.5"))
    une_ligne = ActionFactory(axe=axe, titre="Une ligne")
    FinancementFactory(action=une_ligne, montant_demande=900)
    client.force_login(pilotage)
    response = client.get(LISTE, {"tri": "-demande"})
    rangees = response.context["page"].object_list
    assert [a["pk"] for a in rangees] == [deux_lignes.pk, une_ligne.pk, sans.pk]
    assert [(a["total_demande"], a["total_accorde"]) for a in rangees] == [
        (Decimal("1100.50"), Decimal("600")), (Decimal("900"), 0), (0, 0),
    ]  # fmt: skip
    assert "1\u00a0100,50\u00a0€" in response.content.decode()  # no-break spaces
    lignes = lire_csv(client.get(EXPORT, {"format": "csv", "tri": "-demande"}))[:-2]
    assert [ligne["Titre"] for ligne in lignes] == [a["titre"] for a in rangees]


def test_tri_par_titre_decroissant(client, pilotage, make_actions):
    make_actions(3)
    client.force_login(pilotage)
    page = client.get(LISTE, {"tri": "-titre"}).context["page"]
    liste = [a["titre"] for a in page.object_list]
    assert liste == sorted(liste, reverse=True)


def _nb_requetes(client, django_assert_max_num_queries, url, nombre):
    with django_assert_max_num_queries(nombre) as capture:
        response = client.get(url)
        if response.streaming:  # an export reads its rows as it sends them
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(capture.captured_queries)


@pytest.mark.parametrize("filtres", ["", "?tri=-demande&annee=2026&source=fami&q=action"])
def test_requetes_constantes_avec_5_et_500_actions(
    client, pilotage, make_actions, django_assert_max_num_queries, filtres
):
    client.force_login(pilotage)
    make_actions(5)
    avec_5 = _nb_requetes(client, django_assert_max_num_queries, LISTE + filtres, 20)
    make_actions(495)
    avec_500 = _nb_requetes(client, django_assert_max_num_queries, LISTE + filtres, 20)
    assert avec_5 == avec_500
    assert Action.objects.count() == 500


def test_pagination_par_50(client, pilotage, make_actions):
    make_actions(120)
    client.force_login(pilotage)
    response = client.get(LISTE, {"page": 3})
    assert len(response.context["page"].object_list) == 20
    assert "page=2" in response.content.decode()


def test_export_csv_montre_la_liste_filtree_avec_ses_totaux(client, pilotage, feuille):
    action = ActionFactory(axe=feuille.axes.first(), validee=True, titre="Ateliers « =1+1 »")
    FinancementFactory(action=action, montant_demande=1000, montant_accorde=800, montant_verse=500)
    FinancementFactory(action=action, source="fami", montant_demande=Decimal("250.5"))
    ActionFactory(axe=feuille.axes.first(), titre="Brouillon")
    client.force_login(pilotage)
    response = client.get(EXPORT, {"format": "csv", "statut": "validee"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="actions-76-' in response["Content-Disposition"]
    *lignes, adoptees, en_attente = lire_csv(response)
    assert [ligne["Titre"] for ligne in lignes] == [action.titre]
    assert adoptees["Titre"].startswith("Total des actions adoptées")
    assert adoptees["Montant demandé (€)"] == "1250,50"
    assert en_attente["Titre"].startswith("En attente d'instruction")
    assert en_attente["Montant demandé (€)"] == "0,00"  # the draft is filtered out
    assert lignes[0]["Montant demandé (€)"] == "1250,50"
    assert lignes[0]["Montant accordé (€)"] == "800,00"
    assert lignes[0]["Montant versé (€)"] == "500,00"
    assert lignes[0]["Statut"] == "Validée"


def test_export_xlsx(client, pilotage, make_actions):
    make_actions(3)
    client.force_login(pilotage)
    response = client.get(EXPORT, {"format": "xlsx"})
    feuille = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert feuille.cell(row=1, column=1).value == "Titre"
    assert feuille.max_row == 6  # three actions, then the two rows of totals
    assert feuille.freeze_panes == "A2" and feuille.auto_filter.ref == "A1:O6"


def test_export_xlsx_montants_nombres_et_dates_dates(client, pilotage, feuille):
    """A spreadsheet sums the amounts and sorts the dates: typed cells, shown the French
    way; text stays text (a formula never runs). The CSV writes the same as before."""
    action = ActionFactory(
        axe=feuille.axes.first(),
        validee=True,
        titre="=1+1",
        date_debut=date(2026, 3, 1),
        date_fin=date(2026, 12, 31),
    )
    FinancementFactory(action=action, montant_demande=Decimal("12500.5"), montant_accorde=800)
    client.force_login(pilotage)
    response = client.get(EXPORT, {"format": "xlsx"})
    feuille_xlsx = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    entete = [c.value for c in feuille_xlsx[1]]
    ligne = dict(zip(entete, feuille_xlsx[2], strict=True))
    demande = ligne["Montant demandé (€)"]
    assert demande.value == 12500.5
    assert demande.data_type == "n" and demande.number_format == FORMAT_MONTANT
    debut = ligne["Début"]
    assert debut.is_date and debut.value.date() == date(2026, 3, 1)
    assert debut.number_format == "dd/mm/yyyy"
    assert ligne["Titre"].data_type == "s" and ligne["Titre"].value == "=1+1"
    total = {t: c.value for t, c in zip(entete, feuille_xlsx[3], strict=True)}
    assert total["Montant accordé (€)"] == 800
    [csv_ligne, *_totaux] = lire_csv(client.get(EXPORT, {"format": "csv"}))
    assert csv_ligne["Début"] == "01/03/2026" and csv_ligne["Montant demandé (€)"] == "12500,50"


def test_export_csv_est_envoye_par_morceaux(client, pilotage, make_actions):
    """The CSV leaves in pieces as its rows are read, never built whole first."""
    make_actions(450)
    client.force_login(pilotage)
    response = client.get(EXPORT, {"format": "csv"})
    assert response.streaming and not isinstance(response, FileResponse)
    morceaux = list(response.streaming_content)
    assert len(morceaux) >= 3
    assert morceaux[0].startswith("\ufeffTitre;".encode())


def test_export_format_inconnu(client, pilotage):
    client.force_login(pilotage)
    response = client.get(EXPORT, {"format": "pdf<b>"})
    assert response.status_code == 400
    assert "Format d'export inconnu" in response.content.decode()


def test_export_requetes_constantes(client, pilotage, make_actions, django_assert_max_num_queries):
    client.force_login(pilotage)
    make_actions(5)
    avec_5 = _nb_requetes(client, django_assert_max_num_queries, EXPORT + "?format=csv", 20)
    make_actions(300)
    avec_300 = _nb_requetes(client, django_assert_max_num_queries, EXPORT + "?format=csv", 20)
    assert avec_5 == avec_300


def test_lecteur_national_voit_les_departements_et_peut_filtrer(client, feuille):
    autre = FeuilleDeRouteFactory(departement=DepartementFactory(hautes_alpes=True))
    ici = ActionFactory(axe=feuille.axes.first(), validee=True)
    la_bas = ActionFactory(axe__feuille=autre, validee=True)
    ActionFactory(axe__feuille=autre)  # a draft: readers never see them
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    client.force_login(lecteur)
    response = client.get(LISTE)
    assert titres(response) == {ici.titre, la_bas.titre}
    assert "Hautes-Alpes (05)" in response.content.decode()
    filtre = client.get(LISTE, {"departement": autre.departement.pk})
    assert titres(filtre) == {la_bas.titre}


def test_une_ligne_de_la_liste_echappe_ses_textes_et_dit_ses_dates_et_montants(client, feuille):
    """The rows are written in Python (actions/templatetags/lignes.py): every text escaped,
    a missing date as « … », no dates as « — », amounts the French way, the département's
    column for a reader of several."""
    feuille.departement.nom = "Seine & <Maritime>"
    feuille.departement.save()
    porteur = ActeurFactory(departement=feuille.departement, nom='Asso "L\'Étoile"')
    action = ActionFactory(
        axe=AxeFactory(feuille=feuille, libelle="Axe <1>"),
        porteur=porteur,
        titre="<script>alert('x')</script>",
        date_debut=date(2026, 3, 1),
        validee=True,
    )
    FinancementFactory(action=action, montant_demande=Decimal("12500.5"), montant_accorde=0)
    sans_dates = ActionFactory(axe=action.axe, porteur=porteur, titre="Sans dates", validee=True)
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    client.force_login(lecteur)
    page = client.get(LISTE, {"tri": "titre"}).content.decode()
    assert (
        f'<tr><td><a href="{LISTE}{action.pk}/">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
        "</a></td><td>Seine &amp; &lt;Maritime&gt; (76)</td><td>Axe &lt;1&gt;</td>"
        "<td>Asso &quot;L&#x27;Étoile&quot;</td>"
        '<td><p class="fr-badge fr-badge--sm statut-validee">Validée</p></td>'
        "<td>01/03/2026 – …</td>"
        '<td class="montant">12\u00a0500,50\u00a0€</td><td class="montant">0,00\u00a0€</td></tr>'
    ) in page
    assert f'<a href="{LISTE}{sans_dates.pk}/">Sans dates</a>' in page
    assert "<td>—</td>" in page
    vide = client.get(LISTE, {"q": "introuvable"}).content.decode()
    assert '<tr><td colspan="8">Aucune action ne correspond à ces critères.</td></tr>' in vide


def test_lecteur_national_filtre_par_libelle_d_axe_et_nom_de_porteur(client, feuille):
    """Across départements an axe is chosen once by its label, whatever feuille repeats it,
    and the porteur is searched by name: no option per feuille, axe or actor of France."""
    autre = FeuilleDeRouteFactory(departement=DepartementFactory(hautes_alpes=True))
    porteur = ActeurFactory(departement=autre.departement, nom="Association Élan")
    ici = ActionFactory(axe=feuille.axes.get(libelle="Emploi"), validee=True)
    emploi = AxeFactory(feuille=autre, ordre=2, libelle="Emploi")
    la_bas = ActionFactory(axe=emploi, validee=True, porteur=porteur)
    ActionFactory(axe=AxeFactory(feuille=autre, ordre=1, libelle="Langue"), validee=True)
    lecteur = HabilitationFactory(departement=None, perimetre="france", role="lecteur").user
    client.force_login(lecteur)
    response = client.get(LISTE)
    form = response.context["form"]
    assert "feuille" not in form.fields and "territoire" not in form.fields
    libelles = [valeur for valeur, _ in form.fields["axe"].choices]
    assert libelles.count("Emploi") == 1
    assert titres(client.get(LISTE, {"axe": "Emploi"})) == {ici.titre, la_bas.titre}
    assert titres(client.get(LISTE, {"porteur": "elan"})) == {la_bas.titre}
    assert titres(client.get(LISTE, {"porteur": "  "})) == titres(response)
    assert titres(client.get(LISTE, {"axe": "<b>inconnu</b>"})) == titres(response)


def test_un_departement_propose_ses_feuilles_et_porteurs(client, pilotage, feuille):
    ActionFactory(axe=feuille.axes.first(), porteur__nom="Porteur proposé")
    client.force_login(pilotage)
    form = client.get(LISTE).context["form"]
    assert list(form.fields["feuille"].queryset) == [feuille]
    assert [a.nom for a in form.fields["porteur"].queryset] == ["Porteur proposé"]
    assert "departement" not in form.fields


def test_les_options_lues_en_colonnes_disent_ce_que_disent_les_objets(
    client, pilotage, feuille, epci
):
    """The filters read their options as columns, not objects: each label is the one the
    object itself gives, and the option chosen is still cleaned to its object."""
    commune = TerritoireFactory(code="76540", nom="Rouen", epci=epci)
    feuille.departement.territoires.add(commune)
    action = ActionFactory(
        axe=feuille.axes.first(), porteur__nom="Association Élan", porteur__sigle="AE"
    )
    action.territoires.add(commune)
    ActionFactory(axe=feuille.axes.first(), porteur__nom="Sans sigle", porteur__sigle="")
    client.force_login(pilotage)
    response = client.get(LISTE, {"porteur": action.porteur_id, "territoire": commune.pk})
    form = response.context["form"]
    for nom in ("feuille", "porteur", "territoire", "public"):
        champ = form.fields[nom]
        assert [libelle for _, libelle in champ.choices][1:] == [str(o) for o in champ.queryset]
    assert form.cleaned_data["porteur"] == action.porteur
    assert form.cleaned_data["territoire"] == commune
    page = response.content.decode()
    assert f'<option value="{action.porteur_id}" selected>Association Élan (AE)</option>' in page
    assert f'<option value="{commune.pk}" selected>Rouen (76540)</option>' in page
    assert ">Sans sigle</option>" in page and ">Métropole Rouen</option>" in page
    assert titres(response) == {action.titre}


def test_le_formulaire_de_filtres_en_dsfr_sans_crispy(client, pilotage, feuille):
    """The lean filter template (templates/_filtres.html) keeps the pack's markup: each
    control labelled, its hint and its error named by its aria-describedby."""
    client.force_login(pilotage)
    page = client.get(LISTE, {"statut": "inconnu", "q": "x"}).content.decode()
    assert '<div class="fr-select-group fr-select-group--error" id="div_id_statut">' in page
    assert (
        '<select name="statut" aria-describedby="id_statut_error" aria-invalid="true" '
        'class="fr-select fr-select--error" id="id_statut">'
    ) in page
    assert '<p class="fr-error-text" id="id_statut_error">Sélectionnez un choix valide.' in page
    assert (
        '<label class="fr-label" for="id_annee">Année<span class="fr-hint-text" '
        'id="id_annee_helptext">'
    ) in page
    assert 'aria-describedby="id_annee_helptext" class="fr-select" id="id_annee"' in page
    assert 'value="x" maxlength="100" class="fr-input" aria-describedby="id_q_helptext"' in page
    case = '<input type="checkbox" name="mes_structures" id="id_mes_structures">'
    etiquette = '<label class="fr-label" for="id_mes_structures">'
    assert page.index(case) < page.index(etiquette)  # the box first: its label draws it
    for nom in ("q", "feuille", "axe", "porteur", "territoire", "public", "source", "tri"):
        assert f'<label class="fr-label" for="id_{nom}">' in page


def test_porteurs_proposes_sont_ceux_des_actions_visibles(client, partenaire, feuille):
    cache = ActeurFactory(departement=feuille.departement, nom="Porteur d'un brouillon")
    ActionFactory(axe=feuille.axes.first(), porteur=cache)
    client.force_login(partenaire)
    assert "Porteur d&#x27;un brouillon" not in client.get(LISTE).content.decode()
    assert UserFactory  # the factories module stays imported for the other tests


def test_les_communes_proposees_sont_celles_des_actions_visibles(
    client, partenaire, pilotage, feuille
):
    cachee = TerritoireFactory(code="76231", nom="Commune d'un brouillon")
    montree = TerritoireFactory(code="76540", nom="Commune d'une action retenue")
    feuille.departement.territoires.add(cachee, montree)
    brouillon = ActionFactory(axe=feuille.axes.first())
    brouillon.territoires.add(cachee)
    retenue = ActionFactory(axe=feuille.axes.first(), validee=True)
    retenue.territoires.add(montree)

    def communes(user):
        client.force_login(user)
        champ = client.get(LISTE).context["form"].fields["territoire"]
        return {t.nom for t in champ.queryset if t.type == Territoire.Type.COMMUNE}

    assert communes(partenaire) == {montree.nom}
    assert communes(pilotage) == {montree.nom, cachee.nom}
