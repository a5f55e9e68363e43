"""Who may see and do what in the plan d'actions, on the access core of `acteurs`.

An action's qualités come from its feuille de route's département (pilotage, cabinet,
lecteur), its porteur (the structure's members), its partners' members (associé), its
author, and being a partner in the département. Which actions a user reads:
- pilotage: all of its département's, drafts included;
- cabinet, the press office (communication) and readers: all but drafts;
- the porteur's members and the author: all of theirs;
- partners' members: the action once it is no longer a draft;
- any partner of the département: the plan adopted (validated and after), and during a
  consultation, what is submitted to it. Never another partner's draft or refusal.
"""

import operator
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from acteurs.access import (
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
    dans_les_departements,
    profil,
    qualites_departement,
    qualites_envers,
)
from acteurs.models import Habilitation, Membre
from actions.models import Action, Axe, Contrat, FeuilleDeRoute, Partenariat

P, C, L = PILOTAGE, CABINET, LECTEUR
# The press office reads what a release may announce (feuilles, actions past their draft,
# statistics, contracts) as a reader does, but not the histories (who did what).
COM = COMMUNICATION
ADM, CTB, LS = ADMINISTRATEUR, CONTRIBUTEUR, LECTEUR_STRUCTURE
PART = PARTENAIRE
S = Action.Statut
F = FeuilleDeRoute.Statut

# What a partner of the département reads of a feuille in consultation.
SOUMISES_A_CONSULTATION = (S.SOUMISE, S.EN_INSTRUCTION, *Action.RETENUES)

MATRICE_ACTION = Matrice(
    "action",
    {
        "voir": {P, C, COM, L, ADM, CTB, LS, ASSOCIE, AUTEUR, PART},  # the queryset narrows it
        "modifier": {P, ADM, CTB, AUTEUR},
        "soumettre": {ADM, CTB, AUTEUR},
        "instruire": {P},
        "suivre": {P, ADM, CTB},  # execution status, progress, indicator values, bilans
        "verser": {P},  # amounts paid: the State's services record what they paid
        "voir_historique": {P, C, L, ADM, CTB, LS, AUTEUR},
    },
    par_etat={
        S.BROUILLON: {"voir", "modifier", "soumettre", "voir_historique"},
        S.SOUMISE: {"voir", "instruire", "voir_historique"},
        S.EN_INSTRUCTION: {"voir", "instruire", "voir_historique"},
        S.A_COMPLETER: {"voir", "modifier", "soumettre", "voir_historique"},
        S.VALIDEE: {"voir", "suivre", "verser", "voir_historique"},
        S.REFUSEE: {"voir", "voir_historique"},
        S.EN_COURS: {"voir", "suivre", "verser", "voir_historique"},
        S.TERMINEE: {"voir", "suivre", "verser", "voir_historique"},
        S.ABANDONNEE: {"voir", "voir_historique"},
        # Any action of a signed feuille; follow-up only for those adopted (see `can`).
        "gelee": {"voir", "suivre", "verser", "voir_historique"},
    },
)

MATRICE_FEUILLE = Matrice(
    "feuille de route",
    {
        "voir": {P, C, COM, L, ADM, CTB, LS, PART},
        "modifier": {P},  # title, period, axes, submission window
        "consulter": {P},  # open or close the partners' consultation
        "commenter": {ADM, CTB, LS, PART},  # a partner's comment during consultation
        "repondre": {P},  # answer a comment, mark it taken into account
        "demander_visa": {P},
        "signer": {C},  # with the documents: the cabinet signs
        "nouvelle_version": {P},
    },
    par_etat={
        FeuilleDeRoute.Statut.BROUILLON: {"voir", "modifier", "consulter", "demander_visa",
                                          "nouvelle_version"},
        FeuilleDeRoute.Statut.CONSULTATION: {"voir", "modifier", "consulter", "commenter",
                                             "repondre", "demander_visa", "nouvelle_version"},
        FeuilleDeRoute.Statut.VISA: {"voir", "repondre", "signer", "nouvelle_version"},
        FeuilleDeRoute.Statut.SIGNEE: {"voir", "nouvelle_version"},
    },
)  # fmt: skip

