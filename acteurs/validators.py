"""Checks on French administrative identifiers."""

from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN whose SIRETs follow another rule.
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    """Drop the spaces and dots people type inside a SIRET."""
    return "".join(ch for ch in (value or "") if ch not in " .\u00a0-")


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError("Le SIRET doit compter 14 chiffres.", code="siret_format")
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00048":
        valid = sum(int(c) for c in siret) % 5 == 0
    else:
        valid = luhn_ok(siret)
    if not valid:
        raise ValidationError(
            "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les 14 chiffres.",
            code="siret_cle",
        )
