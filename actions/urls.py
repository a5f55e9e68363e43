from django.urls import path

from actions.views import contexte, feuilles, suivi

app_name = "actions"
urlpatterns = [
    # Feuilles de route, axes, consultation (actions.views.feuilles)
    path("", feuilles.index, name="index"),
    # Fiches-actions and their review (actions.views.fiches)
    # Follow-up, indicators, bilans (actions.views.suivi)
    path("actions/<int:pk>/suivi/", suivi.suivi, name="suivi"),
    path("actions/<int:pk>/bilan/<int:annee>/", suivi.bilan_action, name="bilan_action"),
    path("axes/<int:pk>/bilan/<int:annee>/", suivi.bilan_axe, name="bilan_axe"),
    path("indicateurs/export/", suivi.indicateurs_export, name="indicateurs_export"),
    path("indicateurs/import/", suivi.indicateurs_import, name="indicateurs_import"),
    path(
        "indicateurs/import/confirmer/", suivi.indicateurs_confirmer, name="indicateurs_confirmer"
    ),
    # Context figures and contracts (actions.views.contexte)
    path("statistiques/", contexte.statistiques, name="statistiques"),
    path("statistiques/saisir/", contexte.statistiques_saisir, name="statistiques_saisir"),
    path("contrats/", contexte.contrats, name="contrats"),
    path("contrats/nouveau/", contexte.contrat_creer, name="contrat_creer"),
    path("contrats/<int:pk>/", contexte.contrat, name="contrat"),
    path("contrats/<int:pk>/modifier/", contexte.contrat_modifier, name="contrat_modifier"),
    path("contrats/<int:pk>/avenant/", contexte.avenant_creer, name="avenant_creer"),
    # List, exports, dashboard (actions.views.tableau)
]
