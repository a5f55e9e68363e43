from functools import wraps

from django.shortcuts import render


def departement_requis(view):
    """Pages about "my département" explain themselves to an account attached to none."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.departement:
            return render(
                request,
                "acteurs/sans_departement.html",
                {"title": "Aucun département"},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper
