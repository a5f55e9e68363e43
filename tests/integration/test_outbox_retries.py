"""An SMTP outage, a lost message, a database hiccup: every e-mail still leaves, once.

The sweep is driven by a fake clock (`Horloge`): a day of outage passes in a second.
"""

import itertools
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from integration import outbox
from integration.models import OutboxTask
from integration.tasks import send_email
from tests.courriel import balayer_pendant

pytestmark = pytest.mark.django_db

MESSAGE = ("Convocation", "Le comité se réunira le 20 juin.", ["partenaire@example.fr"])


def _envoyer(django_capture_on_commit_callbacks) -> OutboxTask:
    with django_capture_on_commit_callbacks(execute=True):
        return outbox.enqueue(send_email, *MESSAGE)


def test_an_smtp_outage_of_hours_delivers_each_e_mail_exactly_once(
    serveur_courriel, horloge, django_capture_on_commit_callbacks
):
    serveur_courriel.pannes = 15  # the first try and fourteen retries fail: about nine hours
    debut = horloge.maintenant
    row = _envoyer(django_capture_on_commit_callbacks)

    balayer_pendant(horloge, timedelta(hours=25))

    assert [m.subject for m in mail.outbox] == ["Convocation"]
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 16
    # Growing delays: a minute, then two, four… at most an hour between two tries.
    ecarts = [(b - a).total_seconds() for a, b in itertools.pairwise(serveur_courriel.essais)]
    assert ecarts == sorted(ecarts)
    assert ecarts[0] < 120 and max(ecarts) <= 3600 + settings.OUTBOX_SWEEP_SECONDS
    assert serveur_courriel.essais[-1] - debut > timedelta(hours=8)


def test_the_fake_beat_sweeps_when_beat_would(
    serveur_courriel, horloge, django_capture_on_commit_callbacks
):
    """`balayer_pendant` skips the sweeps that find nothing: the tries, the attempts and the
    clock come out the same as with a sweep at every tick, as beat sweeps."""
    debut = horloge.maintenant

    def essais(balayer) -> tuple:
        horloge.maintenant = debut
        serveur_courriel.essais, serveur_courriel.pannes = [], 6
        row = _envoyer(django_capture_on_commit_callbacks)
        balayer(horloge, timedelta(hours=2, seconds=10))
        row.refresh_from_db()
        return serveur_courriel.essais, row.attempts, row.status, horloge.maintenant

    def a_chaque_tick(horloge, duree):
        fin = horloge.maintenant + duree
        while horloge.maintenant < fin:
            horloge.maintenant += timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
            outbox.sweep()

    attendus = essais(a_chaque_tick)
    assert len(attendus[0]) == 7 and attendus[2] == OutboxTask.Status.DONE
    assert essais(balayer_pendant) == attendus


def test_a_mail_server_down_for_the_whole_window_fails_the_e_mail_after_it(
    serveur_courriel, horloge, django_capture_on_commit_callbacks
):
    serveur_courriel.pannes = 10_000
    row = _envoyer(django_capture_on_commit_callbacks)

    balayer_pendant(horloge, timedelta(hours=23, minutes=59))
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.PENDING  # still tried: the window is not over
    essais_en_un_jour = row.attempts
    assert essais_en_un_jour > 20

    balayer_pendant(horloge, timedelta(hours=2))
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.FAILED
    assert "SMTPServerDisconnected" in row.last_error
    assert mail.outbox == []
    # A failed row is never tried again by the sweep.
    balayer_pendant(horloge, timedelta(hours=2))
    assert len(serveur_courriel.essais) == row.attempts


def test_a_message_lost_by_the_broker_is_published_again_within_two_minutes():
    assert settings.OUTBOX_SWEEP_SECONDS + settings.OUTBOX_REPUBLISH_AFTER <= 120
    now = timezone.now()
    perdu = OutboxTask.objects.create(
        task_name=send_email.name,
        status=OutboxTask.Status.SENT,
        sent_at=now - timedelta(seconds=settings.OUTBOX_REPUBLISH_AFTER),
    )
    OutboxTask.objects.create(
        task_name=send_email.name,
        status=OutboxTask.Status.SENT,
        sent_at=now - timedelta(seconds=settings.OUTBOX_REPUBLISH_AFTER - 20),
    )
    assert list(outbox.rows_to_sweep(now).values_list("pk", flat=True)) == [perdu.pk]


def test_a_database_error_while_claiming_retries_the_message_instead_of_losing_it():
    row = OutboxTask.objects.create(
        task_name=send_email.name, args=list(MESSAGE), status=OutboxTask.Status.SENT
    )
    panne = OperationalError("server closed the connection unexpectedly")
    with (
        mock.patch("integration.outbox._claim", side_effect=panne),
        pytest.raises(Retry) as nouvel_essai,
    ):
        send_email.apply(MESSAGE, task_id=str(row.task_id))
    # In a worker, Celery publishes the same message again, two seconds later.
    assert nouvel_essai.value.when == 2 and nouvel_essai.value.sig.id == str(row.task_id)
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.SENT and row.attempts == 0

    send_email.apply(MESSAGE, task_id=str(row.task_id), retries=1)  # the retried message
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE


def test_a_worker_faster_than_the_publisher_keeps_its_scheduled_retry():
    """The worker may fail the first try before publish() records the row as sent."""
    row = OutboxTask.objects.create(task_name=send_email.name, args=list(MESSAGE))
    plus_tard = timezone.now() + timedelta(minutes=1)

    def worker_rapide(*args, **kwargs):
        OutboxTask.objects.filter(pk=row.pk).update(attempts=1, retry_at=plus_tard)

    from integration.celery import app

    app.conf.task_always_eager = False
    try:
        with mock.patch.object(send_email, "apply_async", side_effect=worker_rapide):
            assert outbox.publish(row.pk)
    finally:
        app.conf.task_always_eager = True
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.PENDING and row.retry_at == plus_tard
