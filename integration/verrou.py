"""Database triggers that hold whoever connects (raw SQL, another client, a forgotten path)
where the models already refuse: the one registry of the project's *verrous*.

A `Verrou` is a named set of `Regle`s, one per table, with one French message. A rule
says which rows are locked (an SQL condition on a row) and what stays refused on them:
DELETE always, UPDATE of any column or of the listed ones, and, for rows locked through a
parent (the actions of a signed feuille), INSERT under a locked parent or a move to one.
An append-only table (the journal, an action's transitions) is a verrou whose every row
is locked (`ajout_seul`).

Conflict clauses never get past a verrou. SQLite's REPLACE (INSERT OR REPLACE, REPLACE
INTO, UPDATE OR REPLACE) deletes the rows in its way without firing their DELETE triggers
(unless `recursive_triggers` is on, a setting of each connection that nobody can count
on), so on SQLite an INSERT or UPDATE that would meet a locked row on its primary key or
on any unique index is refused before it runs. An upsert (INSERT … ON CONFLICT DO
UPDATE) fires the UPDATE triggers of the row it meets, on both databases.

Installed from the current code, never by a migration: before `migrate` runs, every
declared trigger is dropped (with those that older versions installed under other names),
so no migration, above all SQLite's table rebuilds, meets one; after it, they are created
again from today's definitions on today's schema (pre_migrate and post_migrate, connected
in `integration.apps`). A flush also sends post_migrate. TRUNCATE, an operator's
deliberate act (and how tests empty PostgreSQL), stays possible.
"""

from collections.abc import Callable
from dataclasses import dataclass

# (vendor, row) -> SQL that is true when ROW ("OLD", "NEW" or an alias) is locked.
Condition = Callable[[str, str], str]
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def toujours(vendor: str, ligne: str) -> str:
    return "TRUE" if vendor == "postgresql" else "1"


def sql_texte(texte: str) -> str:
    """TEXTE as an SQL string literal (only this project's constants go through it)."""
    return "'" + texte.replace("'", "''") + "'"


@dataclass(frozen=True)
class Regle:
    """What the database refuses on one table's locked rows."""

    table: str
    verrouillee: Condition
    # Locked through a parent row: inserting under a locked parent, or moving a row to
    # one, is refused too. A row locked by its own columns (a signed feuille) may become
    # locked: that is the signature itself.
    par_parent: bool = False
    # What an UPDATE of a locked row may not change; None: anything.
    colonnes: tuple[str, ...] | None = None
    # A further change refused on a locked row (SQL on OLD and NEW, both databases).
    autre_changement: str = ""

    def operations(self, vendor: str) -> tuple[str, ...]:
        """The operations that get a trigger on VENDOR."""
        if self.par_parent or vendor == "sqlite":  # SQLite: INSERT OR REPLACE, see _conflit
            return OPERATIONS
        return ("UPDATE", "DELETE")

    def conditions(self, vendor: str, uniques: list[tuple[str, ...]]) -> dict[str, str]:
        """SQL condition of each refused operation on this table (absent: allowed)."""
        conditions = {"UPDATE": self._update(vendor), "DELETE": self.verrouillee(vendor, "OLD")}
        if self.par_parent:
            conditions["INSERT"] = self.verrouillee(vendor, "NEW")
        if vendor == "sqlite":  # REPLACE would delete a locked row without its trigger
            for operation in ("INSERT", "UPDATE"):
                conflit = self._conflit(uniques, operation)
                ailleurs = conditions.get(operation)
                conditions[operation] = f"({ailleurs}) OR {conflit}" if ailleurs else conflit
        return {operation: conditions[operation] for operation in self.operations(vendor)}

    def _update(self, vendor: str) -> str:
        portee = self.verrouillee(vendor, "OLD")
        if self.par_parent:
            portee = f"({portee} OR {self.verrouillee(vendor, 'NEW')})"
        if self.colonnes is None:
            return portee
        different = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
        changements = [f"NEW.{colonne} {different} OLD.{colonne}" for colonne in self.colonnes]
        if self.autre_changement:
            changements.append(self.autre_changement)
        return f"{portee} AND ({' OR '.join(changements)})"

    def _conflit(self, uniques: list[tuple[str, ...]], operation: str) -> str:
        """SQLite: the row written would meet a locked row on a unique key. Partial unique
        indexes count whole (a stricter refusal, never a looser one)."""
        egalites = [
            "(" + " AND ".join(f"deja.{colonne} = NEW.{colonne}" for colonne in colonnes) + ")"
            for colonnes in uniques
        ]
        autre = " AND deja.rowid <> OLD.rowid" if operation == "UPDATE" else ""
        return (
            f"EXISTS (SELECT 1 FROM {self.table} AS deja WHERE ({' OR '.join(egalites)})"  # noqa: S608
            f"{autre} AND {self.verrouillee('sqlite', 'deja')})"
        )


