"""An actor's members: who they are, their role, deactivation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from acteurs import access, services
from acteurs.forms import RoleMembreForm
from acteurs.models import Membre
from acteurs.views.common import appliquer


def liste(request, pk):
    acteur = access.get_acteur_for_user(request.user, pk, "voir_membres")
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


def _membre_a_gerer(request, pk) -> Membre:
    """A membership the user may manage: its actor must be visible, the verb allowed."""
    membre = get_object_or_404(Membre.objects.select_related("acteur", "user"), pk=pk)
    acteur = access.get_acteur_for_user(request.user, membre.acteur_id, "voir_membres")
    if not access.can(request.user, "gerer_membres", acteur):
        raise PermissionDenied
    membre.acteur = acteur
    return membre


@require_POST
def changer_role(request, pk):
    membre = _membre_a_gerer(request, pk)
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
    membre = _membre_a_gerer(request, pk)
    appliquer(
        request,
        lambda: services.desactiver_membre(membre, by=request.user),
        f"{membre.user} n'est plus membre actif de la structure.",
    )
    return redirect("acteurs:membres", membre.acteur_id)
