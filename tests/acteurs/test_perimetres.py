"""Readers beyond one département, the remembered perimeter, and objects shown under their own
département."""

import html

import lxml.html
import pytest
from django.db import IntegrityError
from django.urls import reverse

from acteurs.access import PILOTAGE, forget_profil, profil, qualites_departement
from acteurs.models import Habilitation
from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    TerritoireFactory,
    UserFactory,
)
from tests.liens import liens_refuses


@pytest.fixture
def calvados(db):
    return DepartementFactory(code="14", nom="Calvados", titre_prefet="Préfet du Calvados")


@pytest.fixture
def normandie_et_ailleurs(seine_maritime, calvados, hautes_alpes):
    return {
        "76": ActeurFactory(departement=seine_maritime, nom="Accueil Rouen"),
        "14": ActeurFactory(departement=calvados, nom="Accueil Caen"),
        "05": ActeurFactory(departement=hautes_alpes, nom="Accueil Gap"),
    }


@pytest.fixture
def lecteur_normandie(db):
    return HabilitationFactory(
        departement=None, perimetre="region", region="28", role="lecteur"
    ).user


@pytest.fixture
def lecteur_france(db):
    return HabilitationFactory(departement=None, perimetre="france", role="lecteur").user


def _page(client, nom, **params):
    response = client.get(reverse(nom), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_un_lecteur_regional_voit_toute_sa_region_dans_une_liste(
    client, lecteur_normandie, normandie_et_ailleurs
):
    client.force_login(lecteur_normandie)
    page = _page(client, "acteurs:liste")
    assert "Toute la région Normandie" in page
    assert "Accueil Rouen" in page and "Accueil Caen" in page
    assert "Accueil Gap" not in page
    assert '<th scope="col">Département</th>' in page
    assert "Seine-Maritime (76)" in page and "Calvados (14)" in page


def test_le_filtre_par_departement_et_l_export_suivent_le_perimetre(
    client, lecteur_normandie, normandie_et_ailleurs, calvados
):
    client.force_login(lecteur_normandie)
    page = _page(client, "acteurs:liste", departement=calvados.pk)
    assert "Accueil Caen" in page and "Accueil Rouen" not in page
    export = client.get(reverse("acteurs:exporter"), {"format": "csv"})
    contenu = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Accueil Caen" in contenu and "Accueil Rouen" in contenu
    assert "Calvados (14)" in contenu and "Seine-Maritime (76)" in contenu  # whose is whose
    assert "Accueil Gap" not in contenu
    assert 'filename="acteurs-r28-' in export["Content-Disposition"]


def test_un_departement_hors_perimetre_ne_filtre_rien_en_douce(
    client, lecteur_normandie, normandie_et_ailleurs, hautes_alpes
):
    """Asking for a département outside the perimeter is an invalid filter: ignored."""
    client.force_login(lecteur_normandie)
    page = _page(client, "acteurs:liste", departement=hautes_alpes.pk)
    assert "Accueil Gap" not in page


def test_le_tableau_de_bord_national_detaille_par_departement(
    client, lecteur_france, normandie_et_ailleurs
):
    ActeurFactory(departement=normandie_et_ailleurs["14"].departement, archive=True)
    client.force_login(lecteur_france)
    response = client.get(reverse("tableau_de_bord"))
    lignes = {d.code: d.nb_acteurs for d in response.context["par_departement"]}
    assert lignes == {"05": 1, "14": 1, "76": 1}
    assert response.context["nb_acteurs"] == sum(lignes.values())
    assert "Toute la France" in html.unescape(response.content.decode())
    # The table shows them, each département linked to the actors list filtered on it,
    # its name escaped.
    calvados = normandie_et_ailleurs["14"].departement
    type(calvados).objects.filter(pk=calvados.pk).update(nom="Calvados <b>&</b>")
    page = lxml.html.fromstring(client.get(reverse("tableau_de_bord")).content.decode())
    tableau = page.xpath("//table[caption='Acteurs au registre, par département']")[0]
    lignes = [[c.text_content() for c in tr.xpath("td")] for tr in tableau.xpath("tbody/tr")]
    assert lignes == [["Hautes-Alpes (05)", "1"], ["Calvados <b>&</b> (14)", "1"],
                      ["Seine-Maritime (76)", "1"]]  # fmt: skip
    liste = reverse("acteurs:liste")
    assert tableau.xpath("tbody/tr/td/a/@href")[1] == f"{liste}?departement={calvados.pk}"


def test_le_selecteur_n_offre_un_perimetre_large_qu_aux_lecteurs_qui_l_ont(
    client, lecteur_normandie, lecteur, normandie_et_ailleurs
):
    client.force_login(lecteur_normandie)
    assert "Toute la région Normandie" in _page(client, "compte")
    client.force_login(lecteur)
    page = _page(client, "compte")
    assert "Toute la région" not in page and "Toute la France" not in page


def test_sur_un_perimetre_large_les_pages_d_ecriture_demandent_un_departement(
    client, seine_maritime, lecteur_normandie
):
    HabilitationFactory(user=lecteur_normandie, departement=seine_maritime, role="pilotage")
    client.force_login(lecteur_normandie)
    client.post(reverse("changer_departement"), {"perimetre": "r28"})
    response = client.get(reverse("acteurs:creer"))
    assert response.status_code == 403
    assert "Cette page porte sur un seul département" in html.unescape(response.content.decode())
    client.post(reverse("changer_departement"), {"perimetre": "76"})
    assert client.get(reverse("acteurs:creer")).status_code == 200


def test_le_choix_propose_les_departements_ou_ecrire_et_y_ramene(
    client, seine_maritime, lecteur_normandie
):
    HabilitationFactory(user=lecteur_normandie, departement=seine_maritime, role="pilotage")
    client.force_login(lecteur_normandie)
    client.post(reverse("changer_departement"), {"perimetre": "r28"})
    page = html.unescape(client.get(reverse("acteurs:creer")).content.decode())
    assert "Seine-Maritime (76)</button>" in page
    assert "Calvados" not in page  # read only there: not offered
    response = client.post(
        reverse("changer_departement"), {"perimetre": "76", "next": reverse("acteurs:creer")}
    )
    assert response["Location"] == reverse("acteurs:creer")
    assert client.get(response["Location"]).status_code == 200


def test_un_lecteur_qui_n_ecrit_nulle_part_l_apprend_sans_detour(
    client, lecteur_france, normandie_et_ailleurs
):
    client.force_login(lecteur_france)
    response = client.get(reverse("acteurs:creer"))
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Votre accès est en consultation seulement" in page
    assert "Choisissez le département" not in page


def test_un_lecteur_national_peut_choisir_une_region(
    client, lecteur_france, normandie_et_ailleurs, calvados
):
    client.force_login(lecteur_france)
    page = _page(client, "compte")
    assert "Toute la France" in page
    assert "Toute la région Normandie" in page
    assert "Toute la région Provence-Alpes-Côte d'Azur" in page
    client.post(reverse("changer_departement"), {"perimetre": "r28"})
    requete = client.get(reverse("acteurs:liste")).wsgi_request
    assert {d.code for d in requete.perimetre.departements} == {"76", "14"}
    page = _page(client, "acteurs:liste")
    assert "Accueil Caen" in page and "Accueil Gap" not in page


def test_un_perimetre_inconnu_est_refuse_sans_rien_changer(client, lecteur, seine_maritime):
    client.force_login(lecteur)
    response = client.post(reverse("changer_departement"), {"perimetre": "fr"}, follow=True)
    assert "ne fait pas partie de vos habilitations" in html.unescape(response.content.decode())
    lecteur.refresh_from_db()
    assert lecteur.perimetre_prefere == ""


def test_le_dernier_choix_est_retenu_a_la_connexion_suivante(client, seine_maritime, hautes_alpes):
    agent = UserFactory()
    HabilitationFactory(user=agent, departement=seine_maritime, role="pilotage")
    HabilitationFactory(user=agent, departement=hautes_alpes, role="pilotage")
    client.force_login(agent)
    assert client.get(reverse("tableau_de_bord")).wsgi_request.departement == hautes_alpes
    client.post(reverse("changer_departement"), {"perimetre": "76"})
    client.logout()
    client.force_login(agent)  # a new session
    assert client.get(reverse("tableau_de_bord")).wsgi_request.departement == seine_maritime


def test_un_objet_s_affiche_sous_son_propre_departement(
    client, seine_maritime, hautes_alpes, association
):
    agent = UserFactory()
    HabilitationFactory(user=agent, departement=seine_maritime, role="pilotage")
    HabilitationFactory(user=agent, departement=hautes_alpes, role="pilotage")
    client.force_login(agent)
    client.post(reverse("changer_departement"), {"perimetre": "05"})
    page = html.unescape(client.get(association.get_absolute_url()).content.decode())
    assert "Seine-<br>Maritime" in page and "Hautes-<br>Alpes" not in page
    formulaire = client.get(reverse("acteurs:modifier", args=[association.pk]))
    assert f'"departement": {seine_maritime.pk}' in html.unescape(formulaire.content.decode())


def test_les_suggestions_de_communes_suivent_le_departement_du_formulaire(
    client, seine_maritime, hautes_alpes
):
    TerritoireFactory(code="76540", nom="Rouen").departements.add(seine_maritime)
    agent = UserFactory()
    HabilitationFactory(user=agent, departement=seine_maritime, role="pilotage")
    HabilitationFactory(user=agent, departement=hautes_alpes, role="lecteur")
    client.force_login(agent)
    client.post(reverse("changer_departement"), {"perimetre": "05"})
    url = reverse("acteurs:territoires_recherche")
    assert b"Rouen" in client.get(url, {"q": "rou", "departement": seine_maritime.pk}).content
    assert b"Rouen" not in client.get(url, {"q": "rou"}).content
    # a département the user does not have falls back to the current one
    autre = DepartementFactory(code="14", nom="Calvados", titre_prefet="Préfet du Calvados")
    assert b"Rouen" not in client.get(url, {"q": "rou", "departement": autre.pk}).content


@pytest.mark.parametrize("nombre", [5, 500])
def test_la_liste_regionale_a_un_nombre_de_requetes_constant(
    client, lecteur_normandie, seine_maritime, calvados, django_assert_num_queries, nombre
):
    for departement in (seine_maritime, calvados):
        ActeurFactory.create_batch(nombre, departement=departement)
    client.force_login(lecteur_normandie)
    client.get(reverse("acteurs:liste"))  # warm the session
    # session, user, the départements of the région with the habilitations (kept for the
    # perimeter), memberships, the filter's départements, networks, count, page (with each
    # actor's département)
    with django_assert_num_queries(8):
        response = client.get(reverse("acteurs:liste") + "?page=2")
    assert response.status_code == 200


def test_seuls_les_lecteurs_ont_un_perimetre_large(db, seine_maritime):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        Habilitation.objects.create(user=user, perimetre="region", region="28", role="pilotage")


def test_un_perimetre_regional_nomme_sa_region(db):
    with pytest.raises(IntegrityError):
        Habilitation.objects.create(user=UserFactory(), perimetre="region", role="lecteur")


@pytest.mark.parametrize("perimetre", ["fr", "r28", "76"])
def test_aucun_lien_ne_mene_un_lecteur_national_a_un_refus(
    client, lecteur_france, normandie_et_ailleurs, perimetre
):
    """Write links show only where the perimeter can write: for a reader, nowhere."""
    client.force_login(lecteur_france)
    suivis, refus = liens_refuses(client, perimetre)
    assert len(suivis) > 10 and refus == []


def test_les_qualites_d_un_departement_se_calculent_une_fois_par_profil(seine_maritime):
    """A wide home page asks every département's qualités for several verbs: computed once
    per profile, each caller gets its own set (some add to it), and a change of rights
    within the request (`forget_profil`) computes them again."""
    user = HabilitationFactory(departement=seine_maritime, role="pilotage").user
    premieres = qualites_departement(user, seine_maritime)
    premieres.add("ajoutée par un appelant")
    assert qualites_departement(user, seine_maritime) == {PILOTAGE}
    assert list(profil(user).qualites_par_departement) == [seine_maritime.pk]
    Habilitation.objects.filter(user=user).update(actif=False)
    forget_profil(user)
    assert qualites_departement(user, seine_maritime) == set()
