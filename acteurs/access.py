"""Who may see and do what: the one place every view of every app asks.

A user's rights on an object come from their *qualités* towards it: a département-wide
habilitation (pilotage, cabinet, lecteur) in the object's département, an active
membership of the very actor (administrateur, contributeur, lecteur de la structure),
having proposed it, or merely being a partner in the same département.

The matrix below says, for each verb on an actor, which qualités allow it. Outside a
user's scope an object answers 404 (it does not exist for them); a visible object with a
forbidden verb answers 403.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from acteurs.models import Acteur, Departement, Habilitation, Invitation, Membre


class Qualite(StrEnum):
    PILOTAGE = "pilotage"
    CABINET = "cabinet"
    LECTEUR = "lecteur"
    ADMINISTRATEUR = "administrateur"
    CONTRIBUTEUR = "contributeur"
    LECTEUR_STRUCTURE = "lecteur_structure"
    PROPOSANT = "proposant"
    PARTENAIRE = "partenaire"


P, C, L = Qualite.PILOTAGE, Qualite.CABINET, Qualite.LECTEUR
ADM, CTB, LS = Qualite.ADMINISTRATEUR, Qualite.CONTRIBUTEUR, Qualite.LECTEUR_STRUCTURE
PROP, PART = Qualite.PROPOSANT, Qualite.PARTENAIRE
TOUS = frozenset(Qualite)

# verb on an actor -> the qualités that allow it
MATRICE_ACTEUR: dict[str, frozenset[Qualite]] = {
    "voir": TOUS,  # a validated actor: anyone of the département
    "voir_proposition": frozenset({P, PROP}),  # pending or rejected: never another partner
    "modifier": frozenset({P, ADM, PROP}),
    "archiver": frozenset({P}),  # and restore
    "moderer": frozenset({P}),
    "voir_membres": frozenset({P, C, L, ADM, CTB, LS}),
    "gerer_membres": frozenset({P, ADM}),
    "voir_historique": frozenset({P, C, L, ADM, CTB, LS}),
}

# state of an actor -> the verbs that make sense in it, whoever asks
VERBES_PAR_ETAT: dict[str, frozenset[str]] = {
    "valide": frozenset(
        {"voir", "modifier", "archiver", "voir_membres", "gerer_membres", "voir_historique"}
    ),
    "archive": frozenset({"voir", "archiver", "voir_membres", "voir_historique"}),
    "en_attente": frozenset(
        {"voir_proposition", "modifier", "moderer", "voir_membres", "voir_historique"}
    ),
    "rejete": frozenset({"voir_proposition", "voir_historique"}),
}

_ROLE_MEMBRE_TO_QUALITE = {
    Membre.Role.ADMINISTRATEUR: ADM,
    Membre.Role.CONTRIBUTEUR: CTB,
    Membre.Role.LECTEUR: LS,
}


@dataclass
class Profil:
    """What a user is, loaded once per request (two queries) and cached on the user."""

    roles: dict[int, str] = field(default_factory=dict)  # departement_id -> habilitation role
    adhesions: dict[int, str] = field(default_factory=dict)  # acteur_id -> membership role
    departements_partenaire: set[int] = field(default_factory=set)

    @property
    def departement_ids(self) -> set[int]:
        return set(self.roles) | self.departements_partenaire

    def departements_ou(self, *roles: str) -> set[int]:
        return {dep for dep, role in self.roles.items() if role in roles}


def profil(user) -> Profil:
    if not user.is_authenticated or not user.is_active:
        return Profil()
    cached = getattr(user, "_profil_cache", None)
    if cached is None:
        cached = Profil(
            roles=dict(
                Habilitation.objects.filter(user=user, actif=True).values_list(
                    "departement_id", "role"
                )
            )
        )
        for acteur_id, role, dep_id in Membre.objects.filter(
            user=user, actif=True, acteur__archive_le__isnull=True
        ).values_list("acteur_id", "role", "acteur__departement_id"):
            cached.adhesions[acteur_id] = role
            cached.departements_partenaire.add(dep_id)
        user._profil_cache = cached
    return cached


def forget_profil(user) -> None:
    """Drop the cached profile after a change of rights within the same request."""
    user.__dict__.pop("_profil_cache", None)


# --- Départements -----------------------------------------------------------------------


def departements_of(user) -> QuerySet[Departement]:
    return Departement.objects.filter(pk__in=profil(user).departement_ids)


def is_pilotage(user, departement) -> bool:
    return profil(user).roles.get(_pk(departement)) == Habilitation.Role.PILOTAGE


def is_staff_of(user, departement) -> bool:
    """Any département-wide habilitation: pilotage, cabinet or lecteur."""
    return _pk(departement) in profil(user).roles


def is_partenaire_in(user, departement) -> bool:
    return _pk(departement) in profil(user).departements_partenaire


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


# --- Acteurs ----------------------------------------------------------------------------


def qualites(user, acteur: Acteur) -> set[Qualite]:
    p = profil(user)
    found: set[Qualite] = set()
    role = p.roles.get(acteur.departement_id)
    if role:
        found.add(Qualite(role))
    if acteur.pk in p.adhesions:
        found.add(_ROLE_MEMBRE_TO_QUALITE[p.adhesions[acteur.pk]])
    if acteur.statut != Acteur.Statut.VALIDE and acteur.propose_par_id == user.pk:
        found.add(PROP)
    if acteur.departement_id in p.departements_partenaire:
        found.add(PART)
    return found


def etat(acteur: Acteur) -> str:
    if acteur.statut == Acteur.Statut.VALIDE and acteur.est_archive:
        return "archive"
    return acteur.statut


def can(user, verbe: str, acteur: Acteur) -> bool:
    """May USER do VERBE on ACTEUR, given its state and the user's qualités towards it."""
    if verbe == "voir" and acteur.statut != Acteur.Statut.VALIDE:
        verbe = "voir_proposition"
    if verbe not in VERBES_PAR_ETAT[etat(acteur)]:
        return False
    return bool(qualites(user, acteur) & MATRICE_ACTEUR[verbe])


