"""What every app's views share: the département guards, the bloc-marque shown, and
running a service with its French refusal or its e-mails' state as the message."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render

from integration import outbox


def perimetre_requis(view):
    """Pages that read "my département(s)" explain themselves to an account attached to none."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.perimetre:
            return _sans_departement(request)
        return view(request, *args, **kwargs)

    return wrapper


def departement_requis(view):
    """Pages that write in one département: a wide reader looking at a whole région or all
    of France is asked to choose one; an account attached to none is told why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.departement:
            return _sans_departement(request)
        return view(request, *args, **kwargs)

    return wrapper


def _sans_departement(request):
    """Over a wide perimeter, offer only the départements where the user may write: a
    reader who writes nowhere is told so at once, not sent to choose one and refused there."""
    perimetre = request.perimetre
    ou_ecrire = getattr(perimetre, "ou_ecrire", ()) if perimetre else ()
    if not perimetre:
        titre = "Aucun département"
    elif ou_ecrire:
        titre = "Choisir un département"
    else:
        titre = "Consultation seulement"
    return render(
        request,
        "integration/sans_departement.html",
        {"title": titre, "ou_ecrire": ou_ecrire, "ici": request.get_full_path()},
        status=403,
    )


def montrer_sous(request, departement) -> None:
    """Head the page with DEPARTEMENT's bloc-marque: an object is shown under its own
    département, whichever one the user is working on."""
    request.departement_affiche = departement


def appliquer(request, operation, succes: str) -> bool:
    """Run OPERATION (a service call); its French refusal becomes the error message shown."""
    try:
        operation()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, succes)
    return True


def appliquer_et_envoyer(
    request, operation, *, envoye: str, en_cours: str, personne: str | None = None
) -> bool:
    """Run OPERATION, a service that queues e-mails and returns their outbox rows, and say
    what is true: ENVOYE once every e-mail has left, EN_COURS while one still waits (a
    broker or a mail server down: the outbox sends it later), PERSONNE (when given) if
    there was nobody to write to."""
    try:
        envois = operation()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    if not envois and personne is not None:
        messages.success(request, personne)
    else:
        messages.success(request, envoye if outbox.all_done(envois) else en_cours)
    return True
