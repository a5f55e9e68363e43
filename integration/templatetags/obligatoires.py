"""Required fields, marked on every form the DSFR pack draws: a required field's label ends
with « * », and the form says once, above its fields, what the mark means.

On by default. A form where the mark would mean nothing (a filter, a lone button, one
control per table row) says `marquer_obligatoires = False` (on its class or instance); a
page that explains the mark in its own words (the fiche-action) says
`mention_obligatoires = False` on its form, so the sentence is not repeated."""

from django import template
from django.forms import BaseFormSet

register = template.Library()


def _marque(form) -> bool:
    return getattr(form, "marquer_obligatoires", True) is not False


@register.filter
def obligatoire(champ) -> bool:
    """{% if field|obligatoire %} *{% endif %}: FIELD (a bound field) is required and its
    form marks required fields."""
    return bool(champ.field.required) and _marque(champ.form)


@register.filter
def mention_obligatoires(form) -> bool:
    """{% if form|mention_obligatoires %}: FORM (or a formset's forms) has a required
    visible field to mark, and no page sentence of its own."""
    if isinstance(form, BaseFormSet):
        form = form.empty_form
    if not _marque(form) or getattr(form, "mention_obligatoires", True) is False:
        return False
    return any(champ.field.required for champ in form.visible_fields())
