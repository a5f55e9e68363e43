"""The actions list as CSV and XLSX: what the screen shows (filters and sort), all pages,
with each action's funding, then two rows of totals by the rule of `actions.montants`:
the adopted actions' amounts, and what the actions not yet decided request. The plan's
dashboard shows the same totals (a test keeps them so).
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from actions import montants
from actions.models import Action
from integration.fichiers.ecriture import csv_bytes, xlsx_bytes

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
    # Each relation in one query per 500 actions, whatever the number of actions.
    return queryset.select_related("axe", "porteur", "feuille__departement").prefetch_related(
        "partenaires", "publics", "territoires"
    )


def decimal_fr(valeur) -> str:
    """12500.5 -> "12500,50": a number French spreadsheets read as one."""
    return f"{valeur:.2f}".replace(".", ",")


def _date(jour: date | None) -> str:
    return jour.strftime("%d/%m/%Y") if jour else ""


def ligne(action: Action) -> list[str]:
    return [
        action.titre,
        str(action.feuille.departement),
        f"{action.feuille.titre} (version {action.feuille.version})",
        action.axe.libelle,
        action.get_statut_display(),
        action.porteur.nom,
        ", ".join(p.nom for p in action.partenaires.all()),
        ", ".join(p.libelle for p in action.publics.all()),
        ", ".join(str(t) for t in action.territoires.all()),
        _date(action.date_debut),
        _date(action.date_fin),
        str(action.avancement),
        decimal_fr(action.total_demande),
        decimal_fr(action.total_accorde),
        decimal_fr(action.total_verse),
    ]


TOTAL_ADOPTEES = "Total des actions adoptées (validées, en cours, terminées)"
TOTAL_EN_ATTENTE = "En attente d'instruction (brouillons, soumises, en instruction, à compléter)"


def _total(libelle: str, *sommes) -> list[str]:
    """A totals row: its label in the first column, SOMMES in the amount columns."""
    cellules = [decimal_fr(m) for m in sommes] + [""] * (3 - len(sommes))
    return [libelle, *[""] * (len(COLONNES) - 4), *cellules]


def lignes_de_totaux(queryset: QuerySet[Action]) -> list[list[str]]:
    totaux = montants.totaux(queryset)
    adoptees = totaux.adoptees
    return [
        _total(TOTAL_ADOPTEES, adoptees.demande, adoptees.accorde, adoptees.verse),
        _total(TOTAL_EN_ATTENTE, totaux.en_attente),
    ]


def _lignes(queryset: QuerySet[Action]):
    yield from (ligne(a) for a in _complet(queryset).iterator(chunk_size=500))
    yield from lignes_de_totaux(queryset)


def export_csv(queryset: QuerySet[Action]) -> bytes:
    return csv_bytes(ENTETE, _lignes(queryset))


def export_xlsx(queryset: QuerySet[Action]) -> bytes:
    return xlsx_bytes("Actions", COLONNES, _lignes(queryset))


def nom_fichier(perimetre: str, extension: str, jour: date | None = None) -> str:
    jour = jour or timezone.localdate()
    return f"actions-{perimetre.lower()}-{jour.isoformat()}.{extension}"
