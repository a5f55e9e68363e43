"""A document's « Relancer » clicked twice at once (a double click, two tabs): one more
run, and the second tab told so in French. On PostgreSQL (tests/concurrency.py)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from integration.documents import services
from integration.models import DocumentRequest, OutboxTask
from tests.concurrency import Onglets
from tests.integration.documents.conftest import CODE

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

Status = DocumentRequest.Status


def test_relancer_deux_fois_relance_une_fois(live_server, seine_maritime, autorise):
    document = services.demander(CODE, seine_maritime, by=autorise)
    # Then as if the worker running it had died, past the document's time limit.
    mort = timezone.now() - timedelta(seconds=settings.DOCUMENTS_TIME_LIMIT + 1)
    DocumentRequest.objects.filter(pk=document.pk).update(status=Status.RUNNING, started_at=mort)

    onglets = Onglets(live_server, autorise)
    reponses = onglets.poster(reverse("documents:relancer", args=[document.pk]))

    assert all(r.status_code < 500 for r in reponses), [r.status_code for r in reponses]
    pages = [onglets.suivre(r) for r in reponses]
    relancees = ["La génération du document est relancée." in page for page in pages]
    assert sorted(relancees) == [False, True]
    seconde = pages[relancees.index(False)]
    assert (
        "La génération de ce document est déjà en cours." in seconde
        or "Le document est déjà prêt." in seconde
    )
    assert OutboxTask.objects.count() == 2  # the dead run's row, and one relaunch
    document.refresh_from_db()
    assert document.status == Status.DONE, document.error
