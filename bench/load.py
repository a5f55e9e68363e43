"""How the main pages hold under load, on data at national scale.

    .venv/bin/python bench/load.py --generer --departements 3 --users 1,8
    .venv/bin/python bench/load.py --base banc_charge --users 1,8,32

Run from the repository root, PostgreSQL at hand (`--serveur`, by default
postgres://postgres@127.0.0.1:5432). The database named by `--base` holds data made by
`manage.py generate_scale_data`; with `--generer` the bench creates it if missing, migrates
it and generates `--departements` départements (a second run adds only the missing ones).

It starts gunicorn on 127.0.0.1 (a free port; DEBUG off, persistent database connections,
`--workers` workers, of the class and threads of integration/gunicorn_conf.py unless
`--threads` says otherwise) and sends requests to it alone, bounded in count and time:

1. Per page, alone: `--essais` (3) rounds of `--requetes` (5) requests one after the other,
   after a warm-up; the CPU the gunicorn workers and the PostgreSQL backends spent (from
   /proc, the backends found through pg_stat_activity), per request, median of the rounds;
   the page's size; its queries, counted once through Django's test client
   (CaptureQueriesContext). Each page's CPU is also given as a ratio to the actors list's,
   read round by round: each round of a page is followed by a round of the actors list,
   and the ratio is the median of the rounds' ratios (the machine's speed drifts by a
   quarter within minutes on shared hosts; measured minutes apart, the two sides of a
   ratio did not see the same machine).
   `--seules TEXT` measures alone only the pages whose key holds TEXT, and the two
   baselines (the load still sends every page).
2. Each page alone under load: `--seule-sous-charge` (8) closed-loop users all asking for
   that page, `--duree-seule` seconds, `--essais` times: requests per second, p50, p95
   and p99, CPU per request, errors; medians of the runs (0 leaves this part out). What
   the page costs its users when the queue holds only itself, not the national exports.
3. Under load, every page mixed: closed-loop users (each sends its next request when the
   last one answers) at each level of `--users`, each user with the pages of one role in
   turn (pilotage, partenaire, cabinet, lecteur régional, lecteur national) and /healthz
   among them, for `--duree` seconds (at most `--max-requetes`), `--essais` times (one
   user is a pilotage user; eight cover every role): requests per second, p50, p95 and
   p99 per page, CPU per request; medians of the runs. Before each run (here as in 2.)
   the bench waits for the workers to be idle; the requests still in flight when the
   time is up are counted and reported, and their CPU is in the run's.

It prints French tables, then, on the last line, one JSON object with the same figures.
The baselines are /healthz (the framework alone) and the actors list (a plain list page).
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

RACINE = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
BASE_PAR_DEFAUT = "banc_charge"
# The baselines every page is compared with.
SANTE = "anonyme:healthz"
LISTE_ACTEURS = "pilotage:acteurs"


# --- Environment, database, server -------------------------------------------------------


def _environnement(url_base: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="integration.settings",
        PRODUCTION="false",
        DEBUG="false",  # as in production: no query log, no debug pages
        DATABASE_URL=url_base,
        CONN_MAX_AGE="600",  # persistent connections, as in production
        ALLOWED_HOSTS="127.0.0.1,testserver",
    )
    return env


def _preparer_base(serveur: str, base: str, departements: int) -> None:
    """Create the database if missing, migrate it, generate the départements missing."""
    import psycopg

    with psycopg.connect(f"{serveur}/postgres", autocommit=True) as connexion:
        existe = connexion.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [base]
        ).fetchone()
        if not existe:
            connexion.execute(f'CREATE DATABASE "{base}"')
    env = _environnement(f"{serveur}/{base}")
    manage = [sys.executable, str(RACINE / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=RACINE, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 - our own command
        [*manage, "generate_scale_data", "--departements", str(departements)],
        env=env,
        cwd=RACINE,
        check=True,
    )


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _demarrer_gunicorn(env: dict, workers: int, threads: int | None):
    port = _port_libre()
    processus = subprocess.Popen(  # noqa: S603 - gunicorn, on the loopback only
        [
            sys.executable,
            "-m",
            "gunicorn",
            "integration.wsgi",
            "--config",
            "python:integration.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(["--threads", str(threads)] if threads else []),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=RACINE,
    )
    limite = time.monotonic() + 30
    while time.monotonic() < limite:
        try:
            statut, _, _ = _get(port, "/healthz", {})
            if statut == 200:
                return processus, port
        except OSError:
            time.sleep(0.2)
    processus.terminate()
    raise SystemExit("gunicorn n'a pas répondu en 30 s.")


def _get(port: int, chemin: str, cookies: dict) -> tuple[int, int, float]:
    """One GET: status, bytes of the body, seconds."""
    connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    entetes = {"Host": "127.0.0.1"}
    if cookies:
        entetes["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    debut = time.perf_counter()
    try:
        connexion.request("GET", chemin, headers=entetes)
        reponse = connexion.getresponse()
        corps = reponse.read()
    finally:
        connexion.close()
    return reponse.status, len(corps), time.perf_counter() - debut


# --- CPU from /proc ------------------------------------------------------------------------


def _cpu_secondes(pid: int) -> float:
    """User + system CPU of a process, 0 when it is gone."""
    try:
        champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(champs[11]) + int(champs[12])) / TICKS  # utime, stime (fields 14 and 15)


def _enfants(pid: int) -> list[int]:
    enfants = []
    for tache in Path(f"/proc/{pid}/task").iterdir():
        enfants += [int(p) for p in (tache / "children").read_text().split()]
    return enfants


@dataclass
class Compteurs:
    """The CPU of the gunicorn workers and of the database backends that serve them."""

    maitre: int
    base: str

    def backends(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as curseur:
            curseur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.base],
            )
            return [pid for (pid,) in curseur.fetchall()]

    def releve(self) -> dict[str, dict[int, float]]:
        return {
            "app": {pid: _cpu_secondes(pid) for pid in _enfants(self.maitre)},
            "pg": {pid: _cpu_secondes(pid) for pid in self.backends()},
        }

    @staticmethod
    def ecart(avant: dict, apres: dict) -> dict[str, float]:
        """CPU spent between two readings; a process born in between counts from zero."""
        return {
            cle: sum(cpu - avant[cle].get(pid, 0.0) for pid, cpu in apres[cle].items())
            for cle in ("app", "pg")
        }

    def attendre_le_repos(self, seuil: float = 0.02, limite: float = 15.0) -> float:
        """Wait until the workers spend under SEUIL of a core for 0.3 s; the wait's length."""
        debut = time.monotonic()
        while time.monotonic() - debut < limite:
            avant = self.releve()
            time.sleep(0.3)
            if sum(self.ecart(avant, self.releve()).values()) < seuil * 0.3:
                break
        return time.monotonic() - debut


