"""A list's filter form written out by one lean template (templates/_filtres.html) rather
than by the DSFR pack's template per field: on a list page, crispy's includes for a dozen
filters cost as much as a tenth of the page."""

from django import template

register = template.Library()

# The DSFR class of a control, without and with errors, by Django's widget type.
CLASSES = {
    "checkbox": ("", ""),
    "select": ("fr-select", "fr-select fr-select--error"),
    "listedechoix": ("fr-select", "fr-select fr-select--error"),
}
SAISIE = ("fr-input", "fr-input fr-input--error")


@register.filter
def controle(champ):
    """{{ field|controle }}: the bound field's own widget (its attributes, Django's
    aria-describedby and aria-invalid) with the DSFR class of its kind."""
    sans_erreur, avec_erreur = CLASSES.get(champ.widget_type, SAISIE)
    classe = avec_erreur if champ.errors else sans_erreur
    return champ.as_widget(attrs={"class": classe} if classe else None)


@register.filter
def groupe(champ) -> str:
    """{{ field|groupe }}: the DSFR group a control sits in (fr-select-group…)."""
    if champ.widget_type == "checkbox":
        return "fr-checkbox-group"
    return "fr-select-group" if champ.widget_type in CLASSES else "fr-input-group"
