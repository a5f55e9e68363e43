"""The task outbox: every task sent to Celery is first a row, written in the caller's transaction.

See `integration.outbox` for how rows are published, claimed by a worker and swept.
"""

import uuid

from django.db import models


class OutboxTask(models.Model):
    """One piece of work to run on a worker, recorded before any broker is involved."""

    class Status(models.TextChoices):
        PENDING = "pending", "en attente d'envoi au courtier"
        SENT = "sent", "confiée au courtier"
        DONE = "done", "terminée"
        FAILED = "failed", "en échec"

    OPEN = (Status.PENDING, Status.SENT)

    # The Celery task id of every message published for this row: a worker finds the row by
    # it, so a message published twice still runs the work once.
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_name = models.CharField("tâche", max_length=200)
    # Erased once the row is done or failed: they may carry secrets (an invitation's link).
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("confiée au courtier le", null=True, blank=True)
    # Set by the worker that claims the row; cleared when the run ends in a retry.
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    done_at = models.DateTimeField("terminée le", null=True, blank=True)
    attempts = models.PositiveIntegerField("essais", default=0)
    last_error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        ordering = ["-created_at"]
        indexes = [
            # The sweep reads the open rows only.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=["pending", "sent"]),
                name="outbox_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_at__isnull=False),
                name="outbox_done_has_done_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.get_status_display()})"
