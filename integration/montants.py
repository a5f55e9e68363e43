"""Amounts and decimal numbers as the French write them: "12 500,50" in, "12 500,50 €" out.

People type "12500", "12 500", "12 500,50" or "12500.50" (copied from a spreadsheet): all
are read the same. Spaces (ordinary, non-breaking, narrow) group thousands; a comma or a
single dot marks the decimals.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms

ESPACE = "\u00a0"  # non-breaking: an amount never breaks across lines
_ESPACES = re.compile(r"[\s\u00a0\u202f]+")
_NOMBRE = re.compile(r"-?\d+(?:[.,]\d+)?")


def lire_nombre(texte) -> Decimal | None:
    """TEXTE as a Decimal, None when empty; ValueError when it is not a number."""
    brut = _ESPACES.sub("", str(texte or "")).removesuffix("€").removesuffix("EUR")
    if not brut:
        return None
    if not _NOMBRE.fullmatch(brut):
        raise ValueError(texte)
    try:
        return Decimal(brut.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses
        raise ValueError(texte) from exc


def ecrire_nombre(valeur, decimales: int = 2) -> str:
    """ "12 500,00" (DECIMALES digits after the comma; 0 drops them when the value is whole)."""
    if valeur is None or valeur == "":
        return ""
    valeur = Decimal(valeur)
    if decimales == 0 and valeur != valeur.to_integral_value():
        decimales = 2
    texte = f"{valeur:,.{decimales}f}"
    return texte.replace(",", ESPACE).replace(".", ",")


def euros(valeur) -> str:
    """ "12 500,00 €", or "" for nothing."""
    texte = ecrire_nombre(valeur)
    return f"{texte}{ESPACE}€" if texte else ""


class NombreField(forms.DecimalField):
    """A decimal number typed the French way; shown back the same way."""

    widget = forms.TextInput  # a number box would refuse "12 500,50"
    decimales_affichees = 0
    message = "Saisissez un nombre, par exemple 12 500 ou 12 500,50."

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = self.message

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return lire_nombre(value)
        except ValueError:
            raise forms.ValidationError(self.message, code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return ecrire_nombre(value, self.decimales_affichees)
        return value


class MontantField(NombreField):
    """An amount in euros: "12 500,50"."""

    decimales_affichees = 2
    message = "Saisissez un montant en euros, par exemple 12 500 ou 12 500,50."
