"""Asking for a document, producing it, and reaching it through its object's access rule.

    document = demander("actions.feuille_de_route", feuille, by=request.user)
    redirect(document)  # its progress page

`demander` renders the HTML now (the PDF shows what the user asked for), and reuses the
request of an unchanged version instead of rendering the same PDF twice. `produire` is the
task's work: idempotent, it claims the document before running (one run at a time) and
overwrites its own file when a run is repeated. A document past its time limit
(`DOCUMENTS_TIME_LIMIT`: its worker died) may be claimed again, by the outbox's sweep or
by `relancer` from its page.
"""

import hashlib
import logging
import time

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from integration.documents import rendu
from integration.documents.registre import TypeDocument, type_document
from integration.models import DocumentRequest

logger = logging.getLogger(__name__)

Status = DocumentRequest.Status
# The version key of a signed kind: its object keeps one document, ever (frozen).
VERSION_SIGNEE = "signee"
ERREUR_GENERIQUE = (
    "La génération du document a échoué. Relancez-la ; si l'échec se répète, "
    "signalez-le à l'assistance."
)


class ErreurDocument(Exception):
    """A failure whose French message can be shown as it is (no certificate configured…)."""


def demander(code: str, obj, by) -> DocumentRequest:
    """The request for the document CODE of OBJ: an unchanged version's, or a new one sent
    to the workers after the commit."""
    from integration import outbox, tasks  # the tasks module imports this one

    kind = type_document(code)
    if obj._meta.label != kind.modele:  # a kind's template reads one model's fields only
        raise TypeError(f"{code} porte sur {kind.modele}, pas sur {obj._meta.label}")
    html = rendu.rendre_html(kind.gabarit, kind.contexte(obj), titre=kind.titre(obj))
    version = VERSION_SIGNEE if kind.signataire else hashlib.sha256(html.encode()).hexdigest()
    cle = {
        "kind": code,
        "content_type": ContentType.objects.get_for_model(obj),
        "object_id": obj.pk,
        "version": version,
    }
    with transaction.atomic():
        existant = DocumentRequest.objects.filter(**cle).exclude(status=Status.FAILED).first()
        if existant:
            return existant
        try:
            with transaction.atomic():
                document = DocumentRequest.objects.create(
                    **cle,
                    html=html,
                    signed=kind.signataire is not None,
                    requested_by=by,
                    filename=kind.nom_fichier(obj),
                )
        except IntegrityError:  # the same request, committed meanwhile by another click
            return DocumentRequest.objects.exclude(status=Status.FAILED).get(**cle)
        outbox.enqueue(tasks.render_document, document.pk)
    return document


def relancer(document: DocumentRequest) -> bool:
    """Send DOCUMENT to the workers again, as the same request, when it failed or is past
    its time limit (its worker died). True when this call relaunched it; False when there
    was nothing to relaunch, or a second tab's same click did it first: one conditional
    UPDATE decides, so two clicks enqueue one run."""
    from integration import outbox, tasks

    now = timezone.now()
    with transaction.atomic():
        relance = (
            DocumentRequest.objects.filter(pk=document.pk)
            .filter(Q(status=Status.FAILED) | DocumentRequest.en_retard_le(now))
            .update(status=Status.WAITING, error="", started_at=None, requested_at=now)
        )
        if relance:
            outbox.enqueue(tasks.render_document, document.pk)
    document.refresh_from_db()
    return bool(relance)


def produire(document_id: int) -> DocumentRequest | None:
    """Render, sign when the kind says so, store, record. Repeating it is harmless: a done
    document is left alone, and a run cut short rewrites the same file name."""
    document = DocumentRequest.objects.filter(pk=document_id).first()
    if document is None or not _prendre(document_id):
        return document
    kind = type_document(document.kind)
    debut = time.monotonic()
    resultat = rendu.rendre_pdf(document.html, variante=kind.variante)
    pdf = resultat.pdf
    if document.signed:
        pdf = _signer(kind, document, resultat)
    nom = _enregistrer_fichier(document, pdf)
    DocumentRequest.objects.filter(pk=document.pk).update(
        status=Status.DONE,
        file=nom,
        sha256=hashlib.sha256(pdf).hexdigest(),
        pages=resultat.pages,
        finished_at=timezone.now(),
        duration_ms=round((time.monotonic() - debut) * 1000),
    )
    document.refresh_from_db()
    return document


def _prendre(document_id: int) -> bool:
    """Claim the document for this run, in one conditional UPDATE: it is waiting, or
    running past its time limit (that worker died). Another run that finds it done,
    failed or running within its limit leaves it, so two runs never write it together."""
    now = timezone.now()
    waiting_or_lost = Q(status=Status.WAITING) | DocumentRequest.en_retard_le(now)
    pris = DocumentRequest.objects.filter(waiting_or_lost, pk=document_id).update(
        status=Status.RUNNING, started_at=now, attempts=F("attempts") + 1, error=""
    )
    return pris == 1


def remettre_en_attente(document_id: int) -> None:
    """A run that will be retried gives the document back, so the retry may claim it."""
    DocumentRequest.objects.filter(pk=document_id, status=Status.RUNNING).update(
        status=Status.WAITING
    )


def _signer(kind: TypeDocument, document: DocumentRequest, resultat: rendu.Rendu) -> bytes:
    from integration import signature

    if resultat.cadre_signature is None:
        raise ErreurDocument("Le modèle du document n'a pas d'emplacement pour la signature.")
    signataire = kind.signataire(objet_de(document))
    return signature.signer_pdf(resultat.pdf, resultat.cadre_signature, signataire)


def _enregistrer_fichier(document: DocumentRequest, pdf: bytes) -> str:
    """Store PDF under the request's own name; a repeated run replaces what it left."""
    champ = document.file.field
    nom = champ.generate_filename(document, document.filename)
    if champ.storage.exists(nom):
        champ.storage.delete(nom)
    return champ.storage.save(nom, ContentFile(pdf))


def echouer(document_id: int, exc: BaseException) -> None:
    """Record a lasting failure with a French message the page can show."""
    message = str(exc) if isinstance(exc, ErreurDocument) else ERREUR_GENERIQUE
    if not isinstance(exc, ErreurDocument):
        logger.error("Document %s : échec de la génération", document_id, exc_info=exc)
    DocumentRequest.objects.filter(pk=document_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )


# --- Access -------------------------------------------------------------------------------


def objet_de(document: DocumentRequest):
    """The object DOCUMENT is about, or None once it is gone."""
    modele = document.content_type.model_class()  # None when its app was removed
    if modele is None:
        return None
    return modele._default_manager.filter(pk=document.object_id).first()


def get_document_for_user(user, pk: int) -> tuple[DocumentRequest, TypeDocument, object]:
    """The document PK, its kind and its object, when USER may read that object; 404
    otherwise (the document does not exist for them)."""
    document = get_object_or_404(DocumentRequest.objects.select_related("content_type"), pk=pk)
    kind = type_document(document.kind)
    objet = objet_de(document)
    if objet is None or not kind.visible(user, objet):
        raise Http404
    return document, kind, objet


def derniers(code: str, obj, limite: int = 5):
    """The latest requests for the document CODE of OBJ, newest first (for its page)."""
    return DocumentRequest.objects.filter(
        kind=code, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).defer("html")[:limite]
