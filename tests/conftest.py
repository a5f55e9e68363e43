"""Fixtures shared by the whole suite.

With REQUIRE_SERVICES=1 (as CI sets it), a test that needs PostgreSQL or Redis fails
instead of skipping when the service is missing, so CI cannot go green without them.
"""

import fcntl
import io
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.acteurs.factories import (
    ActeurFactory,
    DepartementFactory,
    HabilitationFactory,
    MembreFactory,
    UserFactory,
)
from tests.courriel import horloge, serveur_courriel  # noqa: F401 - fixtures for every test
from tests.donnees_partagees import construit_une_fois

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"
PHRASE = "phrase de passe d'essai"


def skip_or_fail(reason: str):
    """Skip locally; fail when the services are required (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@contextmanager
def un_seul_a_la_fois(ressource: str, tmp_path_factory):
    """Hold RESSOURCE (a name) alone among the workers of this run (`make test` runs
    pytest-xdist workers in parallel): the others wait at this line until it is released.

    The lock file lies beside the run's temporary folder, where every worker of the run
    finds it (and any other run of the same account, which must not flush the same
    database either)."""
    nom = re.sub(r"\W+", "-", ressource)
    with open(tmp_path_factory.getbasetemp().parent / f"verrou-{nom}", "w") as fichier:
        fcntl.flock(fichier, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fichier, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _cache_vide():
    """Every test starts with an empty cache, as a new process would. The tests' cache is
    each process's local memory; a shared one (Redis) is left alone, other runs use it."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory):
    """Tasks run in-process, e-mails stay in memory and generated files go to a temporary
    folder, whatever the environment says (passwords: tests/settings.py)."""
    from integration.celery import app

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def fichier_certificat(tmp_path_factory) -> Path:
    chemin = tmp_path_factory.mktemp("signature") / "demo.p12"
    call_command("create_demo_certificate", path=str(chemin), passphrase=PHRASE)
    return chemin


@pytest.fixture(autouse=True)
def certificat(settings, fichier_certificat) -> Path:
    """Every test signs with a demo certificate of its own, never with the project's."""
    settings.SIGNATURE_PKCS11_MODULE = ""
    settings.SIGNATURE_PKCS12_FILE = str(fichier_certificat)
    settings.SIGNATURE_PKCS12_PASSPHRASE = PHRASE
    settings.SIGNATURE_TSA_URL = ""
    settings.SIGNATURE_TRUST_ROOTS = []
    settings.SIGNATURE_TSA_TRUST_ROOTS = []
    return fichier_certificat


TRANSACTIONNELS = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _journal_videable_sur_sqlite(request):
    """Let a transactional test's flush empty the journal on SQLite.

    SQLite empties tables with DELETE, which the verrous' triggers refuse (the journal,
    a signed feuille, a closed séance…; PostgreSQL truncates). They are lifted just before
    the flush; post_migrate, which the flush sends, puts them back (integration.verrou).
    """
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    transactionnel = (marker is not None and marker.kwargs.get("transaction")) or bool(
        TRANSACTIONNELS & set(request.fixturenames)
    )
    if connection.vendor != "sqlite" or not transactionnel:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after us
    yield
    from integration import verrou

    verrou.retirer_tout(connection)


@pytest.fixture
def apres_commit(django_capture_on_commit_callbacks):
    """Run what a request defers to after its commit (tasks, e-mails), as production does.

    Tests run inside a transaction that never commits: `with apres_commit(): client.post(…)`.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


def charger_demo() -> None:
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def _demo_du_module(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from construit_une_fois(charger_demo, django_db_blocker, tmp_path_factory)


@pytest.fixture
def demo(_demo_du_module, db):
    """The demonstration data, as `make demo` loads it: loaded once for all the tests of a
    module (tests/donnees_partagees.py), each of which may change it in its own savepoint.
    The module's later tests see it too, even those that do not ask for it."""


@pytest.fixture
def seine_maritime(db):
    return DepartementFactory()


@pytest.fixture
def hautes_alpes(db):
    return DepartementFactory(hautes_alpes=True)


@pytest.fixture
def pilotage(seine_maritime):
    return HabilitationFactory(departement=seine_maritime, role="pilotage").user


@pytest.fixture
def cabinet(seine_maritime):
    return HabilitationFactory(departement=seine_maritime, role="cabinet").user


@pytest.fixture
def communication(seine_maritime):
    return HabilitationFactory(departement=seine_maritime, role="communication").user


@pytest.fixture
def lecteur(seine_maritime):
    return HabilitationFactory(departement=seine_maritime, role="lecteur").user


@pytest.fixture
def association(seine_maritime):
    return ActeurFactory(departement=seine_maritime, nom="Association Accueil Rouen")


@pytest.fixture
def partenaire(association):
    """A contributor of one association of Seine-Maritime."""
    return MembreFactory(acteur=association, role="contributeur").user


@pytest.fixture
def admin_structure(association):
    return MembreFactory(acteur=association, role="administrateur").user


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)


from tests.statiques_production import (  # noqa: E402, F401 - production static files
    statiques_collectees,
    statiques_de_production,
)
