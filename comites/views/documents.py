"""The press release of a séance and the comités' PDFs (through integration.documents)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from acteurs.access import peut
from comites import access, communique, documents, services
from comites.forms import (
    AvisMediasForm,
    CommuniqueForm,
)
from comites.models import Communique
from comites.views.commun import contexte_page
from integration.documents.services import demander
from integration.vues import (
    montrer_sous,
)


def _versions(seance, genre) -> list[Communique]:
    """SEANCE's releases of kind GENRE, the latest first, with their authors."""
    return list(seance.communiques.filter(genre=genre).select_related("cree_par"))


def _contacts_presse(user, departement) -> dict:
    """What comites/_contacts_presse.html shows beside a release's form."""
    return {
        "contacts": communique.contacts(departement),
        "modifier_contacts": peut(user, "contacts_presse", departement),
    }


def _enregistrer_version(request, form, enregistrer, seance, de_quoi: str, page: str):
    """Save a sent FORM as SEANCE's next release version through ENREGISTRER (a service):
    then the redirect to PAGE, saying « Version N DE_QUOI enregistrée. ». None when the form
    was not sent, or was refused (the service's refusal becomes the form's error)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        version = enregistrer(seance, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, f"Version {version.version} {de_quoi} enregistrée.")
    return redirect(f"comites:{page}", pk=seance.pk)


def communique_edition(request, pk):
    """The draft, pre-filled from the séance or from its latest version; each save adds one.

    `?annee=2019` proposes that year's figures (`?annee=aucune`: none), the rest unchanged."""
    seance = access.get_seance_for_user(request.user, pk, "communiquer")
    departement = seance.instance.departement
    montrer_sous(request, departement)
    versions = _versions(seance, Communique.Genre.COMMUNIQUE)
    annees = communique.annees_chiffres(departement.pk)
    demandee = request.GET.get("annee", "")
    annee = communique.annee_proposee(seance, annees)
    if demandee == "aucune" or demandee.isdigit():
        annee = int(demandee) if demandee.isdigit() and int(demandee) in annees else None
    if versions:
        initial = {champ: getattr(versions[0], champ) for champ in Communique.CONTENU}
        if demandee:
            initial["chiffres"] = communique.chiffres(departement.pk, annee)
    else:
        initial = communique.brouillon(seance, annee)
    form = CommuniqueForm(request.POST or None, initial=initial)
    enregistrer = services.enregistrer_communique
    if redirection := _enregistrer_version(
        request, form, enregistrer, seance, "du communiqué", "communique"
    ):
        return redirection
    context = contexte_page(
        "Communiqué de presse",
        seance=seance,
        form=form,
        versions=versions,
        **_contacts_presse(request.user, departement),
        annees=annees,
        annee=annee,
        depuis_version=bool(versions) and not demandee,
        annee_seance=timezone.localtime(seance.debut).year,
    )
    return render(request, "comites/communique.html", context)


@require_safe
def communique_texte(request, pk, version):
    """Export one version as plain text, for the press service."""
    v = access.get_communique_for_user(request.user, pk, version, "communiquer")
    seance = v.seance
    dep = seance.instance.departement
    entete = [*dep.lignes_bloc_marque, "Liberté", "Égalité", "Fraternité"]
    lieu_date = documents.lieu_date_communique(v)
    corps = documents.corps_communique(v)
    lignes = [*entete, "", "COMMUNIQUÉ DE PRESSE", "", v.titre, "", lieu_date, ""]
    lignes += [ligne for paragraphe in corps for ligne in (paragraphe, "")]
    if v.citation:
        lignes += [f"« {v.citation} »", f"{v.citation_auteur}", ""]
    if contacts := communique.contacts(dep):
        lignes += ["Contacts presse", *contacts]
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
    """The sign-in sheet, by surname unless the user chose « par structure »."""
    seance = access.get_seance_pour_document(request.user, pk, access.emargement_visible)
    code = documents.TRIS_EMARGEMENT.get(request.POST.get("tri") or "nom")
    if code is None:
        messages.error(request, "Choisissez l'ordre de la feuille : par nom ou par structure.")
        return redirect(seance)
    document = demander(code, seance, by=request.user)
    return redirect("documents:suivi", pk=document.pk)


# --- Avis aux médias ----------------------------------------------------------------------


def avis_medias(request, pk):
    """The avis aux médias of a coming séance, pre-filled from it or from its latest
    version; each save adds a version, which is exported as a PDF."""
    seance = access.get_seance_for_user(request.user, pk, "annoncer")
    departement = seance.instance.departement
    montrer_sous(request, departement)
    versions = _versions(seance, Communique.Genre.AVIS_MEDIAS)
    if versions:
        initial = {champ: getattr(versions[0], champ) for champ in AvisMediasForm.base_fields}
    else:
        initial = communique.brouillon_avis(seance)
    form = AvisMediasForm(request.POST or None, initial=initial)
    enregistrer = services.enregistrer_avis_medias
    if redirection := _enregistrer_version(
        request, form, enregistrer, seance, "de l'avis aux médias", "avis_medias"
    ):
        return redirection
    context = contexte_page(
        "Avis aux médias",
        seance=seance,
        form=form,
        versions=versions,
        **_contacts_presse(request.user, departement),
    )
    return render(request, "comites/avis_medias.html", context)


@require_POST
def avis_medias_pdf(request, pk, version):
    """One version of the avis aux médias as a PDF: asked now, produced by the workers."""
    v = access.get_avis_pour_document(request.user, pk, version)
    document = demander(documents.AVIS_MEDIAS, v, by=request.user)
    return redirect("documents:suivi", pk=document.pk)
