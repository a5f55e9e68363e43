from django.urls import path

from acteurs.views import acteurs as views

app_name = "acteurs"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
]
