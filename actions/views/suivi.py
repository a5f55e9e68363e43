"""The follow-up of adopted actions: status, progress, milestones, indicator values, amounts
paid; the yearly bilans of an action and of an axe; the indicator grid, out and back."""

import io

from crispy_forms.helper import FormHelper
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from actions import access, indicateurs, workflow
from actions.forms.suivi import (
    AvancementForm,
    BilanForm,
    JalonsForm,
    MesuresForm,
    StatutForm,
    VersementsForm,
)
from actions.models import BilanAnnuel, Indicateur, Mesure
from actions.services import circuit
from actions.services import suivi as services
from integration.fichiers.apercu import ApercuEnSession, ConfirmationRefusee
from integration.fichiers.ecriture import csv_bytes, xlsx_bytes
from integration.fichiers.formulaire import TeleversementForm
from integration.montants import lire_nombre
from integration.vues import appliquer, montrer_sous, perimetre_requis

APERCU = ApercuEnSession("import_indicateurs")

# --- An action's follow-up --------------------------------------------------------------


def _formulaires(request, action, data=None) -> dict:
    """The page's forms; only the one named in DATA is bound."""
    quel = data.get("formulaire") if data else None
    indicateurs_ = action.indicateurs.prefetch_related("mesures")
    fabriques = {
        StatutForm.FORMULAIRE: lambda d: StatutForm(d, action=action),
        AvancementForm.FORMULAIRE: lambda d: AvancementForm(
            d, initial={"avancement": action.avancement}
        ),
        JalonsForm.FORMULAIRE: lambda d: JalonsForm(d, jalons=action.jalons.all()),
        MesuresForm.FORMULAIRE: lambda d: MesuresForm(d, action=action, indicateurs=indicateurs_),
    }
    if access.can(request.user, "verser", action):
        fabriques[VersementsForm.FORMULAIRE] = lambda d: VersementsForm(
            d, financements=action.financements.all()
        )
    return {nom: fabrique(data if nom == quel else None) for nom, fabrique in fabriques.items()}


def _appliquer_formulaire(request, action, nom: str, form) -> bool:
    user = request.user
    d = form.cleaned_data
    operations = {
        "statut": (
            lambda: circuit.changer_statut(
                action, d["vers"], by=user, commentaire=d["commentaire"], seulement="suivre"
            ),
            "Le statut de l'action a été mis à jour.",
        ),
        "avancement": (
            lambda: services.enregistrer_avancement(action, d["avancement"], by=user),
            "L'avancement a été enregistré.",
        ),
        "jalons": (
            lambda: services.marquer_jalons(form.dates(), by=user),
            "Les jalons ont été enregistrés.",
        ),
        "mesures": (
            lambda: services.saisir_mesures(form.valeurs(), by=user),
            "Les valeurs des indicateurs ont été enregistrées.",
        ),
        "versements": (
            lambda: services.enregistrer_versements(form.montants(), by=user),
            "Les montants versés ont été enregistrés.",
        ),
    }
    operation, succes = operations[nom]
    return appliquer(request, operation, succes)


@require_http_methods(["GET", "POST"])
def suivi(request, pk):
    action = access.get_action_for_user(request.user, pk, "suivre")
    montrer_sous(request, action.feuille.departement)
    if request.method == "POST":
        formulaires = _formulaires(request, action, request.POST)
        nom = request.POST.get("formulaire")
        if nom == VersementsForm.FORMULAIRE and nom not in formulaires:
            raise PermissionDenied  # amounts paid are the State's services' to record
        form = formulaires.get(nom)
        if form is None:
            return HttpResponseBadRequest("Formulaire inconnu.", content_type="text/plain")
        if nom == "statut" and request.POST.get("vers") == action.statut:
            # A second tab's click, arriving after the first one's: say so, as when they meet.
            messages.error(request, workflow.deja(action.statut))
            return redirect("actions:suivi", pk=action.pk)
        if form.is_valid() and _appliquer_formulaire(request, action, nom, form):
            return redirect("actions:suivi", pk=action.pk)
    else:
        formulaires = _formulaires(request, action)
    feuille = action.feuille
    return render(
        request,
        "actions/suivi/suivi.html",
        {
            "title": f"Suivi de l'action « {action.titre} »",
            "action": action,
            "formulaires": formulaires,
            "annees": range(feuille.annee_debut, feuille.annee_fin + 1),
            "bilans": {b.annee: b for b in action.bilans.all()},
            "financements": action.financements.all(),
            "transitions": (
                action.transitions.select_related("par")
                if access.can(request.user, "voir_historique", action)
                else []
            ),
        },
    )


