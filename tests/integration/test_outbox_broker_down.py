"""The broker stops, someone is invited: nothing fails, nothing is lost, nothing is sent twice.

A throwaway redis-server (tests/throwaway.py: no persistence, bound to 127.0.0.1 on a free
port) is started and stopped by the test itself, so stopping it harms no one else's broker.
The fault drill tests/drills/test_redis_arrete.py plays the same outage with real processes.
"""

import time
from datetime import timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Invitation
from integration import outbox
from integration.celery import app
from integration.models import OutboxTask
from integration.tasks import send_email
from tests.throwaway import drop_connection_pool

WAIT_SECONDS = 20


def _run_worker_until(condition) -> None:
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        loglevel="WARNING",
        shutdown_timeout=10,
    ):
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.1)


def _queue_is_empty(server) -> bool:
    client = redis.Redis.from_url(server.url)
    try:
        return client.llen(app.conf.task_default_queue) == 0
    finally:
        client.close()


def _after_grace():
    return timezone.now() + timedelta(seconds=settings.OUTBOX_PENDING_GRACE + 1)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_invitation_survives_a_stopped_broker(
    client, pilotage, association, throwaway_redis, close_worker_connections
):
    mail.outbox = []
    throwaway_redis.stop()

    client.force_login(pilotage)
    response = client.post(
        reverse("acteurs:invitation_creer"),
        {"email": "nouvelle@example.fr", "acteur": association.pk, "role_membre": "lecteur"},
    )

    assert response.status_code == 302
    annonce = [str(m) for m in get_messages(response.wsgi_request)]
    assert annonce == [
        "Invitation enregistrée pour nouvelle@example.fr, mais le courriel n'a pas encore "
        "pu partir : il partira automatiquement dès que possible."
    ]
    invitation = Invitation.objects.select_related("envoi").get()
    assert invitation.envoi.status == OutboxTask.Status.PENDING
    assert mail.outbox == []
    page = client.get(reverse("acteurs:membres", args=[association.pk])).content.decode()
    assert "En attente d'envoi" in page

    throwaway_redis.start()  # empty: it kept nothing, and never had the message
    drop_connection_pool()
    assert outbox.sweep(now=_after_grace()) == 1
    row = OutboxTask.objects.get()
    assert row.status == OutboxTask.Status.SENT

    _run_worker_until(lambda: OutboxTask.objects.get().status == OutboxTask.Status.DONE)

    assert [m.to for m in mail.outbox] == [["nouvelle@example.fr"]]
    assert "/acteurs/invitation/" in mail.outbox[0].body
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 1
    page = client.get(reverse("acteurs:invitations")).content.decode()
    assert "Courriel envoyé le" in page and "En attente d'envoi" not in page

    # Sweeping again finds nothing; a stray duplicate of the message is skipped by the worker.
    assert outbox.sweep(now=_after_grace()) == 0
    finished = []

    def record(task_id=None, **kwargs):
        finished.append(task_id)

    task_postrun.connect(record, weak=False)
    try:
        send_email.apply_async(["Doublon", "Doublon", ["x@example.fr"]], task_id=str(row.task_id))
        _run_worker_until(lambda: finished)
    finally:
        task_postrun.disconnect(record)

    assert finished == [str(row.task_id)]  # the duplicate did reach the worker
    assert _queue_is_empty(throwaway_redis)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 1
