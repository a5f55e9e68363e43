"""Context figures of the départements, and the territorial contracts (CTAI, PTAI)."""

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from actions import access
from actions.forms.contexte import AvenantForm, ContratForm, StatistiquesForm
from actions.models import StatistiqueContexte
from actions.services import contexte as services
from actions.services.contexte import total_apres_avenants
from integration.text import chiffres
from integration.vues import appliquer, departement_requis, montrer_sous, perimetre_requis

# --- Statistiques de contexte -----------------------------------------------------------


@require_safe
@perimetre_requis
def statistiques(request):
    departements = access.exiger_dans_le_perimetre(
        request.user, "voir_statistiques", request.perimetre
    )
    stats = StatistiqueContexte.objects.filter(departement__in=departements).select_related(
        "departement"
    )
    return render(
        request,
        "actions/contexte/statistiques.html",
        {
            "title": "Statistiques de contexte",
            "departements": departements,
            "series": _series(departements, list(stats)),
            "peut_saisir": bool(request.departement)
            and access.peut(request.user, "saisir_statistiques", request.departement),
        },
    )


# Chart geometry, in SVG user units.
HAUTEUR, LARGEUR_BARRE, ECART, MARGE = 160, 22, 14, 40
COULEURS = ["#000091", "#6a6af4", "#009081", "#c3992a", "#ce614a", "#a558a0"]


def _series(departements, stats) -> list[dict]:
    """Per indicator: its years, one row per year with a value per département, the
    sources, and the bars of its chart."""
    valeurs = {(s.indicateur, s.annee, s.departement_id): s for s in stats}
    series = []
    for code, libelle in StatistiqueContexte.Indicateur.choices:
        annees = sorted({s.annee for s in stats if s.indicateur == code})
        if not annees:
            continue
        lignes = [
            (annee, [valeurs.get((code, annee, d.pk)) for d in departements]) for annee in annees
        ]
        sources = sorted({s.source for s in stats if s.indicateur == code})
        series.append({"code": code, "libelle": libelle, "lignes": lignes, "sources": sources,
                       "graphique": _graphique(lignes, len(departements))})  # fmt: skip
    return series


