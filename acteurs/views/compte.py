"""The user's own account: who they are, where they work, switching perimeter."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from acteurs.middleware import choisir_perimetre, perimetres_du_compte


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
            "perimetres": perimetres_du_compte(request),
        },
    )


@require_POST
def changer_departement(request):
    perimetre = choisir_perimetre(request, request.POST.get("perimetre", ""))
    if perimetre is None:
        messages.error(request, "Ce périmètre ne fait pas partie de vos habilitations.")
    else:
        messages.success(request, f"Vous travaillez maintenant sur : {perimetre.libelle}.")
    next_url = request.POST.get("next", "")
    # Only a path of this site: redirect() would take a bare word for a URL name.
    sur_le_site = next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, request.is_secure()
    )
    return redirect(next_url if sur_le_site else "tableau_de_bord")
