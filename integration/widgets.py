"""Widgets that know no domain."""

import html

from django import forms
from django.forms.renderers import TemplatesSetting
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
    escaping, the French empty label of our option template), without rendering a template
    for each option. A filter offering a hundred départements spent more on its option
    templates than the rest of its page."""

    def render(self, name, value, attrs=None, renderer=None):
        # Straight from the choices: Django's get_context() builds a dict of attributes
        # per option, which cost a page of 1,700 options as much as the rest of it.
        choisies = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        parties = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        trouvee = False  # a single select, as Django's: only the first match is selected
        for groupe, options in self._groupes():
            if groupe:
                parties.append(format_html('<optgroup label="{}">', groupe))
            for valeur, libelle in options:
                valeur = "" if valeur is None else str(valeur)
                choisie = (self.allow_multiple_selected or not trouvee) and valeur in choisies
                trouvee |= choisie
                parties.append(option(valeur, libelle, choisie))
            if groupe:
                parties.append("</optgroup>")
        parties.append("</select>")
        return mark_safe("".join(parties))  # noqa: S308 - every part escaped

    def _groupes(self):
        """(group or None, [(value, label)]) in the order of the choices, as optgroups()."""
        for valeur, libelle in self.choices:
            if isinstance(libelle, list | tuple):
                yield valeur, libelle
            else:
                yield None, [(valeur, libelle)]


class ListeDeChoixMultiple(ListeDeChoix, forms.SelectMultiple):
    """ListeDeChoix for several choices: Django's SelectMultiple, written in Python."""


def option(valeur: str, libelle, choisie: bool) -> str:
    """One <option>, its value and label escaped (Django's empty label said in French)."""
    libelle = CHOISIR if libelle == VIDE_DJANGO else _echappe(libelle)
    selection = " selected" if choisie else ""
    return f'<option value="{_echappe(valeur)}"{selection}>{libelle}</option>'


def _echappe(texte) -> str:
    """conditional_escape(), to the byte: a plain str goes straight to html.escape (what
    Django's escape() calls), without the lazy-text wrapper that cost a page of a few
    hundred options and attributes a millisecond or two."""
    if type(texte) is str:  # not a SafeString, not a lazy text: nothing to honour
        return html.escape(texte)
    return conditional_escape(texte)


# Django's widgets whose template is input.html alone: an <input> is written in Python.
ENTREES = {
    f"django/forms/widgets/{nom}.html"
    for nom in ("text", "number", "email", "url", "password", "hidden", "date", "datetime")
    + ("time", "search", "tel", "checkbox", "color")
}


ZONE_DE_TEXTE = "django/forms/widgets/textarea.html"


class Rendu(TemplatesSetting):
    """The project's form renderer (templates of the project first, then Django's), but an
    <input> and a <textarea> are written in Python, to the byte what Django's templates
    write: a fiche's sixty controls spent a quarter of its page in input.html and
    attrs.html, a séance's text boxes a twentieth of theirs in textarea.html."""

    def render(self, template_name, context, request=None):
        if template_name in ENTREES:
            return entree(context["widget"])
        if template_name == ZONE_DE_TEXTE:
            return zone_de_texte(context["widget"])
        return super().render(template_name, context, request)


def entree(widget: dict) -> str:
    """The <input> that Django's input.html writes for WIDGET (a widget's or an option's
    context), written in Python."""
    valeur = "" if widget["value"] is None else f' value="{_texte(widget["value"])}"'
    debut = f'<input type="{_texte(widget["type"])}" name="{_texte(widget["name"])}"'
    return f"{debut}{valeur}{_attributs(widget['attrs'])}>"


def zone_de_texte(widget: dict) -> str:
    """The <textarea> that Django's textarea.html writes for WIDGET, written in Python."""
    valeur = _texte(widget["value"]) if widget["value"] else ""
    nom = _texte(widget["name"])
    return f'<textarea name="{nom}"{_attributs(widget["attrs"])}>\n{valeur}</textarea>'


def _texte(valeur) -> str:
    # What {{ valeur|stringformat:"s" }} writes: the text of any value, escaped.
    return _echappe(valeur if isinstance(valeur, str) else str(valeur))


def _attributs(attrs) -> str:
    """attrs.html: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {_texte(nom)}" if valeur is True else f' {_texte(nom)}="{_texte(valeur)}"'
        for nom, valeur in attrs.items()
        if valeur is not False
    )