# The département's own verbs about its plan.
MATRICE_PLAN = Matrice(
    "plan d'actions",
    {
        "voir_plan": {P, C, COM, L, ADM, CTB, LS, PART},
        "creer_feuille": {P},
        "rediger_action": {P, ADM, CTB},  # for one's own structures; pilotage for any
        "instruire": {P},  # the review queue
        "accorder": {P},  # amounts granted and paid: the State's services decide them
        "saisir_statistiques": {P},
        "voir_statistiques": {P, C, COM, L, ADM, CTB, LS, PART},
        "gerer_contrats": {P},
        "voir_contrats": {P, C, COM, L},
        "rediger_bilan_axe": {P},
    },
)


# --- Département-level ------------------------------------------------------------------


def qualites_plan(user, departement):
    """Towards the département's plan: the core's qualités, plus contributeur when the user
    contributes to one of its structures (the core only adds administrateur), since a
    contributor drafts actions for the structure too."""
    found = qualites_departement(user, departement)
    p = profil(user)
    dep = getattr(departement, "pk", departement)
    if any(p.departement_de_l_acteur[a] == dep for a in p.structures_ou(Membre.Role.CONTRIBUTEUR)):
        found.add(CONTRIBUTEUR)
    return found


def peut(user, verbe: str, departement) -> bool:
    if not departement:
        MATRICE_PLAN.qualites_pour(verbe)  # an unknown verb still raises
        return False
    return MATRICE_PLAN.autorise(verbe, qualites_plan(user, departement))


def exiger(user, verbe: str, departement) -> None:
    if not peut(user, verbe, departement):
        raise PermissionDenied


def exiger_dans_un_departement(user, verbe: str, perimetre) -> None:
    """403 unless USER may do VERBE in one of PERIMETRE's départements; it stops at the
    first, where a page needs no list of them."""
    if not any(peut(user, verbe, d) for d in perimetre.departements):
        raise PermissionDenied


def exiger_dans_le_perimetre(user, verbe: str, perimetre) -> list:
    """The départements of PERIMETRE (one, a région, France) where USER may do VERBE: a page
    that spans a perimeter shows those; 403 when there is none."""
    departements = [d for d in perimetre.departements if peut(user, verbe, d)]
    if not departements:
        raise PermissionDenied
    return departements


# --- Feuilles de route ------------------------------------------------------------------


def feuilles_visible_to(user) -> QuerySet[FeuilleDeRoute]:
    return FeuilleDeRoute.objects.filter(departement__in=profil(user).departement_ids)


def feuilles_du_perimetre(user, departement_ids) -> QuerySet[FeuilleDeRoute]:
    """The feuilles USER reads in those départements (over France, all they read)."""
    return feuilles_visible_to(user).filter(dans_les_departements("departement", departement_ids))


def qualites_feuille(user, feuille: FeuilleDeRoute):
    return qualites_departement(user, feuille.departement_id)


def can_feuille(user, verbe: str, feuille: FeuilleDeRoute) -> bool:
    return MATRICE_FEUILLE.autorise(verbe, qualites_feuille(user, feuille), etat=feuille.statut)


def signe(user, feuille: FeuilleDeRoute) -> bool:
    """Whether USER is of those who sign FEUILLE (the cabinet), whatever its step: once it
    is signed they are told so rather than refused."""
    return MATRICE_FEUILLE.autorise("signer", qualites_feuille(user, feuille))


# The steps people take on the pages (the signature comes with the documents), and the
# verb of MATRICE_FEUILLE each one needs.
ETAPES: dict[tuple[str, str], str] = {
    (F.BROUILLON, F.CONSULTATION): "consulter",
    (F.CONSULTATION, F.BROUILLON): "consulter",
    (F.BROUILLON, F.VISA): "demander_visa",
    (F.CONSULTATION, F.VISA): "demander_visa",
}


def verbe_etape(de: str, vers: str) -> str | None:
    """The verb a step needs, or None when no such step exists."""
    return ETAPES.get((de, vers))


