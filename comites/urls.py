from django.urls import path

from comites import views

app_name = "comites"
urlpatterns = [
    path("", views.index, name="index"),
]
