"""The actions list as CSV and XLSX: what the screen shows (filters and sort), all pages,
with each action's funding, then two rows of totals by the rule of `actions.montants`:
the adopted actions' amounts, and what the actions not yet decided request. The plan's
dashboard shows the same totals (a test keeps them so).
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from actions import montants
from actions.models import Action
from integration.fichiers.ecriture import csv_flux, xlsx_fichier

COLONNES = [
    ("Titre", 40),
    ("Département", 20),
    ("Feuille de route", 30),
    ("Axe", 30),
    ("Statut", 16),
    ("Porteur", 36),
    ("Partenaires", 40),
    ("Publics", 30),
    ("Territoires", 30),
    ("Début", 12),
    ("Fin", 12),
    ("Avancement (%)", 12),
    ("Montant demandé (€)", 16),
    ("Montant accordé (€)", 16),
    ("Montant versé (€)", 16),
]
ENTETE = [titre for titre, _ in COLONNES]


def _complet(queryset: QuerySet[Action]) -> QuerySet[Action]:
    # Each relation in one query per chunk of actions, whatever their number; as lists
    # (to_attr), so that no row copies a queryset to read them.
    return queryset.select_related("axe", "porteur", "feuille__departement").prefetch_related(
        Prefetch("partenaires", to_attr="liste_partenaires"),
        Prefetch("publics", to_attr="liste_publics"),
        Prefetch("territoires", to_attr="liste_territoires"),
    )


def decimal_fr(valeur) -> str:
    """12500.5 -> "12500,50": a number French spreadsheets read as one."""
    return f"{valeur:.2f}".replace(".", ",")


def _date(jour: date | None) -> str:
    return jour.strftime("%d/%m/%Y") if jour else ""


def texte(valeur) -> str:
    """A typed cell as the CSV writes it."""
    if isinstance(valeur, Decimal):
        return decimal_fr(valeur)
    if isinstance(valeur, date):
        return _date(valeur)
    return "" if valeur is None else str(valeur)


def cellules(action: Action) -> list:
    """One action's row, typed: amounts as Decimal, dates as dates (the XLSX keeps them
    so; the CSV writes them as French text)."""
    return [
        action.titre,
        str(action.feuille.departement),
        f"{action.feuille.titre} (version {action.feuille.version})",
        action.axe.libelle,
        action.get_statut_display(),
        action.porteur.nom,
        ", ".join(p.nom for p in action.liste_partenaires),
        ", ".join(p.libelle for p in action.liste_publics),
        ", ".join(str(t) for t in action.liste_territoires),
        action.date_debut,
        action.date_fin,
        action.avancement,
        action.total_demande,
        action.total_accorde,
        action.total_verse,
    ]


TOTAL_ADOPTEES = "Total des actions adoptées (validées, en cours, terminées)"
TOTAL_EN_ATTENTE = "En attente d'instruction (brouillons, soumises, en instruction, à compléter)"


def _total(libelle: str, *sommes) -> list:
    """A totals row: its label in the first column, SOMMES in the amount columns."""
    return [libelle, *[""] * (len(COLONNES) - 4), *sommes, *[""] * (3 - len(sommes))]


def totaux_types(queryset: QuerySet[Action]) -> list[list]:
    totaux = montants.totaux(queryset)
    adoptees = totaux.adoptees
    return [
        _total(TOTAL_ADOPTEES, adoptees.demande, adoptees.accorde, adoptees.verse),
        _total(TOTAL_EN_ATTENTE, totaux.en_attente),
    ]


def _lignes(queryset: QuerySet[Action]):
    """Typed rows, read 500 actions at a time, then the totals."""
    yield from (cellules(a) for a in _complet(queryset).iterator(chunk_size=500))
    yield from totaux_types(queryset)


def flux_csv(queryset: QuerySet[Action]) -> Iterator[bytes]:
    """The CSV in pieces as the rows are read: its first bytes leave before the last row
    is read, and memory holds one chunk of actions."""
    return csv_flux(ENTETE, ([texte(v) for v in ligne_] for ligne_ in _lignes(queryset)))


def fichier_xlsx(queryset: QuerySet[Action]):
    """The XLSX in a temporary file, open at its start, written row by row."""
    return xlsx_fichier("Actions", COLONNES, _lignes(queryset))


def nom_fichier(perimetre: str, extension: str, jour: date | None = None) -> str:
    jour = jour or timezone.localdate()
    return f"actions-{perimetre.lower()}-{jour.isoformat()}.{extension}"
