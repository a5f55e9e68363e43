"""Widgets that know no domain."""

from django import forms


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
