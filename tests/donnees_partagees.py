"""Data built once for all the tests of a module, as Django's TestCase.setUpTestData does.

A module whose tests only read the same world (an access matrix's cast and objects, the
demonstration data) builds it once instead of once per test:

    def creer_monde():
        ...  # factories, services: anything a test could do
        return SimpleNamespace(...)

    _donnees_du_module, monde = une_fois_par_module(creer_monde)

The world is built inside a transaction opened before the module's first test and rolled
back after its last, so nothing outlives the module. Each test runs, as usual, in a
savepoint of its own, rolled back at its end: what a test writes never reaches the next
one. Each test gets a deep copy of the Python objects, so what it changes in memory (a
`refresh_from_db()`, a cached profile) does not either.

Only tests that run in a transaction may use it (not `transactional_db`, nor
`live_server`): those empty the tables between tests.
"""

import copy
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings


@contextmanager
def _transaction_du_module(django_db_blocker):
    """An atomic block that the tests' own atomic blocks nest in, rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As Django marks its TestCase blocks, so that a durable block may still open inside.
        atomic._from_testcase = True
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def construit_une_fois(construire, django_db_blocker, tmp_path_factory):
    """A module-scoped fixture's body: yield what CONSTRUIRE() returns, built in the module's
    transaction with the settings every test has (tests/conftest.py's _test_settings, the
    rest being in tests/settings.py): tasks in-process, files in a temporary folder."""
    from integration.celery import app

    app.conf.task_always_eager = True
    medias = tmp_path_factory.mktemp("media")
    with _transaction_du_module(django_db_blocker):
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=medias, CELERY_TASK_ALWAYS_EAGER=True),
        ):
            donnees = construire()
        yield donnees


def une_fois_par_module(construire: Callable[[], object]):
    """The two fixtures that give every test of the module a copy of what CONSTRUIRE()
    returned, built once: assign them to `_donnees_du_module` and the name the tests use."""

    @pytest.fixture(scope="module", name="_donnees_du_module")
    def donnees_du_module(django_db_setup, django_db_blocker, tmp_path_factory):
        yield from construit_une_fois(construire, django_db_blocker, tmp_path_factory)

    @pytest.fixture
    def copie(_donnees_du_module, db):
        return copy.deepcopy(_donnees_du_module)

    return donnees_du_module, copie
