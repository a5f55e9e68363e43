"""The plan's dashboard: what the actions the user reads add up to, in a fixed number of
queries whatever their number.

Every figure is computed over `actions.filters.base()`, the actions the unfiltered list
shows: the dashboard's totals are the sums of the list's export.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, IntegerField, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Least, Round
from django.utils import timezone

from acteurs.models import Departement, Territoire
from actions.filters import libelles_des_axes
from actions.models import Action, Financement, Indicateur, Jalon
from actions.montants import Montants, financements_adoptes, montants, par, sommes

S = Action.Statut
ZERO = Decimal("0")
HORIZON = timedelta(days=60)  # how far ahead the deadlines look
ECHEANCES_MAX = 20


def pourcent(valeur, maximum) -> int:
    """VALEUR as a whole percentage of MAXIMUM, for a bar's length (0 when nothing)."""
    return int(round(100 * valeur / maximum)) if maximum else 0


# --- Actions by axe and status ----------------------------------------------------------


@dataclass
class LigneAxe:
    libelle: str
    par_statut: list[int]
    total: int = 0
    largeur: int = 0


# The axes' labels, in the plans' order: the same list the actions list filters by.
axes_du_perimetre = libelles_des_axes


def par_axe_et_statut(actions: QuerySet[Action], axes: list[str]) -> list[LigneAxe]:
    statuts = [s for s, _ in S.choices]
    lignes = {libelle: LigneAxe(libelle, [0] * len(statuts)) for libelle in axes}
    for ligne in actions.order_by().values("axe__libelle", "statut").annotate(n=Count("pk")):
        libelle = ligne["axe__libelle"]
        axe = lignes.setdefault(libelle, LigneAxe(libelle, [0] * len(statuts)))
        axe.par_statut[statuts.index(ligne["statut"])] += ligne["n"]
        axe.total += ligne["n"]
    maximum = max((axe.total for axe in lignes.values()), default=0)
    for axe in lignes.values():
        axe.largeur = pourcent(axe.total, maximum)
    return list(lignes.values())


# --- Funding ----------------------------------------------------------------------------


@dataclass
class Financements:
    """The adopted actions' funding (actions.montants), and what waits apart."""

    lignes: list[tuple[int, str, Montants]]  # (année, source's label, amounts)
    par_annee: list[tuple[int, Montants, tuple[int, int, int]]]  # with the bars' lengths
    par_source: list[tuple[str, Montants]]
    total: Montants
    en_attente: Decimal  # requested by the actions not yet decided


def financements(actions: QuerySet[Action]) -> Financements:
    # One query: the rule's sums by year and source, which the totals add up.
    return assembler_financements(
        (
            ligne["annee"],
            ligne["source"],
            None if ligne["d"] is None else montants(ligne),  # only undecided actions' lines
            ligne["attente"] or ZERO,
        )
        for ligne in par(actions, "annee", "source")
    )


def assembler_financements(sommes) -> Financements:
    """The funding block from SOMMES, (year, source, adopted lines' Montants or None when
    all the lines wait for a decision, amount requested by the undecided actions) in year
    then source order: the lines, their totals by year (with the bars' lengths), by source
    and in all. The live dashboard and the cached figures (actions.agregats) both end here."""
    libelles = dict(Financement.Source.choices)
    lignes, annees, sources, total = [], defaultdict(Montants), defaultdict(Montants), Montants()
    en_attente = ZERO
    for annee, source, m, attente in sommes:
        en_attente += attente
        if m is None:  # counted apart
            continue
        lignes.append((annee, libelles[source], m))
        annees[annee].ajouter(m)
        sources[libelles[source]].ajouter(m)
        total.ajouter(m)
    maximum = max((m.demande for m in annees.values()), default=ZERO)
    par_annee = [
        (annee, m, tuple(pourcent(x, maximum) for x in (m.demande, m.accorde, m.verse)))
        for annee, m in sorted(annees.items())
    ]
    par_source = [(nom, sources[nom]) for nom in libelles.values() if nom in sources]
    return Financements(lignes, par_annee, par_source, total, en_attente)


