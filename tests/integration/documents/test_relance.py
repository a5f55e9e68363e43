"""A document whose worker died: taken up again within minutes of its own time limit, and
offered to relaunch on its page past that limit; relaunching twice runs it once.

The clock is moved forward (`horloge`), never slept on.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from integration import outbox, tasks
from integration.documents import services
from integration.leases import claim_lease
from integration.models import DocumentRequest, OutboxTask
from tests.integration.documents.conftest import CODE

Status = DocumentRequest.Status
LIMITE = timedelta(seconds=settings.DOCUMENTS_TIME_LIMIT)


@pytest.fixture
def horloge(monkeypatch):
    """Move the clock to DEBUT + a delay: what every `timezone.now()` answers from then on."""
    debut = timezone.now()

    def avancer(delai: timedelta):
        monkeypatch.setattr(timezone, "now", lambda: debut + delai)

    avancer.debut = debut
    return avancer


@pytest.fixture
def abandonne(seine_maritime, autorise, django_capture_on_commit_callbacks, horloge):
    """A document a worker claimed, then died on: running, and its outbox row claimed."""
    with django_capture_on_commit_callbacks(execute=False):  # no worker ran it
        document = services.demander(CODE, seine_maritime, by=autorise)
    OutboxTask.objects.update(status=OutboxTask.Status.SENT, started_at=horloge.debut)
    DocumentRequest.objects.filter(pk=document.pk).update(
        status=Status.RUNNING, started_at=horloge.debut, attempts=1
    )
    return document


def _page(client, document) -> str:
    return client.get(reverse("documents:suivi", args=[document.pk])).content.decode()


def test_the_sweep_takes_a_dead_documents_run_up_within_two_minutes_of_its_limit(
    abandonne, horloge, settings
):
    lease = claim_lease(tasks.render_document.name)
    assert lease + timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS) <= LIMITE + timedelta(minutes=2)
    assert lease < claim_lease(tasks.send_email.name)  # its own limit, not the global one
    courriel = OutboxTask.objects.create(
        task_name=tasks.send_email.name,
        args=["Objet", "Corps", ["a@example.fr"]],
        status=OutboxTask.Status.SENT,
        started_at=horloge.debut,
    )

    horloge(lease - timedelta(seconds=1))
    assert not outbox.rows_to_sweep().exists()  # its worker may still be at it
    horloge(lease + timedelta(seconds=1))
    assert list(outbox.rows_to_sweep()) == [OutboxTask.objects.get(args=[abandonne.pk])]

    assert outbox.sweep() == 1  # the embedded mode runs what it publishes
    abandonne.refresh_from_db()
    assert abandonne.status == Status.DONE and abandonne.attempts == 2
    assert len(list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))) == 1
    courriel.refresh_from_db()
    assert courriel.status == OutboxTask.Status.SENT  # the e-mail's worker is within its lease


def test_past_its_limit_the_page_offers_to_relaunch(client, autorise, abandonne, horloge):
    client.force_login(autorise)
    horloge(LIMITE - timedelta(seconds=1))
    page = _page(client, abandonne)
    assert "en cours de production" in page and 'hx-trigger="every 2s"' in page
    assert "Relancer" not in page

    horloge(LIMITE + timedelta(seconds=1))
    page = _page(client, abandonne)
    assert "La production prend plus de temps que prévu" in page
    assert "Relancer la génération" in page
    assert "hx-trigger" not in page  # polling a dead run would only move the button


def test_relaunching_twice_runs_once(client, autorise, abandonne, horloge, apres_commit):
    client.force_login(autorise)
    horloge(LIMITE + timedelta(seconds=1))
    url = reverse("documents:relancer", args=[abandonne.pk])
    with apres_commit():  # the relaunched run starts once the first click's request is over
        premier = client.post(url, follow=True).content.decode()
        second = client.post(url, follow=True).content.decode()
    apres = client.post(url, follow=True).content.decode()

    assert "La génération du document est relancée." in premier
    assert "La génération de ce document est déjà en cours." in second
    assert "Le document est déjà prêt." in apres
    abandonne.refresh_from_db()
    assert abandonne.status == Status.DONE and abandonne.attempts == 2
    assert OutboxTask.objects.count() == 2  # the dead run's row, and one relaunch


def test_within_its_limit_a_run_is_left_to_its_worker(client, autorise, abandonne, horloge):
    """Neither a relaunch nor a second delivery of the message touches a live run."""
    client.force_login(autorise)
    horloge(LIMITE - timedelta(seconds=1))
    reponse = client.post(reverse("documents:relancer", args=[abandonne.pk]), follow=True)
    assert "La génération de ce document est déjà en cours." in reponse.content.decode()
    services.produire(abandonne.pk)
    abandonne.refresh_from_db()
    assert abandonne.status == Status.RUNNING and abandonne.attempts == 1
    assert OutboxTask.objects.count() == 1
