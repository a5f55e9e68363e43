"""Amounts in templates: {{ financement.montant_demande|euros }} gives "12 500,00 €"."""

from django import template

from integration import montants

register = template.Library()


@register.filter
def euros(valeur) -> str:
    return montants.euros(valeur)


@register.filter
def nombre(valeur) -> str:
    return montants.ecrire_nombre(valeur, 0)
