"""A signed document, once produced, is frozen: neither changed nor deleted, ever.

The model and its queryset refuse it (`DocumentRequest`); these triggers refuse whoever
connects (raw SQL, another client). They are installed by the migration and again after
every migrate (`integration.immuable.declarer`), since SQLite drops a table's triggers
when a migration rebuilds it.
"""

from integration.immuable import Verrou

MESSAGE = "Un document signé ne se modifie ni ne se supprime."
TABLE = "integration_documentrequest"
_FONCTION = "integration_document_signe_refus"
_CONDITION = "OLD.signed AND OLD.status = 'pret'"
_MESSAGE_SQL = MESSAGE.replace("'", "''")


def _creation_postgresql() -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {_FONCTION}() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{_MESSAGE_SQL}' USING ERRCODE = 'restrict_violation';
        END;
        $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS integration_document_signe ON {TABLE}",
        f"""CREATE TRIGGER integration_document_signe BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW WHEN ({_CONDITION}) EXECUTE FUNCTION {_FONCTION}()""",
    ]


def _creation_sqlite() -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS integration_document_signe_{operation.lower()}
        BEFORE {operation} ON {TABLE} FOR EACH ROW WHEN {_CONDITION}
        BEGIN SELECT RAISE(ABORT, '{_MESSAGE_SQL}'); END"""
        for operation in ("UPDATE", "DELETE")
    ]


VERROU = Verrou(
    nom="documents_signes",
    tables=frozenset({TABLE}),
    creation={"postgresql": _creation_postgresql(), "sqlite": _creation_sqlite()},
    triggers=[
        ("integration_document_signe", TABLE),
        ("integration_document_signe_update", TABLE),
        ("integration_document_signe_delete", TABLE),
    ],
    fonctions=[f"{_FONCTION}()"],
)
