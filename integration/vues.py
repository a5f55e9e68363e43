"""What every app's views share: the département guards, the bloc-marque shown, running a
service with its French refusal or its e-mails' state as the message, and running one of
the side forms of a page that holds several.

A side form refused is not a flash message on a page that forgot what was typed: its page
is rendered again (400), with that form bound (its input and errors), its section open and
its first wrong field focused; accepted, the page is shown again at that form's section.
The séance and instance pages, and the comments of a feuille de route, work this way."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

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


def ancre(nom: str) -> str:
    """The id of side form NOM's section (its prefix, with dashes)."""
    return f"section-{nom.replace('_', '-')}"


def focaliser(form) -> None:
    """Focus the first field in error (or the first field, for the form's own error), so
    the reader lands on what to correct, without any script: `autofocus` also scrolls it
    into view. The form's action carries no #fragment, which would cancel autofocus."""
    noms = [n for n in form.fields if n in form.errors] or list(form.fields)[:1]
    for nom in noms[:1]:
        form.fields[nom].widget.attrs["autofocus"] = True


def traiter_en_place(
    request, nom, form, operation, succes, *, page, afficher, section=None, avertir=None
):
    """Run OPERATION(cleaned_data) for the side form NOM when FORM is valid, then go back to
    PAGE (a URL) at NOM's section (or SECTION's) with SUCCES (a text, or a function of
    OPERATION's result giving it) and AVERTIR(cleaned_data)'s warnings. A form in error, or
    a refusal of the service, is AFFICHER(lie=(NOM, FORM), status=400): the page again,
    that form as typed."""
    if form.is_valid():
        try:
            resultat = operation(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, succes(resultat) if callable(succes) else succes)
            for avertissement in avertir(form.cleaned_data) if avertir else ():
                messages.warning(request, avertissement)
            return redirect(page + "#" + ancre(section or nom))
    focaliser(form)
    return afficher(lie=(nom, form), status=400)
