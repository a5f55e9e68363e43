"""What the plan d'actions locks: a signed feuille de route's content, and the transition
log (append-only). The application refuses first, with a French message
(`exiger_modifiable()`, which services call before writing a feuille's content); the
database refuses too (triggers of `integration.verrou`), whoever connects.

What stays writable after the signature is the follow-up: an action's execution moves
(validée → en cours → terminée, or abandonnée) and its progress, the amounts paid,
milestones reached, indicator values (Mesure) and bilans.
"""

from django.core.exceptions import ValidationError

from integration.verrou import Regle, Verrou, ajout_seul

MESSAGE = (
    "Cette feuille de route est signée : son contenu ne peut plus changer. "
    "Créez-en une nouvelle version pour la modifier."
)


def exiger_modifiable(feuille) -> None:
    """Refuse, with a French message, any change to the content of a signed feuille."""
    if feuille.est_signee:
        raise ValidationError(MESSAGE, code="feuille_signee")


# --- In the database ---------------------------------------------------------------------

SIGNEE = "signee"
# Moves of a signed plan's actions that are follow-up, not content.
SUIVI = [("validee", "en_cours"), ("en_cours", "terminee"), ("validee", "abandonnee"),
         ("en_cours", "abandonnee")]  # fmt: skip
_STATUT_HORS_SUIVI = "(NEW.statut <> OLD.statut AND NOT ({}))".format(
    " OR ".join(f"(OLD.statut = '{de}' AND NEW.statut = '{vers}')" for de, vers in SUIVI)
)


def _feuille_signee(vendor: str, ligne: str) -> str:
    return f"{ligne}.statut = '{SIGNEE}'"


def _par_la_feuille(vendor: str, ligne: str) -> str:
    """The row's feuille (column feuille_id) is signed."""
    if vendor == "postgresql":  # no subquery in a trigger's WHEN
        return f"verrou_feuille_signee({ligne}.feuille_id)"
    return (
        "EXISTS (SELECT 1 FROM actions_feuillederoute "  # noqa: S608 - constants only
        f"WHERE id = {ligne}.feuille_id AND statut = '{SIGNEE}')"
    )


def _par_l_action(vendor: str, ligne: str) -> str:
    """The feuille of the row's action (column action_id) is signed."""
    if vendor == "postgresql":
        return f"verrou_action_signee({ligne}.action_id)"
    return (
        "EXISTS (SELECT 1 FROM actions_feuillederoute AS f "  # noqa: S608 - constants only
        "JOIN actions_action AS a ON a.feuille_id = f.id "
        f"WHERE a.id = {ligne}.action_id AND f.statut = '{SIGNEE}')"
    )


def _contenu(table: str, condition, colonnes=None, autre_changement="") -> Regle:
    return Regle(table, condition, par_parent=True, colonnes=colonnes,
                 autre_changement=autre_changement)  # fmt: skip


REGLES = (
    Regle("actions_feuillederoute", _feuille_signee),
    _contenu("actions_axe", _par_la_feuille),
    _contenu(
        "actions_action",
        _par_la_feuille,
        ("id", "feuille_id", "axe_id", "titre", "description", "objectifs", "porteur_id",
         "date_debut", "date_fin", "soumise_le", "cree_par_id"),
        autre_changement=_STATUT_HORS_SUIVI,
    ),
    _contenu("actions_partenariat", _par_l_action),
    _contenu("actions_action_publics", _par_l_action),
    _contenu("actions_action_territoires", _par_l_action),
    _contenu("actions_financement", _par_l_action,
             ("id", "action_id", "source", "annee", "montant_demande", "montant_accorde")),
    _contenu("actions_indicateur", _par_l_action, ("id", "action_id", "libelle", "unite", "cible")),
    _contenu("actions_jalon", _par_l_action, ("id", "action_id", "libelle", "date_prevue")),
)  # fmt: skip

_FONCTIONS_PG = (
    (
        "verrou_feuille_signee(bigint)",
        f"""CREATE OR REPLACE FUNCTION verrou_feuille_signee(feuille bigint) RETURNS boolean
        AS $$ SELECT EXISTS (SELECT 1 FROM actions_feuillederoute WHERE id = feuille
                             AND statut = '{SIGNEE}') $$ LANGUAGE sql STABLE""",  # noqa: S608
    ),
    (
        "verrou_action_signee(bigint)",
        """CREATE OR REPLACE FUNCTION verrou_action_signee(action bigint) RETURNS boolean
        AS $$ SELECT verrou_feuille_signee((SELECT feuille_id FROM actions_action
                                            WHERE id = action)) $$ LANGUAGE sql STABLE""",
    ),
)

# What migrations 0004 and 0005 installed before the triggers left the migrations.
_ANCIENS = tuple(
    (f"gel_{regle.table}_{operation}", regle.table)
    for regle in REGLES
    for operation in ("insert", "update", "delete")
)

FEUILLES_SIGNEES = Verrou(
    nom="feuilles_signees",
    message=MESSAGE,
    regles=REGLES,
    fonctions=_FONCTIONS_PG,
    anciens_triggers=_ANCIENS,
    anciennes_fonctions=(
        "actions_gel_refus()",
        "actions_action_gelee(bigint)",
        "actions_feuille_signee(bigint)",
    ),
)

TRANSITIONS = ajout_seul(
    "transitions",
    "actions_transition",
    "Le journal des transitions est en ajout seul : modification et suppression refusées.",
    anciens_triggers=(
        ("actions_transition_immuable", "actions_transition"),
        ("actions_transition_sans_update", "actions_transition"),
        ("actions_transition_sans_delete", "actions_transition"),
    ),
    anciennes_fonctions=("actions_transition_immuable()",),
)
