"""Controls in the DSFR pack's markup written in Python by {% champ %}, rather than by
the pack's template per field: on a list page, crispy's includes for a dozen filters cost
as much as a tenth of the page, and a fiche-action's sixty cells more than their widgets.
A list's filter form (templates/_filtres.html) and the fiche's form use it; the pack's
fieldset (templates/dsfr_crispy/layout/field_fieldset.html) writes its boxes and radios
with {% cases %}, and a fiche's tables their rows with {% lignes %}."""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import template
from django.template.loader import render_to_string
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from integration.templatetags.obligatoires import obligatoire
from integration.widgets import entree

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


@register.simple_tag
def cases(champ, classe_du_groupe: str, en_ligne=""):
    """{% cases field "fr-checkbox-group" %}: the boxes or radios of a field, one DSFR
    fieldset element each (a group's name above its choices), written in Python: the
    markup the pack's template wrote per choice, which cost an actor's form (a hundred
    boxes) more than half of its page."""
    element = "fr-fieldset__element"
    if en_ligne:
        element += " fr-fieldset__element--inline"
    groupe = conditional_escape(classe_du_groupe)
    parties = []
    for nom_du_groupe, options, _index in optgroups(champ):
        if nom_du_groupe:
            parties.append(
                '<p class="fr-fieldset__element fr-text--bold fr-mb-1w">'
                f"{conditional_escape(nom_du_groupe)}</p>"
            )
        parties += [_case(option, element, groupe) for option in options]
    return mark_safe("\n  ".join(parties))  # noqa: S308 - every text escaped


def _case(option: dict, element: str, groupe: str) -> str:
    """One choice: its <input> as Django writes it, its label pointing to it."""
    cible = option["attrs"].get("id")
    pour = f' for="{conditional_escape(cible)}"' if cible else ""
    libelle = conditional_escape(unlocalize(option["label"]))
    return (
        f'<div class="{element}">\n    <div class="{groupe}">\n      {entree(option)}'
        f'\n      <label class="fr-label"{pour}>{libelle}</label>\n    </div>\n  </div>'
    )


@register.filter
def case(option: dict) -> str:
    """{{ option|case }}: one box of a field's choices (an option of optgroups()), in its
    DSFR group, as {% cases %} writes each."""
    return mark_safe(_case(option, "fr-fieldset__element", "fr-checkbox-group"))  # noqa: S308


@register.simple_tag
def lignes(formset):
    """{% lignes formset %}: the header and rows of a table with a form per row
    (templates/actions/fiches/_tableau.html), each cell written by champ(): the header names
    the column, so each control's label is visually hidden; the row's hidden fields go in
    its first cell, and the errors of no field in a row of their own above it. Its loops in
    the template, over four tables of some twenty cells, cost as much as the cells."""
    # Every row has the same columns: the first names them. `empty_form` builds a form
    # of its own at each call (a tenth of a fiche's forms), only for a table with no row.
    modele = formset.forms[0] if formset.forms else formset.empty_form
    entetes = "".join(
        f'<th scope="col">{conditional_escape(colonne.label)}'
        f"{' *' if obligatoire(colonne) else ''}</th>"
        for colonne in modele.visible_fields()
    )
    parties = [f"<thead>\n      <tr>{entetes}</tr>\n    </thead>\n    <tbody>"]
    for form in formset:
        visibles = form.visible_fields()
        if form.non_field_errors():
            erreurs = render_to_string("dsfr_crispy/errors.html", {"form": form})
            parties.append(f'<tr><td colspan="{len(visibles)}">{erreurs}</td></tr>')
        caches = "".join(str(cache) for cache in form.hidden_fields())
        cellules = "".join(
            f"<td>{caches if rang == 0 else ''}{champ(colonne, libelle_cache=True)}</td>"
            for rang, colonne in enumerate(visibles)
        )
        parties.append(f"<tr>\n        {cellules}\n      </tr>")
    parties.append("</tbody>")
    return mark_safe("\n      ".join(parties))  # noqa: S308 - every text escaped by champ()
