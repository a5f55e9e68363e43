"""Matching a file's header row to the fields an app expects, by the names people use.

Case, accents, spaces and punctuation do not count ("N° Siret" is "n siret"); each field
takes the first column that names it; a missing required column gets one French message
listing what was recognised and what was not.
"""

import re
from dataclasses import dataclass, field

from integration.text import fold

# field -> (label shown to the user, headers accepted for it)
Colonnes = dict[str, tuple[str, tuple[str, ...]]]


def cle(texte: str) -> str:
    """Only letters and digits, folded: "N° Siret" and "n siret" give the same key."""
    return re.sub(r"[^a-z0-9]", "", fold(texte))


@dataclass
class Entete:
    champs: dict[int, str] = field(default_factory=dict)  # column index -> field
    reconnues: list[tuple[str, str]] = field(default_factory=list)  # (header, label)
    ignorees: list[str] = field(default_factory=list)
    erreur: str = ""  # the required columns that are missing, in French


def lire_entete(titres: list, colonnes: Colonnes, obligatoires: tuple[str, ...]) -> Entete:
    synonymes = {
        cle(s): champ for champ, (libelle, noms) in colonnes.items() for s in (libelle, *noms)
    }
    entete = Entete()
    for index, titre in enumerate(titres):
        titre = str(titre).strip()
        if not titre:
            continue
        champ = synonymes.get(cle(titre))
        if champ and champ not in entete.champs.values():
            entete.champs[index] = champ
            entete.reconnues.append((titre, colonnes[champ][0]))
        else:
            entete.ignorees.append(titre)
    manquantes = [colonnes[c][0] for c in obligatoires if c not in entete.champs.values()]
    if manquantes:
        entete.erreur = _message_manquantes(manquantes, entete)
    return entete


def _message_manquantes(manquantes: list[str], entete: Entete) -> str:
    s = "s" if len(manquantes) > 1 else ""
    message = (
        f"Colonne{s} obligatoire{s} introuvable{s} sur la première ligne : "
        + " et ".join(f"« {m} »" for m in manquantes)
        + ". "
    )
    if entete.reconnues:
        reconnues = ", ".join(f"« {titre} » ({libelle})" for titre, libelle in entete.reconnues)
        message += f"Colonnes reconnues : {reconnues}. "
    else:
        message += "Aucune colonne reconnue. "
    if entete.ignorees:
        message += f"Colonnes non reconnues : {enumerer(entete.ignorees)}."
    return message.strip()


def enumerer(titres: list[str], maximum: int = 10) -> str:
    """ "« a », « b » et 3 autres": a stray wide file does not drown its one message."""
    liste = ", ".join(f"« {titre} »" for titre in titres[:maximum])
    reste = len(titres) - maximum
    return liste + (f" et {reste} autre{'s' if reste > 1 else ''}" if reste > 0 else "")
