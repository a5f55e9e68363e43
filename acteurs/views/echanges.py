"""Exchanging the actors' list with spreadsheets: export what the list shows, import a file.

An import is two steps. The upload is read and checked (`acteurs.imports`), and the
preview shows every row; only a clean file is kept, in the session, and only the
confirmation of that very file writes — in one transaction, after checking duplicates again.
"""

import io

from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from acteurs import access, exports, imports
from acteurs.filters import acteurs_filtres
from integration.fichiers.apercu import ApercuEnSession, ConfirmationRefusee
from integration.fichiers.ecriture import csv_bytes
from integration.fichiers.formulaire import TeleversementForm
from integration.vues import departement_requis, perimetre_requis

APERCU = ApercuEnSession("import_acteurs")

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.export_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.export_xlsx,
    ),
    "json": ("application/json", exports.export_json),
}


# --- Export -----------------------------------------------------------------------------


@require_safe
@perimetre_requis
def exporter(request):
    """The list as a file, with the same filters and sort, all pages at once."""
    format_ = request.GET.get("format", "")
    if format_ not in FORMATS:
        return HttpResponseBadRequest(
            f"Format d'export inconnu : « {format_[:20]} ». Formats possibles : csv, xlsx, json.",
            content_type="text/plain; charset=utf-8",
        )
    _form, acteurs = acteurs_filtres(request)
    content_type, fabrique = FORMATS[format_]
    contenu = fabrique(acteurs)
    nom = exports.nom_fichier(request.perimetre.cle, format_)
    return _telechargement(contenu, nom, content_type)


def _telechargement(contenu: bytes, nom: str, content_type: str) -> FileResponse:
    response = FileResponse(io.BytesIO(contenu), as_attachment=True, filename=nom)
    response["Content-Type"] = content_type
    return response


# --- Import -----------------------------------------------------------------------------


class ImportForm(TeleversementForm):
    LIBELLE = "Fichier des acteurs"
    AIDE = (
        "Format .csv (séparateur point-virgule ou virgule) ou .xlsx, 2 Mo et 2 000 lignes "
        "au plus. Première ligne : les titres des colonnes. Obligatoires : Nom et Type. "
        "Facultatives : Sigle, SIRET, Adresse, Code postal, Commune (nom ou code INSEE), "
        "Téléphone, Courriel, Site web, Réseaux (séparés par des virgules ou des "
        "points-virgules), Description."
    )


@require_http_methods(["GET", "POST"])
@departement_requis
def importer(request):
    access.exiger(request.user, "importer_acteurs", request.departement)
    if request.method == "GET" and request.GET.get("modele"):
        return _modele(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        resultat = imports.analyser_fichier(form.cleaned_data["fichier"], request.departement)
        if resultat.est_propre:
            APERCU.garder(
                request.session,
                portee=request.departement.pk,
                nom_fichier=resultat.nom_fichier,
                empreinte=resultat.empreinte,
                lignes=[ligne.en_session() for ligne in resultat.lignes],
            )
        else:
            APERCU.oublier(request.session)
        return _apercu(request, resultat)
    return render(
        request,
        "acteurs/import.html",
        {"title": "Importer des acteurs", "form": form, "colonnes": imports.COLONNES},
    )


def _modele(request) -> HttpResponse:
    """A CSV with the expected headers and one example row, to fill in."""
    departement = request.departement
    entete = [
        "Nom", "Sigle", "Type", "SIRET", "Adresse", "Code postal", "Commune", "Téléphone",
        "Courriel", "Site web", "Réseaux", "Description",
    ]  # fmt: skip
    exemple = [
        "Association d'entraide exemple", "AEE", "Association", "", "1, rue de la République",
        "", departement.chef_lieu, "02 35 00 00 00", "contact@exemple.fr",
        "https://www.exemple.fr", "Croix-Rouge",
        "Cours de français et accompagnement vers l'emploi.",
    ]  # fmt: skip
    contenu = csv_bytes(entete, [exemple])
    nom = f"modele-import-acteurs-{departement.code.lower()}.csv"
    return _telechargement(contenu, nom, "text/csv; charset=utf-8")


def _apercu(request, resultat: imports.ResultatImport):
    return render(
        request,
        "acteurs/import_apercu.html",
        {"title": "Aperçu de l'import", "resultat": resultat},
    )


@require_POST
@departement_requis
def confirmer_import(request):
    access.exiger(request.user, "importer_acteurs", request.departement)
    try:
        en_attente = APERCU.reprendre(
            request.session, portee=request.departement.pk, empreinte=request.POST.get("empreinte")
        )
    except ConfirmationRefusee as exc:
        messages.error(request, str(exc))
        return redirect("acteurs:importer")
    resultat = imports.ResultatImport(
        nom_fichier=en_attente.nom_fichier,
        empreinte=en_attente.empreinte,
        lignes=[imports.LigneImport.depuis_session(data) for data in en_attente.lignes],
    )
    try:
        crees = imports.enregistrer(request.departement, resultat.lignes, by=request.user)
    except imports.ImportBloque:
        resultat.erreurs.append(
            "Des acteurs ont changé depuis l'aperçu : aucun acteur n'a été importé. "
            "Corrigez les lignes signalées dans votre fichier et déposez-le à nouveau."
        )
        return _apercu(request, resultat)
    s = "s" if len(crees) > 1 else ""
    messages.success(request, f"{len(crees)} acteur{s} importé{s}.")
    return redirect("acteurs:liste")
