"""Checks on French administrative identifiers."""

from django.core.exceptions import ValidationError

from integration.text import chiffres

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
    if len(siret) != 14 or not chiffres(siret):
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


_SEPARATEURS_TELEPHONE = " .\u00a0\u202f-/()"
MESSAGE_TELEPHONE = (
    "Ce n'est pas un numéro de téléphone : saisissez 10 chiffres commençant par 0 "
    "(02 35 00 00 00) ou un numéro international commençant par + (+33 2 35 00 00 00)."
)


def normalise_telephone(value: str) -> str:
    """A phone number as the registry prints it: "02 35 00 00 00" or "+33 2 35 00 00 00".

    French numbers are grouped by two; other international numbers keep their digits
    after the "+", without spaces. Anything else raises a French ValidationError.
    """
    brut = (value or "").strip()
    if not brut:
        return ""
    international = brut.startswith("+") or brut.startswith("00")
    chiffres = "".join(ch for ch in brut.lstrip("+") if ch not in _SEPARATEURS_TELEPHONE)
    if not (chiffres.isascii() and chiffres.isdigit()):
        raise ValidationError(MESSAGE_TELEPHONE, code="telephone")
    if international and chiffres.startswith("00"):
        chiffres = chiffres[2:]
    if international and chiffres.startswith("33"):
        national = chiffres[2:].removeprefix("0")  # "+33 (0)2 35…" is often typed
        if len(national) != 9 or national[0] == "0":
            raise ValidationError(MESSAGE_TELEPHONE, code="telephone")
        return "+33 " + national[0] + " " + _par_deux(national[1:])
    if international:
        if not 8 <= len(chiffres) <= 15 or chiffres[0] == "0":
            raise ValidationError(MESSAGE_TELEPHONE, code="telephone")
        return "+" + chiffres
    if len(chiffres) != 10 or chiffres[0] != "0" or chiffres[1] == "0":
        raise ValidationError(MESSAGE_TELEPHONE, code="telephone")
    return _par_deux(chiffres)


def _par_deux(chiffres: str) -> str:
    return " ".join(chiffres[i : i + 2] for i in range(0, len(chiffres), 2))
