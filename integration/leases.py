"""How long a worker's claim on an outbox row holds: its own task's time limit, plus a margin.

A row claimed longer ago than its lease has lost its worker (killed mid-task): the hard
time limit has ended that run by then, so the sweep publishes the row again and another
worker may claim it. Tasks have their own limits (a document's `DOCUMENTS_TIME_LIMIT` is
minutes shorter than the global `CELERY_TASK_TIME_LIMIT`), hence a lease per task: a
document whose worker died is taken up again at most `OUTBOX_CLAIM_MARGIN` plus one sweep
period after its own limit, not after the slowest task's.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from integration.celery import app


def claim_lease(task_name: str) -> timedelta:
    """The lease of a claim on a row of TASK_NAME (the global limit's for an unknown task)."""
    task = app.tasks.get(task_name)
    limit = getattr(task, "time_limit", None) or settings.CELERY_TASK_TIME_LIMIT
    return timedelta(seconds=limit + settings.OUTBOX_CLAIM_MARGIN)


def lease_expired(now) -> Q:
    """Rows claimed longer ago than their own task's lease: one clause per lease length
    besides the global one, so the sweep stays one query."""
    default = claim_lease("")
    special = {name: lease for name in app.tasks if (lease := claim_lease(name)) != default}
    expired = Q(started_at__lte=now - default) & ~Q(task_name__in=list(special))
    for lease in set(special.values()):
        names = [name for name, own in special.items() if own == lease]
        expired |= Q(task_name__in=names, started_at__lte=now - lease)
    return expired
