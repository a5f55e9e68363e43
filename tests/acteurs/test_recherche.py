"""The actors list's search: accents, case and punctuation do not count; SIRET still works."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from acteurs.models import Acteur
from tests.acteurs.factories import ActeurFactory

SIRET_VALIDE = "13002526500013"


def _trouves(client, q: str) -> set[str]:
    response = client.get(reverse("acteurs:liste"), {"q": q})
    assert response.status_code == 200
    return {acteur.nom for acteur in response.context["page"]}


@pytest.fixture
def registre(seine_maritime):
    ActeurFactory(departement=seine_maritime, nom="Solidarité Femmes")
    ActeurFactory(departement=seine_maritime, nom="SOLIDARITÉ MIGRANTS")
    ActeurFactory(departement=seine_maritime, nom="Centre d'hébergement", sigle="CÉAS")
    ActeurFactory(departement=seine_maritime, nom="Œuvre de l'Été", siret=SIRET_VALIDE)
    ActeurFactory(departement=seine_maritime, nom="Autre structure")


@pytest.mark.parametrize(
    ("q", "attendus"),
    [
        ("solidarite", {"Solidarité Femmes", "SOLIDARITÉ MIGRANTS"}),
        ("SOLIDARITÉ", {"Solidarité Femmes", "SOLIDARITÉ MIGRANTS"}),
        ("solidarité femmes", {"Solidarité Femmes"}),
        ("ceas", {"Centre d'hébergement"}),
        ("d hebergement", {"Centre d'hébergement"}),
        ("d’hébergement", {"Centre d'hébergement"}),  # typographic apostrophe
        ("oeuvre", {"Œuvre de l'Été"}),
        ("130 025 265", {"Œuvre de l'Été"}),  # SIRET start, typed with spaces
        ("introuvable", set()),
    ],
)
def test_recherche_sans_accents_ni_casse(client, pilotage, registre, q, attendus):
    client.force_login(pilotage)
    assert _trouves(client, q) == attendus


def test_la_cle_suit_les_modifications_du_nom_et_du_sigle(seine_maritime):
    acteur = ActeurFactory(departement=seine_maritime, nom="Élan", sigle="")
    acteur.nom, acteur.sigle = "Écoute Réfugiés", "ÉR"
    acteur.save(update_fields=["nom", "sigle"])
    assert Acteur.objects.get(pk=acteur.pk).recherche == "ecoute refugies er"


def test_la_migration_remplit_la_cle_des_acteurs_existants(seine_maritime):
    acteur = ActeurFactory(departement=seine_maritime, nom="Maison de l'Égalité", sigle="MÉ")
    Acteur.objects.filter(pk=acteur.pk).update(recherche="")
    migration = importlib.import_module("acteurs.migrations.0003_acteur_recherche")
    migration.remplir_recherche(apps, None)
    assert Acteur.objects.get(pk=acteur.pk).recherche == "maison de l egalite me"


@pytest.mark.parametrize("nombre", [5, 200])
def test_recherche_nombre_de_requetes_constant(
    client, pilotage, seine_maritime, django_assert_num_queries, nombre
):
    ActeurFactory.create_batch(nombre, departement=seine_maritime, nom="Solidarité")
    client.force_login(pilotage)
    client.get(reverse("acteurs:liste"))  # warm the session
    # As the plain list: session, user, habilitations (with their départements),
    # memberships, filter's EPCI list, networks list, count, page
    with django_assert_num_queries(8):
        response = client.get(reverse("acteurs:liste"), {"q": "SOLIDARITE"})
    assert response.context["page"].paginator.count == nombre
