"""Drill: a worker is killed (SIGKILL) while it makes a PDF; the document is made once.

A real `celery worker` of the drill's own (prefork, late acknowledgement) on a throwaway
Redis, with beat sweeping the outbox every few seconds. Two deaths, two ways back:

- the pool process dies during the render (what the kernel's out-of-memory killer does):
  the worker gives the message back at once, the copy finds the row still claimed and
  leaves it, and the sweep publishes it again once the claim's lease has run out;
- the whole worker dies during the signature (a host or container lost), while the
  timestamp authority holds its answer: nothing is acknowledged, a new worker starts, and
  the sweep (and the broker's redelivery) bring the document back.

Either way: the document is done, its run counted twice (the one cut short and the one
that finished), one file in storage, read back as a real PDF.
"""

import hashlib
import os
import signal
import threading
import time
from io import BytesIO

import pytest
from django.db import transaction
from pypdf import PdfReader

from actions.documents import FEUILLE_DE_ROUTE, FEUILLE_SIGNEE
from integration.documents.services import demander
from integration.models import DocumentRequest, OutboxTask
from integration.signature import Statut, verifier_pdf
from tests.acteurs.factories import ActeurFactory
from tests.actions.factories import ActionFactory, AxeFactory, FeuilleDeRouteFactory, signer
from tests.drills.conftest import (
    BEAT_READY,
    SWEEP_SECONDS,
    WORKER_READY,
    celery_beat,
    celery_worker,
    stored_files,
)
from tests.integration.horodatage import ServiceHorodatage
from tests.throwaway import wait_until

pytestmark = [pytest.mark.drills, pytest.mark.services]

Status = DocumentRequest.Status
# The claim's lease (the task's time limit plus a margin) and a few sweeps.
RECOVERY_SECONDS = 180


def _feuille(departement, actions: int):
    """A feuille de route whose PDF takes a second or two to lay out."""
    feuille = FeuilleDeRouteFactory(departement=departement)
    axe = AxeFactory(feuille=feuille)
    porteur = ActeurFactory(departement=departement)
    ActionFactory.create_batch(actions, axe=axe, porteur=porteur, validee=True)
    return feuille


def _status(document) -> str:
    document.refresh_from_db()
    return document.status


def _assert_cut_short(document, settings) -> None:
    """The kill came before the end: the document is still running, and has no file."""
    time.sleep(1)  # what a dying run could still have written
    assert _status(document) == Status.RUNNING, "le worker a fini avant d'être tué"
    assert stored_files(settings) == []


def _assert_made_once(document, settings) -> bytes:
    wait_until(
        lambda: _status(document) in (Status.DONE, Status.FAILED),
        RECOVERY_SECONDS,
        "le document est produit après la reprise",
        interval=0.5,
    )
    time.sleep(2 * SWEEP_SECONDS + 1)  # more sweeps, more redeliveries: nothing runs again
    document.refresh_from_db()
    assert (document.status, document.error) == (Status.DONE, "")
    assert document.attempts == 2  # the run cut short, then the one that finished
    (fichier,) = stored_files(settings)
    assert fichier.name == os.path.basename(document.file.name)
    pdf = fichier.read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    assert len(PdfReader(BytesIO(pdf)).pages) == document.pages
    (row,) = OutboxTask.objects.filter(task_name="integration.tasks.render_document")
    assert row.status == OutboxTask.Status.DONE
    return pdf


@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_during_a_render(
    app_env, programs, pilotage, seine_maritime, settings, tmp_path
):
    feuille = _feuille(seine_maritime, actions=40)
    worker = programs("worker", celery_worker(), app_env, ready=WORKER_READY)
    programs("beat", celery_beat(tmp_path), app_env, ready=BEAT_READY)

    with transaction.atomic():
        document = demander(FEUILLE_DE_ROUTE, feuille, by=pilotage)
    wait_until(lambda: _status(document) == Status.RUNNING, 60, "le worker commence le rendu")
    (pool_process,) = worker.children()
    os.kill(pool_process, signal.SIGKILL)

    _assert_cut_short(document, settings)
    pdf = _assert_made_once(document, settings)
    texte = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert texte.count("Action numéro") >= 40


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_a_signature(
    app_env, programs, cabinet, seine_maritime, settings, tmp_path, service_horodatage
):
    feuille = signer(_feuille(seine_maritime, actions=3))
    ServiceHorodatage.remettre_a_zero()
    ServiceHorodatage.retenue = threading.Event()  # the first signature waits for its stamp
    env = {**app_env, "SIGNATURE_TSA_URL": service_horodatage}
    worker = programs("worker", celery_worker(), env, ready=WORKER_READY)
    programs("beat", celery_beat(tmp_path), env, ready=BEAT_READY)

    with transaction.atomic():
        document = demander(FEUILLE_SIGNEE, feuille, by=cabinet)
    assert ServiceHorodatage.recue.wait(60), "le worker n'a pas demandé l'horodatage"
    worker.kill()
    ServiceHorodatage.retenue.set()  # the authority answers again, at once
    _assert_cut_short(document, settings)

    programs("worker-2", celery_worker("worker-2"), env, ready=WORKER_READY)
    pdf = _assert_made_once(document, settings)
    verification = verifier_pdf(pdf)
    assert verification.statut == Statut.INTACT
