"""Cross-cutting tasks that know no domain."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail; retried when the mail server is unreachable."""
    return send_mail(subject, body, None, recipients)
