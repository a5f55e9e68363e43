"""The task outbox: a row in the caller's transaction, published after the commit, run once."""

import re
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from celery import shared_task
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from integration import outbox
from integration.celery import app
from integration.models import OutboxTask
from integration.tasks import send_email, sweep_outbox
from tests.acteurs.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = ("Convocation", "Le comité se réunira le 20 juin.", ["partenaire@example.fr"])


@pytest.fixture
def broker_mode():
    """The web side as with a real broker: tasks are published, not run in-process."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def _enqueue_and_commit(capture, *args):
    with capture(execute=True), transaction.atomic():
        row = outbox.enqueue(send_email, *args)
        # Inside the transaction: recorded, nothing sent yet.
        assert OutboxTask.objects.get().status == OutboxTask.Status.PENDING
        assert mail.outbox == []
    row.refresh_from_db()
    return row


# --- Embedded mode: the task runs in-process after the commit ---------------------------


def test_eager_mode_runs_the_task_after_commit(django_capture_on_commit_callbacks):
    row = _enqueue_and_commit(django_capture_on_commit_callbacks, *MESSAGE)

    assert [m.subject for m in mail.outbox] == ["Convocation"]
    assert mail.outbox[0].to == ["partenaire@example.fr"]
    assert row.status == OutboxTask.Status.DONE
    assert row.task_name == "integration.tasks.send_email"
    assert row.attempts == 1 and row.done_at is not None and row.last_error == ""
    # A done row keeps no argument: an invitation's link must not outlive its sending.
    assert row.args == [] and row.kwargs == {}


def test_rolled_back_transaction_leaves_no_row_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(send_email, *MESSAGE)
        raise RuntimeError("annulation")
    assert callbacks == []
    assert not OutboxTask.objects.exists()
    assert mail.outbox == []


def test_arguments_are_stored_as_the_worker_will_read_them(broker_mode):
    with mock.patch.object(send_email, "apply_async"):
        row = outbox.enqueue(send_email, "Sujet", "Corps", ("a@example.fr",))
    row.refresh_from_db()
    assert row.args == ["Sujet", "Corps", ["a@example.fr"]]


def test_arguments_that_json_cannot_carry_are_refused():
    with pytest.raises(TypeError):
        outbox.enqueue(send_email, "Sujet", "Corps", {"a@example.fr"})
    assert not OutboxTask.objects.exists()


@shared_task
def _untracked_task():
    return None


def test_a_task_without_the_tracked_base_is_refused():
    with pytest.raises(TypeError, match="TrackedTask"):
        outbox.enqueue(_untracked_task)
    assert not OutboxTask.objects.exists()


def test_a_task_failing_for_good_is_recorded_failed_and_never_raises_into_the_request(
    django_capture_on_commit_callbacks,
):
    with mock.patch("integration.tasks.send_mail", side_effect=ValueError("adresse illisible")):
        row = _enqueue_and_commit(django_capture_on_commit_callbacks, *MESSAGE)

    assert row.status == OutboxTask.Status.FAILED
    assert row.attempts == 1
    assert "ValueError: adresse illisible" in row.last_error
    assert row.done_at is None and row.args == []


def test_a_mail_server_down_leaves_the_row_pending_for_a_later_try(
    django_capture_on_commit_callbacks,
):
    with mock.patch(
        "integration.tasks.send_mail", side_effect=[ConnectionRefusedError("smtp"), 1]
    ) as send_mail:
        row = _enqueue_and_commit(django_capture_on_commit_callbacks, *MESSAGE)
        assert row.status == OutboxTask.Status.PENDING and row.started_at is None
        assert "ConnectionRefusedError: smtp" in row.last_error
        assert row.retry_at > timezone.now() + timedelta(seconds=50)
        assert outbox.sweep(now=row.retry_at - timedelta(seconds=1)) == 0
        assert outbox.sweep(now=row.retry_at) == 1

    assert send_mail.call_count == 2
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 2


# --- With a broker: publication, and a broker that is down ------------------------------


def test_publication_uses_the_row_task_id_and_marks_it_sent(
    broker_mode, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(send_email, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = outbox.enqueue(send_email, *MESSAGE)
    apply_async.assert_called_once_with(list(MESSAGE), {}, task_id=str(row.task_id))
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.SENT and row.sent_at is not None
    assert row.args == list(MESSAGE)  # kept until the worker has done it


def test_a_broker_that_is_down_leaves_the_row_pending(
    broker_mode, django_capture_on_commit_callbacks, caplog
):
    error = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(send_email, "apply_async", side_effect=error) as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = outbox.enqueue(send_email, *MESSAGE)
    assert apply_async.called
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.PENDING and row.sent_at is None
    assert "courtier injoignable" in caplog.text
    assert mail.outbox == []


# --- The worker side: claim, skip, lease ------------------------------------------------


def _run_message(row, *args):
    """What a worker does with a message carrying the row's task id."""
    return send_email.apply(args or MESSAGE, task_id=str(row.task_id))


def _open_row(**fields):
    return OutboxTask.objects.create(
        task_name=send_email.name, args=list(MESSAGE), status=OutboxTask.Status.SENT, **fields
    )


def test_a_message_delivered_twice_sends_once():
    row = _open_row()
    _run_message(row)
    _run_message(row)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 1


def test_a_row_claimed_by_a_running_worker_is_skipped():
    row = _open_row(started_at=timezone.now() - timedelta(seconds=5))
    _run_message(row)
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.SENT and row.attempts == 0


