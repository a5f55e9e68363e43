"""Every locked row (a signed feuille and its content, a produced signed document, a closed
séance and its convocations) and every append-only log (journal, transitions) holds
against raw SQL, whatever conflict clause the statement carries: SQLite's INSERT OR
REPLACE, REPLACE INTO, UPDATE OR REPLACE and upsert, PostgreSQL's INSERT … ON CONFLICT DO
UPDATE, plain UPDATE and DELETE. And the database holds exactly the declared triggers."""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from acteurs.journal import Nature
from actions.models import PublicCible, Transition
from comites.models import Seance
from integration import journal, verrou
from integration.models import DocumentRequest
from tests.acteurs.factories import TerritoireFactory
from tests.actions.test_verrou import feuille_signee_et_son_contenu
from tests.comites.factories import ConvocationFactory, SeanceFactory
from tests.integration.controle_verrous import triggers_declares, triggers_en_base


@dataclass(frozen=True)
class Cas:
    """A locked row of TABLE (its fixture key), a column a statement tries to change to
    VALEUR, and the words of the refusal."""

    table: str
    ligne: str
    colonne: str
    valeur: str  # SQL literal
    refus: str
    cle_unique: bool = False  # a unique key besides the id: REPLACE can meet it without it


SIGNEE, CLOSE, AJOUT_SEUL = "signée", "séance est close", "ajout seul"
CAS = [
    Cas("actions_feuillederoute", "feuille", "statut", "'brouillon'", SIGNEE, cle_unique=True),
    Cas("actions_axe", "axe", "libelle", "'Autre'", SIGNEE, cle_unique=True),
    Cas("actions_action", "action", "titre", "'Autre'", SIGNEE),
    Cas("actions_partenariat", "partenariat", "role", "'Autre'", SIGNEE, cle_unique=True),
    Cas("actions_action_publics", "public", "publiccible_id", "{autre_public}", SIGNEE, True),
    Cas("actions_action_territoires", "territoire", "territoire_id", "{autre_territoire}", SIGNEE,
        True),
    Cas("actions_financement", "financement", "montant_demande", "1", SIGNEE),
    Cas("actions_indicateur", "indicateur", "cible", "1", SIGNEE),
    Cas("actions_jalon", "jalon", "date_prevue", "'2030-01-01'", SIGNEE),
    Cas("actions_transition", "transition", "commentaire", "'réécrit'", AJOUT_SEUL),
    Cas("integration_evenement", "evenement", "detail", "'réécrit'", AJOUT_SEUL),
    Cas("integration_documentrequest", "document", "sha256", "'" + "0" * 64 + "'",
        "document signé", cle_unique=True),
    Cas("comites_seance", "seance", "statut", "'tenue'", CLOSE),
    Cas("comites_convocation", "convocation", "presence", "'absent'", CLOSE, cle_unique=True),
]  # fmt: skip

# {colonnes}: every column; {valeurs}: the same, COLONNE replaced by VALEUR.
COPIE = "INSERT {ou} INTO {table} ({colonnes}) SELECT {valeurs} FROM {table} WHERE id = {id}"
ECRITURES = {
    "sqlite": {
        "INSERT OR REPLACE": COPIE.replace("{ou}", "OR REPLACE"),
        "REPLACE INTO": COPIE.replace("INSERT {ou}", "REPLACE"),
        "INSERT OR REPLACE sans l'id": COPIE.replace("{ou}", "OR REPLACE"),
        "ON CONFLICT DO UPDATE": COPIE.replace("{ou} ", "")
        + " ON CONFLICT (id) DO UPDATE SET {colonne} = excluded.{colonne}",
        "UPSERT sans cible": COPIE.replace("{ou} ", "")
        + " ON CONFLICT DO UPDATE SET {colonne} = excluded.{colonne}",
        "UPDATE": "UPDATE {table} SET {colonne} = {valeur} WHERE id = {id}",
        "DELETE": "DELETE FROM {table} WHERE id = {id}",
    },
    "postgresql": {
        "ON CONFLICT DO UPDATE": COPIE.replace("{ou} ", "")
        + " ON CONFLICT (id) DO UPDATE SET {colonne} = excluded.{colonne}",
        "UPDATE": "UPDATE {table} SET {colonne} = {valeur} WHERE id = {id}",
        "DELETE": "DELETE FROM {table} WHERE id = {id}",
    },
}
# Only what this database speaks: a CI run on PostgreSQL skips nothing.
ESSAIS = [
    pytest.param(cas, nom, id=f"{cas.table}-{nom}")
    for cas in CAS
    for nom in ECRITURES[connection.vendor]
    if cas.cle_unique or not nom.endswith("sans l'id")  # else a new row: appending is allowed
]


