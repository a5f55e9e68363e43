"""Periodic work of the comités (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from comites import services


@shared_task(ignore_result=True)
def envoyer_rappels() -> dict:
    """Idempotent: each convocation is reminded once, each séance's organiser once."""
    return {
        "convocations": services.rappeler_convocations(),
        "comptes_rendus": services.relancer_comptes_rendus(),
    }
