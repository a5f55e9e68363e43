"""Cross-cutting tasks that know no domain. Send them with `integration.outbox.enqueue`."""

from celery import shared_task
from django.core.mail import send_mail

from integration import outbox


@shared_task(
    base=outbox.TrackedTask,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; retried when the mail server is unreachable."""
    return send_mail(subject, body, None, recipients)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Celery beat runs this: publish again what the broker never got, or lost."""
    return outbox.sweep()
