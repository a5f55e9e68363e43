"""Numbers as French readers write them."""

from decimal import Decimal

from django import template

register = template.Library()

ESPACE = "\u00a0"  # non-breaking: an amount never breaks across lines


def montant(valeur, *, devise: bool = True) -> str:
    """12500 -> "12 500,00 €" (non-breaking spaces)."""
    if valeur in (None, ""):
        return "—"
    texte = f"{Decimal(valeur):,.2f}".replace(",", ESPACE).replace(".", ",")
    return f"{texte}{ESPACE}€" if devise else texte


@register.filter
def euros(valeur) -> str:
    return montant(valeur)


@register.filter
def nombre(valeur) -> str:
    """A count or a measure: thousands apart, decimals only when there are some."""
    if valeur in (None, ""):
        return "—"
    valeur = Decimal(valeur)
    if valeur == valeur.to_integral_value():
        return f"{int(valeur):,}".replace(",", ESPACE)
    return f"{valeur:,.2f}".replace(",", ESPACE).replace(".", ",")
