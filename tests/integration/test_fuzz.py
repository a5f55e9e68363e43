"""Hostile values in every field and query parameter a user can reach: never a 5xx.

Each demo role starts on the home page and follows the site's own links (as a person
would, without typing an address), up to a bound. Every form met is then sent back with
hostile values, one value in all its fields at a time: the GET forms (filters) as query
strings, the POST forms as bodies. A form is sent once per view, method and fields: the
same form met on several pages (a list's filters on each of its pages) or for several objects
of one kind (every action's fiche) takes the same path through the same code. Each role is
its own case, so the roles share the cores. The answer is never a server error and, when the form
is refused, nothing is written.
"""

import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import resolve

from integration.text import BIGINT

pytestmark = pytest.mark.django_db

ROLES = ["pilotage", "partenaire", "cabinet", "communication", "lecteur"]
PAGES_PAR_ROLE = 120
HOSTILES = [
    "²",  # str.isdigit() says yes, int() says no
    str(BIGINT + 1),  # over the database's integer
    "-1",
    "x" * 10_000,
    "a\x00b",  # NUL: PostgreSQL refuses it in text
    "\x1b[31m\x07",
    "\u202eevil\u202c",  # bidirectional override
    "2026-02-30",
    "31/13/2026",
    "choix-inconnu",
]
# Forms whose sending changes the session itself, not data: fuzzing them would sign the
# crawler out or switch its perimeter, and prove nothing more.
EPARGNES = ("/deconnexion/", "/compte/departement/", "/mot-de-passe/modifier/")


class Formulaire:
    def __init__(self, action: str, methode: str):
        self.action, self.methode, self.champs = action, methode, []


class LecteurDePage(HTMLParser):
    """The links and forms of a page, as a browser would find them."""

    def __init__(self):
        super().__init__()
        self.liens, self.formulaires, self._courant = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.liens.append(attrs["href"])
        elif tag == "form":
            self._courant = Formulaire(attrs.get("action") or "", attrs.get("method", "get"))
            self.formulaires.append(self._courant)
        elif (
            tag in ("input", "select", "textarea")
            and self._courant
            and attrs.get("name")
            and attrs.get("type") not in ("submit", "button", "file", "image")
        ):
            self._courant.champs.append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._courant = None


def _meme_site(adresse: str) -> str | None:
    parties = urlsplit(adresse)
    if parties.scheme or parties.netloc or not parties.path.startswith("/"):
        return None
    if parties.path.startswith(("/administration/", "/static/")):
        return None
    return parties.path + (f"?{parties.query}" if parties.query else "")


def _parcourir(client) -> tuple[list[str], list[tuple[str, Formulaire]]]:
    """Pages reached by clicking from the home page, and the forms they hold."""
    vues, a_voir, formulaires = set(), deque(["/"]), []
    while a_voir and len(vues) < PAGES_PAR_ROLE:
        adresse = a_voir.popleft()
        if adresse in vues:
            continue
        vues.add(adresse)
        reponse = client.get(adresse)
        assert reponse.status_code < 500, f"{adresse} : {reponse.status_code}"
        if "text/html" not in reponse.get("Content-Type", ""):
            continue
        lecteur = LecteurDePage()
        lecteur.feed(reponse.content.decode())
        for lien in lecteur.liens:
            cible = _meme_site(urljoin(adresse, lien))
            if cible and cible not in vues and not cible.startswith(EPARGNES):
                a_voir.append(cible)
        formulaires += [(adresse, f) for f in lecteur.formulaires if f.champs]
    return sorted(vues), formulaires


def _lignes() -> int:
    """Every row of the project's tables, in one query: a refused form writes none."""
    tables = [
        m._meta.db_table
        for app in ("acteurs", "actions", "comites", "integration")
        for m in apps.get_app_config(app).get_models()
    ]
    somme = " + ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in tables)  # noqa: S608
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT {somme}")
        return curseur.fetchone()[0]


def _a_envoyer(formulaires) -> list[tuple[str, str, frozenset]]:
    """The distinct forms to fuzz, one per view, method and fields: (address, method, field
    names), the first one met; the spared ones left out."""
    distincts = {}
    for page, formulaire in formulaires:
        cible = _meme_site(urljoin(page, formulaire.action or page))
        if cible is None or cible.startswith(EPARGNES):
            continue
        noms = frozenset(nom for nom, _ in formulaire.champs if nom != "csrfmiddlewaretoken")
        methode = formulaire.methode.lower()
        vue = resolve(urlsplit(cible).path).route
        distincts.setdefault((vue, methode, noms), (cible, methode, noms))
    return sorted(distincts.values(), key=lambda f: (f[0], f[1], sorted(f[2])))


def _envoyer(client, cible: str, methode: str, noms: frozenset, valeur: str):
    donnees = {
        nom: [valeur, valeur] if rang % 3 == 2 else valeur for rang, nom in enumerate(sorted(noms))
    }  # fmt: skip  (some fields sent twice: a list)
    if methode == "post":
        return client.post(cible, donnees)
    separateur = "&" if "?" in cible else "?"
    return client.get(cible + separateur + urlencode(donnees, doseq=True))


@pytest.mark.parametrize("role", ROLES)
def test_hostile_values_in_every_reachable_form_never_answer_5xx(client, role):
    call_command("load_demo", stdout=io.StringIO())
    from acteurs.models import User

    client.raise_request_exception = False  # a server error is a finding, not a crash
    client.force_login(User.objects.get(email=f"{role}@demo.gouv.fr"))
    pages, formulaires = _parcourir(client)
    assert len(pages) > 10, f"{role} n'a atteint que {pages}"
    a_envoyer = _a_envoyer(formulaires)
    assert a_envoyer, f"{role} n'a trouvé aucun formulaire"
    erreurs = []
    for cible, methode, noms in a_envoyer:
        for valeur in HOSTILES:
            avant = _lignes()
            reponse = _envoyer(client, cible, methode, noms, valeur)
            refuse = reponse.status_code not in (301, 302, 303)
            if reponse.status_code >= 500:
                erreurs.append(f"{role} {methode} {cible} {valeur[:12]!r}")
            elif refuse and _lignes() != avant:  # refused: nothing may be written
                erreurs.append(f"{role} {cible} {valeur[:12]!r} : écrit et refusé")
    assert not erreurs, "\n".join(erreurs)
