"""Widgets that know no domain."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class CheckboxFiltrables(forms.CheckboxSelectMultiple):
    """Checkboxes with a text box that narrows a long list (static/js/filtre-liste.js).

    Without JavaScript every box is still shown and reachable by keyboard; the script
    only adds the filter above them.
    """

    class Media:
        js = [forms.Script("js/filtre-liste.js", defer=True)]

    def __init__(self, attrs=None, choices=(), *, libelle_filtre: str):
        super().__init__({**(attrs or {}), "data-filtre-liste": libelle_filtre}, choices)


class SaisieDate(forms.DateInput):
    """The browser's date picker. It takes and gives ISO dates whatever the page's
    language, so the value is written as 2026-06-20, never as 20/06/2026."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# Django's empty label says nothing to a user: every select asks for a choice in French
# (templates/django/forms/widgets/select_option.html does the same for the others).
VIDE_DJANGO, CHOISIR = "---------", "Sélectionner une option"


class ListeDeChoix(forms.Select):
    """A select written in Python: the HTML of Django's own (the same attributes, the same
    escaping, the first matching option selected, the French empty label of our option
    template), without rendering a template, nor building a dictionary, for each option.
    A filter offering a hundred départements or a few hundred porteurs spent more on its
    options than the rest of its page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        choisies, une_choisie = self.format_value(value), False
        parties = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for valeur, libelle, groupe in self._options():
            if groupe is not None:
                parties.append(groupe)
                continue
            valeur = "" if valeur is None else str(valeur)
            # As Django's optgroups: a single select marks only the first option matching.
            choisie = (not une_choisie or self.allow_multiple_selected) and valeur in choisies
            une_choisie |= choisie
            parties.append(
                f'<option value="{conditional_escape(valeur)}"{" selected" if choisie else ""}>'
                f"{conditional_escape(CHOISIR if libelle == VIDE_DJANGO else libelle)}</option>"
            )
        parties.append("</select>")
        return mark_safe("".join(parties))  # noqa: S308 - every part escaped

    def _options(self):
        """(value, label, None) for each option, and (None, None, tag) around a group's."""
        for valeur, libelle in self.choices:
            if isinstance(libelle, list | tuple):
                yield None, None, format_html('<optgroup label="{}">', valeur)
                for sous_valeur, sous_libelle in libelle:
                    yield sous_valeur, sous_libelle, None
                yield None, None, "</optgroup>"
            else:
                yield valeur, libelle, None
