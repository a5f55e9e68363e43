"""On the demonstration data, each account's home page opens only pages it may read, and
the partner finds « Proposer une fiche-action » there."""

import re

import pytest

from acteurs.models import User

COMPTES = ["pilotage", "cabinet", "communication", "partenaire", "lecteur"]


@pytest.mark.parametrize("compte", COMPTES)
def test_every_link_of_the_home_page_opens(client, demo, compte):
    client.force_login(User.objects.get(email=f"{compte}@demo.gouv.fr"))
    page = client.get("/").content.decode()
    liens = {lien.replace("&amp;", "&") for lien in re.findall(r'href="(/[^"#]*)"', page)}
    liens = {lien for lien in liens if not lien.startswith("/static/")}
    assert {lien: client.get(lien).status_code for lien in sorted(liens)} == dict.fromkeys(
        sorted(liens), 200
    )


def test_the_demo_partner_is_offered_to_propose_a_fiche(client, demo):
    client.force_login(User.objects.get(email="partenaire@demo.gouv.fr"))
    page = client.get("/").content.decode()
    assert "Proposer une fiche-action" in page
    assert "Consultation en cours" in page
