"""The freeze, held by the database: write triggers on a signed feuille de route's content.

`actions.gel` refuses in the application; these refuse whoever connects (raw SQL, another
client, a forgotten path). What stays writable after the signature is the follow-up:
an action's execution moves (validée → en cours → terminée, or abandonnée) and its
progress, the amounts paid, milestones reached, indicator values (Mesure) and bilans.

Each table gets one trigger per operation: INSERT and DELETE are refused when the row
belongs to a signed feuille; UPDATE when it belongs (before or after) to one and changes a
frozen column. PostgreSQL forbids subqueries in a trigger's WHEN, so it asks two small
functions; SQLite asks the same question with a subquery.
"""

from actions.gel import MESSAGE
from integration.immuable import Verrou

SIGNEE = "signee"
# Moves of a signed plan's actions that are follow-up, not content.
SUIVI = [("validee", "en_cours"), ("en_cours", "terminee"), ("validee", "abandonnee"),
         ("en_cours", "abandonnee")]  # fmt: skip

_STATUT_HORS_SUIVI = "(NEW.statut <> OLD.statut AND NOT ({}))".format(
    " OR ".join(f"(OLD.statut = '{de}' AND NEW.statut = '{vers}')" for de, vers in SUIVI)
)

# table -> (how a row reaches its feuille, frozen columns on UPDATE; None: all of them)
TABLES = {
    "actions_feuillederoute": ("soi", None),
    "actions_axe": ("feuille", None),
    "actions_action": (
        "feuille",
        ["feuille_id", "axe_id", "titre", "description", "objectifs", "porteur_id",
         "date_debut", "date_fin", "soumise_le", "cree_par_id"],
    ),
    "actions_partenariat": ("action", None),
    "actions_action_publics": ("action", None),
    "actions_action_territoires": ("action", None),
    "actions_financement": (
        "action", ["action_id", "source", "annee", "montant_demande", "montant_accorde"]
    ),
    "actions_indicateur": ("action", ["action_id", "libelle", "unite", "cible"]),
    "actions_jalon": ("action", ["action_id", "libelle", "date_prevue"]),
}  # fmt: skip


def _signee(vendor: str, lien: str, ligne: str) -> str:
    """SQL: the feuille of row LIGNE (NEW or OLD) is signed."""
    if lien == "soi":
        return f"{ligne}.statut = '{SIGNEE}'"
    if vendor == "postgresql":
        fonction = "actions_feuille_signee" if lien == "feuille" else "actions_action_gelee"
        return f"{fonction}({ligne}.{lien}_id)"
    # Only this module's constants are interpolated in these statements (no user input).
    feuille = (
        f"{ligne}.feuille_id"
        if lien == "feuille"
        else f"(SELECT feuille_id FROM actions_action WHERE id = {ligne}.action_id)"  # noqa: S608
    )
    return (
        f"EXISTS (SELECT 1 FROM actions_feuillederoute "  # noqa: S608
        f"WHERE id = {feuille} AND statut = '{SIGNEE}')"
    )


def _conditions(vendor: str, table: str) -> dict[str, str]:
    lien, colonnes = TABLES[table]
    distinct = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    gelee = f"({_signee(vendor, lien, 'OLD')} OR {_signee(vendor, lien, 'NEW')})"
    if lien == "soi":  # the feuille row itself: nothing changes once signed
        return {"UPDATE": _signee(vendor, lien, "OLD"), "DELETE": _signee(vendor, lien, "OLD")}
    if colonnes is None:
        update = gelee
    else:
        changees = [f"NEW.{c} {distinct} OLD.{c}" for c in colonnes]
        if table == "actions_action":
            changees.append(_STATUT_HORS_SUIVI)
        update = f"{gelee} AND ({' OR '.join(changees)})"
    return {
        "INSERT": _signee(vendor, lien, "NEW"),
        "UPDATE": update,
        "DELETE": _signee(vendor, lien, "OLD"),
    }


def _nom(table: str, operation: str) -> str:
    return f"gel_{table}_{operation.lower()}"


_FONCTIONS_PG = [
    f"""CREATE OR REPLACE FUNCTION actions_feuille_signee(feuille bigint) RETURNS boolean AS $$
        SELECT EXISTS (SELECT 1 FROM actions_feuillederoute WHERE id = feuille
                       AND statut = '{SIGNEE}')
    $$ LANGUAGE sql STABLE""",  # noqa: S608
    """CREATE OR REPLACE FUNCTION actions_action_gelee(action bigint) RETURNS boolean AS $$
        SELECT actions_feuille_signee((SELECT feuille_id FROM actions_action WHERE id = action))
    $$ LANGUAGE sql STABLE""",
    """CREATE OR REPLACE FUNCTION actions_gel_refus() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{}' USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql""".format(MESSAGE.replace("'", "''")),
]


def _creation(vendor: str) -> list[str]:
    instructions = list(_FONCTIONS_PG) if vendor == "postgresql" else []
    message = MESSAGE.replace("'", "''")
    for table in TABLES:
        for operation, condition in _conditions(vendor, table).items():
            nom = _nom(table, operation)
            if vendor == "postgresql":
                instructions += [
                    f"DROP TRIGGER IF EXISTS {nom} ON {table}",
                    f"CREATE TRIGGER {nom} BEFORE {operation} ON {table} FOR EACH ROW "
                    f"WHEN ({condition}) EXECUTE FUNCTION actions_gel_refus()",
                ]
            else:
                instructions.append(
                    f"CREATE TRIGGER IF NOT EXISTS {nom} BEFORE {operation} ON {table} "
                    f"FOR EACH ROW WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
    return instructions


VERROU = Verrou(
    nom="gel des feuilles de route signées",
    tables=frozenset(TABLES),
    creation={vendor: _creation(vendor) for vendor in ("postgresql", "sqlite")},
    triggers=[
        (_nom(table, operation), table)
        for table in TABLES
        for operation in _conditions("sqlite", table)
    ],
    fonctions=[
        "actions_gel_refus()",
        "actions_action_gelee(bigint)",
        "actions_feuille_signee(bigint)",
    ],
)