def _graphique(lignes, nb_departements: int) -> dict:
    maximum = max((s.valeur for _a, cells in lignes for s in cells if s), default=0) or 1
    groupe = nb_departements * LARGEUR_BARRE + ECART
    barres, etiquettes = [], []
    for i, (annee, cellules) in enumerate(lignes):
        x0 = MARGE + i * groupe
        # Whole numbers: a float would print with a French comma, which SVG cannot read.
        etiquettes.append({"x": x0 + (groupe - ECART) // 2, "texte": annee})
        for j, stat in enumerate(cellules):
            if stat is None:
                continue
            hauteur = max(1, round(stat.valeur * HAUTEUR / maximum))
            barres.append({
                "x": x0 + j * LARGEUR_BARRE, "y": 10 + HAUTEUR - hauteur, "hauteur": hauteur,
                "couleur": COULEURS[j % len(COULEURS)], "stat": stat,
            })  # fmt: skip
    return {
        "largeur": MARGE + len(lignes) * groupe, "hauteur": HAUTEUR + 40,
        "base": 10 + HAUTEUR, "barres": barres, "etiquettes": etiquettes,
        "largeur_barre": LARGEUR_BARRE - 4, "maximum": maximum,
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
@departement_requis
def statistiques_saisir(request):
    departement = request.departement
    access.exiger(request.user, "saisir_statistiques", departement)
    if request.method == "POST":
        form = StatistiquesForm(request.POST)
    else:
        form = StatistiquesForm(initial=_valeurs_de_l_annee(departement, request.GET.get("annee")))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if appliquer(
            request,
            lambda: services.saisir_statistiques(
                departement, d["annee"], form.valeurs(), d["source"], by=request.user
            ),
            f"Les statistiques {d['annee']} ont été enregistrées.",
        ):
            return redirect("actions:statistiques")
    return render(
        request,
        "actions/contexte/statistiques_saisir.html",
        {"title": "Saisir des statistiques de contexte", "form": form},
    )


def _valeurs_de_l_annee(departement, annee: str | None) -> dict:
    """What is already known for ANNEE, to correct it rather than retype it."""
    if not (annee and chiffres(annee) and len(annee) == 4):
        return {}
    stats = StatistiqueContexte.objects.filter(departement=departement, annee=int(annee))
    initial = {s.indicateur: s.valeur for s in stats}
    if stats:
        initial["source"] = stats[0].source
    return {"annee": int(annee), **initial}


# --- Contrats ---------------------------------------------------------------------------

ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


@require_safe
@perimetre_requis
def contrats(request):
    departements = access.exiger_dans_le_perimetre(request.user, "voir_contrats", request.perimetre)
    liste = (
        access.contrats_visible_to(request.user)
        .filter(departement__in=departements)
        .select_related("departement", "signataire")
        .annotate(
            total_etat=Coalesce(Sum("avenants__variation_etat"), ZERO),
            total_local=Coalesce(Sum("avenants__variation_locale"), ZERO),
            nb_avenants=Count("avenants"),
        )
    )
    for contrat in liste:
        contrat.total_etat += contrat.montant_etat
        contrat.total_local += contrat.montant_local
    return render(
        request,
        "actions/contexte/contrats.html",
        {
            "title": "Contrats territoriaux d'accueil et d'intégration",
            "contrats": liste,
            "plusieurs": len(departements) > 1,
            "peut_gerer": bool(request.departement)
            and access.peut(request.user, "gerer_contrats", request.departement),
        },
    )


@require_safe
def contrat(request, pk):
    contrat = access.get_contrat_for_user(request.user, pk)
    montrer_sous(request, contrat.departement)
    etat, local = total_apres_avenants(contrat) or (None, None)
    return render(
        request,
        "actions/contexte/contrat.html",
        {
            "title": contrat.intitule,
            "contrat": contrat,
            "avenants": contrat.avenants.all(),
            "actions": contrat.actions.select_related("porteur").order_by("titre"),
            "total_etat": etat,
            "total_local": local,
            "peut_gerer": access.peut(request.user, "gerer_contrats", contrat.departement_id),
        },
    )


@require_http_methods(["GET", "POST"])
@departement_requis
def contrat_creer(request):
    access.exiger(request.user, "gerer_contrats", request.departement)
    form = ContratForm(request.POST or None, departement=request.departement)
    if form.is_bound and form.is_valid():
        nouveau = form.save(commit=False)
        if appliquer(
            request,
            lambda: services.creer_contrat(nouveau, form.cleaned_data["actions"], by=request.user),
            "Le contrat a été créé.",
        ):
            return redirect(nouveau)
    return render(
        request, "actions/contexte/contrat_form.html", {"title": "Nouveau contrat", "form": form}
    )


@require_http_methods(["GET", "POST"])
def contrat_modifier(request, pk):
    contrat = access.get_contrat_for_user(request.user, pk, "gerer_contrats")
    montrer_sous(request, contrat.departement)
    avant = services.journal.photo(contrat, services.CHAMPS_CONTRAT)
    form = ContratForm(request.POST or None, instance=contrat, departement=contrat.departement)
    if form.is_bound and form.is_valid():
        modifie = form.save(commit=False)
        if appliquer(
            request,
            lambda: services.modifier_contrat(
                modifie, avant, form.cleaned_data["actions"], by=request.user
            ),
            "Le contrat a été modifié.",
        ):
            return redirect(contrat)
    return render(
        request,
        "actions/contexte/contrat_form.html",
        {"title": f"Modifier « {contrat.intitule} »", "form": form, "contrat": contrat},
    )


@require_http_methods(["GET", "POST"])
def avenant_creer(request, pk):
    contrat = access.get_contrat_for_user(request.user, pk, "gerer_contrats")
    montrer_sous(request, contrat.departement)
    form = AvenantForm(request.POST or None)
    if form.is_bound and form.is_valid():
        avenant = form.save(commit=False)
        if appliquer(
            request,
            lambda: services.ajouter_avenant(contrat, avenant, by=request.user),
            "L'avenant a été enregistré.",
        ):
            return redirect(contrat)
    return render(
        request,
        "actions/contexte/avenant_form.html",
        {"title": f"Nouvel avenant – {contrat.intitule}", "form": form, "contrat": contrat},
    )