@pytest.fixture
def verrouillees(seine_maritime, association, pilotage):
    """The id of one locked row per table, and what the statements need besides."""
    contenu = feuille_signee_et_son_contenu(seine_maritime)
    action = contenu["action"]
    seance = SeanceFactory(passee=True, instance__departement=seine_maritime)
    convocation = ConvocationFactory(seance=seance)
    Seance.objects.filter(pk=seance.pk).update(
        statut=Seance.Statut.CLOSE, close_le=timezone.now(), close_par=pilotage
    )
    document = DocumentRequest.objects.create(
        kind="essai.signe", content_type=ContentType.objects.get_for_model(seance),
        object_id=seance.pk, version="v1", html="<p>x</p>", signed=True,
        status=DocumentRequest.Status.DONE, file="documents/essai.pdf", filename="essai.pdf",
        sha256="f" * 64, pages=1, finished_at=timezone.now(),
    )  # fmt: skip
    ids = {cle: objet.pk for cle, objet in contenu.items()}
    return ids | {
        "partenariat": action.partenariats.get().pk,
        "public": action.publics.through.objects.get(action=action).pk,
        "territoire": action.territoires.through.objects.get(action=action).pk,
        "transition": Transition.objects.create(
            action=action, de="soumise", vers="validee", par=pilotage
        ).pk,
        "evenement": journal.record(Nature.ACTEUR_ARCHIVAGE, association, par=pilotage).pk,
        "document": document.pk,
        "seance": seance.pk,
        "convocation": convocation.pk,
        "autre_public": PublicCible.objects.exclude(pk__in=action.publics.all()).first().pk,
        "autre_territoire": TerritoireFactory().pk,
    }


def _colonnes(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _ligne(cas: Cas, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {cas.table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchall()


def _instruction(nom: str, cas: Cas, ids: dict) -> str:
    colonnes = _colonnes(cas.table)
    if nom.endswith("sans l'id"):  # a new row that meets the locked one on a unique key
        colonnes.remove("id")
    valeur = cas.valeur.format(**ids)
    valeurs = [valeur if colonne == cas.colonne else colonne for colonne in colonnes]
    return ECRITURES[connection.vendor][nom].format(
        ou="{ou}", table=cas.table, colonnes=", ".join(colonnes), valeurs=", ".join(valeurs),
        colonne=cas.colonne, valeur=valeur, id=ids[cas.ligne],
    )  # fmt: skip


@pytest.mark.parametrize(("cas", "nom"), ESSAIS)
def test_aucune_ecriture_ne_passe_un_verrou(verrouillees, cas, nom):
    pk = verrouillees[cas.ligne]
    avant = _ligne(cas, pk)
    with (
        pytest.raises(DatabaseError, match=cas.refus),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(_instruction(nom, cas, verrouillees))
    assert _ligne(cas, pk) == avant


def _update_or_replace_ne_remplace_pas_une_feuille_signee(verrouillees, seine_maritime):
    """SQLite only: PostgreSQL has no UPDATE OR REPLACE."""
    from tests.actions.factories import FeuilleDeRouteFactory

    brouillon = FeuilleDeRouteFactory(departement=seine_maritime, version=9)
    sql = "UPDATE OR REPLACE actions_feuillederoute SET id = %s WHERE id = %s"
    refus = pytest.raises(DatabaseError, match=SIGNEE)
    with refus, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [verrouillees["feuille"], brouillon.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT statut FROM actions_feuillederoute WHERE id = %s",
                       [verrouillees["feuille"]])  # fmt: skip
        assert cursor.fetchone() == ("signee",)


if connection.vendor == "sqlite":  # defined only there: CI on PostgreSQL skips nothing
    test_update_or_replace_ne_remplace_pas_une_feuille_signee = (
        _update_or_replace_ne_remplace_pas_une_feuille_signee
    )


def test_chaque_table_verrouillee_est_essayee():
    declarees = {regle.table for v in verrou.declares() for regle in v.regles}
    assert declarees == {cas.table for cas in CAS}


def test_la_base_porte_exactement_les_triggers_declares(db):
    assert triggers_en_base() == triggers_declares()


def test_un_migrate_remplace_les_triggers_des_anciennes_versions(db):
    """What the old migrations installed, under their names, is dropped before migrate."""
    anciens = {"postgresql": [
        "CREATE FUNCTION actions_gel_refus() RETURNS trigger AS $$ BEGIN RETURN NULL; END; $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER gel_actions_action_insert BEFORE INSERT ON actions_action "
        "FOR EACH ROW EXECUTE FUNCTION actions_gel_refus()",
    ], "sqlite": [
        "CREATE TRIGGER gel_actions_action_insert BEFORE INSERT ON actions_action "
        "BEGIN SELECT 1; END",
    ]}[connection.vendor]  # fmt: skip
    with connection.cursor() as cursor:
        for sql in anciens:
            cursor.execute(sql)
    verrou.retirer_avant_migrate(using="default")
    assert triggers_en_base() == set()
    verrou.installer_apres_migrate(using="default")
    assert triggers_en_base() == triggers_declares()
