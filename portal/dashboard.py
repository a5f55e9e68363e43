"""The home dashboard: the one place (with the URL conf) that composes every app."""

from django.shortcuts import render

from acteurs import access
from acteurs.filters import acteurs_de_la_liste
from acteurs.models import Acteur, Membre


def tableau_de_bord(request):
    departement = request.departement
    context = {"title": "Tableau de bord", "departement": departement}
    if departement:
        visibles = access.acteurs_visible_to(request.user).filter(departement=departement)
        est_pilotage = access.is_pilotage(request.user, departement)
        context.update(
            est_pilotage=est_pilotage,
            # The tile links to the list: it counts what the list shows (a partner's own
            # proposals included), never a different number.
            nb_acteurs=acteurs_de_la_liste(request.user, departement).count(),
            nb_a_verifier=(visibles.actifs().valides().a_verifier().count() if est_pilotage else 0),
            propositions=(
                visibles.filter(statut=Acteur.Statut.EN_ATTENTE).select_related("propose_par")[:10]
                if est_pilotage
                else []
            ),
            mes_structures=Membre.objects.filter(
                user=request.user, actif=True, acteur__departement=departement
            ).select_related("acteur"),
            peut_creer=access.can_create_acteur(request.user, departement),
        )
    return render(request, "integration/tableau_de_bord.html", context)
