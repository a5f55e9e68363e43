"""The access core every app's own access module builds on.

A user's rights on an object come from their *qualités* towards it:
- a habilitation covering the object's département: pilotage, cabinet, communication or
  lecteur (a reader's habilitation may cover a whole région or all of France, a cabinet's
  a whole région: each is then that role in every département it covers);
- an active membership of the structure that carries the object (administrateur,
  contributeur, lecteur de la structure), or of one of its associated structures (associé);
- having written it (auteur);
- merely being a member of some structure of the same département (partenaire).

Each app describes its objects to `qualites_envers()` and keeps a `Matrice` (verb →
qualités, and the verbs each state allows) beside its models: `acteurs/access.py` for the
registry, `actions/access.py`, `comites/access.py`. This module never imports an app.

Outside a user's scope an object answers 404 (it does not exist for them); a visible
object with a forbidden verb answers 403. Both are the apps' `get_…_for_user` helpers' job.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.query import RawQuerySet

from acteurs.models import Departement, Habilitation, Membre

# --- Qualités ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualite:
    """A capacity in which a user acts towards an object. Apps may declare their own."""

    code: str
    libelle: str

    def __str__(self) -> str:
        return self.code


_QUALITES: dict[str, Qualite] = {}


def declarer_qualite(code: str, libelle: str) -> Qualite:
    """Declare a qualité once, project-wide (a second declaration of CODE is a bug)."""
    if code in _QUALITES:
        raise ValueError(f"La qualité « {code} » est déjà déclarée.")
    _QUALITES[code] = Qualite(code, libelle)
    return _QUALITES[code]


def qualites_declarees() -> dict[str, Qualite]:
    return dict(_QUALITES)


PILOTAGE = declarer_qualite("pilotage", "pilotage du département")
CABINET = declarer_qualite("cabinet", "cabinet du préfet")
COMMUNICATION = declarer_qualite("communication", "communication de la préfecture")
LECTEUR = declarer_qualite("lecteur", "lecteur habilité")
ADMINISTRATEUR = declarer_qualite("administrateur", "administrateur de la structure")
CONTRIBUTEUR = declarer_qualite("contributeur", "contributeur de la structure")
LECTEUR_STRUCTURE = declarer_qualite("lecteur_structure", "lecteur de la structure")
ASSOCIE = declarer_qualite("associe", "membre d'une structure associée")
AUTEUR = declarer_qualite("auteur", "auteur")
PARTENAIRE = declarer_qualite("partenaire", "partenaire du département")

QUALITE_DU_ROLE = {
    Habilitation.Role.PILOTAGE: PILOTAGE,
    Habilitation.Role.CABINET: CABINET,
    Habilitation.Role.COMMUNICATION: COMMUNICATION,
    Habilitation.Role.LECTEUR: LECTEUR,
}
QUALITE_DU_ROLE_MEMBRE = {
    Membre.Role.ADMINISTRATEUR: ADMINISTRATEUR,
    Membre.Role.CONTRIBUTEUR: CONTRIBUTEUR,
    Membre.Role.LECTEUR: LECTEUR_STRUCTURE,
}
# When one person holds two habilitations over a département (one of its own and a
# regional or national one), the stronger one counts. Communication reads what a reader
# reads and writes the releases; the cabinet also writes releases and signs the feuilles
# de route, so it comes above; pilotage runs everything.
_FORCE_DU_ROLE = {
    Habilitation.Role.LECTEUR: 0,
    Habilitation.Role.COMMUNICATION: 1,
    Habilitation.Role.CABINET: 2,
    Habilitation.Role.PILOTAGE: 3,
}


# --- Matrices ---------------------------------------------------------------------------


class VerbeInconnu(LookupError):
    """A verb no matrix declares: a typo in a view must fail loudly, never deny silently."""


@dataclass(frozen=True)
class Matrice:
    """Which qualités allow each verb on a kind of object, and which verbs each state allows.

    `par_etat` is optional; when given, every state the object can be in must be listed.
    """

    objet: str
    verbes: Mapping[str, frozenset[Qualite]]
    par_etat: Mapping[str, frozenset[str]] | None = None

    def __init__(self, objet: str, verbes: Mapping[str, Iterable[Qualite]], par_etat=None):
        object.__setattr__(self, "objet", objet)
        object.__setattr__(self, "verbes", {v: frozenset(q) for v, q in verbes.items()})
        if par_etat is not None:
            par_etat = {etat: frozenset(v) for etat, v in par_etat.items()}
            for etat, permis in par_etat.items():
                if inconnus := permis - set(self.verbes):
                    raise VerbeInconnu(f"{objet}, état {etat} : verbes inconnus {inconnus}")
        object.__setattr__(self, "par_etat", par_etat)

    def qualites_pour(self, verbe: str) -> frozenset[Qualite]:
        try:
            return self.verbes[verbe]
        except KeyError:
            raise VerbeInconnu(f"Verbe inconnu pour {self.objet} : « {verbe} »") from None

    def autorise(self, verbe: str, qualites: Iterable[Qualite], etat: str | None = None) -> bool:
        admises = self.qualites_pour(verbe)
        if self.par_etat is not None and etat is not None:
            if etat not in self.par_etat:
                raise LookupError(f"État inconnu pour {self.objet} : « {etat} »")
            if verbe not in self.par_etat[etat]:
                return False
        return not admises.isdisjoint(qualites)


# --- Profile ----------------------------------------------------------------------------


@dataclass
class Profil:
    """What a user is, loaded once per request (two queries) and cached on the user."""

    roles: dict[int, str] = field(default_factory=dict)  # departement_id -> habilitation role
    adhesions: dict[int, str] = field(default_factory=dict)  # acteur_id -> membership role
    departement_de_l_acteur: dict[int, int] = field(default_factory=dict)
    # Wide habilitations: the régions covered whole (a reader's or a regional cabinet's),
    # and whether the user reads all of France.
    regions: set[str] = field(default_factory=set)
    toute_la_france: bool = False
    # The départements' rows read with the habilitations and the memberships, kept so that
    # the perimeter (acteurs.middleware) does not read them a second time on every page.
    departements_lus: dict[int, Departement] = field(default_factory=dict)
    # Each département's qualités once computed (`qualites_departement`): a wide home page
    # asks them of every département for several verbs.
    qualites_par_departement: dict[int, frozenset] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def departements_partenaire(self) -> set[int]:
        return set(self.departement_de_l_acteur.values())

    @property
    def departement_ids(self) -> set[int]:
        return set(self.roles) | self.departements_partenaire

    @property
    def departements_ou_ecrire(self) -> set[int]:
        """Where the user holds more than a reader's role: a habilitation other than
        lecteur, or a membership other than lecteur de la structure."""
        habilite = {dep for dep, role in self.roles.items() if role != Habilitation.Role.LECTEUR}
        membre = {
            self.departement_de_l_acteur[acteur]
            for acteur, role in self.adhesions.items()
            if role != Membre.Role.LECTEUR
        }
        return habilite | membre

    def departements_ou(self, *roles: str) -> set[int]:
        return {dep for dep, role in self.roles.items() if role in roles}

    def structures_ou(self, *roles: str) -> set[int]:
        return {acteur for acteur, role in self.adhesions.items() if role in roles}


def profil(user) -> Profil:
    if not user.is_authenticated or not user.is_active:
        return Profil()
    cached = getattr(user, "_profil_cache", None)
    if cached is None:
        cached = _charger_profil(user)
        user._profil_cache = cached
    return cached


def _charger_profil(user) -> Profil:
    p = Profil()
    for departement in _departements_habilites(user):
        p.departements_lus[departement.pk] = departement
        if departement.role_france:
            p.toute_la_france = True
        if departement.role_region:
            p.regions.add(departement.region)
        for role in (departement.role_propre, departement.role_region, departement.role_france):
            if role:
                _donner_role(p, departement.pk, role)
    # With their structures' départements, which the perimeter would read again. Every
    # page reads this: no sort (one user's rows; the model's sort joined the users) and
    # of the structure only its key and département.
    adhesions = (
        Membre.objects.filter(user=user, actif=True, acteur__archive_le__isnull=True)
        .select_related("acteur__departement")
        .order_by()
        .only("role", "acteur__departement")
    )
    for membre in adhesions:
        departement = membre.acteur.departement
        p.adhesions[membre.acteur_id] = membre.role
        p.departement_de_l_acteur[membre.acteur_id] = departement.pk
        p.departements_lus.setdefault(departement.pk, departement)
    return p


def _departements_habilites(user) -> RawQuerySet:
    """The départements USER holds a role in, each with the role of each scope that covers
    it: its own habilitation, its région's (a reader or the préfet de région's cabinet), all
    of France's (readers only, a database constraint says so). One query, so that a wide
    reader's départements come with the habilitations instead of after them.

    Every page reads it. Written as joins: a habilitation per scope at most (the
    database's unique constraints), so no département comes twice. As correlated
    subqueries, the database ran three of them for each of the 101 départements (6 to 11 ms
    on every page, against 0.6 ms so)."""
    P = Habilitation.Perimetre
    portees = [P.DEPARTEMENT.value, P.REGION.value, P.FRANCE.value]
    parametres = [valeur for portee in portees for valeur in (user.pk, True, portee)]
    return Departement.objects.raw(_DEPARTEMENTS_HABILITES, parametres)


_DEPARTEMENTS_HABILITES = """
    SELECT d.*, hd.role AS role_propre, hr.role AS role_region, hf.role AS role_france
    FROM acteurs_departement d
    LEFT JOIN acteurs_habilitation hd ON hd.user_id = %s AND hd.actif = %s
        AND hd.perimetre = %s AND hd.departement_id = d.id
    LEFT JOIN acteurs_habilitation hr ON hr.user_id = %s AND hr.actif = %s
        AND hr.perimetre = %s AND hr.region = d.region
    LEFT JOIN acteurs_habilitation hf ON hf.user_id = %s AND hf.actif = %s
        AND hf.perimetre = %s
    WHERE hd.role IS NOT NULL OR hr.role IS NOT NULL OR hf.role IS NOT NULL
    ORDER BY d.code"""


def _donner_role(p: Profil, dep_id: int, role: str) -> None:
    actuel = p.roles.get(dep_id)
    if actuel is None or _FORCE_DU_ROLE[role] > _FORCE_DU_ROLE[actuel]:
        p.roles[dep_id] = role


def forget_profil(user) -> None:
    """Drop the cached profile after a change of rights within the same request."""
    user.__dict__.pop("_profil_cache", None)


# --- The départements of a perimeter ----------------------------------------------------


class TousLesDepartements(list):
    """The ids of every département, as a perimeter over all of France gives them: a list
    like any other, which `dans_les_departements` knows to narrow nothing."""


def dans_les_departements(champ: str, departement_ids) -> Q:
    """CHAMP (a path to a département) among DEPARTEMENT_IDS; no condition at all when they
    are every département. On a national reader's home page each list of 101 ids narrowed
    nothing and cost about a millisecond of Django and of PostgreSQL's planner per query."""
    if isinstance(departement_ids, TousLesDepartements):
        return Q()
    return Q(**{f"{champ}__in": departement_ids})


# --- Qualités towards an object ---------------------------------------------------------


def qualites_envers(
    user, *, departement, structure=None, associees: Iterable = (), auteur=None
) -> set[Qualite]:
    """The qualités of USER towards an object of DEPARTEMENT.

    STRUCTURE is the actor that carries the object (the actor itself, an action's porteur),
    ASSOCIEES the other structures involved (an action's partners), AUTEUR the user who wrote
    it, when that gives rights. Each may be an instance or a primary key.
    """
    p = profil(user)
    dep = _pk(departement)
    found: set[Qualite] = set()
    if role := p.roles.get(dep):
        found.add(QUALITE_DU_ROLE[role])
    if structure is not None and (role := p.adhesions.get(_pk(structure))):
        found.add(QUALITE_DU_ROLE_MEMBRE[role])
    if any(_pk(associee) in p.adhesions for associee in associees):
        found.add(ASSOCIE)
    if auteur is not None and user.is_authenticated and _pk(auteur) == user.pk:
        found.add(AUTEUR)
    if dep in p.departements_partenaire:
        found.add(PARTENAIRE)
    return found


def qualites_departement(user, departement) -> set[Qualite]:
    """Towards a département itself: its habilitation, being a partner there, and
    administrating at least one of its structures (which lets one invite colleagues).
    Computed once per département and profile (a new set each time: callers add to it)."""
    p = profil(user)
    dep = _pk(departement)
    memo = p.qualites_par_departement.get(dep)
    if memo is None:
        found = qualites_envers(user, departement=dep)
        if any(
            p.departement_de_l_acteur[acteur] == dep
            for acteur in p.structures_ou(Membre.Role.ADMINISTRATEUR)
        ):
            found.add(ADMINISTRATEUR)
        memo = p.qualites_par_departement[dep] = frozenset(found)
    return set(memo)


def _pk(obj) -> int:
    return obj if isinstance(obj, int) else obj.pk
