"""The user's own account: who they are, where they work, switching département."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from acteurs.middleware import SESSION_KEY, departements_du_compte


def compte(request):
    return render(
        request,
        "acteurs/compte.html",
        {
            "title": "Mon compte",
            "habilitations": request.user.habilitations.filter(actif=True).select_related(
                "departement"
            ),
            "adhesions": request.user.adhesions.filter(actif=True).select_related(
                "acteur__departement"
            ),
            "departements": departements_du_compte(request),
        },
    )


@require_POST
def changer_departement(request):
    wanted = request.POST.get("departement", "")
    for departement in departements_du_compte(request):
        if str(departement.pk) == wanted:
            request.session[SESSION_KEY] = departement.pk
            messages.success(request, f"Vous travaillez maintenant sur : {departement.nom}.")
            break
    else:
        messages.error(request, "Ce département ne fait pas partie de vos habilitations.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "tableau_de_bord"
    return redirect(next_url)