# --- Indicators -------------------------------------------------------------------------


@dataclass
class ProgressionAxe:
    libelle: str
    nb: int = 0
    mesures: int = 0  # indicators with at least one value
    atteints: int = 0
    somme: int = 0  # of the indicators' progress, each capped at 100 %

    @property
    def moyenne(self) -> int:
        """The mean progress towards target, each indicator capped at 100 %."""
        return round(self.somme / self.nb) if self.nb else 0


def progression_plafonnee():
    """An indicator's progress towards its target, in whole percent capped at 100, computed
    by the database for a query grouped by indicator (its values summed)."""
    return Least(
        Value(100),
        Cast(
            Round(100 * Coalesce(Sum("mesures__valeur"), Value(ZERO)) / F("cible")),
            IntegerField(),
        ),
    )


def indicateurs(actions: QuerySet[Action], axes: list[str]) -> list[ProgressionAxe]:
    """Per axe: indicators with a target, how many reached it, the mean progress. An
    indicator's progress is the sum of its yearly values against its target.

    One query: the indicators' progress, grouped by indicator (values joined once), then
    summed by axe around it in the database. A national plan has tens of thousands of
    indicators: sending each to Python, or evaluating a subquery per indicator, cost more
    than the rest of the page."""
    par_axe = {libelle: ProgressionAxe(libelle) for libelle in axes}
    par_indicateur = (
        Indicateur.objects.filter(action__in=actions.values("pk"), cible__gt=0)
        .order_by()
        .values("pk", "action__axe__libelle")
        .annotate(progression=progression_plafonnee(), nb_mesures=Count("mesures"))
        .values("action__axe__libelle", "progression", "nb_mesures")
    )
    # The inner query is Django's own SQL, its values passed apart as parameters.
    sql, params = par_indicateur.query.sql_with_params()
    autour = (
        'SELECT t."action__axe__libelle", COUNT(*),'  # noqa: S608 - no user text in it
        " SUM(CASE WHEN t.nb_mesures > 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.progression >= 100 THEN 1 ELSE 0 END), SUM(t.progression)"
        f' FROM ({sql}) t GROUP BY t."action__axe__libelle"'
    )
    with connection.cursor() as curseur:
        curseur.execute(autour, params)
        lignes = curseur.fetchall()
    for libelle, nb, mesures, atteints, somme in lignes:
        axe = par_axe.setdefault(libelle, ProgressionAxe(libelle))
        axe.nb, axe.mesures, axe.atteints, axe.somme = nb, mesures, atteints, int(somme or 0)
    return [axe for axe in par_axe.values() if axe.nb]


# --- Review queue -----------------------------------------------------------------------


def attente(actions: QuerySet[Action]) -> dict:
    en_attente = actions.filter(statut__in=Action.ATTENTE_INSTRUCTION)
    resultat = en_attente.aggregate(nb=Count("pk"), depuis=Min("soumise_le"))
    depuis = resultat["depuis"]
    resultat["jours"] = (timezone.now() - depuis).days if depuis else None
    return resultat


# --- Territorial coverage ---------------------------------------------------------------


@dataclass
class LigneCouverture:
    epci: Territoire
    par_axe: list[int]

    @property
    def total(self) -> int:
        return sum(self.par_axe)


