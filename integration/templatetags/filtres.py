"""Controls in the DSFR pack's markup written in Python by {% champ %}, rather than by
the pack's template per field: on a list page, crispy's includes for a dozen filters cost
as much as a tenth of the page, and a fiche-action's sixty cells more than their widgets.
A list's filter form (templates/_filtres.html) and the fiche's form use it."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from integration.templatetags.obligatoires import obligatoire

register = template.Library()

# The DSFR class of a control, without and with errors, by Django's widget type.
CLASSES = {
    "checkbox": ("", ""),
    "select": ("fr-select", "fr-select fr-select--error"),
    "listedechoix": ("fr-select", "fr-select fr-select--error"),
}
SAISIE = ("fr-input", "fr-input fr-input--error")


def controle(champ):
    """The bound field's own widget (its attributes, Django's
    aria-describedby and aria-invalid) with the DSFR class of its kind."""
    sans_erreur, avec_erreur = CLASSES.get(champ.widget_type, SAISIE)
    classe = avec_erreur if champ.errors else sans_erreur
    return champ.as_widget(attrs={"class": classe} if classe else None)


def groupe(champ) -> str:
    """The DSFR group a control sits in (fr-select-group…)."""
    if champ.widget_type == "checkbox":
        return "fr-checkbox-group"
    return "fr-select-group" if champ.widget_type in CLASSES else "fr-input-group"


@register.simple_tag
def champ(champ, libelle_cache=False):
    """{% champ field %}: one control in its DSFR group, written in Python: the label
    (visually hidden with LIBELLE_CACHE, where a table's header names the column, but a
    box's, which draws the box) with its « * » and hint, the control, its errors with the
    id the control's aria-describedby names. A fiche's sixty cells spent more in their
    template than in their widgets."""
    classe = groupe(champ)
    case = classe == "fr-checkbox-group"
    erreurs = champ.errors
    auto_id = conditional_escape(champ.auto_id)
    libelle = _libelle(champ, libelle_cache and not case)
    controle_ = controle(champ)
    parties = [
        f'<div class="{classe}{f" {classe}--error" if erreurs else ""}" id="div_{auto_id}">\n  ',
        f"{controle_}\n  {libelle}\n  " if case else f"{libelle}\n  {controle_}\n  ",
    ]
    if erreurs:
        textes = " ".join(conditional_escape(e) for e in erreurs)
        parties.append(f'<p class="fr-error-text" id="{auto_id}_error">{textes}</p>')
    parties.append("\n</div>")
    return mark_safe("".join(parties))  # noqa: S308 - every text escaped above


def _libelle(champ, cache: bool) -> str:
    classe = "fr-label fr-sr-only" if cache else "fr-label"
    marque = " *" if obligatoire(champ) else ""
    aide = ""
    if champ.help_text:
        aide = (
            f'<span class="fr-hint-text" id="{conditional_escape(champ.auto_id)}_helptext">'
            f"{conditional_escape(champ.help_text)}</span>"
        )
    return (
        f'<label class="{classe}" for="{conditional_escape(champ.id_for_label)}">'
        f"{conditional_escape(champ.label)}{marque}{aide}</label>"
    )
