"""The actions list as CSV and XLSX: what the screen shows (filters and sort), all pages,
with each action's funding totals. The plan's dashboard adds up the same totals: its
figures equal the sums of these columns (a test keeps them so).
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

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


def _lignes(queryset: QuerySet[Action]):
    return (ligne(a) for a in _complet(queryset).iterator(chunk_size=500))


def export_csv(queryset: QuerySet[Action]) -> bytes:
    return csv_bytes(ENTETE, _lignes(queryset))


def export_xlsx(queryset: QuerySet[Action]) -> bytes:
    return xlsx_bytes("Actions", COLONNES, _lignes(queryset))


def nom_fichier(perimetre: str, extension: str, jour: date | None = None) -> str:
    jour = jour or timezone.localdate()
    return f"actions-{perimetre.lower()}-{jour.isoformat()}.{extension}"
