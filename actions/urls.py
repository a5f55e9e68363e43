from django.urls import path

from actions.views import contexte, feuilles, fiches, suivi, tableau

app_name = "actions"
urlpatterns = [
    # Feuilles de route, axes, consultation (actions.views.feuilles)
    path("", feuilles.index, name="index"),
    path("feuilles/nouvelle/", feuilles.creer, name="feuille_creer"),
    path("feuilles/<int:pk>/", feuilles.detail, name="feuille"),
    path("feuilles/<int:pk>/modifier/", feuilles.modifier, name="feuille_modifier"),
    path("feuilles/<int:pk>/axes/", feuilles.axes, name="feuille_axes"),
    path("feuilles/<int:pk>/etape/", feuilles.etape, name="feuille_etape"),
    path(
        "feuilles/<int:pk>/nouvelle-version/",
        feuilles.creer_version,
        name="feuille_nouvelle_version",
    ),
    path("feuilles/<int:pk>/exporter/", feuilles.exporter, name="feuille_exporter"),
    path("feuilles/<int:pk>/signer/", feuilles.signer, name="feuille_signer"),
    path("feuilles/<int:pk>/consultation/", feuilles.consultation, name="consultation"),
    path("feuilles/<int:pk>/commenter/", feuilles.commenter, name="commenter"),
    path("commentaires/<int:pk>/repondre/", feuilles.repondre, name="repondre"),
    # Fiches-actions and their review (actions.views.fiches)
    path("actions/<int:pk>/", fiches.detail, name="detail"),
    path("actions/nouvelle/", fiches.creer, name="creer"),
    path("actions/<int:pk>/modifier/", fiches.modifier, name="modifier"),
    path("feuilles/<int:pk>/communes/", fiches.communes, name="communes"),
    path("actions/<int:pk>/statut/", fiches.transition, name="transition"),
    path("actions/<int:pk>/refuser/", fiches.refuser, name="refuser"),
    path("instruction/", fiches.instruction, name="instruction"),
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
    path("actions/", tableau.liste, name="liste"),
    path("actions/export/", tableau.exporter, name="exporter"),
    path("tableau-de-bord/", tableau.tableau_de_bord, name="tableau_de_bord"),
]
