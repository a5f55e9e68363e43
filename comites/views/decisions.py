"""The relevé de décisions of a séance."""

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from comites import access, services
from comites.views import page_seance
from integration.vues import appliquer, montrer_sous


@require_POST
def decision_ajouter(request, pk):
    seance = access.get_seance_for_user(request.user, pk, "rediger")
    montrer_sous(request, seance.instance.departement)
    return page_seance.traiter(
        request,
        seance,
        "decision",
        page_seance.formulaire("decision", request.user, seance, request.POST),
        lambda data: services.relever_decision(
            seance,
            texte=data["texte"],
            responsable=data["responsable"],
            echeance=data["echeance"],
            statut=data["statut"],
            actions=list(data["actions"]),
            by=request.user,
        ),
        "La décision est ajoutée au relevé.",
    )


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
