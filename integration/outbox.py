"""The one way work reaches Celery: a row first, the broker after the commit.

    row = enqueue(send_email, subject, body, ["a@example.fr"])

`enqueue` records the task (name, JSON arguments) as an `OutboxTask` row inside the caller's
transaction and, once that transaction commits, publishes it with the row's `task_id` as
the Celery task id. A broker that is down is logged, never raised: the request succeeds and
the row stays pending. In the embedded mode (`task_always_eager`, no broker) the task runs
in-process after the commit instead.

The guarantee, and its limits:

- *Nothing is lost.* A row exists as soon as the caller's data does (same transaction), and
  `sweep` (run by Celery beat every `OUTBOX_SWEEP_SECONDS`) publishes again every open row
  that was never published (`OUTBOX_PENDING_GRACE` after its creation), whose next try is
  due (see the retry policy below), that was published `OUTBOX_REPUBLISH_AFTER` ago and
  never started (a message lost with the broker's memory: with the defaults, published
  again within two minutes of the broker answering), or whose worker claimed it longer ago
  than `OUTBOX_CLAIM_LEASE` (a worker killed mid-task; the lease outlasts the hard time
  limit, so that run is over). A message whose claim itself fails (the database down before
  the task starts) is retried by Celery with a growing delay, never dropped.
- *Nothing runs twice.* A message may reach the workers several times (sweep, broker
  redelivery); `TrackedTask` claims the row with one conditional UPDATE before running and
  skips a row that is done, failed, or claimed by a run still within its lease. Retries
  release the claim for the retried message. The single remaining window is a worker that
  dies after the work's effect (the e-mail left) but before recording it done: that run is
  repeated once the lease expires. Tasks must therefore stay idempotent where they can.

The retry policy. A task declares the errors that may pass (`outbox_retry_for`; the e-mail
tasks: `OSError`, which covers every SMTP error). Such a failure does not consume Celery
retries: the row goes back to pending with `retry_at` set after a growing delay
(`OUTBOX_RETRY_FIRST_DELAY`, doubled at each try, at most `OUTBOX_RETRY_MAX_DELAY`), and the
sweep publishes it then. Once the row is older than `OUTBOX_RETRY_WINDOW` (24 hours by
default, `OUTBOX_RETRY_HOURS`), the next such failure marks it failed for good. Any other
error fails the row at once (after the task's own Celery retries, if it has some). A failed
row is never republished; the caller shows it (an invitation's or a convocation's « Échec
de l'envoi ») and may enqueue it anew.
"""

import json
import logging
from datetime import timedelta
from functools import partial

from celery import Task
from celery.exceptions import Ignore, Reject, Retry
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from integration.celery import app
from integration.models import OutboxTask

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
# How often a message whose row could not be claimed (database down) is sent again, a
# minute apart at most: about a day.
CLAIM_RETRIES = 1440


class TrackedTask(Task):
    """Base of every task sent through `enqueue`: claims its row, runs once, records the end."""

    # Errors that may pass (a mail server down): the row waits and the sweep tries again,
    # with growing delays, for OUTBOX_RETRY_WINDOW. Set per task, e.g. (OSError,).
    outbox_retry_for: tuple[type[BaseException], ...] = ()

    def __call__(self, *args, **kwargs):
        task_id = self.request.id  # read before super() pushes a fresh request context
        if task_id is None:  # called as a plain function: nothing to track
            return super().__call__(*args, **kwargs)
        try:
            claim = _claim(task_id)
        except DatabaseError as exc:
            # Nothing has run yet and the row is untouched: the message must not be acked
            # as done. Celery sends it again later, for about a day; should even that
            # message be lost, the sweep still finds the row.
            raise self.retry(
                exc=exc,
                countdown=_claim_retry_delay(self.request.retries),
                max_retries=CLAIM_RETRIES,
            ) from exc
        if claim is None:  # published without the outbox (a test, a shell): run untracked
            return super().__call__(*args, **kwargs)
        if not claim:
            logger.info("Tâche %s[%s] déjà faite ou en cours : ignorée", self.name, task_id)
            return None
        try:
            result = super().__call__(*args, **kwargs)
        except (Retry, Reject, Ignore) as exc:
            _release(task_id, getattr(exc, "exc", None) or exc)
            raise
        except self.outbox_retry_for as exc:
            _retry_later(task_id, exc)
            return None
        except Exception as exc:  # a lasting failure (retries exhausted, soft time limit)
            _finish(task_id, OutboxTask.Status.FAILED, error=exc)
            raise
        _finish(task_id, OutboxTask.Status.DONE)
        return result


def enqueue(task: TrackedTask, *args, **kwargs) -> OutboxTask:
    """Record TASK(*ARGS, **KWARGS) in the current transaction; publish it after the commit."""
    if not isinstance(task, TrackedTask):
        raise TypeError(f"{task.name} doit être déclarée avec base=TrackedTask pour enqueue()")
    # Celery serialises to JSON: refuse now what the worker could not read, and store
    # exactly what it will receive (tuples become lists).
    payload = json.loads(json.dumps({"args": list(args), "kwargs": kwargs}))
    row = OutboxTask.objects.create(task_name=task.name, **payload)
    transaction.on_commit(partial(publish, row.pk))
    return row


def all_done(rows) -> bool:
    """Whether every one of ROWS has run, as the database says now (each e-mail has left).

    Pages say "envoyé" only then; until then, "envoi en cours"."""
    pks = [row.pk for row in rows]
    return not OutboxTask.objects.filter(pk__in=pks).exclude(status=OutboxTask.Status.DONE).exists()


