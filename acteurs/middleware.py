"""Where the user works now: `request.perimetre`, and `request.departement` within it.

Most people work on one département. A reader whose habilitation covers a région or all of
France may also look at "toute la région" or "toute la France" at once: lists and the
dashboard then span several départements, and `request.departement` is None (writing always
happens in one département). The last choice is kept in the session and on the account,
so the next login opens where the user left off.
"""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from acteurs.access import TousLesDepartements, departements_of, profil
from acteurs.regions import REGIONS

SESSION_KEY = "perimetre"
FRANCE = "fr"


@dataclass(frozen=True)
class Perimetre:
    """What the pages show: one département, a whole région, or all of France."""

    cle: str  # a département's code, "r" + a région's code, or "fr"
    libelle: str
    departements: tuple
    # Those of DEPARTEMENTS where the user may write something (not only read): where a
    # page that writes can send them, if anywhere.
    ou_ecrire: tuple = ()

    @property
    def departement(self):
        """The one département worked on, None for a région or all of France."""
        return self.departements[0] if self.est_departement else None

    @property
    def est_departement(self) -> bool:
        return not self.cle.startswith("r") and self.cle != FRANCE

    @property
    def est_france(self) -> bool:
        """All of France: every département, so a filter by département narrows nothing."""
        return self.cle == FRANCE

    @property
    def departement_ids(self) -> list[int]:
        ids = [departement.pk for departement in self.departements]
        # Over France, marked as every département: a filter on them narrows nothing.
        return TousLesDepartements(ids) if self.est_france else ids


def departements_du_compte(request) -> list:
    """The user's départements, read once per request."""
    if not hasattr(request, "_departements"):
        user = request.user
        p = profil(user)
        if p.departement_ids and p.departement_ids <= p.departements_lus.keys():
            # The profile read them already (ordered by code, as the model). A partner of a
            # structure elsewhere than their habilitations reads them here.
            lus = (p.departements_lus[pk] for pk in p.departement_ids)
            request._departements = sorted(lus, key=lambda departement: departement.code)
        else:
            request._departements = list(departements_of(user)) if user.is_authenticated else []
    return request._departements


def perimetres_du_compte(request) -> list[Perimetre]:
    """What the switch offers: the wide scopes first (a reader's, a regional cabinet's), then
    each département."""
    departements = departements_du_compte(request)
    p = profil(request.user)
    ecrire = p.departements_ou_ecrire

    def perimetre(cle: str, libelle: str, membres) -> Perimetre:
        membres = tuple(membres)
        return Perimetre(cle, libelle, membres, tuple(d for d in membres if d.pk in ecrire))

    choix = []
    regions = set(p.regions)
    if p.toute_la_france:
        choix.append(perimetre(FRANCE, "Toute la France", departements))
        # A national reader reads every région whole too, not only France or one département.
        regions |= {d.region for d in departements if d.region in REGIONS}
    for region in sorted(regions, key=lambda code: REGIONS.get(code, code)):
        membres = (d for d in departements if d.region == region)
        choix.append(perimetre(f"r{region}", f"Toute la région {REGIONS[region]}", membres))
    choix.extend(perimetre(d.code, f"{d.nom} ({d.code})", (d,)) for d in departements)
    return choix


def perimetre_courant(request) -> Perimetre | None:
    choix = perimetres_du_compte(request)
    if not choix:
        return None
    voulu = request.session.get(SESSION_KEY) or request.user.perimetre_prefere
    for perimetre in choix:
        if perimetre.cle == voulu:
            return perimetre
    return choix[0]


def choisir_perimetre(request, cle: str) -> Perimetre | None:
    """Switch to the perimeter CLE if the account has it; remembered for next logins."""
    for perimetre in perimetres_du_compte(request):
        if perimetre.cle == cle:
            request.session[SESSION_KEY] = cle
            if request.user.perimetre_prefere != cle:
                request.user.perimetre_prefere = cle
                request.user.save(update_fields=["perimetre_prefere"])
            return perimetre
    return None


class DepartementCourantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.perimetre = SimpleLazyObject(lambda: perimetre_courant(request))
        request.departement = SimpleLazyObject(lambda: _departement(request))
        request.departements = SimpleLazyObject(lambda: departements_du_compte(request))
        return self.get_response(request)


def _departement(request):
    perimetre = request.perimetre
    return perimetre.departement if perimetre else None
