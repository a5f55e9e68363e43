"""The actions list with its filters and exports, and the plan's dashboard.

Both span the current perimeter (one département, or a wide reader's région or France)
and read only what `actions.access.actions_visible_to` lets the user read.
"""

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from actions import agregats, exports, montants
from actions import tableau as calculs
from actions.access import (
    exiger_dans_un_departement,
    feuilles_ouvertes_aux_propositions,
    peut,
)
from actions.filters import actions_filtrees, avec_totaux, base
from actions.models import Action
from integration.vues import perimetre_requis

PAR_PAGE = 50
# What a row of the list shows, read as values (a row of the list is text, not a model:
# fifty actions with four related models were 250 instances to build per page).
COLONNES = (
    "pk",
    "titre",
    "statut",
    "date_debut",
    "date_fin",
    "axe__libelle",
    "porteur__nom",
    "feuille__departement__nom",
    "feuille__departement__code",
    "total_demande",
    "total_accorde",
)
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _exiger_lecture(request) -> None:
    """The plan is read by whoever reads it in one of the perimeter's départements."""
    exiger_dans_un_departement(request.user, "voir_plan", request.perimetre)


@require_safe
@perimetre_requis
def liste(request):
    _exiger_lecture(request)
    form, actions = actions_filtrees(request)
    # Unfiltered, the totals are the perimeter's: from the cached figures when they serve.
    resume = (
        agregats.resume(request.user, request.perimetre.departement_ids)
        if form.sans_filtre()
        else None
    )
    totaux = resume.totaux() if resume else montants.totaux(actions)
    # The page's actions in two steps: their ids, sorted among all the perimeter's on the
    # narrow rows that sort needs; then those fifty with the columns the table shows.
    # Sorting 15,000 full rows with their porteur and département cost more than the rest.
    pages = Paginator(actions.values_list("pk", flat=True), PAR_PAGE)
    pages.count = totaux.nombre  # the totals' query counted the actions: no second count
    page = pages.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    # Read by their ids alone: they came from the user's actions, filtered.
    lignes = avec_totaux(Action.objects.filter(pk__in=ids)).values(*COLONNES)
    par_id = {ligne["pk"]: ligne for ligne in lignes}
    page.object_list = [par_id[pk] for pk in ids]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/liste.html",
        {
            "title": "Actions",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "totaux": totaux,
            "plusieurs_departements": not request.perimetre.est_departement,
            "feuilles_ouvertes": feuilles_ouvertes_aux_propositions(
                request.user, request.perimetre.departement_ids
            ),
        },
    )


@require_safe
@perimetre_requis
def exporter(request):
    """The list as a file, with the same filters and sort, all pages at once."""
    _exiger_lecture(request)
    format_ = request.GET.get("format", "")
    if format_ not in FORMATS:
        return HttpResponseBadRequest(
            f"Format d'export inconnu : « {format_[:20]} ». Formats possibles : csv, xlsx.",
            content_type="text/plain; charset=utf-8",
        )
    _form, actions = actions_filtrees(request)
    nom = exports.nom_fichier(request.perimetre.cle, format_)
    # Streamed, CSV or XLSX, as the database gives the rows: a national export never sits
    # whole in a web process, and its first bytes leave at once.
    flux = exports.flux_csv if format_ == "csv" else exports.flux_xlsx
    response = StreamingHttpResponse(flux(actions), content_type=FORMATS[format_])
    response["Content-Disposition"] = content_disposition_header(True, nom)
    return response


@require_safe
@perimetre_requis
def tableau_de_bord(request):
    _exiger_lecture(request)
    perimetre = request.perimetre
    actions = base(request.user, perimetre)
    axes = calculs.axes_du_perimetre(perimetre)
    # The sums from the départements' cached figures when the user's reading allows it,
    # else computed live: the same figures either way (actions.agregats).
    chiffres = agregats.resume(request.user, perimetre.departement_ids) or calculs.EnDirect(actions)
    context = {
        "title": "Tableau de bord du plan",
        "statuts": Action.Statut.choices,
        "axes": axes,
        "par_axe": chiffres.par_axe_et_statut(axes),
        "financements": chiffres.financements(),
        "indicateurs": chiffres.indicateurs(axes),
        "attente": chiffres.attente(),
        # The tile leads to the review queue only for whom it opens (pilotage); others
        # read the same actions in the list.
        "instructeur": any(peut(request.user, "instruire", d) for d in perimetre.departement_ids),
        "echeances": calculs.echeances(actions),
        "horizon": calculs.HORIZON.days,
    }
    if perimetre.est_departement:
        context["couverture"] = calculs.couverture(actions, perimetre.departement, axes)
    else:
        context["par_departement"] = chiffres.par_departement(perimetre.departements)
    return render(request, "actions/tableau_de_bord.html", context)
