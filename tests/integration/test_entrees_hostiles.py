"""Values no form offers, typed or forged: a clear answer, never a server error.

« ² » passes str.isdigit() and then breaks int(); an id beyond 2^63 overflows the
database's integer; a bare word as `next` is read by redirect() as a URL name.
"""

import pytest
from django.urls import reverse

from acteurs.models import Acteur
from integration.text import BIGINT, identifiant
from tests.actions.factories import FeuilleDeRouteFactory
from tests.comites.factories import InstanceFactory

HORS_LIMITE = str(2**64)


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), ("-1", None), ("0", None),
     ("", None), (None, None), ("1e3", None), (str(BIGINT), BIGINT), (HORS_LIMITE, None)],
)  # fmt: skip
def test_un_identifiant_est_fait_de_chiffres_ascii_et_tient_dans_la_base(texte, attendu):
    assert identifiant(texte) == attendu


@pytest.mark.parametrize("valeur", ["²", "¹²", HORS_LIMITE, "-3", "٣"])
def test_les_parametres_d_adresse_hostiles_ne_font_pas_d_erreur_serveur(
    client, pilotage, seine_maritime, valeur
):
    FeuilleDeRouteFactory(departement=seine_maritime)
    InstanceFactory(departement=seine_maritime)
    client.force_login(pilotage)
    adresses = [
        (reverse("actions:creer"), {"feuille": valeur}),
        (reverse("comites:index"), {"instance": valeur}),
        (reverse("acteurs:invitation_creer"), {"acteur": valeur}),
        (reverse("actions:statistiques_saisir"), {"annee": valeur}),
    ]
    for adresse, parametres in adresses:
        reponse = client.get(adresse, parametres)
        assert reponse.status_code in (200, 404), (adresse, parametres, reponse.status_code)


def test_un_retour_qui_n_est_pas_une_adresse_du_site_mene_au_tableau_de_bord(
    client, pilotage, seine_maritime
):
    client.force_login(pilotage)
    for suivant in ["foo", "tableau_de_bord", "https://ailleurs.example/", "//ailleurs.example/"]:
        reponse = client.post(
            reverse("changer_departement"), {"perimetre": seine_maritime.code, "next": suivant}
        )
        assert reponse.status_code == 302 and reponse["Location"] == "/", suivant


def test_un_siret_en_exposant_est_refuse_en_francais(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    reponse = client.post(
        reverse("acteurs:creer"),
        {"type": "association", "nom": "X", "siret": "¹³⁰⁰²⁵²⁶⁵⁰⁰⁰¹⁴"},
    )
    assert reponse.status_code == 200
    assert "Le SIRET doit compter 14 chiffres." in reponse.content.decode()
    assert not Acteur.objects.exists()


def test_un_identifiant_hors_plage_est_un_choix_non_valide(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    reponse = client.post(
        reverse("acteurs:creer"),
        {"type": "association", "nom": "X", "commune": HORS_LIMITE, "reseaux": [HORS_LIMITE]},
    )
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Acteur.objects.exists()


@pytest.mark.parametrize("champ", ["nom", "sigle", "commune", "adresse", "siret", "site_web"])
def test_un_caractere_nul_est_refuse_en_francais(client, pilotage, seine_maritime, champ):
    client.force_login(pilotage)
    donnees = {"type": "association", "nom": "X", champ: "a\x00b"}
    reponse = client.post(reverse("acteurs:creer"), donnees)
    assert reponse.status_code == 200
    assert not Acteur.objects.exists()


def test_une_recherche_de_territoire_avec_un_caractere_nul_repond(client, pilotage, seine_maritime):
    client.force_login(pilotage)
    reponse = client.get(reverse("acteurs:territoires_recherche"), {"q": "Rou\x00en"})
    assert reponse.status_code == 200
