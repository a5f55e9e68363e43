"""« Proposer une fiche-action » shows where the user may draft one, on a feuille open to
proposals, and leads to the form of that feuille."""

import pytest
from django.urls import reverse

from tests.actions.factories import AxeFactory, FeuilleDeRouteFactory

BOUTON = "Proposer une fiche-action"


@pytest.fixture
def feuille(seine_maritime):
    feuille = FeuilleDeRouteFactory(departement=seine_maritime)
    AxeFactory(feuille=feuille, ordre=1, libelle="Langue")
    return feuille


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["partenaire", "admin_structure", "pilotage"])
def test_whoever_drafts_is_offered_the_form_of_the_feuille(client, request, role, feuille):
    user = request.getfixturevalue(role)
    lien = f'href="{reverse("actions:creer")}?feuille={feuille.pk}"'
    for url in (feuille.get_absolute_url(), reverse("actions:liste")):
        page = _page(client, user, url)
        assert BOUTON in page and lien in page
    client.force_login(user)
    assert client.get(f"{reverse('actions:creer')}?feuille={feuille.pk}").status_code == 200


@pytest.mark.parametrize("role", ["cabinet", "lecteur"])
def test_who_does_not_draft_is_not_offered_it(client, request, role, feuille):
    user = request.getfixturevalue(role)
    for url in (feuille.get_absolute_url(), reverse("actions:liste")):
        assert BOUTON not in _page(client, user, url)


def test_a_signed_feuille_offers_nothing(client, partenaire, seine_maritime):
    signee = FeuilleDeRouteFactory(departement=seine_maritime, signee=True)
    assert BOUTON not in _page(client, partenaire, signee.get_absolute_url())
    assert BOUTON not in _page(client, partenaire, reverse("actions:liste"))
