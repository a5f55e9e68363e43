"""One task through the outbox, a real broker and a real worker, sent once the transaction commits.

Needs CELERY_BROKER_URL pointing to a Redis database dedicated to tests (for instance
redis://127.0.0.1:6379/15): this test empties that database before and after it runs.
"""

import os
import time
from urllib.parse import urlsplit

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from integration.celery import app
from integration.models import OutboxTask
from integration.outbox import enqueue
from integration.tasks import send_email, send_email_with_attachment
from tests.conftest import skip_or_fail, un_seul_a_la_fois
from tests.throwaway import drop_connection_pool

WAIT_SECONDS = 20


def _dedicated_redis(url: str) -> redis.Redis:
    if urlsplit(url).scheme not in {"redis", "rediss"}:
        skip_or_fail(f"CELERY_BROKER_URL n'est pas une URL Redis : {url}")
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis ne répond pas à {url} : {exc}")
    return client


@pytest.fixture
def broker(settings, tmp_path_factory):
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        skip_or_fail("CELERY_BROKER_URL n'est pas défini : pas de courtier pour un vrai worker")
    client = _dedicated_redis(url)
    # Another worker of the run (make test) must not empty the database under this test.
    with un_seul_a_la_fois(url, tmp_path_factory):
        client.flushdb()

        saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
        # tests/conftest.py forces eager execution for every test: undo it here, on both sides.
        settings.CELERY_BROKER_URL = url
        settings.CELERY_TASK_ALWAYS_EAGER = False
        drop_connection_pool()
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        try:
            yield client
        finally:
            drop_connection_pool()
            for key, value in saved.items():
                app.conf[key] = value
            client.flushdb()
            client.close()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_email_task_runs_on_a_real_worker_after_commit(broker, close_worker_connections):
    queue = app.conf.task_default_queue
    mail.outbox = []

    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=10,
    ):
        with transaction.atomic():
            row = enqueue(
                send_email,
                "Convocation au comité de pilotage",
                "Bonjour,\n\nLe comité de pilotage se réunira le 20 juin.",
                ["partenaire@example.fr"],
            )
            # Nothing leaves before the commit: a rollback would leave no stray task.
            assert broker.llen(queue) == 0
            assert mail.outbox == []

        deadline = time.monotonic() + WAIT_SECONDS
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)

    assert len(mail.outbox) == 1, f"le worker n'a pas envoyé le message en {WAIT_SECONDS} s"
    message = mail.outbox[0]
    assert message.subject == "Convocation au comité de pilotage"
    assert message.to == ["partenaire@example.fr"]
    assert broker.llen(queue) == 0  # consumed, and acknowledged once done
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_email_with_attachment_runs_on_a_real_worker(broker, close_worker_connections):
    """The calendar invitation crosses the broker as JSON text and arrives attached."""
    mail.outbox = []
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
        shutdown_timeout=10,
    ):  # fmt: skip
        with transaction.atomic():
            row = enqueue(
                send_email_with_attachment, "Convocation", "Bonjour", ["partenaire@example.fr"],
                "invitation.ics", ics, "text/calendar; method=REQUEST",
            )  # fmt: skip
        deadline = time.monotonic() + WAIT_SECONDS
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)

    assert len(mail.outbox) == 1, f"le worker n'a pas envoyé le message en {WAIT_SECONDS} s"
    assert mail.outbox[0].attachments == [("invitation.ics", ics, "text/calendar; method=REQUEST")]
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_no_task(broker):
    queue = app.conf.task_default_queue

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(send_email, "Jamais", "Jamais envoyé.", ["personne@example.fr"])
        raise RuntimeError("annulation")

    assert broker.llen(queue) == 0
    assert not OutboxTask.objects.exists()
