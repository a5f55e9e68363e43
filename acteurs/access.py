"""Who may see and do what in the actors' registry: the one place its views ask.

Built on the core (`acteurs.access_core`, re-exported here for the other apps' access
modules): four matrices, for actors, memberships, invitations and the département itself
(creating, proposing, importing actors, inviting people). No view decides access on its
own: each reaches its object through a `get_…_for_user` helper or asks `peut()`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from acteurs.access_core import (  # noqa: F401 - the core, re-exported for other apps
    ADMINISTRATEUR,
    ASSOCIE,
    AUTEUR,
    CABINET,
    COMMUNICATION,
    CONTRIBUTEUR,
    LECTEUR,
    LECTEUR_STRUCTURE,
    PARTENAIRE,
    PILOTAGE,
    Matrice,
    Profil,
    Qualite,
    TousLesDepartements,
    VerbeInconnu,
    dans_les_departements,
    declarer_qualite,
    forget_profil,
    profil,
    qualites_departement,
    qualites_envers,
)
from acteurs.models import Acteur, Departement, Habilitation, Invitation, Membre

P, C, L = PILOTAGE, CABINET, LECTEUR
# The département's press office: reads the validated registry (a release names the
# structures) as a reader does, but not the structures' members nor the histories.
COM = COMMUNICATION
ADM, CTB, LS = ADMINISTRATEUR, CONTRIBUTEUR, LECTEUR_STRUCTURE
PART = PARTENAIRE
TOUS = frozenset({P, C, COM, L, ADM, CTB, LS, AUTEUR, PART})

# --- Matrices ---------------------------------------------------------------------------

MATRICE_ACTEUR = Matrice(
    "acteur",
    {
        "voir": TOUS,  # a validated actor: anyone of the département
        "voir_proposition": {P, AUTEUR},  # pending or rejected: never another partner
        "modifier": {P, ADM, AUTEUR},
        "archiver": {P},  # and restore
        "moderer": {P},
        "voir_membres": {P, C, L, ADM, CTB, LS},
        "gerer_membres": {P, ADM},
        "voir_historique": {P, C, L, ADM, CTB, LS},
    },
    par_etat={
        "valide": {
            "voir", "modifier", "archiver", "voir_membres", "gerer_membres", "voir_historique",
        },
        "archive": {"voir", "archiver", "voir_membres", "voir_historique"},
        "en_attente": {
            "voir_proposition", "modifier", "moderer", "voir_membres", "voir_historique",
        },
        "rejete": {"voir_proposition", "voir_historique"},
    },
)  # fmt: skip

# A membership is managed through its actor: same qualités, and only while the actor is
# a validated, active one.
MATRICE_MEMBRE = Matrice(
    "membre",
    {"changer_role": {P, ADM}, "desactiver": {P, ADM}},
    par_etat={
        "valide": {"changer_role", "desactiver"},
        "archive": set(),
        "en_attente": set(),
        "rejete": set(),
    },
)

# A staff invitation has no actor, so only pilotage holds a qualité that manages it.
MATRICE_INVITATION = Matrice(
    "invitation", {"voir": {P, ADM}, "renvoyer": {P, ADM}, "revoquer": {P, ADM}}
)

MATRICE_DEPARTEMENT = Matrice(
    "département",
    {
        "creer_acteur": {P},  # validated at once
        "moderer_acteurs": {P},  # partners' proposals, fiches left unchecked for a year
        "proposer_acteur": {PART},  # a proposal that pilotage moderates
        "importer_acteurs": {P},
        "voir_invitations": {P, ADM},
        "inviter_membres": {P, ADM},  # into the structures they may manage
        "inviter_equipe": {P},  # pilotage, cabinet and reader colleagues
        # What every release prints at its foot: the press office's own lines (phone,
        # address, website), so the press office keeps them current as well as pilotage,
        # journalled; the cabinet signs, it does not run the press desk.
        "contacts_presse": {P, COM},
    },
)

# --- Département-level verbs ------------------------------------------------------------


def peut(user, verbe: str, departement) -> bool:
    """May USER do VERBE (of MATRICE_DEPARTEMENT) in DEPARTEMENT?"""
    if not departement:  # none chosen (a wide perimeter): nothing is written there
        MATRICE_DEPARTEMENT.qualites_pour(verbe)  # an unknown verb still raises
        return False
    return MATRICE_DEPARTEMENT.autorise(verbe, qualites_departement(user, departement))


def exiger(user, verbe: str, departement) -> None:
    """403 unless USER may do VERBE in DEPARTEMENT."""
    if not peut(user, verbe, departement):
        raise PermissionDenied


def can_create_acteur(user, departement) -> bool:
    """Pilotage creates actors; a partner may propose one for moderation."""
    return peut(user, "creer_acteur", departement) or peut(user, "proposer_acteur", departement)


def departements_of(user) -> QuerySet[Departement]:
    return Departement.objects.filter(pk__in=profil(user).departement_ids)


def is_pilotage(user, departement) -> bool:
    pilotage = profil(user).departements_ou(Habilitation.Role.PILOTAGE)
    return bool(departement) and _pk(departement) in pilotage


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk


# --- Acteurs ----------------------------------------------------------------------------


def qualites(user, acteur: Acteur) -> set[Qualite]:
    # A proposal's author keeps rights on it until it is validated, not after.
    auteur = acteur.propose_par_id if acteur.statut != Acteur.Statut.VALIDE else None
    return qualites_envers(user, departement=acteur.departement_id, structure=acteur, auteur=auteur)


def etat(acteur: Acteur) -> str:
    if acteur.statut == Acteur.Statut.VALIDE and acteur.est_archive:
        return "archive"
    return acteur.statut


def can(user, verbe: str, acteur: Acteur) -> bool:
    """May USER do VERBE on ACTEUR, given its state and the user's qualités towards it."""
    if verbe == "voir" and acteur.statut != Acteur.Statut.VALIDE:
        verbe = "voir_proposition"
    return MATRICE_ACTEUR.autorise(verbe, qualites(user, acteur), etat=etat(acteur))


