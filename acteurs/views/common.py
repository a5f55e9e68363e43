"""What the registry's views share: the département guard and running a service."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
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


def appliquer(request, operation, succes: str) -> bool:
    """Run OPERATION (a service call); its French refusal becomes the error message shown."""
    try:
        operation()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, succes)
    return True
