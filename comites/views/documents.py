"""The press release of a séance and the comités' PDFs (through integration.documents)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from comites import access, communique, documents, services
from comites.forms import (
    CommuniqueForm,
)
from comites.views.commun import contexte_page
from integration.documents.services import demander
from integration.vues import (
    montrer_sous,
)


def communique_edition(request, pk):
    """The draft, pre-filled from the séance or from its latest version; each save adds one."""
    seance = access.get_seance_for_user(request.user, pk, "communiquer")
    montrer_sous(request, seance.instance.departement)
    versions = list(seance.communiques.select_related("cree_par"))
    if versions:
        initial = {"titre": versions[0].titre, "texte": versions[0].texte}
    else:
        titre, texte = communique.brouillon(seance)
        initial = {"titre": titre, "texte": texte}
    form = CommuniqueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            v = services.enregistrer_communique(seance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Version {v.version} du communiqué enregistrée.")
            return redirect("comites:communique", pk=seance.pk)
    context = contexte_page(
        "Communiqué de presse",
        seance=seance,
        form=form,
        versions=versions,
        contacts=communique.contacts(seance.instance.departement),
    )
    return render(request, "comites/communique.html", context)


@require_safe
def communique_texte(request, pk, version):
    """Export one version as plain text, for the press service."""
    v = access.get_communique_for_user(request.user, pk, version, "communiquer")
    seance = v.seance
    dep = seance.instance.departement
    entete = [*dep.lignes_bloc_marque, "Liberté", "Égalité", "Fraternité"]
    lignes = [*entete, "", "COMMUNIQUÉ DE PRESSE", "", v.titre, "", v.texte, ""]
    lignes += communique.contacts(dep)
    response = HttpResponse("\n".join(lignes) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="communique-{seance.pk}-v{v.version}.txt"'
    )
    return response


@require_POST
def communique_pdf(request, pk, version):
    """One version of the communiqué as a PDF: asked now, produced by the workers."""
    v = access.get_communique_for_user(request.user, pk, version, "communiquer")
    document = demander(documents.COMMUNIQUE, v, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


@require_POST
def compte_rendu_pdf(request, pk):
    seance = access.get_seance_pour_document(request.user, pk, access.compte_rendu_visible)
    if not seance.compte_rendu.strip():
        messages.error(request, "La séance n'a pas encore de compte rendu.")
        return redirect(seance)
    document = demander(documents.COMPTE_RENDU, seance, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


@require_POST
def emargement_pdf(request, pk):
    seance = access.get_seance_pour_document(request.user, pk, access.emargement_visible)
    document = demander(documents.EMARGEMENT, seance, by=request.user)
    return redirect("documents:suivi", pk=document.pk)
