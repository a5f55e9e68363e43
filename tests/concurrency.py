"""The same POST twice at once, as a double click or two tabs send it.

    onglets = Onglets(live_server, user)
    premiere, seconde = onglets.poster("/chemin/", {"champ": "valeur"})
    assert "déjà signée" in onglets.suivre(seconde)

Both requests carry the same session and CSRF token and leave together (a barrier), each
on its own thread of the live server, so each gets its own database connection: the race
is the one production sees. It needs PostgreSQL: SQLite serialises writers at the file,
which hides the race instead of testing it.
"""

import threading

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from tests.conftest import skip_or_fail


def exiger_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("deux requêtes simultanées ont besoin de PostgreSQL")


class Onglets:
    """Browser tabs of one signed-in USER on the live server: one session, one CSRF token."""

    def __init__(self, live_server, user):
        exiger_postgresql()
        self.url = live_server.url
        client = Client()
        client.force_login(user)
        requete = RequestFactory().get("/")
        self.jeton = get_token(requete)  # what a form carries (masked)
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: requete.META["CSRF_COOKIE"],  # the secret it masks
        }

    def poster(self, chemin: str, donnees: dict | list | None = None, fois: int = 2):
        """POST DONNEES to CHEMIN from FOIS tabs at once (or, DONNEES a list, each of its
        forms from a tab of its own); the responses, in sending order.

        Redirects are not followed: `suivre()` opens where an answer sends the user.
        """
        formulaires = donnees if isinstance(donnees, list) else [donnees or {}] * fois
        corps = [{**f, "csrfmiddlewaretoken": self.jeton} for f in formulaires]
        depart = threading.Barrier(len(corps))
        reponses: list = [None] * len(corps)

        def envoyer(rang: int):
            depart.wait()
            try:
                reponses[rang] = requests.post(
                    self.url + chemin,
                    data=corps[rang],
                    cookies=self.cookies,
                    headers={"Referer": self.url + chemin},
                    allow_redirects=False,
                    timeout=60,
                )
            except requests.RequestException as exc:  # kept, so the test says what happened
                reponses[rang] = exc

        fils = [threading.Thread(target=envoyer, args=(rang,)) for rang in range(len(corps))]
        for fil in fils:
            fil.start()
        for fil in fils:
            fil.join(timeout=90)
        for reponse in reponses:
            if not isinstance(reponse, requests.Response):
                pytest.fail(f"une des requêtes simultanées n'a pas abouti : {reponse!r}")
        return reponses

    def pages(self, reponses) -> list[str]:
        """The page each answer leads to; none of them a server error."""
        assert all(r.status_code < 500 for r in reponses), [r.status_code for r in reponses]
        return [self.suivre(r) for r in reponses]

    def suivre(self, reponse) -> str:
        """The page RESPONSE leads to, with the flash messages it left for this tab."""
        if reponse.status_code not in (301, 302, 303):
            return reponse.text
        cible = reponse.headers["Location"]
        if cible.startswith("/"):
            cible = self.url + cible
        cookies = {**self.cookies, **reponse.cookies.get_dict()}
        return requests.get(cible, cookies=cookies, timeout=60).text


def une_seule(pages, succes: str, refus: str) -> None:
    """Of two tabs' PAGES, one says SUCCES (the effect) and the other REFUS (already done)."""
    assert sorted((succes in page, refus in page) for page in pages) == [
        (False, True),
        (True, False),
    ], "une page dit l'effet, l'autre qu'il est déjà fait"
