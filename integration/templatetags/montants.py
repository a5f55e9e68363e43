"""Amounts and figures in templates, the French way (integration.montants):
{{ financement.montant_demande|euros }} gives "12 500,00 €", {{ 1250|nombre }} "1 250";
nothing to show gives "—"."""

from django import template

from integration import montants

register = template.Library()


@register.filter
def euros(valeur) -> str:
    return montants.euros(valeur) or "—"


@register.filter
def nombre(valeur) -> str:
    """Thousands apart; decimals only when there are some."""
    return montants.ecrire_nombre(valeur, 0) or "—"
