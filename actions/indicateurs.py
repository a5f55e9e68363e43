"""The indicator grid, out and back: a spreadsheet of the indicators a user follows, one row
per indicator and year, which they fill in and import again.

`grille()` gives the rows to export. `analyser_fichier()` reads a filled grid and checks
every row (the indicator is known and followed by the user, the year is in the feuille's
period, the value is a number, not negative); it writes nothing. Only the rows where a new
value was typed count; the rest of the grid is context for the person filling it in.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from actions import access
from actions.models import Indicateur, Mesure
from integration.fichiers.entete import Colonnes, lire_entete
from integration.fichiers.formules import retablir
from integration.fichiers.lecture import (
    FichierRefuse,
    Limites,
    empreinte,
    lire_tableau,
    lire_televersement,
)
from integration.montants import lire_nombre
from integration.text import identifiant

LIMITES = Limites(octets=2 * 1024 * 1024, lignes=5000)

# The exported columns, in order, with their width in the XLSX file.
ENTETE = [
    ("N° action", 10), ("Action", 40), ("N° indicateur", 13), ("Indicateur", 40),
    ("Unité", 14), ("Cible", 10), ("Année", 8), ("Valeur actuelle", 15),
    ("Nouvelle valeur", 15),
]  # fmt: skip

COLONNES: Colonnes = {
    "indicateur": ("N° indicateur", ("id indicateur", "numero indicateur", "indicateur id")),
    "annee": ("Année", ("annee", "an", "exercice")),
    "nouvelle_valeur": ("Nouvelle valeur", ("nouvelle valeur", "valeur saisie", "saisie")),
}
OBLIGATOIRES = ("indicateur", "annee", "nouvelle_valeur")
MAXIMUM = Decimal("9999999999.99")  # what Mesure.valeur holds (12 digits, 2 decimals)


def nombre(valeur: Decimal | None) -> str:
    """ "12,5", "40": as a French spreadsheet reads it back."""
    if valeur is None:
        return ""
    texte = f"{valeur:f}"
    if "." in texte:
        texte = texte.rstrip("0").rstrip(".")
    return texte.replace(".", ",")


# --- Export -----------------------------------------------------------------------------


def indicateurs_suivis(user, departement_ids) -> list[Indicateur]:
    actions = access.actions_suivies_par(user).filter(feuille__departement__in=departement_ids)
    return list(
        Indicateur.objects.filter(action__in=actions)
        .select_related("action__feuille")
        .prefetch_related("mesures")
        .order_by("action__feuille__departement", "action_id", "pk")
    )


def grille(user, departement_ids) -> list[list]:
    lignes = []
    for indicateur in indicateurs_suivis(user, departement_ids):
        action, feuille = indicateur.action, indicateur.action.feuille
        valeurs = {mesure.annee: mesure.valeur for mesure in indicateur.mesures.all()}
        for annee in range(feuille.annee_debut, feuille.annee_fin + 1):
            lignes.append([
                action.pk, action.titre, indicateur.pk, indicateur.libelle, indicateur.unite,
                nombre(indicateur.cible), annee, nombre(valeurs.get(annee)), "",
            ])  # fmt: skip
    return lignes


# --- Import -----------------------------------------------------------------------------


@dataclass
class LigneGrille:
    numero: int
    indicateur: str  # as written in the file
    annee: str
    valeur: str
    libelle: str = ""  # "Action – indicateur", once found
    actuelle: str = ""
    donnees: dict = field(default_factory=dict)  # {"indicateur": pk, "annee": int, "valeur": str}
    erreurs: list[str] = field(default_factory=list)
    inchangee: bool = False

    @property
    def est_valide(self) -> bool:
        return not self.erreurs


@dataclass
class ResultatGrille:
    nom_fichier: str = ""
    empreinte: str = ""
    lignes: list[LigneGrille] = field(default_factory=list)  # rows with a new value only
    erreurs: list[str] = field(default_factory=list)
    ignorees: int = 0  # rows without a new value

    @property
    def a_ecrire(self) -> list[LigneGrille]:
        return [ligne for ligne in self.lignes if ligne.est_valide and not ligne.inchangee]

    @property
    def nb_en_erreur(self) -> int:
        return sum(1 for ligne in self.lignes if not ligne.est_valide)

    @property
    def est_propre(self) -> bool:
        return not self.erreurs and self.nb_en_erreur == 0 and bool(self.a_ecrire)

    def en_session(self) -> list:
        return [
            [ligne.donnees["indicateur"], ligne.donnees["annee"], ligne.donnees["valeur"]]
            for ligne in self.a_ecrire
        ]


def analyser_fichier(fichier, user) -> ResultatGrille:
    try:
        nom_fichier, contenu = lire_televersement(fichier, LIMITES)
    except FichierRefuse as exc:
        return ResultatGrille(nom_fichier=PurePath(fichier.name or "").name, erreurs=[str(exc)])
    return analyser_contenu(nom_fichier, contenu, user)


def analyser_contenu(nom_fichier: str, contenu: bytes, user) -> ResultatGrille:
    resultat = ResultatGrille(nom_fichier=nom_fichier, empreinte=empreinte(contenu))
    try:
        lignes = lire_tableau(nom_fichier, contenu, LIMITES)
    except FichierRefuse as exc:
        resultat.erreurs.append(str(exc))
        return resultat
    entete = lire_entete(lignes[0][1], COLONNES, OBLIGATOIRES)
    if entete.erreur:
        resultat.erreurs.append(entete.erreur)
        return resultat
    brutes = []
    for numero, cellules in lignes[1:]:
        valeurs = {c: _cellule(cellules, i) for i, c in entete.champs.items()}
        if valeurs["nouvelle_valeur"] == "":
            resultat.ignorees += 1
            continue
        brutes.append(LigneGrille(numero, valeurs["indicateur"], valeurs["annee"],
                                  valeurs["nouvelle_valeur"]))  # fmt: skip
    _verifier(brutes, user)
    resultat.lignes = brutes
    if not brutes:
        resultat.erreurs.append(
            "Aucune nouvelle valeur dans le fichier : remplissez la colonne « Nouvelle valeur » "
            "des lignes à mettre à jour."
        )
    return resultat


def _cellule(cellules: list, index: int) -> str:
    valeur = cellules[index] if index < len(cellules) else ""
    return str(valeur) if isinstance(valeur, int) else retablir(valeur)


def _verifier(lignes: list[LigneGrille], user) -> None:
    pks = {pk for ligne in lignes if (pk := identifiant(ligne.indicateur))}
    visibles = Indicateur.objects.filter(
        pk__in=pks, action__in=access.actions_visible_to(user)
    ).select_related("action__feuille")
    suivis = set(
        Indicateur.objects.filter(
            pk__in=pks, action__in=access.actions_suivies_par(user)
        ).values_list("pk", flat=True)
    )
    connus = {indicateur.pk: indicateur for indicateur in visibles}
    actuelles = {
        (m.indicateur_id, m.annee): m.valeur for m in Mesure.objects.filter(indicateur__in=suivis)
    }
    vues: dict[tuple, int] = {}
    for ligne in lignes:
        indicateur = _indicateur(ligne, connus, suivis)
        annee = _annee(ligne, indicateur)
        valeur = _valeur(ligne)
        if indicateur is None or annee is None or valeur is None:
            continue
        if (cle := (indicateur.pk, annee)) in vues:
            ligne.erreurs.append(
                f"L'indicateur n° {indicateur.pk} a déjà une valeur pour {annee} à la ligne "
                f"{vues[cle]} du fichier."
            )
            continue
        vues[cle] = ligne.numero
        actuelle = actuelles.get(cle)
        ligne.actuelle = nombre(actuelle)
        ligne.inchangee = actuelle == valeur
        ligne.donnees = {"indicateur": indicateur.pk, "annee": annee, "valeur": str(valeur)}


def _indicateur(ligne: LigneGrille, connus: dict, suivis: set) -> Indicateur | None:
    texte = ligne.indicateur
    if not texte:
        ligne.erreurs.append("Le numéro de l'indicateur est vide.")
        return None
    indicateur = connus.get(identifiant(texte))
    if indicateur is None:
        ligne.erreurs.append(f"Indicateur n° « {texte} » inconnu.")
        return None
    ligne.libelle = f"{indicateur.action.titre} – {indicateur.libelle}"
    if indicateur.pk not in suivis:
        ligne.erreurs.append(
            f"L'indicateur n° {indicateur.pk} n'est pas de ceux que vous suivez : seuls le "
            "porteur d'une action retenue et le service pilote en saisissent les valeurs."
        )
        return None
    return indicateur


def _annee(ligne: LigneGrille, indicateur: Indicateur | None) -> int | None:
    if not re.fullmatch(r"\d{4}", ligne.annee):
        ligne.erreurs.append(f"Année « {ligne.annee} » illisible : écrivez-la en 4 chiffres.")
        return None
    annee = int(ligne.annee)
    if indicateur is None:
        return annee
    feuille = indicateur.action.feuille
    if not feuille.annee_debut <= annee <= feuille.annee_fin:
        ligne.erreurs.append(
            f"L'année {annee} est hors de la période de la feuille de route ({feuille.periode})."
        )
        return None
    return annee


def _valeur(ligne: LigneGrille) -> Decimal | None:
    try:
        valeur = lire_nombre(ligne.valeur)
    except ValueError:
        valeur = None
    if valeur is None:
        ligne.erreurs.append(f"Nouvelle valeur « {ligne.valeur} » : ce n'est pas un nombre.")
    elif valeur < 0:
        ligne.erreurs.append(f"Nouvelle valeur « {ligne.valeur} » : elle ne peut être négative.")
    elif valeur > MAXIMUM or valeur != valeur.quantize(Decimal("0.01")):
        ligne.erreurs.append(
            f"Nouvelle valeur « {ligne.valeur} » : deux décimales au plus, et moins de dix "
            "milliards."
        )
    else:
        return valeur.quantize(Decimal("0.01"))
    return None
