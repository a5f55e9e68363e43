"""The home dashboard: the one place (with the URL conf) that composes every app.

It shows the current perimeter: one département, or for a wide reader a whole région or
all of France, then with one line per département.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from acteurs import access
from acteurs.access import profil
from acteurs.filters import acteurs_de_la_liste
from acteurs.models import Acteur, Membre
from actions import access as actions_access
from actions import agregats
from actions.filters import base as actions_de_la_liste
from actions.models import Action
from comites import access as comites_access


@require_safe
def tableau_de_bord(request):
    perimetre = request.perimetre
    context = {"title": "Tableau de bord", "perimetre": perimetre}
    if perimetre:
        departement = request.departement
        par_departement = (
            None if perimetre.est_departement else _par_departement(request.user, perimetre)
        )
        moderateur = access.peut(request.user, "moderer_acteurs", departement)
        # What waits for a moderator (a département's pilotage), read for them only (an
        # empty queryset asks the database nothing).
        a_moderer = (
            access.acteurs_visible_to(request.user).filter(departement=perimetre.departement)
            if moderateur
            else Acteur.objects.none()
        )
        context.update(
            departement=departement,
            moderateur=moderateur,
            # The tile links to the list: it counts what the list shows (a partner's own
            # proposals included), never a different number.
            nb_acteurs=sum(ligne.nb_acteurs for ligne in par_departement)
            if par_departement
            else acteurs_de_la_liste(request.user, perimetre).count(),
            nb_a_verifier=a_moderer.actifs().valides().a_verifier().count(),
            propositions=a_moderer.filter(statut=Acteur.Statut.EN_ATTENTE).select_related(
                "propose_par"
            )[:10],
            # Read only for a member of some structure: the others' home pages spare it.
            mes_structures=Membre.objects.filter(
                user=request.user, actif=True, acteur__departement__in=perimetre.departement_ids
            ).select_related("acteur")
            if profil(request.user).adhesions
            else [],
            peut_creer=access.can_create_acteur(request.user, departement),
            cree_directement=access.peut(request.user, "creer_acteur", departement),
            par_departement=par_departement,
            decisions_en_retard=_decisions_en_retard(request.user, perimetre),
            plan=_plan(
                request.user, perimetre, actions_access.peut(request.user, "instruire", departement)
            ),
            **_ce_qui_attend(request.user, perimetre),
        )
    return render(request, "integration/tableau_de_bord.html", context)


@dataclass
class LigneDepartement:
    pk: int
    nom: str
    code: str
    nb_acteurs: int


def _par_departement(user, perimetre) -> list[LigneDepartement]:
    """One row per département of a wide perimeter, with the actors the list shows there
    (one grouped query; the départements were read with the perimeter). Their sum is the
    tile's total: one pass over the country's actors, not two. COUNT(*) rather than of
    the key: the database counts from the index of the actors one reads
    (acteurs.Acteur.Meta), without visiting the table (national data: 20 ms, 7 ms so)."""
    comptes = dict(
        acteurs_de_la_liste(user, perimetre)
        .order_by()
        .values_list("departement")
        .annotate(n=Count("*"))
    )
    return [
        LigneDepartement(d.pk, d.nom, d.code, comptes.get(d.pk, 0))
        for d in sorted(perimetre.departements, key=lambda d: d.code)
    ]


def _decisions_en_retard(user, perimetre) -> list:
    """Comités: what was decided and is now overdue."""
    decisions = list(comites_access.decisions_en_retard(user, perimetre.departement_ids)[:10])
    _nommer_les_departements(perimetre, decisions, lambda decision: decision.seance)
    return decisions


def _nommer_les_departements(perimetre, lignes, seance=lambda ligne: ligne) -> None:
    """Over several départements, each line about a séance says whose it is (from the
    départements read with the perimeter): two départements' « Comité de pilotage »
    otherwise read as one séance listed twice."""
    if perimetre.est_departement:
        return
    noms = {d.pk: d.nom for d in perimetre.departements}
    for ligne in lignes:
        ligne.nom_departement = noms.get(seance(ligne).instance.departement_id)


def _plan(user, perimetre, instructeur: bool) -> dict:
    """The plan d'actions' block: what the actions list shows, what waits for review
    (pilotage), and the user's own structures' actions (partners)."""
    structures = list(profil(user).adhesions)
    if resume := agregats.resume(user, perimetre.departement_ids):
        # A flat reading (no structure): the perimeter's cached figures, computed here if
        # no page did since the last write (only the départements written to since). A
        # national reader's home page counted France's 15,000 actions on every visit.
        return {
            "nb": resume.nombre(),
            "a_instruire": resume.nombre(Action.ATTENTE_INSTRUCTION),
            "miennes": 0,
            "instructeur": instructeur,
            "a_des_structures": False,
        }
    # A partner's reading goes through their structures: counted live, in one query.
    return actions_de_la_liste(user, perimetre).aggregate(
        nb=Count("pk"),
        a_instruire=Count("pk", filter=Q(statut__in=Action.ATTENTE_INSTRUCTION)),
        miennes=Count("pk", filter=Q(porteur__in=structures)),
    ) | {"instructeur": instructeur, "a_des_structures": bool(structures)}


def _ce_qui_attend(user, perimetre) -> dict:
    """What waits for USER, whatever their roles, each through its app's access helpers
    (so every link opens): a partner's fiches to complete or finish, the consultation they
    may comment, their unanswered convocations; pilotage's séances to convene or close and
    late minutes; the cabinet's feuilles to sign; the press office's releases to prepare
    and to export. A fixed number of queries."""
    departement_ids = perimetre.departement_ids
    convocations = comites_access.convocations_sans_reponse(user, departement_ids)
    _nommer_les_departements(perimetre, convocations, lambda convocation: convocation.seance)
    seances = comites_access.seances_a_suivre(user, departement_ids)
    communiques = comites_access.communiques_a_faire(user, departement_ids)
    for liste in [*seances.values(), *communiques.values()]:
        _nommer_les_departements(perimetre, liste)
    return {
        "feuilles_ouvertes": actions_access.feuilles_ouvertes_aux_propositions(
            user, departement_ids
        ),
        "a_reprendre": actions_access.actions_a_reprendre(user, departement_ids),
        "feuilles_en_attente": actions_access.feuilles_en_attente(user, departement_ids),
        "convocations": convocations,
        "seances": seances,
        "communiques": communiques,
    }