def publish(pk: int) -> bool:
    """Hand row PK to the broker (or run it, in the embedded mode); False if that failed."""
    row = OutboxTask.objects.filter(pk=pk, status__in=OutboxTask.OPEN).first()
    if row is None:
        return True  # done, failed or gone meanwhile: nothing to send
    task = app.tasks.get(row.task_name)
    if task is None:  # renamed or removed since it was recorded: it can never run
        _finish(row.task_id, OutboxTask.Status.FAILED, error=LookupError(row.task_name))
        logger.error("Tâche %s[%s] inconnue : marquée en échec", row.task_name, row.task_id)
        return True
    try:
        if task.app.conf.task_always_eager:
            return _run_here(task, row)
        task.apply_async(row.args, row.kwargs, task_id=str(row.task_id))
    except Exception:  # a broker that is down, or an eager run that failed (already recorded)
        logger.warning(
            "Tâche %s[%s] : courtier injoignable ou échec de l'exécution immédiate",
            row.task_name,
            row.task_id,
            exc_info=True,
        )
        return False
    # Unless a fast worker has already claimed it (its attempts grew): that run's outcome,
    # a retry scheduled for later included, must not be overwritten.
    OutboxTask.objects.filter(pk=pk, status__in=OutboxTask.OPEN, attempts=row.attempts).update(
        status=OutboxTask.Status.SENT, sent_at=timezone.now(), retry_at=None
    )
    return True


def _run_here(task, row) -> bool:
    """Embedded mode: run in-process, retrying at once as often as the task allows.

    An eager Celery run raises its Retry instead of running again, and no sweep runs
    without beat: the retries happen here, and the row never stays open.
    """
    for retries in range((task.max_retries or 0) + 1):
        try:
            task.apply(row.args, row.kwargs, task_id=str(row.task_id), retries=retries, throw=True)
        except Retry:
            continue
        return True
    _finish(row.task_id, OutboxTask.Status.FAILED, error=RuntimeError("essais épuisés"))
    return False


def rows_to_sweep(now=None):
    """Open rows that were never published, are due for another try, were lost by the
    broker, or lost their worker."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.OUTBOX_PENDING_GRACE)
    republish = timedelta(seconds=settings.OUTBOX_REPUBLISH_AFTER)
    lease = timedelta(seconds=settings.OUTBOX_CLAIM_LEASE)
    never_published = Q(status=OutboxTask.Status.PENDING, created_at__lte=now - grace) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    lost = Q(status=OutboxTask.Status.SENT, sent_at__lte=now - republish)
    return OutboxTask.objects.filter(status__in=OutboxTask.OPEN).filter(
        ((never_published | lost) & Q(started_at__isnull=True)) | Q(started_at__lte=now - lease)
    )


def sweep(now=None) -> int:
    """Publish the rows `rows_to_sweep` finds, oldest first; stop at the first broker error.

    Returns how many rows it handled (published, or failed for a task that no longer exists).
    """
    handled = 0
    for pk in rows_to_sweep(now).order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH]:
        if not publish(pk):
            break
        handled += 1
    if handled:
        logger.info("Balayage des tâches en attente : %d traitée(s)", handled)
    return handled


# --- The claim, in single UPDATE statements: two workers never both win it --------------


def _claim(task_id) -> bool | None:
    """True: this run owns the row. False: done, failed or claimed. None: no such row."""
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_CLAIM_LEASE)
    claimed = (
        OutboxTask.objects.filter(task_id=task_id, status__in=OutboxTask.OPEN)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=now - lease))
        .update(started_at=now, attempts=F("attempts") + 1)
    )
    if claimed:
        return True
    return False if OutboxTask.objects.filter(task_id=task_id).exists() else None


def _release(task_id, error) -> None:
    """A retry is on its way with the same task id: let it claim the row again."""
    OutboxTask.objects.filter(task_id=task_id, status__in=OutboxTask.OPEN).update(
        status=OutboxTask.Status.SENT,
        started_at=None,
        sent_at=timezone.now(),
        last_error=_describe(error),
    )


def _retry_later(task_id, error) -> None:
    """A failure that may pass: wait pending for the sweep, or fail once the window is over."""
    row = OutboxTask.objects.filter(task_id=task_id).only("created_at", "attempts").first()
    now = timezone.now()
    if row is None or now >= row.created_at + timedelta(seconds=settings.OUTBOX_RETRY_WINDOW):
        _finish(task_id, OutboxTask.Status.FAILED, error=error)
        logger.error(
            "Tâche [%s] en échec après %s essais : %s", task_id, row and row.attempts, error
        )
        return
    retry_at = now + retry_delay(row.attempts)
    OutboxTask.objects.filter(task_id=task_id, status__in=OutboxTask.OPEN).update(
        status=OutboxTask.Status.PENDING,
        started_at=None,
        retry_at=retry_at,
        last_error=_describe(error),
    )
    logger.warning("Tâche [%s] : %s ; nouvel essai à %s", task_id, error, retry_at.isoformat())


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ATTEMPTS-th failed try: doubling from the first delay, capped."""
    first, cap = settings.OUTBOX_RETRY_FIRST_DELAY, settings.OUTBOX_RETRY_MAX_DELAY
    return timedelta(seconds=min(cap, first * 2 ** min(max(attempts - 1, 0), 20)))


def _claim_retry_delay(retries: int) -> int:
    return min(60, 2 ** (retries + 1))


def _finish(task_id, status, error=None) -> None:
    OutboxTask.objects.filter(task_id=task_id).update(
        status=status,
        done_at=timezone.now() if status == OutboxTask.Status.DONE else None,
        last_error=_describe(error) if error else "",
        args=[],
        kwargs={},
    )


def _describe(error) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
