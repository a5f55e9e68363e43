"""The reference territories (communes, EPCI, départements) and their bulk loading.

They come from `acteurs/data/territoires.csv.gz` (see the README there), shipped with the
code so that loading needs no network. `charger_territoires()` creates or updates them
in bulk and links them to the Departement rows that exist.
"""

import csv
import gzip
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from acteurs.models import Departement, Territoire
from integration.text import search_key

FICHIER = Path(__file__).resolve().parent / "data" / "territoires.csv.gz"
SEPARATEUR = "|"
CHAMPS_MODIFIABLES = ["siren", "nom", "codes_postaux", "population", "epci", "nom_recherche"]


def lire_referentiel(fichier: Path = FICHIER) -> list[dict[str, str]]:
    with gzip.open(fichier, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def normaliser_code_departement(code: str) -> str:
    """ "5" -> "05", "2a" -> "2A": what people type on a command line."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


@dataclass
class Bilan:
    """What a load did, for the command's summary."""

    # département code -> {"commune": n, "epci": n} in the reference file
    par_departement: dict[str, Counter] = field(default_factory=dict)
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    liens_ajoutes: int = 0
    liens_retires: int = 0
    # "Nom (code)" of territories in the database, linked to a loaded département, that the
    # reference no longer lists (merged communes, dissolved EPCI): kept, never deleted.
    absents: list[str] = field(default_factory=list)
    # loaded département codes without a Departement row: territories left unlinked
    sans_departement: list[str] = field(default_factory=list)


def charger_territoires(codes: set[str] | None = None, fichier: Path = FICHIER) -> Bilan:
    """Create or update the territories of départements CODES (all of France if None).

    A département's territories are its communes, the EPCI with at least one member
    commune in it, and the département itself. Idempotent: a second run changes nothing.
    Each territory is linked to the Departement rows that exist with a matching code;
    no Departement row is created here.
    """
    lignes = lire_referentiel(fichier)
    connus = {ligne["code"] for ligne in lignes if ligne["type"] == "departement"}
    if codes is not None:
        inconnus = set(codes) - connus
        if inconnus:
            raise ValueError(
                "Département inconnu du référentiel : " + ", ".join(sorted(inconnus)) + "."
            )
        codes = set(codes)
    else:
        codes = connus
    selection = [
        ligne for ligne in lignes if codes.intersection(ligne["departements"].split(SEPARATEUR))
    ]

    bilan = Bilan()
    for code in sorted(codes):
        bilan.par_departement[code] = Counter()
    for ligne in selection:
        for code in ligne["departements"].split(SEPARATEUR):
            if code in codes:
                bilan.par_departement[code][ligne["type"]] += 1

    departement_pk = dict(Departement.objects.values_list("code", "pk"))
    bilan.sans_departement = sorted(codes - set(departement_pk))

    with transaction.atomic():
        existants = {
            (type_, code): (pk, siren, nom, codes_postaux, population, epci_id, nom_recherche)
            for pk, type_, code, siren, nom, codes_postaux, population, epci_id, nom_recherche in (
                Territoire.objects.values_list(
                    "pk",
                    "type",
                    "code",
                    "siren",
                    "nom",
                    "codes_postaux",
                    "population",
                    "epci_id",
                    "nom_recherche",
                )
            )
        }
        # EPCI (and départements) first: communes point to their EPCI.
        epci_pk: dict[str, int] = {}
        for groupe in (("departement", "epci"), ("commune",)):
            if groupe == ("commune",):
                epci_pk = dict(
                    Territoire.objects.filter(type=Territoire.Type.EPCI).values_list("code", "pk")
                )
            a_creer, a_modifier = [], defaultdict(list)
            for ligne in selection:
                if ligne["type"] not in groupe:
                    continue
                valeurs = (
                    ligne["siren"],
                    ligne["nom"],
                    ligne["codes_postaux"],
                    int(ligne["population"]) if ligne["population"] else None,
                    epci_pk.get(ligne["epci"]) if ligne["epci"] else None,
                    search_key(ligne["nom"]),
                )
                territoire = Territoire(
                    type=ligne["type"],
                    code=ligne["code"],
                    siren=valeurs[0],
                    nom=valeurs[1],
                    codes_postaux=valeurs[2],
                    population=valeurs[3],
                    epci_id=valeurs[4],
                    nom_recherche=valeurs[5],
                )
                ancien = existants.get((ligne["type"], ligne["code"]))
                if ancien is None:
                    a_creer.append(territoire)
                elif ancien[1:] != valeurs:
                    territoire.pk = ancien[0]
                    # Grouped by changed fields: a yearly update mostly touches "population".
                    champs = tuple(
                        nom
                        for nom, avant, apres in zip(
                            CHAMPS_MODIFIABLES, ancien[1:], valeurs, strict=True
                        )
                        if avant != apres
                    )
                    a_modifier[champs].append(territoire)
                else:
                    bilan.inchanges += 1
            Territoire.objects.bulk_create(a_creer, batch_size=1000)
            for champs, territoires in a_modifier.items():
                _mettre_a_jour(territoires, champs)
                bilan.modifies += len(territoires)
            bilan.crees += len(a_creer)

        bilan.liens_ajoutes, bilan.liens_retires = _lier_departements(selection, departement_pk)
        bilan.absents = _absents(lignes, codes, departement_pk)
    return bilan


def _mettre_a_jour(territoires: list[Territoire], champs: tuple[str, ...]) -> None:
    """UPDATE these rows, one parameterised statement run with executemany.

    bulk_update() builds one CASE WHEN per field over the whole batch: refreshing the
    population of 35 000 communes took over 15 s on SQLite. executemany of a plain UPDATE
    (pipelined by psycopg 3 on PostgreSQL) takes about one.
    """
    colonnes = [Territoire._meta.get_field(champ) for champ in champs]
    qn = connection.ops.quote_name
    # Only quoted names from the model's own metadata go into the text; values are parameters.
    sql = "UPDATE {table} SET {affectations} WHERE {pk} = %s".format(  # noqa: S608
        table=qn(Territoire._meta.db_table),
        affectations=", ".join(f"{qn(colonne.column)} = %s" for colonne in colonnes),
        pk=qn(Territoire._meta.pk.column),
    )
    parametres = [
        [getattr(t, colonne.attname) for colonne in colonnes] + [t.pk] for t in territoires
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, parametres)


def _lier_departements(selection, departement_pk) -> tuple[int, int]:
    """Make the M2M `departements` of the selected territories match the reference."""
    Lien = Territoire.departements.through
    territoire_pk = {
        (type_, code): pk
        for pk, type_, code in Territoire.objects.values_list("pk", "type", "code")
    }
    voulus = set()
    selectionnes = set()
    for ligne in selection:
        pk = territoire_pk[(ligne["type"], ligne["code"])]
        selectionnes.add(pk)
        for code in ligne["departements"].split(SEPARATEUR):
            if code in departement_pk:
                voulus.add((pk, departement_pk[code]))
    presents = {}
    for lien_pk, t_pk, d_pk in Lien.objects.values_list("pk", "territoire_id", "departement_id"):
        if t_pk in selectionnes:
            presents[(t_pk, d_pk)] = lien_pk
    a_ajouter = [
        Lien(territoire_id=t_pk, departement_id=d_pk)
        for t_pk, d_pk in sorted(voulus - presents.keys())
    ]
    a_retirer = [lien_pk for paire, lien_pk in presents.items() if paire not in voulus]
    Lien.objects.bulk_create(a_ajouter, batch_size=1000)
    for debut in range(0, len(a_retirer), 500):
        Lien.objects.filter(pk__in=a_retirer[debut : debut + 500]).delete()
    return len(a_ajouter), len(a_retirer)


def _absents(lignes, codes, departement_pk) -> list[str]:
    references = {(ligne["type"], ligne["code"]) for ligne in lignes}
    pks = [departement_pk[code] for code in codes if code in departement_pk]
    qs = (
        Territoire.objects.filter(departements__in=pks)
        .distinct()
        .values_list("type", "code", "nom")
        .order_by("type", "code")
    )
    return [f"{nom} ({code})" for type_, code, nom in qs if (type_, code) not in references]
