"""The project's own tables, which know no domain.

- The journal every app writes to (`Evenement`): who did what to which object, and what
  changed. An entry points to its object through contenttypes, and its kind is a code that
  the app declared with its French label (see integration.journal). Rows are only ever
  added: the model, its queryset and database triggers (integration.immuable) refuse the rest.
- The task outbox (`OutboxTask`): every task sent to Celery is first a row, written in the
  caller's transaction. See `integration.outbox` for how rows are published, claimed by a
  worker and swept.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class JournalImmuable(Exception):
    """An attempt to change or remove what the journal has recorded."""


class EvenementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise JournalImmuable("Le journal ne se modifie pas : on y ajoute seulement.")

    def delete(self):
        raise JournalImmuable("Le journal ne se supprime pas : on y ajoute seulement.")

    def racine(self, instance):
        """The entries that the history page of INSTANCE shows, newest first."""
        type_ = ContentType.objects.get_for_model(instance)
        return self.filter(racine_type=type_, racine_id=instance.pk)


class Evenement(models.Model):
    """One recorded event: its kind, author, object, history page and changes."""

    le = models.DateTimeField("date", default=timezone.now, db_index=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
        help_text="Vide pour un événement du système.",
    )
    nature = models.CharField("nature", max_length=60)
    objet_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="type d'objet"
    )
    objet_id = models.PositiveBigIntegerField("identifiant de l'objet")
    # The object as it read then: it may be renamed later, never deleted.
    objet_libelle = models.CharField("objet", max_length=255)
    racine_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    racine_id = models.PositiveBigIntegerField()
    # {"champ": {"libelle": "...", "avant": "...", "apres": "..."}}
    changements = models.JSONField("changements", default=dict, blank=True)
    detail = models.TextField("détail", blank=True)

    objects = EvenementQuerySet.as_manager()

    class Meta:
        ordering = ["-le", "-pk"]
        verbose_name = "événement du journal"
        verbose_name_plural = "journal"
        indexes = [
            models.Index(fields=["racine_type", "racine_id", "-le"], name="journal_par_racine"),
            models.Index(fields=["objet_type", "objet_id"], name="journal_par_objet"),
        ]

    def __str__(self) -> str:
        return f"{self.nature_libelle} – {self.objet_libelle}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise JournalImmuable("Un événement du journal ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise JournalImmuable("Un événement du journal ne se supprime pas.")

    @property
    def nature_libelle(self) -> str:
        from integration.journal import libelle

        return libelle(self.nature)

    @property
    def sur_la_racine(self) -> bool:
        """True when the event is about the history page's object itself."""
        return self.objet_type_id == self.racine_type_id and self.objet_id == self.racine_id


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
    # A task that failed in a way that may pass (the mail server down) waits pending until
    # then; the sweep publishes it again once this moment has come.
    retry_at = models.DateTimeField("nouvel essai le", null=True, blank=True)

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


class DocumentFige(Exception):
    """An attempt to change or remove a produced signed document."""


class DocumentRequestQuerySet(models.QuerySet):
    """Bulk writes refuse to touch a produced signed document, as the database does."""

    def figes(self):
        return self.filter(signed=True, status=DocumentRequest.Status.DONE)

    def update(self, **kwargs):
        if self.figes().exists():
            raise DocumentFige("Un document signé ne se modifie pas.")
        return super().update(**kwargs)

    def delete(self):
        if self.figes().exists():
            raise DocumentFige("Un document signé ne se supprime pas.")
        return super().delete()


def _chemin_document(instance, filename: str) -> str:
    # One folder per month; the request's id makes the name unique and stable, so a
    # retried run overwrites its own file instead of leaving a second one.
    return f"documents/{instance.requested_at:%Y/%m}/{instance.pk}-{filename}"


class DocumentRequest(models.Model):
    """One PDF asked of the document pipeline (integration.documents): what, for whom, and
    how its rendering went. The HTML is rendered when asked, so the PDF shows exactly what
    the user asked for, and its hash (`version`) lets an unchanged request reuse the file."""

    class Status(models.TextChoices):
        WAITING = "attente", "En attente"
        RUNNING = "en_cours", "En cours"
        DONE = "pret", "Prêt"
        FAILED = "echec", "Échec"

    kind = models.CharField("type de document", max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    version = models.CharField("version du contenu", max_length=64)
    html = models.TextField("contenu rendu")
    signed = models.BooleanField("signé", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="demandé par",
    )
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("durée (ms)", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    error = models.TextField("erreur", blank=True)
    file = models.FileField("fichier", upload_to=_chemin_document, max_length=200, blank=True)
    filename = models.CharField("nom du fichier", max_length=150)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True, db_index=True)
    pages = models.PositiveIntegerField("pages", null=True, blank=True)

    objects = DocumentRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        ordering = ["-requested_at"]
        constraints = [
            # One live request per content version: a second click reuses it.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "version"],
                condition=~models.Q(status="echec"),
                name="document_une_demande_par_version",
            ),
            # A finished document is whole: file, hash, pages and end time together.
            models.CheckConstraint(
                condition=~models.Q(status="pret")
                | (
                    ~models.Q(file="")
                    & ~models.Q(sha256="")
                    & models.Q(pages__isnull=False, finished_at__isnull=False)
                ),
                name="document_pret_complet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if not self._state.adding and self._fige():
            raise DocumentFige("Un document signé ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._fige():
            raise DocumentFige("Un document signé ne se supprime pas.")
        return super().delete(*args, **kwargs)

    def _fige(self) -> bool:
        """Whether the stored row is a produced signed document (what the database holds
        decides, not this instance's fields)."""
        return self.pk is not None and DocumentRequest.objects.filter(pk=self.pk).figes().exists()

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)
