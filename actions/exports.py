"""The actions list as CSV and XLSX: what the screen shows (filters and sort), all pages,
with each action's funding, then two rows of totals by the rule of `actions.montants`:
the adopted actions' amounts, and what the actions not yet decided request. The plan's
dashboard shows the same totals (a test keeps them so).
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from acteurs.models import Territoire
from actions import montants
from actions.models import Action, Financement, Partenariat
from actions.montants import ZERO
from integration.fichiers.ecriture import csv_flux, xlsx_flux
from integration.requetes import parmi
from integration.text import date_courte

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


def decimal_fr(valeur) -> str:
    """12500.5 -> "12500,50": a number French spreadsheets read as one."""
    return f"{valeur:.2f}".replace(".", ",")


def _date(jour: date | None) -> str:
    return date_courte(jour) if jour else ""


def texte(valeur) -> str:
    """A typed cell as the CSV writes it."""
    if isinstance(valeur, Decimal):
        return decimal_fr(valeur)
    if isinstance(valeur, date):
        return _date(valeur)
    return "" if valeur is None else str(valeur)


# What the rows are read from, in the columns' order where they are shown as read.
CHAMPS = (
    "pk",
    "titre",
    "feuille__departement__nom",
    "feuille__departement__code",
    "feuille__titre",
    "feuille__version",
    "axe__libelle",
    "statut",
    "porteur__nom",
    "date_debut",
    "date_fin",
    "avancement",
)
LOT = 2000  # actions read, and their relations looked up, at a time


def _lots(queryset: QuerySet[Action]) -> Iterator[list[tuple]]:
    """The actions as plain tuples, LOT at a time, in the list's order."""
    lot = []
    for rangee in queryset.values_list(*CHAMPS).iterator(chunk_size=LOT):
        lot.append(rangee)
        if len(lot) == LOT:
            yield lot
            lot = []
    if lot:
        yield lot


def _par_action(lignes) -> dict[int, list]:
    """(action id, value) pairs as lists of values by action, in the pairs' order."""
    valeurs: dict[int, list] = {}
    for action_id, valeur in lignes:
        valeurs.setdefault(action_id, []).append(valeur)
    return valeurs


def _relations(ids: list[int]) -> tuple[dict, dict, dict, dict]:
    """A lot's partners, publics, territories and funding totals, by action: four queries
    whatever the lot holds, each in the order the action's page lists them."""
    du_lot = parmi("action", ids)
    partenaires = Partenariat.objects.filter(du_lot).order_by("acteur__nom", "acteur")
    publics = Action.publics.through.objects.filter(du_lot).order_by(
        "publiccible__ordre", "publiccible__libelle", "publiccible"
    )
    territoires = Action.territoires.through.objects.filter(du_lot).order_by(
        "territoire__nom", "territoire"
    )
    totaux = (
        Financement.objects.filter(du_lot)
        .order_by()
        .values("action")
        .annotate(**montants.sommes())
        .values_list("action", "d", "a", "v")
    )
    return (
        _par_action(partenaires.values_list("action", "acteur__nom")),
        _par_action(publics.values_list("action", "publiccible__libelle")),
        _par_action(
            (a, Territoire.libelle(type_, nom, code))
            for a, type_, nom, code in territoires.values_list(
                "action", "territoire__type", "territoire__nom", "territoire__code"
            )
        ),
        {action_id: sommes for action_id, *sommes in totaux},
    )


SANS_FINANCEMENT = (ZERO, ZERO, ZERO)


def _lot_de_cellules(lot: list[tuple]) -> Iterator[list]:
    """A lot's rows, typed: amounts as Decimal, dates as dates (the XLSX keeps them so;
    the CSV writes them as French text)."""
    partenaires, publics, territoires, totaux = _relations([r[0] for r in lot])
    for pk, titre, dep_nom, dep_code, f_titre, version, axe, statut, porteur, *fin in lot:
        debut, fin_, avancement = fin
        yield [
            titre,
            f"{dep_nom} ({dep_code})",
            f"{f_titre} (version {version})",
            axe,
            Action.LIBELLES_DES_STATUTS[statut],
            porteur,
            ", ".join(partenaires.get(pk, ())),
            ", ".join(publics.get(pk, ())),
            ", ".join(territoires.get(pk, ())),
            debut,
            fin_,
            avancement,
            *[somme or ZERO for somme in totaux.get(pk, SANS_FINANCEMENT)],
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
    """Typed rows, read LOT actions at a time, then the totals. Plain tuples and a few
    lookups per lot: model instances and their prefetched relations cost most of a
    national export's time."""
    for lot in _lots(queryset):
        yield from _lot_de_cellules(lot)
    yield from totaux_types(queryset)


def flux_csv(queryset: QuerySet[Action]) -> Iterator[bytes]:
    """The CSV in pieces as the rows are read: its first bytes leave before the last row
    is read, and memory holds one lot of actions."""
    return csv_flux(ENTETE, ([texte(v) for v in ligne_] for ligne_ in _lignes(queryset)))


def flux_xlsx(queryset: QuerySet[Action]) -> Iterator[bytes]:
    """The XLSX in pieces as the rows are read, likewise."""
    return xlsx_flux("Actions", COLONNES, _lignes(queryset))


def nom_fichier(perimetre: str, extension: str, jour: date | None = None) -> str:
    jour = jour or timezone.localdate()
    return f"actions-{perimetre.lower()}-{jour.isoformat()}.{extension}"
