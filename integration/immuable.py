"""Database triggers that refuse UPDATE and DELETE on append-only tables, whoever connects.

The journal is the first such table; an app protects its own logs the same way: a
`Protection` installed by its migration and declared with `proteger()` from its AppConfig,
so that `installer_apres_migrate` (post_migrate) restores it too. The ORM already
refuses; these hold against raw SQL and other clients too.
They are installed again after every migrate, because SQLite drops a table's triggers when
a migration rebuilds the table. TRUNCATE, an operator's deliberate act (and how tests empty
PostgreSQL), stays possible.
"""

from dataclasses import dataclass


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
    """Lift every declared protection (a SQLite test flush empties tables with DELETE)."""
    for protection in _PROTECTIONS.values():
        retirer(connection, protection)


def installer_apres_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    tables = connection.introspection.table_names()
    for protection in _PROTECTIONS.values():
        if protection.table in tables:
            installer(connection, protection)