def peut_passer(user, feuille: FeuilleDeRoute, vers: str) -> bool:
    """May USER take FEUILLE from its step to VERS? An impossible step is judged as opening
    the consultation: whoever may not is refused rather than told about steps."""
    verbe = verbe_etape(feuille.statut, vers) or "consulter"
    return can_feuille(user, verbe, feuille)


def get_feuille_for_user(user, pk, verbe: str = "voir") -> FeuilleDeRoute:
    feuille = get_object_or_404(feuilles_visible_to(user).select_related("departement"), pk=pk)
    if not can_feuille(user, verbe, feuille):
        raise PermissionDenied
    return feuille


def feuilles_ouvertes_aux_propositions(user, departement_ids) -> list[FeuilleDeRoute]:
    """The feuilles of DEPARTEMENT_IDS where USER may propose a fiche-action (what
    `views.fiches.creer` accepts): not signed, in a département where they may draft one
    (`rediger_action`). One query, whatever the number of départements."""
    # Drafting is a writer's right (pilotage, a structure's administrateur or
    # contributeur): only the départements where the user writes at all are asked, not
    # the 101 a national reader reads.
    ecrire = profil(user).departements_ou_ecrire
    deps = [d for d in departement_ids if d in ecrire and peut(user, "rediger_action", d)]
    if not deps:
        return []
    return list(
        feuilles_visible_to(user)
        .filter(departement__in=deps)
        .exclude(statut=F.SIGNEE)
        .select_related("departement")
        .order_by("departement__code", "-annee_debut", "-version")
    )


def peut_proposer(user, feuille: FeuilleDeRoute) -> bool:
    """Whether FEUILLE's page offers USER « Proposer une fiche-action »."""
    return not feuille.est_signee and peut(user, "rediger_action", feuille.departement_id)


def feuilles_en_attente(user, departement_ids) -> dict[str, list[FeuilleDeRoute]]:
    """The feuilles that wait for USER, in one query: in consultation where they may
    comment (partners), at the visa step where they sign (the cabinet)."""
    attente = {"consultation": [], "visa": []}
    # Only a partner of a département comments there, only its cabinet signs
    # (qualites_feuille): pilotage and the readers, the whole country's included, have
    # nothing to read here.
    p = profil(user)
    concernes = p.departements_partenaire | p.departements_ou(Habilitation.Role.CABINET)
    departement_ids = [pk for pk in departement_ids if pk in concernes]
    if not departement_ids:
        return attente
    feuilles = (
        feuilles_visible_to(user)
        .filter(departement__in=departement_ids, statut__in=(F.CONSULTATION, F.VISA))
        .select_related("departement")
        .order_by("departement__code", "-annee_debut", "-version")
    )
    for feuille in feuilles:
        if feuille.statut == F.CONSULTATION and can_feuille(user, "commenter", feuille):
            attente["consultation"].append(feuille)
        elif feuille.statut == F.VISA and can_feuille(user, "signer", feuille):
            attente["visa"].append(feuille)
    return attente


def get_axe_for_user(user, pk) -> Axe:
    """An axe of a feuille the user reads; 404 otherwise."""
    axes = Axe.objects.filter(feuille__in=feuilles_visible_to(user))
    return get_object_or_404(axes.select_related("feuille__departement"), pk=pk)


# --- Contracts --------------------------------------------------------------------------


def contrats_visible_to(user) -> QuerySet[Contrat]:
    """The contracts of the départements where USER may read contracts (MATRICE_PLAN)."""
    deps = [d for d in profil(user).departement_ids if peut(user, "voir_contrats", d)]
    return Contrat.objects.filter(departement__in=deps)


def get_contrat_for_user(user, pk, verbe: str = "voir_contrats") -> Contrat:
    """404 outside the user's départements; 403 where they are a partner, or for a verb
    their role does not allow."""
    contrats = Contrat.objects.filter(departement__in=profil(user).departement_ids)
    contrat = get_object_or_404(contrats.select_related("departement", "signataire"), pk=pk)
    exiger(user, verbe, contrat.departement_id)
    return contrat


