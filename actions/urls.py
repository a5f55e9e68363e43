from django.urls import path

from actions.views import feuilles, fiches

app_name = "actions"
urlpatterns = [
    # Feuilles de route, axes, consultation (actions.views.feuilles)
    path("", feuilles.index, name="index"),
    # Fiches-actions and their review (actions.views.fiches)
    path("actions/<int:pk>/", fiches.detail, name="detail"),
    path("actions/nouvelle/", fiches.creer, name="creer"),
    path("actions/<int:pk>/modifier/", fiches.modifier, name="modifier"),
    path("actions/<int:pk>/statut/", fiches.transition, name="transition"),
    path("instruction/", fiches.instruction, name="instruction"),
    # Follow-up, indicators, bilans (actions.views.suivi)
    # Context figures and contracts (actions.views.contexte)
    # List, exports, dashboard (actions.views.tableau)
]
