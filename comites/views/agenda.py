"""The personal calendar feed: its secret address, and the feed itself (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from comites import access, calendrier, services
from comites.models import JetonCalendrier
from comites.views.commun import contexte_page


def agenda(request):
    """Manage one's calendar feed: create (or renew) the secret address, or revoke it."""
    lien = None
    if request.method == "POST":
        JetonCalendrier.objects.filter(user=request.user).delete()
        if request.POST.get("action") == "creer":
            jeton, jeton_hash = services._nouveau_jeton()
            JetonCalendrier.objects.create(user=request.user, jeton_hash=jeton_hash)
            lien = request.build_absolute_uri(reverse("comites:agenda_flux", args=[jeton]))
            messages.success(
                request,
                "Votre adresse d'agenda est créée. Copiez-la maintenant : "
                "elle ne sera plus affichée.",
            )
        else:
            messages.success(
                request, "Votre adresse d'agenda est révoquée : elle ne fonctionne plus."
            )
    actif = JetonCalendrier.objects.filter(user=request.user).first()
    return render(
        request,
        "comites/agenda.html",
        contexte_page("Mon agenda des séances", lien=lien, actif=actif),
    )


@require_safe
@login_not_required
def agenda_flux(request, jeton):
    jeton_calendrier = (
        JetonCalendrier.objects.select_related("user")
        .filter(jeton_hash=services.hash_jeton(jeton), user__is_active=True)
        .first()
    )
    if jeton_calendrier is None:
        return HttpResponse(
            "Adresse d'agenda inconnue ou révoquée.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    user = jeton_calendrier.user
    seances = (
        access.seances_visible_to(user)
        .filter(Q(convocations__personne__user=user) | Q(organisateur=user))
        .select_related("instance__departement")
        .distinct()
    )
    return HttpResponse(calendrier.flux(seances), content_type="text/calendar; charset=utf-8")
