"""Amounts and figures in French: {{ montant|euros }} gives "12 500,00 €"."""

from decimal import Decimal

from django import template

register = template.Library()

ESPACE = "\u00a0"  # no line break inside an amount, nor before its unit


def _grouper(valeur: Decimal) -> str:
    return f"{valeur:,f}".replace(",", ESPACE).replace(".", ",")


@register.filter
def euros(valeur) -> str:
    if valeur in (None, ""):
        return "—"
    return f"{_grouper(Decimal(valeur).quantize(Decimal('0.01')))}{ESPACE}€"


@register.filter
def nombre(valeur) -> str:
    """ "12 500", "12,5": thousands grouped by a non-breaking space, a decimal comma."""
    if valeur in (None, ""):
        return "—"
    texte = _grouper(Decimal(valeur))
    return texte.rstrip("0").rstrip(",") if "," in texte else texte
