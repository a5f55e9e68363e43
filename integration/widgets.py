"""Widgets that know no domain."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
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
    escaping, the French empty label of our option template), without rendering a template
    for each option. A filter offering a hundred départements spent more on its option
    templates than the rest of its page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parties = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for groupe, options, _index in widget["optgroups"]:
            if groupe:
                parties.append(format_html('<optgroup label="{}">', groupe))
            parties.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    "" if option["value"] is None else str(option["value"]),
                    flatatt(option["attrs"]),
                    CHOISIR if option["label"] == VIDE_DJANGO else option["label"],
                )
                for option in options
            )
            if groupe:
                parties.append("</optgroup>")
        parties.append("</select>")
        return mark_safe("".join(parties))  # noqa: S308 - every part escaped by format_html
