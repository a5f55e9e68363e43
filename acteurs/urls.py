from django.urls import path

from acteurs.views import acteurs, echanges, invitations, membres, presse, territoires

app_name = "acteurs"
urlpatterns = [
    path("", acteurs.liste, name="liste"),
    path("nouveau/", acteurs.creer, name="creer"),
    path("export/", echanges.exporter, name="exporter"),
    path("import/", echanges.importer, name="importer"),
    path("import/confirmer/", echanges.confirmer_import, name="confirmer_import"),
    path("<int:pk>/", acteurs.detail, name="detail"),
    path("<int:pk>/modifier/", acteurs.modifier, name="modifier"),
    path("<int:pk>/archiver/", acteurs.archiver, name="archiver"),
    path("<int:pk>/restaurer/", acteurs.restaurer, name="restaurer"),
    path("<int:pk>/moderer/", acteurs.moderer, name="moderer"),
    path("<int:pk>/membres/", membres.liste, name="membres"),
    path("membres/<int:pk>/role/", membres.changer_role, name="membre_role"),
    path("membres/<int:pk>/desactiver/", membres.desactiver, name="membre_desactiver"),
    path("invitations/", invitations.liste, name="invitations"),
    path("invitations/nouvelle/", invitations.creer, name="invitation_creer"),
    path("invitations/<int:pk>/renvoyer/", invitations.renvoyer, name="invitation_renvoyer"),
    path("invitations/<int:pk>/revoquer/", invitations.revoquer, name="invitation_revoquer"),
    path("invitation/<str:jeton>/", invitations.accepter, name="invitation_accepter"),
    path("contacts-presse/", presse.contacts_presse, name="contacts_presse"),
    path("territoires/recherche/", territoires.recherche, name="territoires_recherche"),
]
