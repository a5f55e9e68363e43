"""Database triggers that refuse UPDATE and DELETE on the journal, whoever connects.

The ORM already refuses; these hold against raw SQL and other clients too. They are
installed by the journal's migration and again after every migrate (post_migrate), because
SQLite drops a table's triggers when a migration rebuilds the table. TRUNCATE, an
operator's deliberate act (and how tests empty PostgreSQL), stays possible.
"""

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
    with connection.cursor() as cursor:
        for sql in _RETRAIT.get(connection.vendor, []):
            cursor.execute(sql)


def installer_apres_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if TABLE in connection.introspection.table_names():
        installer(connection)
