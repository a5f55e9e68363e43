"""Database triggers that hold whoever connects (raw SQL, other clients), where the ORM
already refuses. Two kinds:

- `Protection`: an append-only table (UPDATE and DELETE refused): the journal, and any
  app's log declared with `proteger()` (the plan's transitions);
- `Verrou`: a named set of write triggers of an app's own (`declarer()`): the plan d'actions
  freezes a signed feuille de route with one.

Each is installed by its app's migration and again after every migrate (post_migrate),
because SQLite drops a table's triggers when a migration rebuilds the table. TRUNCATE, an
operator's deliberate act (and how tests empty PostgreSQL), stays possible.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Protection:
    table: str
    nom: str  # prefix of the trigger and function names
    message: str

    def sql(self, vendor: str) -> list[str]:
        if vendor == "postgresql":
            return [
                f"""
                CREATE OR REPLACE FUNCTION {self.nom}_immuable() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{self.message}' USING ERRCODE = 'restrict_violation';
                END;
                $$ LANGUAGE plpgsql
                """,
                f"DROP TRIGGER IF EXISTS {self.nom}_immuable ON {self.table}",
                f"""
                CREATE TRIGGER {self.nom}_immuable BEFORE UPDATE OR DELETE ON {self.table}
                FOR EACH ROW EXECUTE FUNCTION {self.nom}_immuable()
                """,
            ]
        if vendor == "sqlite":
            return [
                f"""
                CREATE TRIGGER IF NOT EXISTS {self.nom}_sans_{operation.lower()}
                BEFORE {operation} ON {self.table}
                BEGIN SELECT RAISE(ABORT, '{self.message}'); END
                """
                for operation in ("UPDATE", "DELETE")
            ]
        raise NotImplementedError(f"Table immuable : base {vendor} non prise en charge.")

    def retrait(self, vendor: str) -> list[str]:
        return {
            "postgresql": [
                f"DROP TRIGGER IF EXISTS {self.nom}_immuable ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.nom}_immuable()",
            ],
            "sqlite": [
                f"DROP TRIGGER IF EXISTS {self.nom}_sans_update",
                f"DROP TRIGGER IF EXISTS {self.nom}_sans_delete",
            ],
        }.get(vendor, [])


MESSAGE = "Le journal est en ajout seul : modification et suppression refusées."
JOURNAL = Protection("integration_evenement", "integration_journal", MESSAGE)
TABLE = JOURNAL.table


_PROTECTIONS: dict[str, Protection] = {JOURNAL.table: JOURNAL}


def proteger(protection: Protection) -> None:
    """Declare PROTECTION so that every migrate puts its triggers back."""
    _PROTECTIONS[protection.table] = protection


def installer(connection, protection: Protection = JOURNAL) -> None:
    with connection.cursor() as cursor:
        for sql in protection.sql(connection.vendor):
            cursor.execute(sql)


def retirer(connection, protection: Protection = JOURNAL) -> None:
    with connection.cursor() as cursor:
        for sql in protection.retrait(connection.vendor):
            cursor.execute(sql)


def retirer_tout(connection) -> None:
    """Lift every declared protection and lock (a SQLite test flush empties tables with
    DELETE)."""
    for protection in _PROTECTIONS.values():
        retirer(connection, protection)
    for verrou in _VERROUS.values():
        verrou.retirer(connection)


def installer_apres_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    for protection in _PROTECTIONS.values():
        if protection.table in tables:
            installer(connection, protection)
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
