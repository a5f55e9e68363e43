"""The pages a State site carries in its footer: public, French, linked from every page."""

import re

import pytest
from django.urls import reverse

from tests.acteurs.factories import HabilitationFactory

PAGES_DU_PIED = {
    "accessibilite": "Accessibilité : partiellement conforme",
    "mentions_legales": "Mentions légales",
    "donnees_personnelles": "Données personnelles",
    "plan_du_site": "Plan du site",
}


def _liens_du_pied(html: str) -> dict[str, str]:
    pied = html[html.index('id="pied-de-page"') :]
    return {
        texte.strip(): lien
        for lien, texte in re.findall(
            r'class="fr-footer__bottom-link" href="([^"]+)">([^<]+)<', pied
        )
    }


@pytest.mark.django_db
@pytest.mark.parametrize("nom", PAGES_DU_PIED)
def test_each_footer_page_is_public_and_linked_from_the_footer(client, nom):
    response = client.get(reverse(nom))
    assert response.status_code == 200
    assert _liens_du_pied(response.content.decode())[PAGES_DU_PIED[nom]] == reverse(nom)


@pytest.mark.django_db
def test_the_statement_says_how_its_status_was_measured(client):
    html = client.get(reverse("accessibilite")).content.decode()
    assert "est partiellement conforme</strong>" in html
    # No audit yet: the page says so, instead of passing automated checks off as one.
    assert "aucun taux de conformité" in html and "axe-core" in html


@pytest.mark.django_db
def test_the_site_map_lists_the_sections_and_none_refuses_a_signed_in_user(client):
    lecteur = HabilitationFactory(role="lecteur").user
    client.force_login(lecteur)
    html = client.get(reverse("plan_du_site")).content.decode()
    carte = html[
        html.index('aria-label="Plan du site"') : html.index(
            "</nav>", html.index('aria-label="Plan du site"')
        )
    ]
    liens = re.findall(r'href="([^"]+)"', carte)
    for section in ("acteurs:liste", "comites:index", "actions:index", "compte"):
        assert reverse(section) in liens
    for lien in liens:
        assert client.get(lien).status_code == 200, lien


@pytest.mark.django_db
def test_an_anonymous_visitor_is_told_the_sections_need_an_account(client):
    html = client.get(reverse("plan_du_site")).content.decode()
    assert "connectez-vous" in html
