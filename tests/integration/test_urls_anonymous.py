"""Every URL of the project, visited anonymously: the login wall has no forgotten door.

The URL conf is walked whole (namespaced includes and the Django admin too); each pattern
gets a URL built from sample values for its converters, checked to resolve back to that
very pattern. Anonymous visitors must be sent to the login page, except on the explicit
public list below: a new view that forgets the wall, or a public page that is not
declared here, makes this test fail.
"""

import re
import uuid
from dataclasses import dataclass
from itertools import product
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

# Views an anonymous visitor may open. Keep it short, and justify every entry.
PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",  # probed by the load balancer
    "accessibilite",
    "mentions_legales",
    "donnees_personnelles",
    "plan_du_site",
    "admin:login",
    "acteurs:invitation_accepter",  # the invited person has no account yet
    "comites:repondre_lien",  # an invitee answers a convocation without an account
    "comites:agenda_flux",  # calendar programs subscribe with the secret in the URL
    "verifier",  # anyone holding a signed document may check it
}
# Public views whose URL carries a token: with a sample token, "not found" is a fine answer.
PUBLIC_TOKEN_URL_NAMES = {
    "acteurs:invitation_accepter",
    "comites:repondre_lien",
    "comites:agenda_flux",
}

ADMIN_PREFIX = "/administration/"
SAMPLE_UUID = str(uuid.UUID("12345678-1234-5678-1234-567812345678"))
SAMPLES_BY_CONVERTER = {
    IntConverter: "1",
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: SAMPLE_UUID,
}
GENERIC_SAMPLES = ["1", "x", SAMPLE_UUID]
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


@dataclass(frozen=True)
class Endpoint:
    key: str  # "namespace:name", or the route when the pattern has no name
    url: str
    route: str


def _route_candidates(pattern: RoutePattern) -> list[str]:
    def sample(match: re.Match) -> str:
        converter = pattern.converters[match["parameter"]]
        value = SAMPLES_BY_CONVERTER.get(type(converter))
        if value is None:  # a custom converter: the first generic sample it accepts
            for candidate in GENERIC_SAMPLES:
                if re.fullmatch(converter.regex, candidate):
                    return converter.to_url(converter.to_python(candidate))
            raise AssertionError(f"Aucune valeur d'exemple pour le convertisseur {converter!r}")
        return value

    return [ROUTE_PARAMETER.sub(sample, str(pattern))]


def _regex_candidates(pattern: RegexPattern) -> list[str]:
    regex = pattern.regex.pattern
    candidates = []
    for template, parameters in normalize(regex):
        values_per_parameter = []
        for parameter in parameters:
            values = list(GENERIC_SAMPLES)
            # A group listing its allowed words, like the admin's (?P<app_label>acteurs|auth):
            # its first word is a sample that must match.
            group = re.search(rf"\(\?P<{re.escape(str(parameter))}>([\w|-]+)\)", regex)
            if group:
                values = group[1].split("|")[:1] + values
            values_per_parameter.append(values)
        for values in product(*values_per_parameter):
            if parameters and isinstance(parameters[0], int):
                candidates.append(template % tuple(values))
            else:
                candidates.append(template % dict(zip(parameters, values, strict=True)))
    return candidates


def _candidates(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return _route_candidates(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_candidates(pattern)
    raise AssertionError(f"Type de motif d'URL inconnu : {pattern!r}")


def _join_route(route1: str, route2: str) -> str:
    # The same joining as django.urls.resolvers.URLResolver, to compare with ResolverMatch.route
    return route2 if not route1 else route1 + route2.removeprefix("^")


def _walk(patterns, namespaces=(), chain=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = (entry.namespace,) if entry.namespace else ()
            yield from _walk(entry.url_patterns, namespaces + namespace, (*chain, entry.pattern))
        elif isinstance(entry, URLPattern):
            yield namespaces, (*chain, entry.pattern), entry
        else:
            raise AssertionError(f"Entrée inattendue dans la configuration d'URL : {entry!r}")


def _endpoint(namespaces, chain, entry: URLPattern) -> Endpoint:
    route = ""
    for pattern in chain:
        route = _join_route(route, str(pattern))
    key = ":".join([*namespaces, entry.name]) if entry.name else route
    tried = []
    for parts in product(*(_candidates(pattern) for pattern in chain)):
        url = "/" + "".join(parts)
        tried.append(url)
        try:
            match = resolve(url)
        except Resolver404:
            continue
        if match.route == route and match.url_name == entry.name:
            return Endpoint(key=key, url=url, route=route)
    raise AssertionError(f"Impossible de construire une URL pour {key} ; essayé : {tried}")


def all_endpoints() -> list[Endpoint]:
    endpoints = [_endpoint(*found) for found in _walk(get_resolver().url_patterns)]
    assert endpoints, "La configuration d'URL est vide ?"
    return endpoints


ENDPOINTS = all_endpoints()
PRIVATE_ENDPOINTS = [e for e in ENDPOINTS if e.key not in PUBLIC_URL_NAMES]
PUBLIC_ENDPOINTS = [e for e in ENDPOINTS if e.key in PUBLIC_URL_NAMES]


def _login_redirect_target(response) -> tuple[str, str | None]:
    location = urlsplit(response["Location"])
    next_values = parse_qs(location.query).get("next", [])
    return location.path, (next_values[0] if next_values else None)


def test_walk_sees_the_whole_url_conf():
    keys = {endpoint.key for endpoint in ENDPOINTS}
    for expected in ("tableau_de_bord", "compte", "acteurs:liste", "admin:index", "login"):
        assert expected in keys
    # Unnamed patterns (the admin's catch-all) are visited too, under their route.
    assert any(not e.key[0].isalpha() or "/" in e.key for e in ENDPOINTS)


def test_public_list_names_only_existing_views():
    keys = {endpoint.key for endpoint in ENDPOINTS}
    missing = PUBLIC_URL_NAMES - keys
    assert not missing, f"Vues publiques déclarées mais absentes de la configuration : {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", PRIVATE_ENDPOINTS, ids=lambda e: e.key)
def test_anonymous_visitor_is_sent_to_login(client, endpoint):
    response = client.get(endpoint.url)

    assert response.status_code == 302, (
        f"{endpoint.key} ({endpoint.url}) répond {response.status_code} à un visiteur anonyme : "
        "ajoutez-la à PUBLIC_URL_NAMES si elle doit être publique, sinon protégez-la."
    )
    path, next_url = _login_redirect_target(response)
    login_paths = {resolve_url(settings.LOGIN_URL)}
    if endpoint.url.startswith(ADMIN_PREFIX):
        login_paths.add(ADMIN_PREFIX + "login/")
    assert path in login_paths, f"{endpoint.key} redirige vers {response['Location']}"
    assert next_url == endpoint.url


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", PUBLIC_ENDPOINTS, ids=lambda e: e.key)
def test_public_page_answers_anonymous_visitor(client, endpoint):
    response = client.get(endpoint.url)

    allowed = {200, 404} if endpoint.key in PUBLIC_TOKEN_URL_NAMES else {200}
    assert response.status_code in allowed, (
        f"{endpoint.key} ({endpoint.url}) répond {response.status_code} "
        f"{response.get('Location', '')}"
    )