def couverture(actions: QuerySet[Action], departement, axes: list[str]) -> list[LigneCouverture]:
    """EPCI × axe: how many running actions reach each EPCI. An action on the whole
    département reaches every EPCI; one on a commune, that commune's EPCI."""
    T = Territoire.Type
    epcis = list(Territoire.objects.filter(type=T.EPCI, departements=departement).order_by("nom"))
    en_cours = actions.filter(statut=S.EN_COURS, feuille__departement=departement)
    liens = Action.territoires.through.objects.filter(action__in=en_cours.values("pk")).values_list(
        "action_id", "action__axe__libelle", "territoire__type", "territoire_id", "territoire__epci"
    )
    tous = {epci.pk for epci in epcis}
    atteints = defaultdict(set)  # (epci pk, axe) -> action ids, each action counted once
    for action_id, axe, type_, territoire_id, epci_id in liens:
        cibles = {T.DEPARTEMENT: tous, T.EPCI: {territoire_id}, T.COMMUNE: {epci_id}}[type_]
        for epci in cibles & tous:
            atteints[epci, axe].add(action_id)
    return [LigneCouverture(epci, [len(atteints[epci.pk, axe]) for axe in axes]) for epci in epcis]


# --- Deadlines --------------------------------------------------------------------------


@dataclass
class Echeance:
    date: object
    libelle: str
    action: Action


def echeances(actions: QuerySet[Action]) -> list[Echeance]:
    """Milestones not yet reached and ends of running actions in the next 60 days."""
    aujourd_hui = timezone.localdate()
    fenetre = (aujourd_hui, aujourd_hui + HORIZON)
    ids = actions.values("pk")
    # Of each action, only its title for the link (not the fiche's long texts).
    jalons = (
        Jalon.objects.filter(action__in=ids, atteint_le__isnull=True, date_prevue__range=fenetre)
        .select_related("action")
        .only("date_prevue", "libelle", "action__titre")[:ECHEANCES_MAX]
    )
    fins = (
        actions.filter(statut__in=(S.VALIDEE, S.EN_COURS), date_fin__range=fenetre)
        .only("titre", "date_fin")
        .order_by("date_fin", "pk")[:ECHEANCES_MAX]
    )
    liste = [Echeance(j.date_prevue, f"Jalon : {j.libelle}", j.action) for j in jalons]
    liste += [Echeance(a.date_fin, "Fin de l'action", a) for a in fins]
    return sorted(liste, key=lambda e: (e.date, e.action.titre))[:ECHEANCES_MAX]


# --- A wide perimeter, département by département ----------------------------------------


@dataclass
class LigneDepartement:
    departement: Departement
    actions: int = 0
    en_cours: int = 0
    en_attente: int = 0
    montants: Montants = field(default_factory=Montants)


def par_departement(actions: QuerySet[Action], departements) -> list[LigneDepartement]:
    """DEPARTEMENTS are the perimeter's, already read by the middleware: no query again."""
    lignes = {d.pk: LigneDepartement(d) for d in sorted(departements, key=lambda d: d.code)}
    comptes = (
        actions.order_by()
        .values("feuille__departement")
        .annotate(
            n=Count("pk"),
            en_cours=Count("pk", filter=Q(statut=S.EN_COURS)),
            attente=Count("pk", filter=Q(statut__in=Action.ATTENTE_INSTRUCTION)),
        )
    )
    for c in comptes:
        ligne = lignes[c["feuille__departement"]]
        ligne.actions, ligne.en_cours, ligne.en_attente = c["n"], c["en_cours"], c["attente"]
    par_departement = (
        financements_adoptes(actions)
        .order_by()
        .values("action__feuille__departement")
        .annotate(**sommes())
    )
    for ligne in par_departement:
        lignes[ligne["action__feuille__departement"]].montants = montants(ligne)
    return list(lignes.values())


# --- The same figures, computed live --------------------------------------------------


class EnDirect:
    """The dashboard's figures over ACTIONS, computed now: the interface of
    `actions.agregats.Resume`, for the users whose reading goes through their structures."""

    def __init__(self, actions: QuerySet[Action]):
        self.actions = actions

    def par_axe_et_statut(self, axes):
        return par_axe_et_statut(self.actions, axes)

    def financements(self):
        return financements(self.actions)

    def indicateurs(self, axes):
        return indicateurs(self.actions, axes)

    def attente(self):
        return attente(self.actions)

    def par_departement(self, departements):
        return par_departement(self.actions, departements)
