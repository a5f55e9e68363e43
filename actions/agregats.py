"""The plan's figures per département, kept in the cache, for the pages that sum a wide
perimeter (the national and regional dashboards, the list's totals, the home page).

A national reader's dashboard sums 15,000 actions and their funding lines: computed on
every request, those sums cost several times a plain list page. So each département's
figures are computed once, grouped by what the pages need and by status (three grouped
queries for all the départements missing from the cache at once), and kept in the cache
under the département's `JetonDesChiffres`. Every write to the département's actions,
axes, funding lines, indicators or their values draws a new token in the same transaction
(`renouveler`, called by the signals in `actions.signaux` and by the bulk writes), so the
next page reads new figures: cached figures are never stale after a change, whatever the
cache (local memory per process, or Redis shared by all).

They serve the users whose reading is flat: per département, either every action
(pilotage) or every action but drafts (cabinet, press office, readers), as
`actions_visible_to` says for a user with no membership. Everyone else (partners, whose
reading goes through their structures) gets the figures computed live by `actions.tableau`
and `actions.montants`.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, QuerySet, Sum
from django.utils import timezone

from acteurs.access import dans_les_departements, profil
from acteurs.models import Habilitation
from actions.access import LECTURE_HORS_BROUILLONS
from actions.models import Action, Financement, Indicateur, JetonDesChiffres
from actions.montants import Montants, Totaux
from actions.tableau import (
    Financements,
    LigneAxe,
    LigneDepartement,
    ProgressionAxe,
    assembler_financements,
    pourcent,
    progression_plafonnee,
)

S = Action.Statut
ZERO = Decimal("0")
TOUS = frozenset(S.values)
SAUF_BROUILLONS = TOUS - {S.BROUILLON}
VERSION = 1  # of the cached figures' shape: a change of shape changes every key
DUREE = 24 * 3600  # a département's figures unchanged for a day are computed again


# --- Tokens -----------------------------------------------------------------------------


def renouveler(departement_ids) -> None:
    """Draw a new token for each of DEPARTEMENT_IDS: their cached figures are forgotten.
    One statement (an upsert), in the caller's transaction."""
    ids = sorted(set(departement_ids))  # always in the same order: no deadlock between two
    if ids:
        JetonDesChiffres.objects.bulk_create(
            [JetonDesChiffres(departement_id=d, jeton=secrets.randbits(62)) for d in ids],
            update_conflicts=True,
            unique_fields=["departement"],
            update_fields=["jeton"],
        )


def renouveler_selon(departements: QuerySet) -> None:
    """Draw a new token for the départements DEPARTEMENTS gives (a queryset of one column,
    the département's id, named `d`): one statement, the département found by the
    database (a funding line's through its action and feuille)."""
    sql, params = departements.query.sql_with_params()
    table = connection.ops.quote_name(JetonDesChiffres._meta.db_table)
    with connection.cursor() as curseur:
        curseur.execute(
            f"INSERT INTO {table} (departement_id, jeton)"  # noqa: S608 - no user text in it
            f" SELECT s.d, %s FROM ({sql}) s WHERE s.d IS NOT NULL"
            " ON CONFLICT (departement_id) DO UPDATE SET jeton = excluded.jeton",
            [secrets.randbits(62), *params],
        )


# --- Who reads flat ---------------------------------------------------------------------


def lecture_a_plat(user, departement_ids) -> dict[int, frozenset[str]] | None:
    """The statuses USER reads in each of DEPARTEMENT_IDS, when that is all their reading
    is (no membership, no draft of their own hidden from their role); else None, and the
    figures are computed live. Agrees with `actions.access.actions_visible_to`."""
    p = profil(user)
    if p.adhesions:
        return None
    pilotage = p.departements_ou(Habilitation.Role.PILOTAGE)
    lecteur = p.departements_ou(*LECTURE_HORS_BROUILLONS)
    lecture = {}
    for d in departement_ids:
        if d in pilotage:
            lecture[d] = TOUS
        elif d in lecteur:
            lecture[d] = SAUF_BROUILLONS
        else:
            lecture[d] = frozenset()
    if all(statuts == TOUS for statuts in lecture.values()):
        return lecture  # pilotage everywhere: what they wrote, they read already
    # An author reads what they wrote wherever it is: a reader who once wrote a fiche
    # reads more than their role says. Their fiches are read as (département, status)
    # pairs, a reader has none or few: a query naming a national reader's 101 départements
    # took longer to plan than these take to read.
    ecrites = Action.objects.filter(cree_par=user).order_by()
    for departement, statut in set(ecrites.values_list("feuille__departement", "statut")):
        statuts = lecture.get(departement)
        if statuts is not None and statut not in statuts:
            return None
    return lecture


# --- One département's figures ----------------------------------------------------------