def _annee_de_la_periode(feuille, annee: int) -> None:
    if not feuille.annee_debut <= annee <= feuille.annee_fin:
        raise Http404("Cette année n'est pas dans la période de la feuille de route.")


def _bilan_form(data, instance):
    form = BilanForm(data, instance=instance)
    form.helper = FormHelper()
    form.helper.form_tag = False
    form.helper.disable_csrf = True
    return form


@require_http_methods(["GET", "POST"])
def bilan_action(request, pk, annee):
    action = access.get_action_for_user(request.user, pk, "suivre")
    _annee_de_la_periode(action.feuille, annee)
    montrer_sous(request, action.feuille.departement)
    bilan = BilanAnnuel.objects.filter(action=action, annee=annee).first()
    form = _bilan_form(request.POST if request.method == "POST" else None, bilan)
    if form.is_bound and form.is_valid():
        textes = {c: form.cleaned_data[c] for c in BilanForm.Meta.fields}
        if appliquer(
            request,
            lambda: services.enregistrer_bilan(
                action=action, annee=annee, by=request.user, **textes
            ),
            f"Le bilan {annee} de l'action a été enregistré.",
        ):
            return redirect("actions:suivi", pk=action.pk)
    return render(
        request,
        "actions/suivi/bilan_action.html",
        {"title": f"Bilan {annee} de l'action « {action.titre} »", "action": action,
         "annee": annee, "form": form},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def bilan_axe(request, pk, annee):
    axe = access.get_axe_for_user(request.user, pk)
    feuille = axe.feuille
    _annee_de_la_periode(feuille, annee)
    montrer_sous(request, feuille.departement)
    peut_rediger = access.peut(request.user, "rediger_bilan_axe", feuille.departement_id)
    if request.method == "POST" and not peut_rediger:
        raise PermissionDenied
    bilan = BilanAnnuel.objects.filter(axe=axe, annee=annee).first()
    form = _bilan_form(request.POST if request.method == "POST" else None, bilan)
    if form.is_bound and form.is_valid():
        textes = {c: form.cleaned_data[c] for c in BilanForm.Meta.fields}
        if appliquer(
            request,
            lambda: services.enregistrer_bilan(axe=axe, annee=annee, by=request.user, **textes),
            f"Le bilan {annee} de l'axe a été enregistré.",
        ):
            return redirect("actions:bilan_axe", pk=axe.pk, annee=annee)
    return render(request, "actions/suivi/bilan_axe.html", {
        "title": f"Bilan {annee} – {axe.libelle}", "axe": axe, "feuille": feuille,
        "annee": annee, "annees": range(feuille.annee_debut, feuille.annee_fin + 1),
        "bilan": bilan, "form": form if peut_rediger else None,
        "actions": _actions_de_l_axe(request.user, axe, annee),
    })  # fmt: skip


def _actions_de_l_axe(user, axe, annee) -> list:
    """The axe's actions the user reads, each with its bilan and indicator values for ANNEE."""
    actions = list(
        access.actions_visible_to(user).filter(axe=axe).select_related("porteur").order_by("titre")
    )
    bilans = {b.action_id: b for b in BilanAnnuel.objects.filter(action__in=actions, annee=annee)}
    par_action: dict[int, list] = {}
    mesures = {
        m.indicateur_id: m.valeur
        for m in Mesure.objects.filter(indicateur__action__in=actions, annee=annee)
    }
    for indicateur in Indicateur.objects.filter(action__in=actions):
        indicateur.valeur_annee = mesures.get(indicateur.pk)
        indicateur.pourcentage = _pourcentage(indicateur.valeur_annee, indicateur.cible)
        par_action.setdefault(indicateur.action_id, []).append(indicateur)
    for action in actions:
        action.bilan_annee = bilans.get(action.pk)
        action.indicateurs_annee = par_action.get(action.pk, [])
    return actions


def _pourcentage(valeur, cible) -> int | None:
    if valeur is None or not cible:
        return None
    return min(100, round(valeur * 100 / cible))


# --- The indicator grid -----------------------------------------------------------------

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _exiger_grille(request) -> None:
    if not access.peut_suivre_indicateurs(request.user, request.perimetre.departement_ids):
        raise PermissionDenied


@require_safe
@perimetre_requis
def indicateurs_export(request):
    _exiger_grille(request)
    format_ = request.GET.get("format", "")
    if format_ not in FORMATS:
        return HttpResponseBadRequest(
            f"Format d'export inconnu : « {format_[:20]} ». Formats possibles : csv, xlsx.",
            content_type="text/plain; charset=utf-8",
        )
    lignes = indicateurs.grille(request.user, request.perimetre.departement_ids)
    entete = [titre for titre, _largeur in indicateurs.ENTETE]
    if format_ == "csv":
        contenu = csv_bytes(entete, lignes)
    else:
        contenu = xlsx_bytes("Indicateurs", indicateurs.ENTETE, lignes)
    nom = f"indicateurs-{request.perimetre.cle.lower()}.{format_}"
    response = FileResponse(io.BytesIO(contenu), as_attachment=True, filename=nom)
    response["Content-Type"] = FORMATS[format_]
    return response


class ImportGrilleForm(TeleversementForm):
    LIBELLE = "Grille des indicateurs remplie"
    AIDE = "Le fichier exporté ci-dessus, au format .csv ou .xlsx, 2 Mo au plus."


@require_http_methods(["GET", "POST"])
@perimetre_requis
def indicateurs_import(request):
    _exiger_grille(request)
    envoye = request.method == "POST"
    form = ImportGrilleForm(request.POST, request.FILES) if envoye else ImportGrilleForm()
    if form.is_bound and form.is_valid():
        resultat = indicateurs.analyser_fichier(form.cleaned_data["fichier"], request.user)
        if resultat.est_propre:
            APERCU.garder(
                request.session,
                portee=request.perimetre.cle,
                nom_fichier=resultat.nom_fichier,
                empreinte=resultat.empreinte,
                lignes=resultat.en_session(),
            )
        else:
            APERCU.oublier(request.session)
        return render(
            request,
            "actions/suivi/indicateurs_apercu.html",
            {"title": "Aperçu de l'import des indicateurs", "resultat": resultat},
        )
    return render(
        request,
        "actions/suivi/indicateurs_import.html",
        {"title": "Indicateurs : exporter la grille, importer les valeurs", "form": form},
    )


@require_POST
@perimetre_requis
def indicateurs_confirmer(request):
    _exiger_grille(request)
    try:
        en_attente = APERCU.reprendre(
            request.session, portee=request.perimetre.cle, empreinte=request.POST.get("empreinte")
        )
    except ConfirmationRefusee as exc:
        messages.error(request, str(exc))
        return redirect("actions:indicateurs_import")
    valeurs = [(pk, annee, lire_nombre(v)) for pk, annee, v in en_attente.lignes]
    try:
        n = services.importer_mesures(valeurs, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("actions:indicateurs_import")
    s = "s" if n > 1 else ""
    messages.success(request, f"Import terminé : {n} valeur{s} d'indicateur mise{s} à jour.")
    return redirect("actions:indicateurs_import")
