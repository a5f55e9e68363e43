"""The relevé de décisions of a séance."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from actions.access import actions_visible_to
from comites import access, services
from comites.forms import (
    DecisionForm,
)
from comites.views.commun import erreurs_du_formulaire
from integration.vues import (
    appliquer,
)


@require_POST
def decision_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "rediger")
    dep = seance.instance.departement
    form = DecisionForm(request.POST, actions=actions_visible_to(request.user), departement=dep)
    if not form.is_valid():
        messages.error(request, erreurs_du_formulaire(form))
        return redirect(seance)
    data = form.cleaned_data
    appliquer(
        request,
        lambda: services.relever_decision(
            seance,
            texte=data["texte"],
            responsable=data["responsable"],
            echeance=data["echeance"],
            actions=list(data["actions"]),
            by=request.user,
        ),
        "La décision est ajoutée au relevé.",
    )
    return redirect(seance)


@require_POST
def decision_statut(request, pk, decision_pk):
    decision = access.get_decision_for_user(request.user, pk, decision_pk, "rediger")
    seance = decision.seance
    appliquer(
        request,
        lambda: services.changer_statut_decision(
            decision, request.POST.get("statut", ""), by=request.user
        ),
        "L'avancement de la décision est enregistré.",
    )
    return redirect(seance)
