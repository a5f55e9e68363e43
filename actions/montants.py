"""The one rule for money (DESIGN §4), computed by the database.

Totals count the adopted actions (validée, en cours, terminée): what the State committed
to. What partners ask for in drafts and reviews shows apart, as « en attente
d'instruction : X € demandés ». Refused and abandoned actions count nowhere. The plan's
dashboard, the actions list and its exports, the feuille de route and signing pages and
the feuille de route PDF all read their totals here, so they agree.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from actions.models import Action, Financement

ZERO = Decimal("0")


@dataclass
class Montants:
    demande: Decimal = ZERO
    accorde: Decimal = ZERO
    verse: Decimal = ZERO

    def ajouter(self, autre: "Montants") -> None:
        self.demande += autre.demande
        self.accorde += autre.accorde
        self.verse += autre.verse


@dataclass
class Totaux:
    adoptees: Montants  # requested, granted and paid of the adopted actions
    en_attente: Decimal  # requested by the actions not yet decided
    nombre: int  # all the actions summed, whatever their status (a list's count)


def financements_adoptes(actions: QuerySet[Action]) -> QuerySet[Financement]:
    """The funding lines that count: those of ACTIONS that are adopted."""
    return Financement.objects.filter(action__in=actions.adoptees().values("pk"))


def sommes(ligne: str = "", **filtre) -> dict:
    """The three sums over funding lines, as annotate/aggregate arguments d, a and v.
    LIGNE is the path to the funding line from the rows summed ("financements__" from
    actions)."""
    return {
        "d": Sum(f"{ligne}montant_demande", **filtre),
        "a": Sum(f"{ligne}montant_accorde", **filtre),
        "v": Sum(f"{ligne}montant_verse", **filtre),
    }


def montants(ligne: dict) -> Montants:
    """The Montants of a row of `sommes` (a sum over no line is zero)."""
    return Montants(ligne["d"] or ZERO, ligne["a"] or ZERO, ligne["v"] or ZERO)


def _regle(action: str = "action__", ligne: str = "") -> dict:
    """The rule: the adopted actions' three sums (d, a, v) and what the undecided ones
    request (attente). ACTION and LIGNE are the paths to the action and to the funding
    line from the rows summed (funding lines by default)."""
    return {
        **sommes(ligne, filter=Q(**{f"{action}statut__in": Action.ADOPTEES})),
        "attente": Sum(
            f"{ligne}montant_demande", filter=Q(**{f"{action}statut__in": Action.EN_ATTENTE})
        ),
    }


def totaux(actions: QuerySet[Action]) -> Totaux:
    """ACTIONS' money by the rule, and how many they are, in one query (summed from the
    actions: joining their funding lines repeats an action, never a line)."""
    resultat = Action.objects.filter(pk__in=actions.values("pk")).aggregate(
        nombre=Count("pk", distinct=True), **_regle(action="", ligne="financements__")
    )
    return Totaux(montants(resultat), resultat["attente"] or ZERO, resultat["nombre"])


def par(actions: QuerySet[Action], *champs: str):
    """ACTIONS' money by the rule, one row per value of CHAMPS (one query). A row whose
    lines are all pending has None for d, a and v. Refused and abandoned lines are left
    out before grouping, so no row holds only them."""
    comptees = Q(action__statut__in=Action.ADOPTEES + Action.EN_ATTENTE)
    return (
        Financement.objects.filter(comptees, action__in=actions.values("pk"))
        .order_by()
        .values(*champs)
        .annotate(**_regle())
        .order_by(*champs)
    )
