from django.db import connection
from django.urls import reverse

from tests.conftest import REQUIRE_SERVICES


def test_htmx_sans_session_recoit_une_redirection_pleine_page(client, db):
    response = client.get(
        reverse("acteurs:territoires_recherche") + "?q=rou", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_requete_ordinaire_sans_session_redirigee(client, db):
    response = client.get(reverse("acteurs:liste"))
    assert response.status_code == 302
    assert "HX-Redirect" not in response


def test_la_ci_tourne_sur_postgresql(db):
    """With REQUIRE_SERVICES=1 (CI), the suite must be running on PostgreSQL."""
    if REQUIRE_SERVICES:
        assert connection.vendor == "postgresql"
