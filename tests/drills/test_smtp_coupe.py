"""Drill: the mail server is down for a minute; every e-mail arrives once it is back.

The mail server is an SMTP sink of the drill's own, which counts what each recipient
receives. It goes down, people are invited through the pages (and a calendar invitation
is sent, as a convocation sends it), the real worker meets a refused connection, and the
sink comes back SMTP_OUTAGE_SECONDS later. The outbox tries each e-mail again with growing
delays: each recipient gets exactly one message, and the pages show them sent.
"""

import html
import time

import pytest
import requests
from django.db import transaction
from django.urls import reverse

from integration.models import OutboxTask
from integration.outbox import enqueue
from integration.tasks import send_email_with_attachment
from tests.concurrency import Onglets
from tests.drills.conftest import (
    BEAT_READY,
    SWEEP_SECONDS,
    WORKER_READY,
    celery_beat,
    celery_worker,
)
from tests.throwaway import wait_until

pytestmark = [pytest.mark.drills, pytest.mark.services]

SMTP_OUTAGE_SECONDS = 60
INVITEES = [f"invitee{rang}@example.fr" for rang in range(1, 4)]
CONVOQUE = "convoque@example.fr"
# After the outage, the next try of each e-mail (its delay grows while the server is down).
RECOVERY_SECONDS = 150


def _invite(onglets: Onglets, association, email: str) -> None:
    (reponse,) = onglets.poster(
        reverse("acteurs:invitation_creer"),
        {"email": email, "acteur": association.pk, "role_membre": "lecteur"},
        fois=1,
    )
    assert reponse.status_code == 302, reponse.text[:500]


def _all_tried() -> bool:
    rows = OutboxTask.objects.all()
    return len(rows) == 4 and all(row.attempts >= 1 and row.last_error for row in rows)


def _none_failed() -> bool:
    """An e-mail given up for good will never arrive: say so now rather than at the timeout."""
    failed = OutboxTask.objects.filter(status=OutboxTask.Status.FAILED)
    if failed:
        pytest.fail(f"{len(failed)} courriel(s) abandonné(s) : {failed[0].last_error}")
    return True


@pytest.mark.django_db(transaction=True)
def test_every_email_arrives_once_after_the_mail_server_is_back(
    app_env, programs, smtp_sink, live_server, pilotage, association, tmp_path
):
    programs("worker", celery_worker(), app_env, ready=WORKER_READY)
    programs("beat", celery_beat(tmp_path), app_env, ready=BEAT_READY)
    onglets = Onglets(live_server, pilotage)

    smtp_sink.stop()
    panne = time.monotonic()
    for email in INVITEES:
        _invite(onglets, association, email)
    with transaction.atomic():
        enqueue(
            send_email_with_attachment, "Convocation", "Bonjour,", [CONVOQUE],
            "invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar",
        )  # fmt: skip
    wait_until(_all_tried, 30, "le worker essaie chaque courriel et trouve le serveur fermé")
    time.sleep(max(0.0, panne + SMTP_OUTAGE_SECONDS - time.monotonic()))
    assert smtp_sink.received() == {}
    # Tried again during the outage, each time a little later, never given up.
    assert all(row.attempts >= 2 for row in OutboxTask.objects.all())

    smtp_sink.start()

    expected = dict.fromkeys([*INVITEES, CONVOQUE], 1)
    wait_until(
        lambda: _none_failed() and set(smtp_sink.received()) == set(expected),
        RECOVERY_SECONDS,
        "chaque courriel part une fois le serveur de courriel revenu",
        interval=0.5,
    )
    time.sleep(2 * SWEEP_SECONDS + 1)  # more sweeps: nothing leaves again
    assert smtp_sink.received() == expected
    assert set(OutboxTask.objects.values_list("status", flat=True)) == {"done"}
    page = requests.get(
        onglets.url + reverse("acteurs:invitations"), cookies=onglets.cookies, timeout=30
    )
    texte = html.unescape(page.text)
    assert texte.count("Courriel envoyé le") == len(INVITEES)
    assert "Échec de l'envoi" not in texte
