"""Cross-cutting tasks that know no domain. Send them with `integration.outbox.enqueue`."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import OperationalError

from integration import outbox

# An e-mail task: tracked by the outbox, which tries it again with growing delays for
# OUTBOX_RETRY_WINDOW while the mail server is unreachable or refuses (every SMTP error is
# an OSError), then marks it failed. No Celery retries: a few seconds of them would not
# outlast an outage, and the sweep survives a worker restart.
COURRIEL = {
    "base": outbox.TrackedTask,
    "acks_late": True,
    "outbox_retry_for": (OSError,),
    "max_retries": 0,
}


@shared_task(**COURRIEL)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; tried again later when the mail server is unreachable."""
    return send_mail(subject, body, None, recipients)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Celery beat runs this: publish again what the broker never got, or lost."""
    return outbox.sweep()


@shared_task(**COURRIEL)
def send_email_with_attachment(
    subject: str,
    body: str,
    recipients: list[str],
    filename: str,
    content: str,
    mimetype: str = "text/plain",
) -> int:
    """Send one plain-text e-mail with one text attachment (a calendar invitation…).

    Arguments stay JSON: the attachment travels as text, with its file name and type."""
    message = EmailMessage(subject, body, None, recipients)
    message.attach(filename, content, mimetype)
    return message.send()


# A document: tracked by the outbox, acknowledged late (a worker lost mid-render gives the
# message back), retried with backoff when storage or database hiccup, and cut off by its
# own time limit. The workers recycle their processes (CELERY_WORKER_MAX_TASKS_PER_CHILD):
# WeasyPrint keeps memory it will not give back.
TRANSITOIRES = (OSError, OperationalError)
TROP_LONG = "Le document a pris trop de temps à produire ; relancez-le plus tard."


@shared_task(
    bind=True,
    base=outbox.TrackedTask,
    acks_late=True,
    max_retries=3,
    time_limit=settings.DOCUMENTS_TIME_LIMIT,
    soft_time_limit=max(1, settings.DOCUMENTS_TIME_LIMIT - 10),
)
def render_document(self, document_id: int) -> None:
    """Render, sign when the kind says so, and store the document DOCUMENT_ID."""
    from integration.documents import services

    try:
        services.produire(document_id)
    except TRANSITOIRES as exc:
        if self.request.retries >= self.max_retries:
            services.echouer(document_id, exc)
            raise
        raise self.retry(exc=exc, countdown=2 ** (self.request.retries + 1)) from exc
    except SoftTimeLimitExceeded:
        services.echouer(document_id, services.ErreurDocument(TROP_LONG))
    except Exception as exc:  # a template or signature error: retrying would not help
        services.echouer(document_id, exc)
