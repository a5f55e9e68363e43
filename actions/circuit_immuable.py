"""The transition log is append-only: the database refuses UPDATE and DELETE on it."""

from integration.immuable import Protection

TRANSITIONS = Protection(
    "actions_transition",
    "actions_transition",
    "Le journal des transitions est en ajout seul : modification et suppression refusées.",
)
