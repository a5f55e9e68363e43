from django.shortcuts import render


def index(request):
    """Entry of the action plan module; the feuille de route arrives with its own issue."""
    return render(request, "actions/index.html", {"title": "Plan d'actions"})