# --- Actions ----------------------------------------------------------------------------


# The roles that read a département's plan but its drafts (pilotage reads it all): the
# rule below and the cached figures of those who read flat (`actions.agregats`) agree.
LECTURE_HORS_BROUILLONS = (
    Habilitation.Role.CABINET,
    Habilitation.Role.COMMUNICATION,
    Habilitation.Role.LECTEUR,
)


def actions_visible_to(user) -> QuerySet[Action]:
    """The one definition of which actions a user reads; it agrees with `can(…, "voir")`.

    Only the branches that can hold name their départements: a branch on an empty list
    still joined the feuilles to every query built on the rule, and a reader of all of
    France reads everywhere but drafts, without a list of the 101 départements (the
    national list's page: PostgreSQL fetched the feuille of each action it sorted, 4.9 ms,
    now 2.8)."""
    p = profil(user)
    if not p.departement_ids:
        return Action.objects.none()
    structures = list(p.adhesions)
    dep = "feuille__departement__in"
    R = Habilitation.Role
    hors_brouillons = ~Q(statut=S.BROUILLON)
    branches = []
    if pilotage := p.departements_ou(R.PILOTAGE):
        branches.append(Q(**{dep: pilotage}))
    if p.toute_la_france:  # a reader's habilitation covers every département
        branches.append(hors_brouillons)
    elif lecture := p.departements_ou(*LECTURE_HORS_BROUILLONS):
        branches.append(Q(**{dep: lecture}) & hors_brouillons)
    branches.append(Q(cree_par=user))
    if structures:  # a member: their structures' actions, and the partners' share
        partenaire = Q(**{dep: p.departements_partenaire})
        consultee = Q(feuille__statut=FeuilleDeRoute.Statut.CONSULTATION)
        # Partnerships as a subquery, not a join: the filter stays flat, one row per action,
        # with no DISTINCT for every aggregate and list built on it to wrap.
        associees = Partenariat.objects.filter(acteur__in=structures).values("action_id")
        branches += [
            Q(porteur__in=structures),
            partenaire & Q(statut__in=Action.RETENUES),
            partenaire & consultee & Q(statut__in=SOUMISES_A_CONSULTATION),
            Q(pk__in=associees) & hors_brouillons,
        ]
    return Action.objects.filter(reduce(operator.or_, branches))


def qualites(user, action: Action):
    return qualites_envers(
        user,
        departement=action.feuille.departement_id,
        structure=action.porteur_id,
        associees=[p.acteur_id for p in action.partenariats.all()],
        auteur=action.cree_par_id,
    )


def etat(action: Action) -> str:
    return "gelee" if action.feuille.est_signee else action.statut


def can(user, verbe: str, action: Action) -> bool:
    """May USER do VERBE on ACTION, given its state and the user's qualités towards it.

    "voir" is the queryset's business (who reads what depends on the status in ways a
    matrix of qualités alone does not say), so it is answered by it."""
    if verbe == "voir":
        MATRICE_ACTION.qualites_pour(verbe)
        return actions_visible_to(user).filter(pk=action.pk).exists()
    if verbe in VERBES_DE_SUIVI and action.statut not in SUIVIES:
        return False  # a signed feuille freezes its refused or abandoned actions too
    return MATRICE_ACTION.autorise(verbe, qualites(user, action), etat=etat(action))


# What follow-up applies to: the actions adopted and not abandoned.
SUIVIES = (S.VALIDEE, S.EN_COURS, S.TERMINEE)
VERBES_DE_SUIVI = {"suivre", "verser"}


def actions_suivies_par(user) -> QuerySet[Action]:
    """The actions whose follow-up USER may enter (agrees with `can(…, "suivre")`):
    pilotage's département's, and those of the structures they administer or contribute to."""
    p = profil(user)
    roles = (Membre.Role.ADMINISTRATEUR, Membre.Role.CONTRIBUTEUR)
    return actions_visible_to(user).filter(
        Q(feuille__departement__in=p.departements_ou(Habilitation.Role.PILOTAGE))
        | Q(porteur__in=p.structures_ou(*roles)),
        statut__in=SUIVIES,
    )


