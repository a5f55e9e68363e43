"""An action's lifecycle: the one table of allowed moves, and the verb each one needs.

    brouillon ─soumettre─▶ soumise ─instruire─▶ en instruction
        ▲                    │                    │
        └─ à compléter ◀─────┴──── instruire ─────┤ (returned, with a comment)
                                                  ├─▶ refusée (with a reason)
                                                  └─▶ validée ─suivre─▶ en cours ─▶ terminée
                                                        └─────────────────┴─▶ abandonnée

Services check a move against this table (`verbe_pour`) and the access matrix (the verb's
qualités, in `actions.access`); the database keeps the log honest (`Transition`'s
constraints). A porteur may resubmit an action returned "à compléter".
"""

from actions.models import Action

S = Action.Statut

# (from, to) -> the verb of MATRICE_ACTION the user needs
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.BROUILLON, S.SOUMISE): "soumettre",
    (S.A_COMPLETER, S.SOUMISE): "soumettre",
    (S.SOUMISE, S.EN_INSTRUCTION): "instruire",
    (S.SOUMISE, S.A_COMPLETER): "instruire",
    (S.EN_INSTRUCTION, S.A_COMPLETER): "instruire",
    (S.SOUMISE, S.VALIDEE): "instruire",
    (S.EN_INSTRUCTION, S.VALIDEE): "instruire",
    (S.SOUMISE, S.REFUSEE): "instruire",
    (S.EN_INSTRUCTION, S.REFUSEE): "instruire",
    (S.VALIDEE, S.EN_COURS): "suivre",
    (S.EN_COURS, S.TERMINEE): "suivre",
    (S.VALIDEE, S.ABANDONNEE): "suivre",
    (S.EN_COURS, S.ABANDONNEE): "suivre",
}

# Moves that must say why (the database refuses them without a comment too).
MOTIVEES = {S.A_COMPLETER, S.REFUSEE, S.ABANDONNEE}


def verbe_pour(de: str, vers: str) -> str | None:
    """The verb a move needs, or None when the table does not allow it."""
    return TRANSITIONS.get((de, vers))


def deja(statut: str) -> str:
    """The refusal of a move to the status the action already has: a second tab's click."""
    return f"Cette action est déjà {S(statut).label.lower()}."


def suivants(de: str) -> list[str]:
    """The statuses an action in DE may move to, in the table's order."""
    return [vers for (depart, vers) in TRANSITIONS if depart == de]