def acteurs_visible_to(user) -> QuerySet[Acteur]:
    """The one definition of which actors a user may read; it agrees with `can(…, "voir")`."""
    p = profil(user)
    if not p.departement_ids:
        return Acteur.objects.none()
    return Acteur.objects.filter(
        Q(departement__in=p.departement_ids, statut=Acteur.Statut.VALIDE)
        | Q(departement__in=p.departements_ou(Habilitation.Role.PILOTAGE))
        | Q(departement__in=p.departement_ids, propose_par=user)
    )


def get_acteur_for_user(user, pk, verbe: str = "voir") -> Acteur:
    acteur = get_object_or_404(acteurs_visible_to(user), pk=pk)
    if verbe != "voir" and not can(user, verbe, acteur):
        raise PermissionDenied
    return acteur


def can_create_acteur(user, departement) -> bool:
    """Pilotage creates actors; a partner may propose one for moderation."""
    return is_pilotage(user, departement) or is_partenaire_in(user, departement)


def acteurs_a_administrer(user, departement) -> QuerySet[Acteur]:
    """The actors whose members this user may manage in DEPARTEMENT."""
    qs = Acteur.objects.actifs().valides().filter(departement=departement)
    if is_pilotage(user, departement):
        return qs
    admin_de = [
        a for a, role in profil(user).adhesions.items() if role == Membre.Role.ADMINISTRATEUR
    ]
    return qs.filter(pk__in=admin_de)


# --- Invitations ------------------------------------------------------------------------


def invitations_visible_to(user) -> QuerySet[Invitation]:
    p = profil(user)
    admin_de = [a for a, role in p.adhesions.items() if role == Membre.Role.ADMINISTRATEUR]
    return Invitation.objects.filter(
        Q(departement__in=p.departements_ou(Habilitation.Role.PILOTAGE)) | Q(acteur__in=admin_de)
    )


def get_invitation_for_user(user, pk) -> Invitation:
    return get_object_or_404(invitations_visible_to(user), pk=pk)
