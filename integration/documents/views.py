"""A document's progress page, its live status fragment, its download and its retry.

Every view reaches the document through `services.get_document_for_user`: the rule of the
object it is about decides, and anyone else gets a 404."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from integration.documents import services


@require_safe
def suivi(request, pk):
    """The document's page: its progress (refreshed by htmx while it runs), then the link."""
    document, kind, objet = services.get_document_for_user(request.user, pk)
    titre = kind.titre(objet)
    context = {
        "title": f"{kind.libelle} — {titre}",
        "titre_objet": titre,
        "document": document,
        "kind": kind,
        "objet": objet,
        "retour": getattr(objet, "get_absolute_url", lambda: "")(),
    }
    if request.htmx:
        return render(request, "documents/_etat.html", context)
    return render(request, "documents/suivi.html", context)


@require_safe
def telecharger(request, pk):
    document, _kind, _objet = services.get_document_for_user(request.user, pk)
    if document.status != document.Status.DONE:
        messages.info(request, "Le document n'est pas encore prêt.")
        return redirect("documents:suivi", pk=document.pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def relancer(request, pk):
    document, _kind, _objet = services.get_document_for_user(request.user, pk)
    if services.relancer(document):
        messages.success(request, "La génération du document est relancée.")
    elif document.status == document.Status.DONE:
        messages.info(request, "Le document est déjà prêt.")
    else:  # a second click, or a document still within its time limit
        messages.info(request, "La génération de ce document est déjà en cours.")
    return redirect("documents:suivi", pk=document.pk)
