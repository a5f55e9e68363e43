from django.urls import path

from comites.views import (
    agenda,
    convocations,
    decisions,
    documents,
    historique,
    instances,
    seances,
)

app_name = "comites"
urlpatterns = [
    path("", seances.index, name="index"),
    path("instances/nouvelle/", instances.instance_creer, name="instance_creer"),
    path("instances/<int:pk>/", instances.instance_detail, name="instance"),
    path("instances/<int:pk>/sieges/", instances.siege_ajouter, name="siege_ajouter"),
    path(
        "instances/<int:pk>/sieges/<int:siege_pk>/personne/",
        instances.personne_modifier,
        name="personne_modifier",
    ),
    path(
        "instances/<int:pk>/sieges/<int:siege_pk>/fin/",
        instances.siege_terminer,
        name="siege_terminer",
    ),
    path("instances/<int:pk>/seances/nouvelle/", seances.seance_creer, name="seance_creer"),
    path("instances/<int:pk>/seances/passee/", historique.seance_passee, name="seance_passee"),
    path("seances/<int:pk>/", seances.seance_detail, name="seance"),
    path("seances/<int:pk>/modifier/", seances.seance_modifier, name="seance_modifier"),
    path("seances/<int:pk>/annuler/", seances.seance_annuler, name="seance_annuler"),
    path("seances/<int:pk>/points/", seances.point_ajouter, name="point_ajouter"),
    path("seances/<int:pk>/invites/", convocations.invite_ajouter, name="invite_ajouter"),
    path("seances/<int:pk>/convoquer/", convocations.convoquer, name="convoquer"),
    path(
        "seances/<int:pk>/convocations/<int:convocation_pk>/renvoyer/",
        convocations.convocation_renvoyer,
        name="convocation_renvoyer",
    ),
    path("seances/<int:pk>/reponses/", convocations.reponses, name="reponses"),
    path("seances/<int:pk>/repondre/", convocations.repondre, name="repondre"),
    path("seances/<int:pk>/emargement/", seances.emarger, name="emarger"),
    path("seances/<int:pk>/cloturer/", seances.cloturer, name="cloturer"),
    path("seances/<int:pk>/compte-rendu/", seances.compte_rendu, name="compte_rendu"),
    path("seances/<int:pk>/decisions/", decisions.decision_ajouter, name="decision_ajouter"),
    path(
        "seances/<int:pk>/decisions/<int:decision_pk>/statut/",
        decisions.decision_statut,
        name="decision_statut",
    ),
    path("seances/<int:pk>/communique/", documents.communique_edition, name="communique"),
    path(
        "seances/<int:pk>/communique/<int:version>.txt",
        documents.communique_texte,
        name="communique_texte",
    ),
    path(
        "seances/<int:pk>/communique/<int:version>/pdf/",
        documents.communique_pdf,
        name="communique_pdf",
    ),
    path("seances/<int:pk>/avis-aux-medias/", documents.avis_medias, name="avis_medias"),
    path(
        "seances/<int:pk>/avis-aux-medias/<int:version>/pdf/",
        documents.avis_medias_pdf,
        name="avis_medias_pdf",
    ),
    path("seances/<int:pk>/compte-rendu/pdf/", documents.compte_rendu_pdf, name="compte_rendu_pdf"),
    path("seances/<int:pk>/emargement/pdf/", documents.emargement_pdf, name="emargement_pdf"),
    path("convocation/<str:jeton>/", convocations.repondre_lien, name="repondre_lien"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/<str:jeton>.ics", agenda.agenda_flux, name="agenda_flux"),
]
