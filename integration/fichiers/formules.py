"""Formula neutralisation (OWASP "CSV injection"), and its reverse for files read back."""

import re

# What a spreadsheet would read as the start of a formula.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
# What it may skip before it: control characters (XLSX drops them) and spaces.
_AVANT_LA_FORMULE = re.compile(r"[\x00-\x1f\x7f ]*")


def est_formule(valeur: str) -> bool:
    if not valeur or valeur[0] > " " and valeur[0] not in "=+-@\x7f":
        return False  # most cells (a name, a number, a date): no pattern to match
    if valeur.startswith(DEBUTS_DE_FORMULE):
        return True
    return valeur[_AVANT_LA_FORMULE.match(valeur).end() :].startswith(DEBUTS_DE_FORMULE)


def neutraliser(valeur: str) -> str:
    """Prefix with a quote what a spreadsheet would take for a formula."""
    return "'" + valeur if est_formule(valeur) else valeur


def retablir(valeur: str) -> str:
    """Remove the quote `neutraliser` put there, and only that one.

    "'=SOMME(A1)" gives back "=SOMME(A1)"; "'Nuit debout'" stays as it is: its quote
    does not stand before a formula, so someone typed it.
    """
    if valeur.startswith("'") and est_formule(valeur[1:]):
        return valeur[1:]
    return valeur
