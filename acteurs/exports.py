"""The actors list as files: CSV and XLSX for people, JSON in the data·inclusion format.

Every function takes the queryset the list shows (filters applied) and returns the file.
The CSV and XLSX files carry every column the import reads, under headers it recognises:
what we export, a prefecture can import again (`integration.fichiers` writes the cells).
"""

import json
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from pydantic import ValidationError

from acteurs.models import Acteur
from integration.fichiers.ecriture import csv_bytes, xlsx_bytes
from integration.text import date_courte

COLONNES = [
    ("Nom", 40),
    ("Sigle", 12),
    ("Type", 24),
    ("SIRET", 17),
    ("Adresse", 36),
    ("Code postal", 12),
    ("Commune", 24),
    ("Code INSEE", 12),
    ("Téléphone", 16),
    ("Courriel", 30),
    ("Site web", 30),
    ("Réseaux", 30),
    ("Statut", 24),
    ("Archivé", 10),
    ("Mis à jour le", 14),
    ("Description", 60),
    # Last, and ignored by the import (which imports into one département): a reader's
    # export may span a région or all of France.
    ("Département", 20),
]
ENTETE = [titre for titre, _ in COLONNES]


def _avec_reseaux(queryset: QuerySet[Acteur]) -> QuerySet[Acteur]:
    # Networks come in their default order (by label), in one query per 500 actors.
    return queryset.select_related("commune", "departement").prefetch_related("reseaux")


def ligne(acteur: Acteur) -> list[str]:
    """One actor as the row of text cells every tabular export writes."""
    commune = acteur.commune
    return [
        acteur.nom,
        acteur.sigle,
        acteur.get_type_display(),
        acteur.siret,
        acteur.adresse,
        acteur.code_postal,
        commune.nom if commune else "",
        commune.code if commune else "",
        acteur.telephone,
        acteur.courriel,
        acteur.site_web,
        ", ".join(reseau.libelle for reseau in acteur.reseaux.all()),
        acteur.get_statut_display(),
        "oui" if acteur.est_archive else "non",
        date_courte(acteur.modifie_le),
        acteur.description,
        str(acteur.departement),
    ]


def export_csv(queryset: QuerySet[Acteur]) -> bytes:
    return csv_bytes(ENTETE, (ligne(a) for a in _avec_reseaux(queryset).iterator(chunk_size=500)))


def export_xlsx(queryset: QuerySet[Acteur]) -> bytes:
    lignes = (ligne(a) for a in _avec_reseaux(queryset).iterator(chunk_size=500))
    return xlsx_bytes("Acteurs", COLONNES, lignes)


# --- data·inclusion ---------------------------------------------------------------------


def source_data_inclusion(departement) -> str:
    return f"strategie-integration-{departement.code.lower()}"


def export_data_inclusion(queryset: QuerySet[Acteur]) -> list[dict]:
    """The actors as data·inclusion `Structure` dicts (schema v1).

    A value the schema refuses (a description too short, a malformed e-mail…) is left out
    of its structure rather than failing the whole export.
    """
    from data_inclusion.schema.v1 import ReseauPorteur

    reseaux_connus = {r.value for r in ReseauPorteur}
    structures = []
    for acteur in _avec_reseaux(queryset.select_related("departement")).iterator(chunk_size=500):
        source = source_data_inclusion(acteur.departement)
        commune = acteur.commune
        # The schema refuses a date "in the future" by the server's clock.
        date_maj = min(timezone.localtime(acteur.modifie_le).date(), date.today())
        reseaux = sorted(r.slug for r in acteur.reseaux.all() if r.slug in reseaux_connus)
        structure = {
            "source": source,
            "id": f"{source}--{acteur.pk}",
            "nom": _nom_data_inclusion(acteur),
            "date_maj": date_maj.isoformat(),
            "siret": acteur.siret,
            "commune": commune.nom if commune else "",
            "code_postal": acteur.code_postal,
            "code_insee": commune.code if commune else "",
            "adresse": acteur.adresse,
            "telephone": acteur.telephone,
            "courriel": acteur.courriel,
            "site_web": acteur.site_web,
            "description": acteur.description.strip(),
            "reseaux_porteurs": reseaux,
        }
        structure = {k: v for k, v in structure.items() if v not in ("", None, [])}
        structures.append(_sans_valeurs_refusees(structure))
    return structures


def export_json(queryset: QuerySet[Acteur]) -> bytes:
    """The data·inclusion structures as an indented UTF-8 JSON file."""
    structures = export_data_inclusion(queryset)
    return json.dumps(structures, ensure_ascii=False, indent=2).encode("utf-8")


def _nom_data_inclusion(acteur: Acteur) -> str:
    """3 to 150 characters, as the schema requires."""
    nom = acteur.nom.strip()
    if len(nom) < 3 and acteur.sigle:
        nom = f"{nom} ({acteur.sigle})"
    if len(nom) > 150:
        nom = nom[:149].rstrip() + "…"
    return nom.ljust(3, "_") if len(nom) < 3 else nom


_REQUIS = {"source", "id", "nom", "date_maj"}


def _sans_valeurs_refusees(structure: dict) -> dict:
    from data_inclusion.schema.v1 import Structure

    for _ in range(len(structure)):
        try:
            Structure.model_validate(structure)
        except ValidationError as exc:
            refuses = {erreur["loc"][0] for erreur in exc.errors() if erreur["loc"]}
            retirables = refuses - _REQUIS
            if not retirables:
                raise
            structure = {k: v for k, v in structure.items() if k not in retirables}
        else:
            return structure
    return structure


def nom_fichier(perimetre: str, extension: str, jour: date | None = None) -> str:
    """PERIMETRE: a département's code, "r" + a région's code, or "fr"."""
    jour = jour or timezone.localdate()
    return f"acteurs-{perimetre.lower()}-{jour.isoformat()}.{extension}"
