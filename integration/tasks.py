"""Cross-cutting tasks that know no domain. Send them with `integration.outbox.enqueue`."""

from celery import shared_task
from django.core.mail import EmailMessage, send_mail

from integration import outbox

# An e-mail task: tracked by the outbox, retried with backoff while the mail server is
# unreachable.
COURRIEL = {
    "base": outbox.TrackedTask,
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**COURRIEL)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; retried when the mail server is unreachable."""
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