def peut_suivre_indicateurs(user, departement_ids) -> bool:
    """Whether the indicator grid is for USER in these départements: pilotage there, or a
    member who enters follow-up for one of their structures."""
    p = profil(user)
    roles = (Membre.Role.ADMINISTRATEUR, Membre.Role.CONTRIBUTEUR)
    return bool(
        p.departements_ou(Habilitation.Role.PILOTAGE) & set(departement_ids)
        or {p.departement_de_l_acteur[a] for a in p.structures_ou(*roles)} & set(departement_ids)
    )


def actions_a_reprendre(user, departement_ids) -> dict[str, list[Action]]:
    """USER's own fiches still in their hands, in one query: those returned to complete
    and the drafts, of the structures they draft for or written by them (what `can(…,
    "modifier")` lets them change)."""
    roles = (Membre.Role.ADMINISTRATEUR, Membre.Role.CONTRIBUTEUR)
    # Both are branches of `actions_visible_to` (a member's structure, their own fiche):
    # repeating the whole rule made a national reader's home page plan 101 départements
    # twice over, for a query that finds nothing.
    actions = (
        Action.objects.filter(
            Q(porteur__in=profil(user).structures_ou(*roles)) | Q(cree_par=user),
            dans_les_departements("feuille__departement", departement_ids),
            statut__in=(S.A_COMPLETER, S.BROUILLON),
        )
        .exclude(feuille__statut=F.SIGNEE)
        .select_related("porteur")
        .only("titre", "statut", "porteur__nom")  # what the home page shows of each
        .order_by("titre", "pk")
    )
    reprendre = {"a_completer": [], "brouillons": []}
    for action in actions:
        cle = "a_completer" if action.statut == S.A_COMPLETER else "brouillons"
        reprendre[cle].append(action)
    return reprendre


def get_action_for_user(user, pk, verbe: str = "voir", *, queryset=None) -> Action:
    """QUERYSET (of actions) adds what a page fetches with the action (select_related,
    prefetch_related); what is visible stays what `actions_visible_to` says."""
    visibles = actions_visible_to(user)
    if queryset is not None:
        visibles = queryset.filter(pk__in=visibles.values("pk"))
    action = get_object_or_404(
        visibles.select_related("feuille__departement", "axe", "porteur"), pk=pk
    )
    if verbe != "voir" and not can(user, verbe, action):
        raise PermissionDenied
    return action


def structures_porteuses(user, departement):
    """The actors USER may draft actions for: any validated one for pilotage, else those
    they administer or contribute to."""
    from acteurs.models import Acteur

    qs = Acteur.objects.actifs().valides().filter(departement=departement)
    if PILOTAGE in qualites_departement(user, departement):
        return qs
    roles = (Membre.Role.ADMINISTRATEUR, Membre.Role.CONTRIBUTEUR)
    return qs.filter(pk__in=profil(user).structures_ou(*roles))


# --- Consultation comments --------------------------------------------------------------


def get_commentaire_for_user(user, pk, verbe: str = "voir"):
    """A comment is reached through its feuille: 404 outside the user's feuilles, and the
    feuille's matrix decides the verb (answering: pilotage, while the state allows it)."""
    from actions.models import CommentaireConsultation

    commentaire = get_object_or_404(
        CommentaireConsultation.objects.select_related(
            "feuille__departement", "axe", "action", "auteur", "au_nom_de"
        ).filter(feuille__in=feuilles_visible_to(user)),
        pk=pk,
    )
    if not can_feuille(user, verbe, commentaire.feuille):
        raise PermissionDenied
    return commentaire


def structures_commentatrices(user, feuille: FeuilleDeRoute):
    """The structures on whose behalf USER may comment FEUILLE: theirs, in its département."""
    from acteurs.models import Acteur

    p = profil(user)
    ids = [a for a, dep in p.departement_de_l_acteur.items() if dep == feuille.departement_id]
    return Acteur.objects.filter(pk__in=ids).order_by("nom")
