from django.urls import path

from actions.views import feuilles

app_name = "actions"
urlpatterns = [
    # Feuilles de route, axes, consultation (actions.views.feuilles)
    path("", feuilles.index, name="index"),
    # Fiches-actions and their review (actions.views.fiches)
    # Follow-up, indicators, bilans (actions.views.suivi)
    # Context figures and contracts (actions.views.contexte)
    # List, exports, dashboard (actions.views.tableau)
]
