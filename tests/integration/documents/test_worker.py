"""A document produced by a real Celery worker on Redis, after the commit."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from integration.celery import app
from integration.documents import services
from integration.models import DocumentRequest, OutboxTask
from tests.integration.documents.conftest import CODE
from tests.integration.test_celery_worker import broker  # noqa: F401 (fixture)
from tests.poppler import poppler

WAIT_SECONDS = 60


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_produces_the_document(broker, close_worker_connections,  # noqa: F811
                                             seine_maritime, autorise):  # fmt: skip
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
        shutdown_timeout=30,
    ):  # fmt: skip
        with transaction.atomic():
            document = services.demander(CODE, seine_maritime, by=autorise)
            assert broker.llen(app.conf.task_default_queue) == 0  # not before the commit

        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if not document.is_active:
                break
            time.sleep(0.2)

    assert document.status == DocumentRequest.Status.DONE, document.error
    assert "Fiche d'essai de la Seine-Maritime" in poppler("pdftotext", document.file.read())
    assert OutboxTask.objects.get().status == OutboxTask.Status.DONE