def test_a_claim_older_than_the_lease_is_taken_over():
    lease = timedelta(seconds=settings.OUTBOX_CLAIM_LEASE)
    row = _open_row(started_at=timezone.now() - lease - timedelta(seconds=1), attempts=1)
    _run_message(row)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutboxTask.Status.DONE and row.attempts == 2


def test_a_failed_row_is_not_run_again():
    row = _open_row()
    OutboxTask.objects.filter(pk=row.pk).update(status=OutboxTask.Status.FAILED)
    _run_message(row)
    assert mail.outbox == []


def test_a_message_without_a_row_runs_untracked():
    send_email.apply(MESSAGE, task_id=str(uuid.uuid4()))
    assert len(mail.outbox) == 1
    assert not OutboxTask.objects.exists()


# --- The sweep ----------------------------------------------------------------------------


def _age(row, **fields):
    OutboxTask.objects.filter(pk=row.pk).update(**fields)


def test_the_sweep_picks_what_was_never_published_lost_or_abandoned():
    now = timezone.now()
    long_ago = now - timedelta(days=1)
    grace = timedelta(seconds=settings.OUTBOX_PENDING_GRACE)

    def row(status, created_at, **fields):
        created = OutboxTask.objects.create(task_name=send_email.name, status=status, **fields)
        _age(created, created_at=created_at)  # auto_now_add ignores a value given to create()
        return created.pk

    picked = {
        row("pending", created_at=now - grace - timedelta(seconds=1)),
        row("sent", created_at=long_ago, sent_at=long_ago),
        row("sent", created_at=long_ago, sent_at=long_ago, started_at=long_ago),
        row("pending", created_at=long_ago, started_at=long_ago),
    }
    left = {
        row("pending", created_at=now),  # its after-commit publication is on its way
        row("sent", created_at=long_ago, sent_at=now - timedelta(seconds=30)),  # queued
        row("sent", created_at=long_ago, sent_at=long_ago, started_at=now),  # running
        row("done", created_at=long_ago, sent_at=long_ago, done_at=long_ago),
        row("failed", created_at=long_ago, sent_at=long_ago),
    }
    found = set(outbox.rows_to_sweep(now).values_list("pk", flat=True))
    assert found == picked
    assert not found & left


def test_the_sweep_stops_at_the_first_broker_error(broker_mode):
    long_ago = timezone.now() - timedelta(days=1)
    for _ in range(3):
        _age(OutboxTask.objects.create(task_name=send_email.name), created_at=long_ago)
    error = OperationalError("Connection refused")
    with mock.patch.object(send_email, "apply_async", side_effect=error) as apply_async:
        assert sweep_outbox() == 0
    assert apply_async.call_count == 1
    with mock.patch.object(send_email, "apply_async") as apply_async:
        assert sweep_outbox() == 3
    assert apply_async.call_count == 3
    assert set(OutboxTask.objects.values_list("status", flat=True)) == {"sent"}
    # Just published: the next sweep leaves them to the workers.
    with mock.patch.object(send_email, "apply_async") as apply_async:
        assert sweep_outbox() == 0


def test_a_task_that_no_longer_exists_fails_without_stopping_the_sweep(broker_mode):
    long_ago = timezone.now() - timedelta(days=1)
    gone = OutboxTask.objects.create(task_name="integration.tasks.renamed_since")
    kept = OutboxTask.objects.create(task_name=send_email.name)
    OutboxTask.objects.update(created_at=long_ago)
    with mock.patch.object(send_email, "apply_async") as apply_async:
        assert sweep_outbox() == 2
    apply_async.assert_called_once()
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.status == OutboxTask.Status.FAILED
    assert "renamed_since" in gone.last_error
    assert kept.status == OutboxTask.Status.SENT


def test_beat_runs_the_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["task"] == sweep_outbox.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] == settings.OUTBOX_SWEEP_SECONDS


# --- Nothing goes around the outbox -----------------------------------------------------

APPS = ["integration", "acteurs", "actions", "comites", "portal"]
DIRECT_SEND = re.compile(r"\.(delay|delay_on_commit|apply_async|send_task)\(")


def test_no_task_is_sent_around_the_outbox():
    """Only integration/outbox.py talks to the broker: a direct .delay() would skip the row."""
    root = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for app_name in APPS
        for path in sorted((root / app_name).rglob("*.py"))
        if path != root / "integration" / "outbox.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if DIRECT_SEND.search(line)
    ]
    assert offenders == []


def test_the_direct_send_pattern_catches_what_it_must():
    assert DIRECT_SEND.search("send_email.delay_on_commit(sujet, corps, [email])")
    assert DIRECT_SEND.search("render_document.delay(document.pk)")
    assert DIRECT_SEND.search("task.apply_async(args, task_id=x)")
    assert not DIRECT_SEND.search('"hx-trigger": "keyup changed delay:300ms"')


# --- The operators' view ----------------------------------------------------------------


def test_operators_see_the_outbox_read_only_and_without_its_arguments(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    row = _open_row(last_error="ConnectionRefusedError: smtp")
    OutboxTask.objects.filter(pk=row.pk).update(args=["https://exemple.fr/lien-secret/"])

    liste = client.get(reverse("admin:integration_outboxtask_changelist"))
    fiche = client.get(reverse("admin:integration_outboxtask_change", args=[row.pk]))

    assert liste.status_code == 200 and fiche.status_code == 200
    assert "ConnectionRefusedError: smtp" in fiche.content.decode()
    assert "lien-secret" not in fiche.content.decode()
    assert client.get(reverse("admin:integration_outboxtask_add")).status_code == 403