# --- The pages -----------------------------------------------------------------------------


@dataclass
class Role:
    nom: str
    email: str | None
    pages: dict[str, str]  # name -> path
    cookies: dict = field(default_factory=dict)


def _roles() -> list[Role]:
    """Each role's main pages, on the first generated département."""
    from django.urls import reverse

    from acteurs.models import Departement, Membre
    from actions.models import Action, FeuilleDeRoute
    from comites.models import Seance
    from portal.echelle import courriel

    departement = Departement.objects.order_by("code").first()
    if departement is None:
        raise SystemExit("La base ne contient aucun département : lancez avec --generer.")
    code = departement.code.lower()
    signee = FeuilleDeRoute.objects.get(departement=departement, statut="signee")
    action = Action.objects.filter(feuille=signee).order_by("pk").first()
    brouillon = (
        Action.objects.filter(
            feuille__departement=departement, statut="brouillon", feuille__statut="brouillon"
        )
        .order_by("pk")
        .first()
    )
    seance = (
        Seance.objects.filter(instance__departement=departement, statut="close")
        .order_by("pk")
        .first()
    )
    partenaire = courriel(f"partenaire1.{code}")
    structure = Membre.objects.filter(user__email=partenaire).order_by("pk").first().acteur_id
    r = reverse
    listes = {
        "accueil": r("tableau_de_bord"),
        "acteurs": r("acteurs:liste"),
        "actions": r("actions:liste"),
        "tableau_de_bord": r("actions:tableau_de_bord"),
    }
    return [
        Role("anonyme", None, {"healthz": r("healthz")}),
        Role(
            "pilotage",
            courriel(f"pilotage.{code}"),
            {
                **listes,
                "acteur": r("acteurs:detail", args=[structure]),
                "acteur_formulaire": r("acteurs:creer"),
                "feuille": r("actions:feuille", args=[signee.pk]),
                "action": r("actions:detail", args=[action.pk]),
                "action_formulaire": r("actions:modifier", args=[brouillon.pk]),
                "comites": r("comites:index"),
                "seance": r("comites:seance", args=[seance.pk]),
                "instance": r("comites:instance", args=[seance.instance_id]),
                "export_acteurs": r("acteurs:exporter") + "?format=csv",
                "export_actions": r("actions:exporter") + "?format=csv",
            },
        ),
        Role(
            "partenaire",
            partenaire,
            {
                "accueil": listes["accueil"],
                "acteurs": listes["acteurs"],
                "actions": listes["actions"],
                "acteur": r("acteurs:detail", args=[structure]),
                "action": r("actions:detail", args=[action.pk]),
                "agenda": r("comites:agenda"),
            },
        ),
        Role(
            "cabinet",
            courriel(f"cabinet.{code}"),
            {
                "accueil": listes["accueil"],
                "feuille": r("actions:feuille", args=[signee.pk]),
                "tableau_de_bord": listes["tableau_de_bord"],
            },
        ),
        Role(
            "lecteur_regional",
            courriel(f"lecteur.region.{departement.region}"),
            {
                "accueil": listes["accueil"],
                "actions": listes["actions"],
                "tableau_de_bord": listes["tableau_de_bord"],
            },
        ),
        Role(
            "lecteur_national",
            courriel("lecteur.national"),
            {
                **listes,
                "plan": r("actions:index"),
                "comites": r("comites:index"),
                "export_actions": r("actions:exporter") + "?format=csv",
                "export_actions_xlsx": r("actions:exporter") + "?format=xlsx",
            },
        ),
    ]


