"""The production journeys run against the stack that scripts/production-stage.sh starts
(PRODUCTION=true, gunicorn behind nginx, Celery worker and beat, PostgreSQL, Redis, an SMTP
sink), never against a test server: what they check is how the real processes serve.

The stage names the running application in PRODUCTION_STAGE_URL and the sink's Maildir in
PRODUCTION_STAGE_MAILDIR. Without them, the journeys fail and say how to start the stage.
"""

import email
import email.policy
import mailbox
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser  # noqa: F401 - the system's Chromium, shared

MOT_DE_PASSE = "demo-integration-2026"  # the demo accounts' (README, « Comptes »)
PILOTAGE = "pilotage@demo.gouv.fr"
CABINET = "cabinet@demo.gouv.fr"

# Seen by every page before its own scripts: an element whose file failed to load (a
# network error, or a Subresource Integrity mismatch, which blocks the file) fires an
# "error" event that does not bubble; catch it on the way down.
ECOUTE_DES_ECHECS = """
window.__echecs = [];
window.addEventListener("error", (event) => {
  const element = event.target;
  if (element && element !== window && (element.src || element.href)) {
    window.__echecs.push(element.tagName + " " + (element.src || element.href));
  }
}, true);
"""


def _exiger(nom: str) -> str:
    valeur = os.environ.get(nom, "")
    if not valeur:
        pytest.fail(
            f"{nom} n'est pas renseignée : ces parcours visent l'application lancée par "
            "« bash scripts/production-stage.sh », qui les lance elle-même."
        )
    return valeur


@pytest.fixture(scope="session")
def adresse() -> str:
    return _exiger("PRODUCTION_STAGE_URL").rstrip("/")


@pytest.fixture(scope="session")
def boite_aux_lettres() -> Path:
    return Path(_exiger("PRODUCTION_STAGE_MAILDIR"))


@dataclass
class Incidents:
    """What went wrong while the browser loaded pages: console errors, failed requests,
    answers in error."""

    liste: list[str] = field(default_factory=list)

    def suivre(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda erreur: self.liste.append(f"exception : {erreur}"))
        page.on("requestfailed", self._echec)
        page.on("response", self._reponse)

    def _console(self, message) -> None:
        if message.type == "error":
            self.liste.append(f"console : {message.text}")

    def _echec(self, requete) -> None:
        # A load the browser itself cancelled (the page navigated away before its favicon
        # came: net::ERR_ABORTED) says nothing of the site; one the server broke (reset,
        # refused, empty answer) does.
        if requete.failure != "net::ERR_ABORTED":
            self.liste.append(f"requête échouée : {requete.url} ({requete.failure})")

    def _reponse(self, reponse) -> None:
        if reponse.status >= 400:
            self.liste.append(f"réponse {reponse.status} : {reponse.url}")


@pytest.fixture
def ouvrir(browser, adresse):  # noqa: F811 - the fixture imported above
    """ouvrir(courriel) -> (page, incidents): a French browser signed in through the login
    form, over HTTPS (the stage's certificate is its own, so not checked)."""
    contextes = []

    def ouvrir(courriel: str):
        contexte = browser.new_context(
            base_url=adresse,
            ignore_https_errors=True,
            accept_downloads=True,
            locale="fr-FR",
            viewport={"width": 1280, "height": 900},
        )
        contextes.append(contexte)
        contexte.add_init_script(ECOUTE_DES_ECHECS)
        page = contexte.new_page()
        page.set_default_timeout(30_000)
        incidents = Incidents()
        incidents.suivre(page)
        se_connecter(page, courriel)
        return page, incidents

    yield ouvrir
    for contexte in contextes:
        contexte.close()


def se_connecter(page, courriel: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/connexion/\?next=/$"))
    page.get_by_label("Adresse électronique").fill(courriel)
    page.locator("input[name=password]").fill(MOT_DE_PASSE)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("main h1")).to_have_text("Tableau de bord")


def messages_pour(boite: Path, destinataire: str, *, au_moins: int, delai: float = 60):
    """The messages the SMTP sink received for DESTINATAIRE, once there are AU_MOINS of them
    (the worker sends them after the request), or what there is after DELAI seconds."""
    fin = time.monotonic() + delai
    boite = mailbox.Maildir(boite, factory=_lire_message, create=False)
    while True:
        recus = [message for message in boite if destinataire in message["To"]]
        if len(recus) >= au_moins or time.monotonic() > fin:
            return recus
        time.sleep(0.5)


def _lire_message(fichier) -> email.message.EmailMessage:
    """A message with its headers decoded (a French subject travels encoded)."""
    return email.message_from_binary_file(fichier, policy=email.policy.default)
