from django.shortcuts import render


def index(request):
    """Entry of the committees module; instances and séances arrive with their own issue."""
    return render(request, "comites/index.html", {"title": "Comités"})
