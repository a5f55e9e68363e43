"""Fixtures of the tests that run a real Celery worker in a thread of the test process."""

import pytest
from celery.signals import task_postrun
from django.db import connections


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
