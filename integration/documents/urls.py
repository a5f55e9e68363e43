from django.urls import path

from integration.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.suivi, name="suivi"),
    path("<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("<int:pk>/relancer/", views.relancer, name="relancer"),
]