def modere(user, acteur: Acteur) -> bool:
    """Whether USER is of those who moderate ACTEUR's proposal, whatever its state: once it
    is decided (a second tab's click) they are told so rather than refused."""
    return MATRICE_ACTEUR.autorise("moderer", qualites(user, acteur))


def acteurs_visible_to(user) -> QuerySet[Acteur]:
    """The one definition of which actors a user may read; it agrees with `can(…, "voir")`."""
    p = profil(user)
    if not p.departement_ids:
        return Acteur.objects.none()
    # One list of départements (pilotage's are among them), not one per branch: over
    # France each list is 101 ids, which PostgreSQL costs for every row it reads, and
    # three of them made it read the whole table rather than the index that counts. A
    # reader of all of France reads every département: no list at all.
    lus = Q() if p.toute_la_france else Q(departement__in=p.departement_ids)
    return Acteur.objects.filter(
        Q(statut=Acteur.Statut.VALIDE)
        | Q(departement__in=p.departements_ou(Habilitation.Role.PILOTAGE))
        | Q(propose_par=user),
        lus,
    )


def get_acteur_for_user(user, pk, verbe: str = "voir") -> Acteur:
    acteur = get_object_or_404(acteurs_visible_to(user).select_related("departement"), pk=pk)
    if verbe != "voir" and not can(user, verbe, acteur):
        raise PermissionDenied
    return acteur


def acteurs_a_administrer(user, departement) -> QuerySet[Acteur]:
    """The actors whose members this user may manage in DEPARTEMENT."""
    qs = Acteur.objects.actifs().valides().filter(departement=departement)
    if is_pilotage(user, departement):
        return qs
    return qs.filter(pk__in=profil(user).structures_ou(Membre.Role.ADMINISTRATEUR))


# --- Membres ----------------------------------------------------------------------------


def get_membre_for_user(user, pk, verbe: str) -> Membre:
    """A membership reached through its actor: hidden (404) unless the actor's members are
    visible to USER, forbidden (403) unless VERBE is allowed on it."""
    membre = get_object_or_404(
        Membre.objects.select_related("acteur", "user").filter(acteur__in=acteurs_visible_to(user)),
        pk=pk,
    )
    if not can(user, "voir_membres", membre.acteur):
        raise PermissionDenied
    autorise = MATRICE_MEMBRE.autorise(
        verbe, qualites(user, membre.acteur), etat=etat(membre.acteur)
    )
    if not autorise:
        raise PermissionDenied
    return membre


# --- Invitations ------------------------------------------------------------------------


def invitations_visible_to(user) -> QuerySet[Invitation]:
    p = profil(user)
    return Invitation.objects.filter(
        Q(departement__in=p.departements_ou(Habilitation.Role.PILOTAGE))
        | Q(acteur__in=p.structures_ou(Membre.Role.ADMINISTRATEUR))
    )


def get_invitation_for_user(user, pk, verbe: str = "voir") -> Invitation:
    invitation = get_object_or_404(
        invitations_visible_to(user).select_related("acteur", "departement"), pk=pk
    )
    qualites_ = qualites_envers(
        user, departement=invitation.departement_id, structure=invitation.acteur_id
    )
    if not MATRICE_INVITATION.autorise(verbe, qualites_):
        raise PermissionDenied
    return invitation
