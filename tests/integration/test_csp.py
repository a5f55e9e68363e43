"""Content-Security-Policy: every page says where scripts and styles may come from.

A script or style runs only from our own origin, or inline with this response's nonce;
the pages carry no inline event handler nor style attribute, which no nonce can allow.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.acteurs.factories import ActeurFactory

NONCE_IN_HEADER = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


class InlineCode(HTMLParser):
    """Collects the script and style tags, and the attributes CSP would block."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.blocked_attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style"}:
            self.tags.append((tag, attributes))
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.blocked_attributes.append(f"<{tag} {name}>")


def parse(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


def assert_policy_holds(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]

    page = parse(response)
    header_nonces = set(NONCE_IN_HEADER.findall(response["Content-Security-Policy"]))
    assert page.tags, "la page devrait charger ses scripts"
    assert len(header_nonces) == 1, response["Content-Security-Policy"]
    for tag, attributes in page.tags:
        if attributes.get("src"):  # a file: allowed by 'self' when it is ours
            assert attributes["src"].startswith("/static/"), attributes
            if "nonce" in attributes:
                assert attributes["nonce"] in header_nonces, attributes
        else:  # inline: runs only with this response's nonce
            assert attributes.get("nonce") in header_nonces, (tag, attributes)
    assert any(a.get("nonce") in header_nonces for _, a in page.tags), "nonce jamais utilisé"
    assert page.blocked_attributes == []


def test_login_page_policy_and_nonce(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_policy_holds(response)


@pytest.mark.parametrize(
    "url_name",
    ["tableau_de_bord", "acteurs:liste", "acteurs:creer", "compte", "acteurs:invitations"],
)
def test_registry_pages_policy_and_nonce(client, pilotage, url_name):
    client.force_login(pilotage)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_policy_holds(response)


def test_actor_pages_policy_and_nonce(client, pilotage, seine_maritime):
    acteur = ActeurFactory(departement=seine_maritime)
    client.force_login(pilotage)
    urls = (
        reverse("acteurs:detail", args=[acteur.pk]),
        reverse("acteurs:modifier", args=[acteur.pk]),
    )
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy_holds(response)


def test_each_response_has_its_own_nonce(client, db):
    first = NONCE_IN_HEADER.findall(client.get(reverse("login"))["Content-Security-Policy"])
    second = NONCE_IN_HEADER.findall(client.get(reverse("login"))["Content-Security-Policy"])
    assert first and second and first != second


def test_error_pages_keep_the_policy(client, pilotage):
    client.force_login(pilotage)
    response = client.get("/acteurs/999999/")
    assert response.status_code == 404
    assert directives(response)["script-src"][0] == "'self'"
    assert parse(response).blocked_attributes == []
