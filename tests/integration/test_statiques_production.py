"""With PRODUCTION=true the pages keep the design system: every stylesheet and script they
name is served, and every integrity hash they carry matches the bytes served, or the
browser refuses the file and the page falls back to bare HTML in a serif font."""

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("statiques_de_production")]


class _Ressources(HTMLParser):
    """The static files a page loads: (address, integrity or None) of each link and script."""

    def __init__(self):
        super().__init__()
        self.ressources: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        adresse = {"link": attributs.get("href"), "script": attributs.get("src")}.get(tag)
        if adresse and adresse.startswith(settings.STATIC_URL):
            self.ressources.append((adresse, attributs.get("integrity")))


def _ressources(page: bytes) -> list[tuple[str, str | None]]:
    lecteur = _Ressources()
    lecteur.feed(page.decode())
    return lecteur.ressources


def _empreinte(integrite: str, contenu: bytes) -> str:
    """CONTENU's hash with the algorithm INTEGRITE names, written the same way."""
    algorithme = integrite.split("-", 1)[0]
    return f"{algorithme}-{base64.b64encode(hashlib.new(algorithme, contenu).digest()).decode()}"


def _servi(client, adresse: str) -> bytes:
    reponse = client.get(adresse)
    assert reponse.status_code == 200, adresse
    return b"".join(reponse.streaming_content)


def _verifier_les_ressources(client, page: bytes):
    ressources = _ressources(page)
    adresses = [adresse for adresse, _ in ressources]
    # The design system is loaded under its production (hashed) name.
    assert any(a.startswith("/static/dsfr/dist/dsfr/dsfr.min.") for a in adresses), adresses
    assert "/static/dsfr/dist/dsfr/dsfr.min.css" not in adresses
    avec_empreinte = 0
    for adresse, integrite in ressources:
        contenu = _servi(client, adresse)
        if integrite is not None:
            avec_empreinte += 1
            assert integrite == _empreinte(integrite, contenu), adresse
    assert avec_empreinte >= 4  # the DSFR's two stylesheets and two scripts stay checked


def test_the_login_page_loads_the_design_system_in_production(client):
    reponse = client.get(reverse("login"))

    assert reponse.status_code == 200
    _verifier_les_ressources(client, reponse.content)


def test_the_home_page_loads_the_design_system_in_production(client, pilotage):
    client.force_login(pilotage)

    reponse = client.get(reverse("tableau_de_bord"))

    assert reponse.status_code == 200
    _verifier_les_ressources(client, reponse.content)
