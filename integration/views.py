"""Pages that know no domain: health and the public legal notices."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from integration import access
from integration.forms import GuideDeStyleForm

logger = logging.getLogger(__name__)


# --- Health -----------------------------------------------------------------------------


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # any failure is "down"; the details go to the log, not the answer
        logger.exception("healthz: base de données injoignable")
        return "erreur"


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "intégré"  # tasks run in-process: there is no broker to reach
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
        return "ok"
    except Exception as exc:  # the pages still work: worth a line, not a traceback per probe
        logger.warning("healthz : courtier de tâches injoignable (%s)", type(exc).__name__)
        return "erreur"
    finally:
        client.close()  # probes come every few seconds: leave no connection behind


@require_safe
@login_not_required
@never_cache
def healthz(request):
    """Liveness, for load balancers: 200 while this process and the database answer.

    The broker's state is told in the JSON but never fails the probe: with Redis down the
    pages still work (tasks wait in the outbox), and a 503 would take every web node out of
    service at once. Status: "ok", "dégradé" (broker down) or "erreur" (database down, 503).
    """
    state = {"database": _database_state(), "broker": _broker_state()}
    alive = state["database"] == "ok"
    if not alive:
        state["status"] = "erreur"
    else:
        state["status"] = "dégradé" if state["broker"] == "erreur" else "ok"
    return JsonResponse(state, status=200 if alive else 503)


# --- Public notices ---------------------------------------------------------------------


def _page_publique(template: str, title: str):
    @login_not_required
    @require_GET
    def view(request):
        return render(request, template, {"title": title})

    return view


accessibilite = _page_publique("integration/accessibilite.html", "Accessibilité")
mentions_legales = _page_publique("integration/mentions_legales.html", "Mentions légales")
donnees_personnelles = _page_publique(
    "integration/donnees_personnelles.html", "Données personnelles"
)
plan_du_site = _page_publique("integration/plan_du_site.html", "Plan du site")


@require_safe
def guide_de_style(request):
    """Every widget of the DSFR form pack, empty and in error: for the team, staff only."""
    access.exiger(request.user, "voir_guide_de_style")
    return render(
        request,
        "integration/guide_de_style.html",
        {
            "title": "Guide de style des formulaires",
            "formulaire": GuideDeStyleForm(),
            "formulaire_en_erreur": GuideDeStyleForm.en_erreur(prefix="erreur"),
        },
    )
