from django.urls import path

from comites import views

app_name = "comites"
urlpatterns = [
    path("", views.index, name="index"),
    path("instances/nouvelle/", views.instance_creer, name="instance_creer"),
    path("instances/<int:pk>/", views.instance_detail, name="instance"),
    path("instances/<int:pk>/sieges/", views.siege_ajouter, name="siege_ajouter"),
    path(
        "instances/<int:pk>/sieges/<int:siege_pk>/fin/",
        views.siege_terminer,
        name="siege_terminer",
    ),
    path("instances/<int:pk>/seances/nouvelle/", views.seance_creer, name="seance_creer"),
    path("seances/<int:pk>/", views.seance_detail, name="seance"),
    path("seances/<int:pk>/modifier/", views.seance_modifier, name="seance_modifier"),
    path("seances/<int:pk>/annuler/", views.seance_annuler, name="seance_annuler"),
    path("seances/<int:pk>/points/", views.point_ajouter, name="point_ajouter"),
    path("seances/<int:pk>/invites/", views.invite_ajouter, name="invite_ajouter"),
    path("seances/<int:pk>/convoquer/", views.convoquer, name="convoquer"),
    path(
        "seances/<int:pk>/convocations/<int:convocation_pk>/renvoyer/",
        views.convocation_renvoyer,
        name="convocation_renvoyer",
    ),
    path("seances/<int:pk>/reponses/", views.reponses, name="reponses"),
    path("seances/<int:pk>/repondre/", views.repondre, name="repondre"),
    path("seances/<int:pk>/emargement/", views.emarger, name="emarger"),
    path("seances/<int:pk>/cloturer/", views.cloturer, name="cloturer"),
    path("seances/<int:pk>/compte-rendu/", views.compte_rendu, name="compte_rendu"),
    path("seances/<int:pk>/decisions/", views.decision_ajouter, name="decision_ajouter"),
    path(
        "seances/<int:pk>/decisions/<int:decision_pk>/statut/",
        views.decision_statut,
        name="decision_statut",
    ),
    path("seances/<int:pk>/communique/", views.communique_edition, name="communique"),
    path(
        "seances/<int:pk>/communique/<int:version>.txt",
        views.communique_texte,
        name="communique_texte",
    ),
    path(
        "seances/<int:pk>/communique/<int:version>/pdf/",
        views.communique_pdf,
        name="communique_pdf",
    ),
    path("seances/<int:pk>/compte-rendu/pdf/", views.compte_rendu_pdf, name="compte_rendu_pdf"),
    path("seances/<int:pk>/emargement/pdf/", views.emargement_pdf, name="emargement_pdf"),
    path("convocation/<str:jeton>/", views.repondre_lien, name="repondre_lien"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/<str:jeton>.ics", views.agenda_flux, name="agenda_flux"),
]
