"""Fixtures shared by the project-level tests: login throttling, and a real Celery worker
run in a thread of the test process."""

import pytest
from axes.utils import reset
from celery.signals import task_postrun
from django.db import connections

from tests.integration.documents_signes import (  # noqa: F401 - the signature tests' fixtures
    document_signe,
    pdf_signe,
    rendu_essai,
    type_signe,
)
from tests.integration.horodatage import service_horodatage  # noqa: F401 - a fixture
from tests.throwaway import throwaway_redis  # noqa: F401 - the broker outage test's fixture


@pytest.fixture
def axes_reset(db):
    """Each test starts and ends with no recorded login failure."""
    reset()
    yield
    reset()


def _close_thread_connections(**kwargs):
    connections.close_all()


@pytest.fixture
def close_worker_connections():
    """A worker thread's database connection would outlive the test and block its teardown.

    Django's connections belong to the thread that opened them: the worker's thread closes
    its own after every task, since nothing else can.
    """
    task_postrun.connect(_close_thread_connections, weak=False)
    yield
    task_postrun.disconnect(_close_thread_connections)
