from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("", views.index, name="index"),
]
