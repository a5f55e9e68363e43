"""The URL conf: with the dashboard and the demo loader, where every app is composed."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from acteurs.forms import ConnexionForm, ReinitialisationForm
from acteurs.views import compte
from integration import views
from integration.documents import verification
from portal import dashboard

comptes = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            authentication_form=ConnexionForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/modifier/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            form_class=ReinitialisationForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("compte/", compte.compte, name="compte"),
    path("compte/departement/", compte.changer_departement, name="changer_departement"),
]

urlpatterns = [
    path("", dashboard.tableau_de_bord, name="tableau_de_bord"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("plan-du-site/", views.plan_du_site, name="plan_du_site"),
    path("guide-de-style/", views.guide_de_style, name="guide_de_style"),
    *comptes,
    path("acteurs/", include("acteurs.urls")),
    path("comites/", include("comites.urls")),
    path("plan-d-actions/", include("actions.urls")),
    path("documents/", include("integration.documents.urls")),
    path("verifier/", verification.verifier, name="verifier"),
    path("administration/", admin.site.urls),
]
