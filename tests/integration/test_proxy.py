"""The client's address behind reverse proxies: the lock-out follows the real client.

Behind a proxy, REMOTE_ADDR is the proxy itself; only the entries the trusted proxies
appended to X-Forwarded-For say who the client is, and the client may prepend anything.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from integration.proxy import PEER_KEY, client_address
from tests.acteurs.factories import PASSWORD, UserFactory

PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"
ATTACKER = "192.0.2.66"
WRONG_PASSWORD = "pas-le-bon-mot-de-passe"


pytestmark = pytest.mark.usefixtures("axes_reset")


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    return settings


def log_in(client, email, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def fail_until_locked(client, email, forwarded_for, limit):
    responses = [log_in(client, email, WRONG_PASSWORD, forwarded_for) for _ in range(limit)]
    assert [r.status_code for r in responses] == [200] * (limit - 1) + [429]


# --- Lock-out through the login form ------------------------------------------------------


def test_behind_one_proxy_failures_lock_client_a_not_client_b(client, one_proxy, db):
    user = UserFactory()

    fail_until_locked(client, user.email, CLIENT_A, one_proxy.AXES_FAILURE_LIMIT)

    assert AccessAttempt.objects.get().ip_address == CLIENT_A
    assert log_in(client, user.email, PASSWORD, CLIENT_A).status_code == 429
    response = log_in(client, user.email, PASSWORD, CLIENT_B)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_spoofed_leading_entry_does_not_change_who_is_locked(client, one_proxy, db):
    user = UserFactory()

    # The attacker claims to be B; the proxy appends the attacker's real address.
    fail_until_locked(client, user.email, f"{CLIENT_B}, {ATTACKER}", one_proxy.AXES_FAILURE_LIMIT)

    assert AccessAttempt.objects.get().ip_address == ATTACKER
    assert log_in(client, user.email, PASSWORD, f"{CLIENT_A}, {ATTACKER}").status_code == 429
    assert log_in(client, user.email, PASSWORD, CLIENT_B).status_code == 302


def test_without_proxy_the_header_is_ignored(client, settings, db):
    settings.PROXY_COUNT = 0
    user = UserFactory()

    # A client talking to the application directly cannot escape by changing the header.
    for index in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, user.email, WRONG_PASSWORD, f"198.51.100.{index}")

    assert AccessAttempt.objects.get().ip_address == PROXY
    assert log_in(client, user.email, PASSWORD, CLIENT_B).status_code == 429


# --- The rule itself ----------------------------------------------------------------------


def request_from(peer, forwarded_for=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        pytest.param(0, f"{CLIENT_A}", PROXY, id="sans-mandataire-en-tete-ignore"),
        pytest.param(1, None, PROXY, id="en-tete-absent"),
        pytest.param(1, CLIENT_A, CLIENT_A, id="un-mandataire"),
        pytest.param(1, f"{CLIENT_B}, {CLIENT_A}", CLIENT_A, id="entree-ajoutee-par-le-client"),
        pytest.param(2, f"{CLIENT_B}, {CLIENT_A}, {PROXY}", CLIENT_A, id="deux-mandataires"),
        pytest.param(2, CLIENT_A, PROXY, id="en-tete-trop-court"),
        pytest.param(1, "pas-une-adresse", PROXY, id="entree-invalide"),
        pytest.param(1, f"{CLIENT_A},, ", CLIENT_A, id="entrees-vides-ignorees"),
        pytest.param(1, " 2001:DB8::1 ", "2001:db8::1", id="ipv6"),
    ],
)
def test_client_address(settings, count, forwarded_for, expected):
    settings.PROXY_COUNT = count
    assert client_address(request_from(PROXY, forwarded_for)) == expected


def test_middleware_puts_the_client_in_remote_addr_and_keeps_the_peer(client, one_proxy, db):
    response = client.get(
        reverse("login"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT_B}, {CLIENT_A}"
    )

    request = response.wsgi_request
    assert request.META["REMOTE_ADDR"] == CLIENT_A
    assert request.META[PEER_KEY] == PROXY
    # Read again (as django-axes does), the answer does not drift.
    assert client_address(request) == CLIENT_A
