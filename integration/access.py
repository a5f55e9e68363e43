"""Who may open the project's own pages (not the apps').

The qualités of the domain live in `acteurs`, a higher layer this one never imports; the
one rule here is the technical administration's staff flag, for the team's tools. Views
ask a verb, as everywhere else: an unknown verb raises, a typo never silently denies.
"""

from django.core.exceptions import PermissionDenied

REGLES = {
    # The style guide shows every widget of the form pack: a page for the team.
    "voir_guide_de_style": lambda user: user.is_active and user.is_staff,
}


def peut(user, verbe: str) -> bool:
    if verbe not in REGLES:
        raise ValueError(f"Verbe inconnu : {verbe!r}")
    return bool(REGLES[verbe](user))


def exiger(user, verbe: str) -> None:
    if not peut(user, verbe):
        raise PermissionDenied
