from django.shortcuts import render


def index(request):
    """Entry of the action plan module: its parts, each on its own page."""
    return render(request, "actions/index.html", {"title": "Plan d'actions"})
