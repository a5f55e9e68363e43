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
