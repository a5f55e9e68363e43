"""Database triggers that refuse UPDATE and DELETE on the journal, whoever connects; and
the registry through which apps install write triggers of their own the same way
(`Verrou`, `declarer`: the plan d'actions freezes a signed feuille de route with them).

The ORM already refuses; these hold against raw SQL and other clients too. They are
installed by the journal's migration and again after every migrate (post_migrate), because
SQLite drops a table's triggers when a migration rebuilds the table. TRUNCATE, an
operator's deliberate act (and how tests empty PostgreSQL), stays possible.
"""

from dataclasses import dataclass, field

TABLE = "integration_evenement"
MESSAGE = "Le journal est en ajout seul : modification et suppression refusées."

_POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION integration_journal_immuable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS integration_journal_immuable ON {TABLE}",
    f"""
    CREATE TRIGGER integration_journal_immuable BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION integration_journal_immuable()
    """,
]
_SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS integration_journal_sans_{operation.lower()}
    BEFORE {operation} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for operation in ("UPDATE", "DELETE")
]
_RETRAIT = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS integration_journal_immuable ON {TABLE}",
        "DROP FUNCTION IF EXISTS integration_journal_immuable()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS integration_journal_sans_update",
        "DROP TRIGGER IF EXISTS integration_journal_sans_delete",
    ],
}


def installer(connection) -> None:
    instructions = {"postgresql": _POSTGRESQL, "sqlite": _SQLITE}.get(connection.vendor)
    if instructions is None:
        raise NotImplementedError(
            f"Journal immuable : base {connection.vendor} non prise en charge."
        )
    with connection.cursor() as cursor:
        for sql in instructions:
            cursor.execute(sql)


def retirer(connection) -> None:
    """Lift the journal's triggers and every declared lock's (a SQLite test flush)."""
    with connection.cursor() as cursor:
        for sql in _RETRAIT.get(connection.vendor, []):
            cursor.execute(sql)
    for verrou in _VERROUS.values():
        verrou.retirer(connection)


def installer_apres_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if TABLE in tables:
        installer(connection)
    for verrou in _VERROUS.values():
        if verrou.tables <= tables:
            verrou.installer(connection)


# --- Other apps' write triggers -----------------------------------------------------------


@dataclass(frozen=True)
class Verrou:
    """A named set of triggers: the SQL that creates them per database, and their names
    (dropping them is generic). Created by the app's migration, and again after every
    migrate like the journal's."""

    nom: str
    tables: frozenset[str]
    creation: dict[str, list[str]]  # vendor -> statements
    triggers: list[tuple[str, str]]  # (trigger, table)
    fonctions: list[str] = field(default_factory=list)  # PostgreSQL functions, with args

    def installer(self, connection) -> None:
        instructions = self.creation.get(connection.vendor)
        if instructions is None:
            raise NotImplementedError(f"{self.nom} : base {connection.vendor} non prise en charge.")
        with connection.cursor() as cursor:
            for sql in instructions:
                cursor.execute(sql)

    def retirer(self, connection) -> None:
        postgresql = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            for trigger, table in self.triggers:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {trigger} ON {table}"
                    if postgresql
                    else f"DROP TRIGGER IF EXISTS {trigger}"
                )
            for fonction in self.fonctions if postgresql else []:
                cursor.execute(f"DROP FUNCTION IF EXISTS {fonction}")


_VERROUS: dict[str, Verrou] = {}


def declarer(verrou: Verrou) -> None:
    """Have VERROU reinstalled after every migrate and lifted with the journal's."""
    _VERROUS[verrou.nom] = verrou
