"""What a closed séance locks, whoever connects: its attendance and its status.

Once a séance is closed, its convocations (answers and émargement) can be neither added,
changed nor deleted, and the séance can be neither reopened nor deleted. The model and
the services refuse too; this verrou (`integration.verrou`) holds against raw SQL.
"""

from integration.verrou import Regle, Verrou

CLOSE = "close"


def _seance_close(vendor: str, ligne: str) -> str:
    return f"{ligne}.statut = '{CLOSE}'"


def _par_la_seance(vendor: str, ligne: str) -> str:
    if vendor == "postgresql":  # no subquery in a trigger's WHEN
        return f"verrou_seance_close({ligne}.seance_id)"
    return (
        "EXISTS (SELECT 1 FROM comites_seance "  # noqa: S608 - constants only
        f"WHERE id = {ligne}.seance_id AND statut = '{CLOSE}')"
    )


SEANCES_CLOSES = Verrou(
    nom="seances_closes",
    message="La séance est close : son émargement ne peut plus être modifié.",
    regles=(
        # Its other columns (compte rendu, relevé de décisions) are written after closing.
        Regle("comites_seance", _seance_close, colonnes=("id", "statut")),
        Regle("comites_convocation", _par_la_seance, par_parent=True),
    ),
    fonctions=(
        (
            "verrou_seance_close(bigint)",
            f"""CREATE OR REPLACE FUNCTION verrou_seance_close(seance bigint) RETURNS boolean
            AS $$ SELECT EXISTS (SELECT 1 FROM comites_seance WHERE id = seance
                                 AND statut = '{CLOSE}') $$ LANGUAGE sql STABLE""",  # noqa: S608
        ),
    ),
    # What migration 0001 installed before the triggers left the migrations.
    anciens_triggers=(
        ("comites_emargement_fige", "comites_convocation"),
        ("comites_emargement_fige_update", "comites_convocation"),
        ("comites_emargement_fige_insert", "comites_convocation"),
        ("comites_seance_close", "comites_seance"),
    ),
    anciennes_fonctions=("comites_emargement_fige()",),
)
