from django.urls import path

from actions.views import feuilles, tableau

app_name = "actions"
urlpatterns = [
    # Feuilles de route, axes, consultation (actions.views.feuilles)
    path("", feuilles.index, name="index"),
    # Fiches-actions and their review (actions.views.fiches)
    # Follow-up, indicators, bilans (actions.views.suivi)
    # Context figures and contracts (actions.views.contexte)
    # List, exports, dashboard (actions.views.tableau)
    path("actions/", tableau.liste, name="liste"),
    path("actions/export/", tableau.exporter, name="exporter"),
    path("tableau-de-bord/", tableau.tableau_de_bord, name="tableau_de_bord"),
]
