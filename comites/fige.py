"""Database triggers that freeze a closed séance's attendance, whoever connects.

Once a séance is closed, its convocations (answers and émargement) can be neither changed
nor added, and the séance cannot be reopened. The model refuses too; these hold against raw
SQL. SQLite loses a table's triggers when a migration rebuilds it, so they are installed
again after every migrate. On SQLite, deletion stays possible (tests empty tables with
DELETE); the foreign keys protect the rows in use.
"""

MESSAGE = "La séance est close : son émargement ne peut plus être modifié."

_POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION comites_emargement_fige() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'comites_seance' THEN
            IF OLD.statut = 'close' AND NEW.statut <> 'close' THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END IF;
        IF EXISTS (SELECT 1 FROM comites_seance WHERE statut = 'close' AND id IN (
                CASE WHEN TG_OP = 'INSERT' THEN NEW.seance_id ELSE OLD.seance_id END,
                CASE WHEN TG_OP = 'DELETE' THEN OLD.seance_id ELSE NEW.seance_id END)) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,  # noqa: S608 - constant SQL, no user input
    "DROP TRIGGER IF EXISTS comites_emargement_fige ON comites_convocation",
    """
    CREATE TRIGGER comites_emargement_fige BEFORE INSERT OR UPDATE OR DELETE
    ON comites_convocation FOR EACH ROW EXECUTE FUNCTION comites_emargement_fige()
    """,
    "DROP TRIGGER IF EXISTS comites_seance_close ON comites_seance",
    """
    CREATE TRIGGER comites_seance_close BEFORE UPDATE ON comites_seance
    FOR EACH ROW EXECUTE FUNCTION comites_emargement_fige()
    """,
]
_SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS comites_emargement_fige_update
    BEFORE UPDATE ON comites_convocation
    WHEN (SELECT statut FROM comites_seance WHERE id = OLD.seance_id) = 'close'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,  # noqa: S608 - constant SQL, no user input
    f"""
    CREATE TRIGGER IF NOT EXISTS comites_emargement_fige_insert
    BEFORE INSERT ON comites_convocation
    WHEN (SELECT statut FROM comites_seance WHERE id = NEW.seance_id) = 'close'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,  # noqa: S608 - constant SQL, no user input
    f"""
    CREATE TRIGGER IF NOT EXISTS comites_seance_close
    BEFORE UPDATE ON comites_seance
    WHEN OLD.statut = 'close' AND NEW.statut <> 'close'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
_RETRAIT = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS comites_emargement_fige ON comites_convocation",
        "DROP TRIGGER IF EXISTS comites_seance_close ON comites_seance",
        "DROP FUNCTION IF EXISTS comites_emargement_fige()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS comites_emargement_fige_update",
        "DROP TRIGGER IF EXISTS comites_emargement_fige_insert",
        "DROP TRIGGER IF EXISTS comites_seance_close",
    ],
}


def installer(connection) -> None:
    instructions = {"postgresql": _POSTGRESQL, "sqlite": _SQLITE}.get(connection.vendor)
    if instructions is None:
        raise NotImplementedError(
            f"Émargement figé : base {connection.vendor} non prise en charge."
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
    if "comites_convocation" in connection.introspection.table_names():
        installer(connection)