@dataclass
class Chiffres:
    """One département's figures, by status (plain values: they are pickled)."""

    # (axe's label, status) -> (number of actions, earliest submission or None)
    actions: dict = field(default_factory=dict)
    # (year, source, status) -> (requested, granted, paid) of the funding lines
    argent: dict = field(default_factory=dict)
    # (axe's label, status) -> (indicators with a target, measured, reached, sum of progress)
    indicateurs: dict = field(default_factory=dict)


def _cle(departement_id: int, jeton: int) -> str:
    return f"plan:chiffres:v{VERSION}:{departement_id}:{jeton}"


def chiffres(departement_ids, jetons: dict[int, int]) -> dict[int, Chiffres]:
    """Each département's figures: from the cache under its current token (JETONS), the
    missing ones computed together (three queries) and kept. A département without a
    token yet is computed and not kept."""
    ids = set(departement_ids)
    cles = {d: _cle(d, jeton) for d, jeton in jetons.items()}
    trouves = cache.get_many(cles.values()) if cles else {}
    resultat = {d: trouves[cle] for d, cle in cles.items() if cle in trouves}
    manquants = ids - set(resultat)
    if manquants:
        calcules = calculer(manquants)
        resultat.update(calcules)
        a_garder = {cles[d]: calcules[d] for d in calcules if d in cles}
        if a_garder:
            cache.set_many(a_garder, DUREE)
    return resultat


def calculer(departement_ids) -> dict[int, Chiffres]:
    """The figures of DEPARTEMENT_IDS, by the database, in three grouped queries."""
    resultat = {d: Chiffres() for d in departement_ids}
    actions = (
        Action.objects.filter(feuille__departement__in=departement_ids)
        .order_by()
        .values("feuille__departement", "axe__libelle", "statut")
        .annotate(n=Count("pk"), depuis=Min("soumise_le"))
    )
    for ligne in actions:
        cle = (ligne["axe__libelle"], ligne["statut"])
        resultat[ligne["feuille__departement"]].actions[cle] = (ligne["n"], ligne["depuis"])
    argent = (
        Financement.objects.filter(action__feuille__departement__in=departement_ids)
        .order_by()
        .values("action__feuille__departement", "annee", "source", "action__statut")
        .annotate(d=Sum("montant_demande"), a=Sum("montant_accorde"), v=Sum("montant_verse"))
    )
    for ligne in argent:
        cle = (ligne["annee"], ligne["source"], ligne["action__statut"])
        sommes = (ligne["d"] or ZERO, ligne["a"] or ZERO, ligne["v"] or ZERO)
        resultat[ligne["action__feuille__departement"]].argent[cle] = sommes
    for departement, libelle, statut, *valeurs in _indicateurs(departement_ids):
        resultat[departement].indicateurs[libelle, statut] = tuple(int(v or 0) for v in valeurs)
    return resultat


def _indicateurs(departement_ids) -> list[tuple]:
    """Per département, axe and status: indicators with a target, those with a value, those
    reached, the sum of their progress (each capped at 100 %); as `tableau.indicateurs`."""
    par_indicateur = (
        Indicateur.objects.filter(action__feuille__departement__in=departement_ids, cible__gt=0)
        .order_by()
        .values("pk", "action__feuille__departement", "action__axe__libelle", "action__statut")
        .annotate(progression=progression_plafonnee(), nb_mesures=Count("mesures"))
        .values(
            "action__feuille__departement",
            "action__axe__libelle",
            "action__statut",
            "progression",
            "nb_mesures",
        )
    )
    sql, params = par_indicateur.query.sql_with_params()
    colonnes = 't."action__feuille__departement", t."action__axe__libelle", t."action__statut"'
    autour = (
        f"SELECT {colonnes}, COUNT(*),"  # noqa: S608 - no user text in it
        " SUM(CASE WHEN t.nb_mesures > 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.progression >= 100 THEN 1 ELSE 0 END), SUM(t.progression)"
        f" FROM ({sql}) t GROUP BY {colonnes}"
    )
    with connection.cursor() as curseur:
        curseur.execute(autour, params)
        return curseur.fetchall()


# --- A perimeter's figures, for what its user reads -------------------------------------