@dataclass(frozen=True)
class Verrou:
    """A named set of rules and their refusal. Triggers are named after their table and
    operation (`verrou_<table>_<operation>`); on PostgreSQL they call one function that
    refuses with MESSAGE, named after NOM (`verrou_<nom>_refus`)."""

    nom: str
    message: str
    regles: tuple[Regle, ...]
    # PostgreSQL functions the conditions call (no subquery is allowed in a trigger's
    # WHEN): (signature, CREATE statement).
    fonctions: tuple[tuple[str, str], ...] = ()
    # What older versions installed by migration, under other names: dropped before every
    # migrate, so a database migrated by them ends up with exactly today's triggers.
    anciens_triggers: tuple[tuple[str, str], ...] = ()  # (trigger, table)
    anciennes_fonctions: tuple[str, ...] = ()  # PostgreSQL signatures

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(regle.table for regle in self.regles)

    @property
    def refus(self) -> str:
        return f"verrou_{self.nom}_refus"

    def triggers(self, vendor: str) -> list[tuple[str, str]]:
        """(trigger, table) of every trigger this verrou creates on VENDOR."""
        return [
            (_nom_trigger(regle.table, operation), regle.table)
            for regle in self.regles
            for operation in regle.operations(vendor)
        ]

    def creation(self, connection) -> list[str]:
        vendor = connection.vendor
        if vendor == "postgresql":
            return self._creation_postgresql()
        if vendor == "sqlite":
            return self._creation_sqlite(connection)
        raise NotImplementedError(f"Verrou {self.nom} : base {vendor} non prise en charge.")

    def _creation_postgresql(self) -> list[str]:
        instructions = [creation for _signature, creation in self.fonctions]
        instructions.append(
            f"""CREATE OR REPLACE FUNCTION {self.refus}() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION {sql_texte(self.message)} USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql"""
        )
        for regle in self.regles:
            for operation, condition in regle.conditions("postgresql", []).items():
                nom = _nom_trigger(regle.table, operation)
                instructions += [
                    f"DROP TRIGGER IF EXISTS {nom} ON {regle.table}",
                    f"CREATE TRIGGER {nom} BEFORE {operation} ON {regle.table} FOR EACH ROW "
                    f"WHEN ({condition}) EXECUTE FUNCTION {self.refus}()",
                ]
        return instructions

    def _creation_sqlite(self, connection) -> list[str]:
        instructions = []
        for regle in self.regles:
            uniques = _uniques_sqlite(connection, regle.table)
            for operation, condition in regle.conditions("sqlite", uniques).items():
                nom = _nom_trigger(regle.table, operation)
                instructions += [
                    f"DROP TRIGGER IF EXISTS {nom}",
                    f"CREATE TRIGGER {nom} BEFORE {operation} ON {regle.table} FOR EACH ROW "
                    f"WHEN {condition} BEGIN SELECT RAISE(ABORT, {sql_texte(self.message)}); END",
                ]
        return instructions

    def retrait(self, vendor: str) -> list[str]:
        triggers = [*self.triggers(vendor), *self.anciens_triggers]
        if vendor != "postgresql":
            return [f"DROP TRIGGER IF EXISTS {trigger}" for trigger, _table in triggers]
        fonctions = [f"{self.refus}()", *(s for s, _c in self.fonctions), *self.anciennes_fonctions]
        return [f"DROP TRIGGER IF EXISTS {trigger} ON {table}" for trigger, table in triggers] + [
            f"DROP FUNCTION IF EXISTS {fonction}" for fonction in fonctions
        ]


def _nom_trigger(table: str, operation: str) -> str:
    return f"verrou_{table}_{operation.lower()}"


def _uniques_sqlite(connection, table: str) -> list[tuple[str, ...]]:
    """The column sets of TABLE's primary key and unique indexes, read from the schema as
    it is now (after the migrations)."""
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        colonnes = sorted(cursor.fetchall(), key=lambda colonne: colonne[5])  # by rank in the key
        cle = tuple(colonne[1] for colonne in colonnes if colonne[5])
        uniques = [cle or ("rowid",)]
        cursor.execute(f"PRAGMA index_list({table})")
        for _seq, index, unique, _origine, _partiel in cursor.fetchall():
            if unique:
                cursor.execute(f"PRAGMA index_info({index})")
                colonnes = tuple(ligne[2] for ligne in cursor.fetchall())
                if colonnes not in uniques and None not in colonnes:
                    uniques.append(colonnes)
    return uniques


def ajout_seul(nom: str, table: str, message: str, **anciens) -> Verrou:
    """An append-only table: every row is locked; new rows come in."""
    return Verrou(nom, message, (Regle(table, toujours),), **anciens)


# --- The registry --------------------------------------------------------------------------

_VERROUS: dict[str, Verrou] = {}


def declarer(verrou: Verrou) -> None:
    """Have VERROU installed after every migrate (and lifted before)."""
    _VERROUS[verrou.nom] = verrou


def declares() -> list[Verrou]:
    return list(_VERROUS.values())


def installer(connection, verrou: Verrou) -> None:
    with connection.cursor() as cursor:
        for sql in verrou.creation(connection):
            cursor.execute(sql)


def retirer(connection, verrou: Verrou) -> None:
    with connection.cursor() as cursor:
        for sql in verrou.retrait(connection.vendor):
            cursor.execute(sql)


def retirer_tout(connection) -> None:
    """Lift every declared verrou, and what older versions installed."""
    for verrou in _VERROUS.values():
        retirer(connection, verrou)


def installer_tout(connection) -> None:
    """Install every declared verrou whose tables exist (a partial migrate may lack some)."""
    tables = set(connection.introspection.table_names())
    for verrou in _VERROUS.values():
        if verrou.tables <= tables:
            installer(connection, verrou)


def retirer_avant_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    retirer_tout(connections[using])


def installer_apres_migrate(using="default", **kwargs) -> None:
    from django.db import connections

    installer_tout(connections[using])


# --- The journal's own ---------------------------------------------------------------------

JOURNAL = ajout_seul(
    "journal",
    "integration_evenement",
    "Le journal est en ajout seul : modification et suppression refusées.",
    anciens_triggers=(
        ("integration_journal_immuable", "integration_evenement"),
        ("integration_journal_sans_update", "integration_evenement"),
        ("integration_journal_sans_delete", "integration_evenement"),
    ),
    anciennes_fonctions=("integration_journal_immuable()",),
)
