"""Search-as-you-type over the reference territories of the current département."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from acteurs.models import Territoire
from acteurs.territoires import libelle, rechercher

LONGUEUR_MIN = 2
LONGUEUR_MAX = 100
LIMITE = 10


def _types(valeur: str) -> tuple[str, ...]:
    autorises = Territoire.Type.values
    types = [t for t in dict.fromkeys(valeur.split(",")) if t in autorises]
    return tuple(types) or (Territoire.Type.COMMUNE,)


def _departement(request):
    """The département the form asks about, if the user has it; else the current one."""
    voulu = request.GET.get("departement", "")
    for departement in request.departements:
        if str(departement.pk) == voulu:
            return departement
    return request.departement


@require_safe
def recherche(request):
    """GET q (or the parameter named by "champ", as the widget sends it), types."""
    q = request.GET.get("q")
    if q is None and request.GET.get("champ"):
        q = request.GET.get(request.GET["champ"])
    q = " ".join((q or "").split())[:LONGUEUR_MAX]
    types = _types(request.GET.get("types", ""))
    departement = _departement(request)
    cherche = len(q) >= LONGUEUR_MIN and bool(departement)
    resultats = rechercher(q, departement.pk, types, limite=LIMITE) if cherche else []

    suggestions = [
        {
            "type": t.type,
            "code": t.code,
            "nom": t.nom,
            "valeur": libelle(t),
            "codes_postaux": t.codes_postaux.split("|") if t.codes_postaux else [],
        }
        for t in resultats
    ]
    if request.GET.get("format") == "json":
        return JsonResponse({"resultats": suggestions})
    return render(
        request,
        "acteurs/territoires_suggestions.html",
        {
            "suggestions": suggestions,
            "cherche": cherche,
            "plusieurs_types": len(types) > 1,
            "aucun": "Aucune commune ne correspond."
            if types == (Territoire.Type.COMMUNE,)
            else "Aucun territoire ne correspond.",
        },
    )
