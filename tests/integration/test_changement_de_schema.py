"""A schema change never meets a trigger: one more column on every model that carries a
verrou migrates, on SQLite (the embedded default, where the table is rebuilt) and on
PostgreSQL, a new database as well as the demo database with its data; and afterwards the
freeze and the append-only refusals still hold.

The repository is copied to a temporary folder, its models patched, and makemigrations,
migrate, load_demo and the verrous' own tests run there in subprocesses. On PostgreSQL the
databases are scratch ones, named after the test database (parallel runs never collide),
created and dropped here.
"""

import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from integration import verrou
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.migrations

RACINE = Path(settings.BASE_DIR)
IGNORES = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.sqlite3", "media", "test-results", "node_modules",
    ".ruff_cache", ".import_linter_cache",
)  # fmt: skip
# Not null with a default: SQLite adds it by rebuilding the table, the case that broke.
COLONNE = 'models.PositiveSmallIntegerField("colonne d\'essai", default=0)'
CONTROLE = "from tests.integration.controle_verrous import main; main()"
TESTS_DES_VERROUS = ["tests/integration/test_verrous.py", "tests/actions/test_verrou.py"]


def modeles_verrouilles() -> list:
    """Every model whose table carries a verrou (many-to-many tables come with theirs)."""
    tables = {regle.table for v in verrou.declares() for regle in v.regles}
    return [modele for modele in apps.get_models() if modele._meta.db_table in tables]


def ajouter_une_colonne(depot: Path) -> set[str]:
    """Add COLONNE to every locked model of the copy; the apps touched."""
    par_module = defaultdict(list)
    for modele in modeles_verrouilles():
        par_module[modele.__module__].append(modele.__name__)
    for module, noms in par_module.items():
        chemin = depot / (module.replace(".", "/") + ".py")
        ajout = "".join(f'\n{nom}.add_to_class("colonne_essai", {COLONNE})' for nom in noms)
        chemin.write_text(chemin.read_text() + "\n" + ajout + "\n")
    return {module.split(".")[0] for module in par_module}


def lancer(depot: Path, url: str, *arguments: str) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {"DATABASE_URL": url, "PRODUCTION": "false"}
    fini = subprocess.run(  # noqa: S603 - our own interpreter on our own copy
        [sys.executable, *arguments], cwd=depot, env=env, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    sortie = fini.stdout + fini.stderr
    assert fini.returncode == 0, f"{' '.join(arguments)} a échoué :\n{sortie[-4000:]}"
    return sortie


# --- The databases -------------------------------------------------------------------------


def _postgresql():
    """Create and drop scratch databases next to the test database."""
    import psycopg

    if connection.vendor != "postgresql":
        skip_or_fail("PostgreSQL n'est pas la base de cette suite")
    reglages = connection.settings_dict
    base = reglages["TEST"].get("NAME") or f"test_{reglages['NAME']}"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base += f"_{os.environ['PYTEST_XDIST_WORKER']}"
    acces = {"host": reglages["HOST"] or "127.0.0.1", "port": reglages["PORT"] or 5432,
             "user": reglages["USER"], "password": reglages["PASSWORD"] or None}  # fmt: skip
    demo, neuve = f"{base}_schema_demo", f"{base}_schema_neuve"
    # pytest-django names its own test database after the URL's: test_<neuve>.
    a_effacer = [demo, neuve, f"test_{neuve}"]
    serveur = psycopg.connect(dbname="postgres", autocommit=True, **acces)

    def effacer():
        for nom in a_effacer:
            serveur.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')

    effacer()
    serveur.execute(f'CREATE DATABASE "{demo}"')
    motdepasse = f":{acces['password']}" if acces["password"] else ""
    url = f"postgres://{acces['user']}{motdepasse}@{acces['host']}:{acces['port']}/"
    return url + demo, url + neuve, effacer


@pytest.fixture(params=["sqlite", "postgresql"])
def bases(request, tmp_path):
    """(URL of the demo database, URL of a new one) on each database engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'demo.sqlite3'}", f"sqlite:///{tmp_path / 'neuve.sqlite3'}"
        return
    demo, neuve, effacer = _postgresql()
    try:
        yield demo, neuve
    finally:
        effacer()


def test_une_colonne_de_plus_migre_et_les_verrous_tiennent(bases, tmp_path):
    demo, neuve = bases
    depot = tmp_path / "depot"
    shutil.copytree(RACINE, depot, ignore=IGNORES)
    lancer(depot, demo, "manage.py", "migrate", "--no-input", "-v0")
    lancer(depot, demo, "manage.py", "load_demo")

    apps_touchees = ajouter_une_colonne(depot)
    assert apps_touchees == {"actions", "comites", "integration"}
    creees = lancer(depot, demo, "manage.py", "makemigrations", "--no-input")
    assert all(f"Migrations for '{app}'" in creees for app in apps_touchees), creees

    # The demo database, with its data, upgraded; its verrous hold.
    lancer(depot, demo, "manage.py", "migrate", "--no-input", "-v0")
    assert "refus vérifiés" in lancer(depot, demo, "manage.py", "shell", "-c", CONTROLE)
    # A new database migrated from zero (pytest-django's), and the verrous' own tests on it.
    resultat = lancer(depot, neuve, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                      *TESTS_DES_VERROUS)  # fmt: skip
    assert " passed" in resultat and "skipped" not in resultat, resultat[-2000:]
