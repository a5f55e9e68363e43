"""Checks a migrated database with data (the demo's) still holds its verrous: exactly the
declared triggers, and raw SQL refused on a signed feuille, its actions and the journal.

Run by tests/integration/test_changement_de_schema.py in a copy of the repository, after
a schema change and its migrate:
    python manage.py shell -c "from tests.integration.controle_verrous import main; main()"
It changes nothing it leaves behind: every write is rolled back.
"""

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from actions.models import FeuilleDeRoute
from integration import verrou
from integration.models import Evenement


class Annulation(Exception):
    """Rolls the check's own writes back."""


def triggers_en_base() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {nom for (nom,) in cursor.fetchall()}


def triggers_declares() -> set[str]:
    return {nom for v in verrou.declares() for nom, _table in v.triggers(connection.vendor)}


def _refusee(sql: str, params: list, motif: str) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as erreur:
        if motif not in str(erreur):
            raise AssertionError(f"Refus inattendu pour {sql!r} : {erreur}") from erreur
        return
    raise AssertionError(f"Accepté alors que verrouillé : {sql!r}")


def _ecritures(feuille: FeuilleDeRoute) -> list[tuple[str, list, str]]:
    action = feuille.actions.first()
    remplacer = (
        "INSERT OR REPLACE INTO actions_feuillederoute SELECT * FROM actions_feuillederoute "
        "WHERE id = %s"
        if connection.vendor == "sqlite"
        else "INSERT INTO actions_feuillederoute SELECT * FROM actions_feuillederoute "
        "WHERE id = %s ON CONFLICT (id) DO UPDATE SET statut = 'brouillon'"
    )
    return [
        ("UPDATE actions_feuillederoute SET statut = 'brouillon' WHERE id = %s", [feuille.pk],
         "signée"),
        (remplacer, [feuille.pk], "signée"),
        ("DELETE FROM actions_feuillederoute WHERE id = %s", [feuille.pk], "signée"),
        ("UPDATE actions_action SET titre = 'Autre' WHERE id = %s", [action.pk], "signée"),
        ("DELETE FROM actions_action WHERE id = %s", [action.pk], "signée"),
        ("UPDATE integration_evenement SET detail = 'réécrit'", [], "ajout seul"),
        ("DELETE FROM integration_evenement", [], "ajout seul"),
    ]  # fmt: skip


def main() -> None:
    manquants, en_trop = (
        triggers_declares() - triggers_en_base(),
        triggers_en_base() - triggers_declares(),
    )
    assert not manquants and not en_trop, f"manquants : {manquants}, en trop : {en_trop}"
    assert Evenement.objects.exists(), "la base de démonstration a un journal"
    try:
        with transaction.atomic():
            feuille = FeuilleDeRoute.objects.filter(actions__isnull=False).first()
            signataire = feuille.cree_par or Evenement.objects.exclude(par=None).first().par
            FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
                statut="signee", signee_le=timezone.now(), signee_par=signataire
            )
            for sql, params, motif in _ecritures(feuille):
                _refusee(sql, params, motif)
            raise Annulation
    except Annulation:
        pass
    print(f"Verrous en place : {len(triggers_en_base())} triggers, refus vérifiés.")
