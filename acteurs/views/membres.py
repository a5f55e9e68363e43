"""An actor's members: who they are, their role, deactivation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from acteurs import access, services
from acteurs.forms import RoleMembreForm
from acteurs.models import Membre
from integration.vues import appliquer, montrer_sous


@require_safe
def liste(request, pk):
    acteur = access.get_acteur_for_user(request.user, pk, "voir_membres")
    montrer_sous(request, acteur.departement)
    membres = acteur.membres.select_related("user", "desactive_par").order_by(
        "-actif", "user__last_name", "user__first_name"
    )
    return render(
        request,
        "acteurs/membres.html",
        {
            "title": f"Membres de « {acteur.nom} »",
            "acteur": acteur,
            "membres": membres,
            "invitations": acteur.invitations.en_cours().select_related("envoi"),
            "peut_gerer": access.can(request.user, "gerer_membres", acteur),
            "roles": Membre.Role.choices,
        },
    )


@require_POST
def changer_role(request, pk):
    membre = access.get_membre_for_user(request.user, pk, "changer_role")
    form = RoleMembreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un rôle de la liste.")
    else:
        role = form.cleaned_data["role"]
        appliquer(
            request,
            lambda: services.changer_role_membre(membre, role, by=request.user),
            f"{membre.user} est maintenant {Membre.Role(role).label.lower()}.",
        )
    return redirect("acteurs:membres", membre.acteur_id)


@require_POST
def desactiver(request, pk):
    membre = access.get_membre_for_user(request.user, pk, "desactiver")
    appliquer(
        request,
        lambda: services.desactiver_membre(membre, by=request.user),
        f"{membre.user} n'est plus membre actif de la structure.",
    )
    return redirect("acteurs:membres", membre.acteur_id)