class Resume:
    """What the pages show, summed from the départements' figures over the statuses the
    user reads in each (`lecture_a_plat`): the same results as `actions.tableau`'s and
    `actions.montants.totaux`'s live functions.

    Built once from the départements' figures into a few small sums (tens of rows however
    many départements), it is itself kept in the cache (`resume`): a national page reads
    it whole, without going through the 101 départements' figures again."""

    def __init__(self, lecture: dict[int, frozenset[str]], chiffres: dict[int, Chiffres]):
        self.comptes = {}  # (axe's label, status) -> number of actions
        self.depuis = None  # the earliest submission of the actions waiting for review
        self.argent = {}  # (year, source) -> [adopted lines' Montants or None, requested]
        self.progressions = {}  # axe's label -> [with a target, measured, reached, progress]
        self.par_dep = {}  # id -> [actions, running, waiting, adopted Montants]
        for d, statuts in lecture.items():
            if statuts and d in chiffres:
                self._ajouter(d, statuts, chiffres[d])

    def _ajouter(self, d: int, statuts: frozenset[str], chiffres: Chiffres) -> None:
        departement = self.par_dep.setdefault(d, [0, 0, 0, Montants()])
        for (libelle, statut), (n, soumise) in chiffres.actions.items():
            if statut not in statuts:
                continue
            self.comptes[libelle, statut] = self.comptes.get((libelle, statut), 0) + n
            departement[0] += n
            if statut == S.EN_COURS:
                departement[1] += n
            if statut in Action.ATTENTE_INSTRUCTION:
                departement[2] += n
                if soumise is not None and (self.depuis is None or soumise < self.depuis):
                    self.depuis = soumise
        for (annee, source, statut), (dem, acc, ver) in chiffres.argent.items():
            if statut not in statuts:
                continue
            groupe = self.argent.setdefault((annee, source), [None, ZERO])
            if statut in Action.ADOPTEES:
                groupe[0] = groupe[0] or Montants()
                groupe[0].ajouter(Montants(dem, acc, ver))
                departement[3].ajouter(Montants(dem, acc, ver))
            elif statut in Action.EN_ATTENTE:
                groupe[1] += dem
            # refused and abandoned count nowhere
        for (libelle, statut), valeurs in chiffres.indicateurs.items():
            if statut in statuts:
                somme = self.progressions.setdefault(libelle, [0, 0, 0, 0])
                for i, valeur in enumerate(valeurs):
                    somme[i] += valeur

    def par_axe_et_statut(self, axes: list[str]) -> list[LigneAxe]:
        statuts = list(S.values)
        lignes = {libelle: LigneAxe(libelle, [0] * len(statuts)) for libelle in axes}
        for (libelle, statut), n in self.comptes.items():
            axe = lignes.setdefault(libelle, LigneAxe(libelle, [0] * len(statuts)))
            axe.par_statut[statuts.index(statut)] += n
            axe.total += n
        maximum = max((axe.total for axe in lignes.values()), default=0)
        for axe in lignes.values():
            axe.largeur = pourcent(axe.total, maximum)
        return list(lignes.values())

    def financements(self) -> Financements:
        return assembler_financements(
            (annee, source, m, attente)
            for (annee, source), (m, attente) in sorted(self.argent.items())
        )

    def indicateurs(self, axes: list[str]) -> list[ProgressionAxe]:
        par_axe = {libelle: ProgressionAxe(libelle) for libelle in axes}
        for libelle, (nb, mesures, atteints, somme) in self.progressions.items():
            axe = par_axe.setdefault(libelle, ProgressionAxe(libelle))
            axe.nb, axe.mesures, axe.atteints, axe.somme = nb, mesures, atteints, somme
        return [axe for axe in par_axe.values() if axe.nb]

    def attente(self) -> dict:
        nb = self.nombre(Action.ATTENTE_INSTRUCTION)
        jours = (timezone.now() - self.depuis).days if self.depuis else None
        return {"nb": nb, "depuis": self.depuis, "jours": jours}

    def nombre(self, statuts=TOUS) -> int:
        """How many actions the user reads, among STATUTS."""
        return sum(n for (_libelle, statut), n in self.comptes.items() if statut in statuts)

    def totaux(self) -> Totaux:
        adoptees, en_attente = Montants(), ZERO
        for m, attente in self.argent.values():
            en_attente += attente
            if m is not None:
                adoptees.ajouter(m)
        return Totaux(adoptees, en_attente, self.nombre())

    def par_departement(self, departements) -> list[LigneDepartement]:
        lignes = []
        for departement in sorted(departements, key=lambda d: d.code):
            ligne = LigneDepartement(departement)
            if chiffres := self.par_dep.get(departement.pk):
                ligne.actions, ligne.en_cours, ligne.en_attente = chiffres[:3]
                ligne.montants.ajouter(chiffres[3])
            lignes.append(ligne)
        return lignes


def resume(user, departement_ids) -> Resume | None:
    """The perimeter's figures for USER, or None when their reading is not flat (the
    caller then computes live). Kept in the cache under every département's token and
    what the user reads there: any write in one of them, and it is computed again."""
    lecture = lecture_a_plat(user, departement_ids)
    if lecture is None:
        return None
    lus = {d: statuts for d, statuts in lecture.items() if statuts}
    if not lus:
        return Resume({}, {})
    jetons = JetonDesChiffres.objects.filter(dans_les_departements("departement", departement_ids))
    jetons = {d: jeton for d, jeton in jetons.values_list("departement", "jeton") if d in lus}
    cle = None
    if len(jetons) == len(lus):  # a département without a token yet is never kept
        empreinte = repr(sorted((d, jetons[d], sorted(s)) for d, s in lus.items()))
        cle = f"plan:resume:v{VERSION}:{hashlib.sha256(empreinte.encode()).hexdigest()}"
        if (trouve := cache.get(cle)) is not None:
            return trouve
    figures = Resume(lus, chiffres(lus, jetons))
    if cle:
        cache.set(cle, figures, DUREE)
    return figures
