"""An action's way through review: submission by its porteur, review by pilotage.

One entry point for every move of an action's status, review and follow-up alike,
`changer_statut()`: it locks the action's row and reads its status again (a second tab's
same click is told the move is done), checks the move against the workflow table
(`actions.workflow`) and the access matrix, applies the submission window, records the
`Transition` (append-only), journals it, and tells the other side by e-mail once the
transaction has committed.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from acteurs.access import PILOTAGE
from acteurs.models import Habilitation, Membre, User
from actions import access, workflow
from actions.journal import Nature
from actions.models import Action, Transition
from integration import journal
from integration.models import OutboxTask
from integration.outbox import enqueue
from integration.tasks import send_email
from integration.text import date_longue

S = Action.Statut

# A move's button on the action's page, by target status.
LIBELLES = {
    S.SOUMISE: "Soumettre au service pilote",
    S.EN_INSTRUCTION: "Prendre en instruction",
    S.A_COMPLETER: "Renvoyer pour compléments",
    S.VALIDEE: "Valider l'action",
    S.REFUSEE: "Refuser l'action",
    S.EN_COURS: "Déclarer en cours",
    S.TERMINEE: "Déclarer terminée",
    S.ABANDONNEE: "Déclarer abandonnée",
}


def verbe_vers(de: str, vers: str) -> str:
    """The verb of MATRICE_ACTION a move to VERS needs: the table's, or for a move the
    table does not know, the verb of the moves that lead to VERS (so that a stranger to
    the action hears 403 and its porteur a clear refusal)."""
    if verbe := workflow.verbe_pour(de, vers):
        return verbe
    verbes = {v for (_, cible), v in workflow.TRANSITIONS.items() if cible == vers}
    return verbes.pop() if len(verbes) == 1 else "instruire"


def mouvements_permis(user, action: Action) -> list[str]:
    """The statuses USER may move ACTION to now, in the table's order (the page's buttons)."""
    return [
        vers
        for vers in workflow.suivants(action.statut)
        if access.can(user, workflow.verbe_pour(action.statut, vers), action)
    ]


@transaction.atomic
def changer_statut(
    action: Action,
    vers: str,
    *,
    by: User,
    commentaire: str = "",
    base_url: str = "",
    seulement: str | None = None,
) -> Transition:
    """Move ACTION to VERS. SEULEMENT names the one verb a page's moves may use (the
    follow-up page: "suivre"), so that a forged form cannot review from there."""
    action = Action.objects.select_for_update().select_related("feuille").get(pk=action.pk)
    de, commentaire = action.statut, (commentaire or "").strip()
    if vers not in S.values:
        raise ValidationError("Ce statut n'existe pas.")
    if vers == de:  # the same click from a second tab, which waited for the first one's lock
        raise ValidationError(workflow.deja(de))
    verbe = workflow.verbe_pour(de, vers)
    if verbe is None or (seulement and verbe != seulement):
        raise ValidationError(f"Une action « {S(de).label} » ne peut passer à « {S(vers).label} ».")
    if not access.can(by, verbe, action):
        raise PermissionDenied
    if vers in workflow.MOTIVEES and not commentaire:
        raise ValidationError(_MOTIF_REQUIS[vers])
    if vers == S.SOUMISE:
        _verifier_fenetre(action, by)
        action.soumise_le = timezone.now()
    action.statut = vers
    action.save(update_fields=["statut", "soumise_le", "modifie_le"])
    transition = Transition.objects.create(
        action=action, de=de, vers=vers, par=by, commentaire=commentaire
    )
    journal.record(
        Nature.ACTION_TRANSITION,
        action,
        par=by,
        changements=journal.changement("Statut", S(de).label, S(vers).label, champ="statut"),
        detail=commentaire,
    )
    # The e-mail's outbox row rides along (not stored): the page says whether it has left.
    transition.courriel = _notifier(action, transition, base_url)
    return transition


_MOTIF_REQUIS = {
    S.A_COMPLETER: "Indiquez ce qui manque : le porteur lira ce commentaire pour compléter.",
    S.REFUSEE: "Indiquez le motif du refus : il sera communiqué au porteur.",
    S.ABANDONNEE: "Indiquez le motif de l'abandon : le porteur et le comité le liront.",
}


def _verifier_fenetre(action: Action, by: User) -> None:
    """Partners submit within the feuille's window; pilotage, which sets it, may always."""
    feuille = action.feuille
    if feuille.depot_ouvert() or PILOTAGE in access.qualites(by, action):
        return
    if feuille.depot_ouvert_le and feuille.depot_clos_le:
        periode = (
            f"Les dépôts sont ouverts du {date_longue(feuille.depot_ouvert_le)} "
            f"au {date_longue(feuille.depot_clos_le)}."
        )
    else:
        periode = "Le service pilote n'a pas encore ouvert de période de dépôt."
    raise ValidationError(
        f"Le dépôt des actions est fermé pour « {feuille.titre} ». {periode} "
        "Votre action reste enregistrée en brouillon."
    )


# --- Notifications ----------------------------------------------------------------------


def _notifier(action: Action, transition: Transition, base_url: str) -> OutboxTask | None:
    if transition.vers == S.SOUMISE:
        destinataires = _pilotage(action)
        sujet = f"Action à instruire : {action.titre}"
    elif transition.vers in (S.A_COMPLETER, S.VALIDEE, S.REFUSEE):
        destinataires = cote_porteur(action)
        sujet = f"Votre action « {action.titre} » : {S(transition.vers).label.lower()}"
    else:
        return None
    destinataires = sorted(set(destinataires) - {""})
    if not destinataires:
        return None
    corps = render_to_string(
        "actions/emails/transition.txt",
        {"action": action, "transition": transition, "lien": base_url + action.get_absolute_url()},
    )
    return enqueue(send_email, sujet, corps, destinataires)


def _pilotage(action: Action) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True,
            habilitations__departement=action.feuille.departement_id,
            habilitations__role=Habilitation.Role.PILOTAGE,
            habilitations__actif=True,
        ).values_list("email", flat=True)
    )


def cote_porteur(action: Action) -> list[str]:
    """Who hears about ACTION on its porteur's side: the structure's active members and
    its author."""
    return cote_porteur_de([action])[action.pk]


def cote_porteur_de(actions) -> dict[int, list[str]]:
    """`cote_porteur` for each of ACTIONS (with their `cree_par` loaded) in one query: the
    carry-over at signing tells the same people about many actions at once."""
    membres = Membre.objects.filter(
        acteur__in={a.porteur_id for a in actions}, actif=True, user__is_active=True
    ).values_list("acteur_id", "user__email")
    par_structure: dict[int, list[str]] = {}
    for acteur_id, email in membres:
        par_structure.setdefault(acteur_id, []).append(email)
    adresses = {}
    for action in actions:
        adresses[action.pk] = list(par_structure.get(action.porteur_id, []))
        if action.cree_par_id and action.cree_par.is_active:
            adresses[action.pk].append(action.cree_par.email)
    return adresses
