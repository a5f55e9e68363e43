"""The personal calendar feed: its secret address, and the feed itself (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from comites import access, calendrier, services
from comites.views.commun import contexte_page


def agenda(request):
    """Manage one's calendar feed: create (or renew) the secret address, or revoke it."""
    lien = None
    if request.method == "POST":
        if request.POST.get("action") == "creer":
            jeton = services.creer_adresse_agenda(request.user)
            lien = request.build_absolute_uri(reverse("comites:agenda_flux", args=[jeton]))
            messages.success(
                request,
                "Votre adresse d'agenda est créée. Copiez-la maintenant : "
                "elle ne sera plus affichée.",
            )
        else:
            services.revoquer_adresse_agenda(request.user)
            messages.success(
                request, "Votre adresse d'agenda est révoquée : elle ne fonctionne plus."
            )
    actif = services.adresse_agenda_de(request.user)
    return render(
        request,
        "comites/agenda.html",
        contexte_page("Mon agenda des séances", lien=lien, actif=actif),
    )


@require_safe
@login_not_required
def agenda_flux(request, jeton):
    user = services.abonne_par_jeton(jeton)
    if user is None:
        return HttpResponse(
            "Adresse d'agenda inconnue ou révoquée.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    seances = access.seances_de_l_agenda(user)
    return HttpResponse(calendrier.flux(seances), content_type="text/calendar; charset=utf-8")