def _connecter(roles: list[Role]) -> None:
    """A session per role, made as a login would make it (in the database the server reads)."""
    from django.conf import settings
    from django.test import Client

    from acteurs.models import User

    for role in roles:
        if role.email:
            client = Client()
            client.force_login(User.objects.get(email=role.email))
            role.cookies = {
                settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
            }


def _requetes_sql(roles: list[Role]) -> dict[str, int]:
    """Each page's queries, counted once through the test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    nombres = {}
    for role in roles:
        client = Client(HTTP_HOST="127.0.0.1")
        for nom, valeur in role.cookies.items():
            client.cookies[nom] = valeur
        for page, chemin in role.pages.items():
            client.get(chemin)  # warm: per-process caches, as a running worker has them
            with CaptureQueriesContext(connection) as requetes:
                client.get(chemin)
            nombres[f"{role.nom}:{page}"] = len(requetes)
    return nombres


# --- Measuring ----------------------------------------------------------------------------


def centile(valeurs: list[float], rang: float) -> float:
    """The nearest-rank percentile (rang in 0–100) of VALEURS."""
    ordonnees = sorted(valeurs)
    if not ordonnees:
        return float("nan")
    indice = max(0, min(len(ordonnees) - 1, -(-rang * len(ordonnees) // 100) - 1))
    return ordonnees[int(indice)]


def _essai(port, compteurs, role, chemin, requetes) -> tuple[dict, list[float], int, int]:
    """REQUETES requests of CHEMIN after the workers are idle: (CPU per request, app and
    PostgreSQL), their durations, the last status and size."""
    compteurs.attendre_le_repos()
    avant = compteurs.releve()
    durees, statut, octets = [], 0, 0
    for _ in range(requetes):
        statut, octets, duree = _get(port, chemin, role.cookies)
        durees.append(duree)
    ecart = compteurs.ecart(avant, compteurs.releve())
    return {c: ecart[c] / requetes for c in ("app", "pg")}, durees, statut, octets


def _page_seule(port, compteurs, role, chemin, requetes, essais, temoin=None) -> dict:
    """ESSAIS trials of the page alone. With TEMOIN (the actors list's role and path),
    each trial is followed by one of the actors list, and the page's ratio to it is read
    trial by trial (`rapport_par_essai`): a machine whose speed drifts while the pages are
    measured one after the other moves both sides of each ratio alike."""
    _get(port, chemin, role.cookies)  # warm-up
    cpu_app, cpu_pg, durees, rapports, statut, octets = [], [], [], [], 0, 0
    for _ in range(essais):
        cpu, temps, statut, octets = _essai(port, compteurs, role, chemin, requetes)
        cpu_app.append(cpu["app"])
        cpu_pg.append(cpu["pg"])
        durees += temps
        if temoin:
            reference, *_ = _essai(port, compteurs, *temoin, requetes)
            rapports.append((cpu["app"] + cpu["pg"], reference["app"] + reference["pg"]))
    mesure = {
        "statut": statut,
        "octets": octets,
        "secondes": statistics.median(durees),
        "cpu_app": statistics.median(cpu_app),
        "cpu_pg": statistics.median(cpu_pg),
        "essais": essais,
    }
    if rapports:
        mesure["ratio_liste_acteurs"] = rapport_par_essai(rapports)
    return mesure


def rapport_par_essai(essais: list[tuple[float, float]]) -> float | None:
    """The median of (a page's CPU / the actors list's CPU just after), trial by trial."""
    rapports = [page / reference for page, reference in essais if reference]
    return statistics.median(rapports) if rapports else None


def parcours_des_roles(roles):
    """What user N sends in the mixed run: the pages of one role (each role in turn over
    the users), and /healthz among them."""
    connectes = [r for r in roles if r.email]
    sante = next(r for r in roles if not r.email)

    def parcours(numero: int) -> list[tuple[str, str, dict]]:
        role = connectes[numero % len(connectes)]
        pages = [(f"{role.nom}:{p}", c, role.cookies) for p, c in role.pages.items()]
        return [*pages, (SANTE, sante.pages["healthz"], {})]

    return parcours


def une_page(cle: str, chemin: str, cookies: dict):
    """What every user sends when one page is measured alone under load: that page."""
    return lambda _numero: [(cle, chemin, cookies)]


def _charge(port, compteurs, parcours, utilisateurs, duree, max_requetes) -> dict:
    """One closed-loop run: UTILISATEURS threads, user N sending the pages of PARCOURS(N)
    (key, path, cookies) in turn."""
    attente = compteurs.attendre_le_repos()
    temps: dict[str, list[float]] = {}
    erreurs = 0
    envoyees = 0
    verrou = threading.Lock()
    arret = threading.Event()
    en_vol = [0]

    def utilisateur(numero: int) -> None:
        nonlocal erreurs, envoyees
        pages = parcours(numero)
        rang = numero  # users do not all start on the same page
        while not arret.is_set():
            with verrou:
                if envoyees >= max_requetes:
                    arret.set()
                    return
                envoyees += 1
                en_vol[0] += 1
            cle, chemin, cookies = pages[rang % len(pages)]
            rang += 1
            try:
                statut, _, secondes = _get(port, chemin, cookies)
            except OSError:
                statut, secondes = 0, 0.0
            with verrou:
                en_vol[0] -= 1
                if statut == 200:
                    temps.setdefault(cle, []).append(secondes)
                else:
                    erreurs += 1

    fils = [threading.Thread(target=utilisateur, args=(n,)) for n in range(utilisateurs)]
    avant = compteurs.releve()
    debut = time.perf_counter()
    for f in fils:
        f.start()
    arret.wait(duree)
    arret.set()
    ecoule = time.perf_counter() - debut
    with verrou:
        restantes = en_vol[0]
    for f in fils:
        f.join()
    ecart = compteurs.ecart(avant, compteurs.releve())
    total = sum(len(t) for t in temps.values()) + erreurs
    return {
        "requetes": total,
        "secondes": ecoule,
        "en_vol_a_l_arret": restantes,
        "erreurs": erreurs,
        "attente_repos": attente,
        "cpu_app": ecart["app"] / max(total, 1),
        "cpu_pg": ecart["pg"] / max(total, 1),
        "temps": temps,
    }


def _synthese_charge(runs: list[dict]) -> dict:
    """The medians of the runs of one level: overall, then per page."""
    pages = sorted({cle for run in runs for cle in run["temps"]})
    par_page = {}
    for cle in pages:
        par_run = [run["temps"].get(cle, []) for run in runs]
        par_page[cle] = {
            f"p{rang}": statistics.median(centile(t, rang) for t in par_run if t)
            for rang in (50, 95, 99)
        }
        par_page[cle]["requetes"] = sum(len(t) for t in par_run)
    return {
        "rps": statistics.median(
            (r["requetes"] - r["en_vol_a_l_arret"]) / r["secondes"] for r in runs
        ),
        "cpu_app": statistics.median(r["cpu_app"] for r in runs),
        "cpu_pg": statistics.median(r["cpu_pg"] for r in runs),
        "en_vol_a_l_arret": max(r["en_vol_a_l_arret"] for r in runs),
        "erreurs": sum(r["erreurs"] for r in runs),
        "essais": len(runs),
        "pages": par_page,
    }


# --- The report ---------------------------------------------------------------------------


def _ms(secondes: float) -> str:
    return f"{secondes * 1000:.1f}"


def _arrondi(valeur):
    if isinstance(valeur, float):
        return round(valeur, 5)
    if isinstance(valeur, dict):
        return {k: _arrondi(v) for k, v in valeur.items()}
    return valeur


def _sous_charge_par_page(runs_par_page: dict[str, list[dict]]) -> dict:
    """Each page alone under load: its runs' medians (requests per second, centiles, CPU
    per request) and their errors."""
    resultats = {}
    for cle, runs in runs_par_page.items():
        niveau = _synthese_charge(runs)
        centiles = niveau["pages"].get(cle, {"p50": None, "p95": None, "p99": None})
        resultats[cle] = {
            "rps": niveau["rps"],
            **{rang: centiles[rang] for rang in ("p50", "p95", "p99")},
            "cpu_app": niveau["cpu_app"],
            "cpu_pg": niveau["cpu_pg"],
            "erreurs": niveau["erreurs"],
        }
    return resultats


def _imprimer_sous_charge(sous_charge: dict) -> None:
    pages = sous_charge["pages"]
    print(f"\nChaque page seule sous charge ({sous_charge['utilisateurs']} utilisateurs)")
    entete = (
        f"{'Page':<34}{'req./s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'CPU app ms':>11}{'CPU PG ms':>10}{'erreurs':>8}"
    )
    print(entete)
    print("-" * len(entete))
    for cle, m in sorted(pages.items()):
        centiles = "".join(
            f"{_ms(m[rang]):>9}" if m[rang] is not None else f"{'—':>9}"
            for rang in ("p50", "p95", "p99")
        )
        print(
            f"{cle:<34}{m['rps']:>8.1f}{centiles}{_ms(m['cpu_app']):>11}"
            f"{_ms(m['cpu_pg']):>10}{m['erreurs']:>8}"
        )


def _rapport(pages: dict, charges: dict, contexte: dict, sous_charge: dict | None = None) -> dict:
    """Print the tables; the last line is one JSON object with the same figures."""
    reference = pages[LISTE_ACTEURS]
    cpu_reference = reference["cpu_app"] + reference["cpu_pg"]
    for mesure in pages.values():
        mesure["cpu_total"] = mesure["cpu_app"] + mesure["cpu_pg"]
        if "ratio_liste_acteurs" not in mesure:  # not read trial by trial
            mesure["ratio_liste_acteurs"] = (
                mesure["cpu_total"] / cpu_reference if cpu_reference else None
            )
    print("Banc de charge — pages principales (gunicorn, PostgreSQL)\n")
    print(
        f"{contexte.get('departements', '?')} départements en base ; {contexte.get('workers')} "
        f"workers gunicorn ; machine : {contexte.get('machine', '?')}\n"
    )
    entete = (
        f"{'Page':<34}{'Statut':>7}{'Requêtes SQL':>13}{'Octets':>10}{'ms':>8}"
        f"{'CPU app ms':>11}{'CPU PG ms':>10}{'× liste':>9}"
    )
    print("Chaque page seule (médiane des essais)")
    print(entete)
    print("-" * len(entete))
    for cle, m in sorted(pages.items()):
        ratio = (
            f"{m['ratio_liste_acteurs']:>9.2f}"
            if m["ratio_liste_acteurs"] is not None
            else f"{'—':>9}"
        )
        print(
            f"{cle:<34}{m['statut']:>7}{m.get('requetes_sql', '—'):>13}{m['octets']:>10}"
            f"{_ms(m['secondes']):>8}{_ms(m['cpu_app']):>11}{_ms(m['cpu_pg']):>10}{ratio}"
        )
    if sous_charge:
        _imprimer_sous_charge(sous_charge)
    for utilisateurs, c in charges.items():
        print(
            f"\n{utilisateurs} utilisateur(s), toutes les pages mêlées : {c['rps']:.1f} "
            "requêtes/s ; CPU par requête "
            f"{_ms(c['cpu_app'])} ms (gunicorn) + {_ms(c['cpu_pg'])} ms (PostgreSQL) ; "
            f"{c['en_vol_a_l_arret']} requête(s) en vol à l'arrêt ; {c['erreurs']} erreur(s)"
        )
        print(f"{'Page':<34}{'Requêtes':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for cle, p in sorted(c["pages"].items()):
            print(
                f"{cle:<34}{p['requetes']:>9}{_ms(p['p50']):>9}{_ms(p['p95']):>9}{_ms(p['p99']):>9}"
            )
    print()
    print("CPU app : temps processeur des workers gunicorn ; CPU PG : celui des processus")
    print("PostgreSQL qui les servent (/proc) ; × liste : CPU de la page / CPU de la liste des")
    print("acteurs mesurée juste après, médiane des essais. Les centiles incluent l'attente")
    print("dans la file de gunicorn.")
    sortie = {"pages": pages, "charge": {str(k): v for k, v in charges.items()}}
    if sous_charge:
        sortie["seule_sous_charge"] = sous_charge
    sortie = _arrondi(sortie | {"contexte": contexte})
    print(json.dumps(sortie, ensure_ascii=False))
    return sortie


# --- The run ------------------------------------------------------------------------------


def _pages_mesurees(roles, seules: str):
    """(key, role, path) of the pages measured alone: those whose key holds SEULES, and
    the two baselines always."""
    for role in roles:
        for page, chemin in role.pages.items():
            cle = f"{role.nom}:{page}"
            if seules in cle or cle in (SANTE, LISTE_ACTEURS):
                yield cle, role, chemin


def _arguments(argv=None):
    parser = argparse.ArgumentParser(description="Banc de charge des pages principales.")
    parser.add_argument("--serveur", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--base", default=BASE_PAR_DEFAUT, help="Base des données générées.")
    parser.add_argument("--generer", action="store_true", help="Créer et remplir la base.")
    parser.add_argument("--departements", type=int, default=3)
    parser.add_argument("--users", default="1,8,32", help="Niveaux de charge, par exemple 1,8.")
    parser.add_argument("--duree", type=float, default=5.0, help="Secondes par essai de charge.")
    parser.add_argument("--max-requetes", type=int, default=3000, help="Par essai de charge.")
    parser.add_argument("--requetes", type=int, default=5, help="Par page seule et par essai.")
    parser.add_argument("--essais", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, help="Fils par worker (sinon ceux du réglage).")
    parser.add_argument(
        "--seules", default="", help="Mesurer seules les pages dont la clé contient ce texte."
    )
    parser.add_argument(
        "--seule-sous-charge",
        type=int,
        default=8,
        help="Utilisateurs envoyant chacun la même page, page par page (0 : pas de telle charge).",
    )
    parser.add_argument(
        "--duree-seule", type=float, default=2.0, help="Secondes par essai d'une page sous charge."
    )
    return parser.parse_args(argv)


def principal(argv=None) -> None:
    args = _arguments(argv)
    if urlsplit(args.serveur).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit("Le banc ne s'adresse qu'à une base locale (127.0.0.1).")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.base):
        raise SystemExit("Nom de base invalide : lettres minuscules, chiffres et « _ ».")
    if args.generer:
        _preparer_base(args.serveur, args.base, args.departements)
    env = _environnement(f"{args.serveur}/{args.base}")
    os.environ.update(env)
    sys.path.insert(0, str(RACINE))
    import django

    django.setup()
    from acteurs.models import Departement

    roles = _roles()
    _connecter(roles)
    requetes_sql = _requetes_sql(roles)
    serveur, port = _demarrer_gunicorn(env, args.workers, args.threads)
    try:
        compteurs = Compteurs(serveur.pid, args.base)
        pages, runs_par_page = {}, {}
        role_temoin, page_temoin = LISTE_ACTEURS.split(":")
        temoin = next((r, r.pages[page_temoin]) for r in roles if r.nom == role_temoin)
        for cle, role, chemin in _pages_mesurees(roles, args.seules):
            pages[cle] = _page_seule(
                port, compteurs, role, chemin, args.requetes, args.essais,
                temoin=None if cle == LISTE_ACTEURS else temoin,
            )  # fmt: skip
            pages[cle]["requetes_sql"] = requetes_sql[cle]
        # Each page alone under load: what one page costs its users when everyone asks for
        # it, without the national exports of the mixed run ahead of it in the queue.
        if args.seule_sous_charge:
            for cle, role, chemin in _pages_mesurees(roles, args.seules):
                runs_par_page[cle] = [
                    _charge(
                        port, compteurs, une_page(cle, chemin, role.cookies),
                        args.seule_sous_charge, args.duree_seule, args.max_requetes,
                    )
                    for _ in range(args.essais)
                ]  # fmt: skip
        charges = {}
        for utilisateurs in [int(n) for n in args.users.split(",")]:
            runs = [
                _charge(
                    port, compteurs, parcours_des_roles(roles), utilisateurs, args.duree,
                    args.max_requetes,
                )
                for _ in range(args.essais)
            ]  # fmt: skip
            charges[utilisateurs] = _synthese_charge(runs)
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
    contexte = {
        "departements": Departement.objects.count(),
        "workers": args.workers,
        "threads": args.threads,
        "machine": f"{os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.2f} au départ",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    sous_charge = None
    if runs_par_page:
        sous_charge = {
            "utilisateurs": args.seule_sous_charge,
            "duree": args.duree_seule,
            "pages": _sous_charge_par_page(runs_par_page),
        }
    _rapport(pages, charges, contexte, sous_charge)


if __name__ == "__main__":
    principal()
