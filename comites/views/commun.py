"""What the comités' pages share: their context, a séance's convocations in the order the
pages list them, and how a page holding several forms runs one of them.

A side form refused is not a flash message on a page that forgot what was typed: its page
is rendered again (400), with that form bound (its input and errors), its section open and
its first wrong field focused; accepted, the page is shown again at that form's section.
The séance page (`page_seance`) and the instance page (`instances`) work this way."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def contexte_page(title, **kwargs):
    return {"title": title, "section": "comites", **kwargs}


def convocations_triees(seance):
    return seance.convocations.select_related("personne", "acteur", "envoi").order_by(
        "personne__nom"
    )


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


def traiter(request, nom, form, operation, succes, *, page, afficher, section=None, avertir=None):
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
