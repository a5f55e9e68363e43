"""The double-POST helper really sends two signed-in, CSRF-valid requests at once."""

import pytest
from django.urls import reverse

from tests.concurrency import Onglets

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_deux_onglets_postent_ensemble_avec_session_et_jeton(live_server, pilotage):
    # Choosing one's perimeter is a POST behind the login wall and CSRF: a refused token
    # would answer 403, a lost session a redirect to the login page.
    onglets = Onglets(live_server, pilotage)
    departement = pilotage.habilitations.get().departement
    reponses = onglets.poster(
        reverse("changer_departement"), {"perimetre": departement.code, "next": "/"}
    )
    assert [r.status_code for r in reponses] == [302, 302]
    assert [r.headers["Location"] for r in reponses] == ["/", "/"]
    assert "Vous travaillez maintenant sur" in onglets.suivre(reponses[0])
