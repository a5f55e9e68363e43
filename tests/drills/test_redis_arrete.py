"""Drill: Redis stops while people work; nothing fails, nothing is lost, nothing twice.

The broker is a throwaway redis-server; a real celery worker and beat use it, and the live
server of pytest serves the pages. With Redis stopped, pages answer, an invitation and a
PDF are asked for and the pages say they wait. Redis comes back empty (it kept nothing):
the worker and beat reconnect by themselves, the outbox's sweep publishes what the broker
never got, and the SMTP sink receives the e-mail once, the storage the PDF once.

tests/integration/test_outbox_broker_down.py checks the same outage step by step, in one
process; this drill lets the real programs find their way back.
"""

import html
import time

import pytest
import requests
from django.urls import reverse

from integration.models import DocumentRequest, OutboxTask
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory
from tests.concurrency import Onglets
from tests.drills.conftest import (
    BEAT_READY,
    SWEEP_SECONDS,
    WORKER_READY,
    celery_beat,
    celery_worker,
    stored_files,
)
from tests.throwaway import wait_until

pytestmark = [pytest.mark.drills, pytest.mark.services]

INVITEE = "nouvelle.partenaire@example.fr"
# The sweep publishes a row left pending after OUTBOX_PENDING_GRACE (30 s), at its next run.
RECOVERY_SECONDS = 120
# A request that meets a stopped broker still answers promptly (a short publish retry).
PROMPT_SECONDS = 10


def _get(onglets: Onglets, chemin: str) -> requests.Response:
    return requests.get(onglets.url + chemin, cookies=onglets.cookies, timeout=PROMPT_SECONDS)


def _post(onglets: Onglets, chemin: str, donnees: dict | None = None) -> str:
    """POST from one tab; the page it leads to, as text, with its flash messages."""
    debut = time.monotonic()
    (reponse,) = onglets.poster(chemin, donnees, fois=1)
    assert time.monotonic() - debut < PROMPT_SECONDS, f"{chemin} a fait attendre"
    assert reponse.status_code == 302, reponse.text[:500]
    return html.unescape(onglets.suivre(reponse))


@pytest.mark.django_db(transaction=True)
def test_work_asked_while_redis_is_stopped_is_done_once_when_it_is_back(
    app_env, programs, throwaway_redis, smtp_sink, live_server, pilotage, association, settings,
    tmp_path,
):  # fmt: skip
    feuille = FeuilleDeRouteFactory(departement=association.departement)
    ActionFactory(axe=AxeFactory(feuille=feuille), porteur=association, validee=True)
    programs("worker", celery_worker(), app_env, ready=WORKER_READY)
    programs("beat", celery_beat(tmp_path), app_env, ready=BEAT_READY)
    onglets = Onglets(live_server, pilotage)

    throwaway_redis.stop()

    for chemin in (
        "/",
        feuille.get_absolute_url(),
        reverse("acteurs:membres", args=[association.pk]),
    ):
        assert _get(onglets, chemin).status_code == 200, chemin
    page = _post(
        onglets,
        reverse("acteurs:invitation_creer"),
        {"email": INVITEE, "acteur": association.pk, "role_membre": "lecteur"},
    )
    assert (
        f"Invitation enregistrée pour {INVITEE}, mais le courriel n'a pas encore pu partir : "
        "il partira automatiquement dès que possible." in page
    )
    page = _post(onglets, reverse("actions:feuille_exporter", args=[feuille.pk]))
    assert "Le document est en file d'attente" in page
    assert set(OutboxTask.objects.values_list("status", flat=True)) == {"pending"}

    throwaway_redis.start()  # empty, as after a crash

    document = DocumentRequest.objects.get()
    wait_until(
        lambda: smtp_sink.received() and _done(document),
        RECOVERY_SECONDS,
        "le courriel et le document partent une fois Redis revenu",
        interval=0.5,
    )
    time.sleep(2 * SWEEP_SECONDS + 1)  # more sweeps: nothing leaves again
    assert smtp_sink.received() == {INVITEE: 1}
    assert document.attempts == 1
    assert len(stored_files(settings)) == 1
    assert [(row.status, row.attempts) for row in OutboxTask.objects.all()] == [("done", 1)] * 2
    page = html.unescape(_get(onglets, reverse("acteurs:invitations")).text)
    assert "Courriel envoyé le" in page and "En attente d'envoi" not in page


def _done(document) -> bool:
    document.refresh_from_db()
    return document.status == DocumentRequest.Status.DONE
