"""The follow-up's entry points, shown where the plan d'actions starts."""

from django import template

from actions import access

register = template.Library()


@register.inclusion_tag("actions/_liens_suivi.html", takes_context=True)
def liens_suivi(context) -> dict:
    request = context["request"]
    perimetre = request.perimetre
    if not perimetre:
        return {"liens": []}
    user, deps = request.user, perimetre.departement_ids
    liens = []
    if access.peut_suivre_indicateurs(user, deps):
        liens.append(("actions:indicateurs_import", "Indicateurs : grille à remplir"))
    if any(access.peut(user, "voir_statistiques", d) for d in deps):
        liens.append(("actions:statistiques", "Statistiques de contexte"))
    if any(access.peut(user, "voir_contrats", d) for d in deps):
        liens.append(("actions:contrats", "Contrats territoriaux (CTAI, PTAI)"))
    return {"liens": liens}
