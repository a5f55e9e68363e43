"""Writing a fiche-action: its content and its rows (partners, funding, indicators,
milestones), in one transaction, journalled. The workflow is in `circuit`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from actions import access
from actions.journal import Nature
from actions.models import Action, FeuilleDeRoute
from actions.verrou import exiger_modifiable
from integration import journal
from integration.locks import MEME_ENVOI, lock_row

# What the action's history follows when its content changes.
CHAMPS = [
    "axe",
    "titre",
    "description",
    "objectifs",
    "porteur",
    "publics",
    "territoires",
    "date_debut",
    "date_fin",
]
SIMPLES = [champ for champ in CHAMPS if champ not in ("publics", "territoires")]
NON_MODIFIABLE = (
    "Cette action n'est plus modifiable : elle a été transmise au service pilote. "
    "Elle le redeviendra si elle vous est renvoyée pour compléments."
)


@transaction.atomic
def enregistrer_action(form, formsets, *, by) -> Action:
    """Save a valid fiche (FORM and its FORMSETS) written by BY; create it when new."""
    action = form.instance
    exiger_modifiable(action.feuille)
    creation = action.pk is None
    if creation:
        _verifier_porteur(by, action.feuille, form.cleaned_data["porteur"])
        # The feuille's row locked: the same new fiche sent twice at once (a double click,
        # two tabs) waits here, then meets the first one's.
        lock_row(FeuilleDeRoute, action.feuille_id)
        _refuser_un_doublon(action, by)
        action.cree_par = by
        avant = {}
    else:
        # Locked and read again: a submission in another tab must not be overwritten.
        enregistree = Action.objects.select_for_update().get(pk=action.pk)
        if enregistree.statut not in Action.MODIFIABLES:
            raise ValidationError(NON_MODIFIABLE, code="non_modifiable")
        avant = journal.photo(enregistree, CHAMPS)
    action = form.save(commit=False)
    if creation:
        action.save()
    else:  # only the content: the status is the workflow's
        action.save(update_fields=[*SIMPLES, "modifie_le"])
    form.save_m2m()
    changements = {}
    for formset in formsets.values():
        changements.update(_enregistrer_lignes(formset, action))
    if creation:
        journal.record(Nature.ACTION_CREATION, action, par=by)
    else:
        changements.update(journal.changements(action, avant))
        if changements:
            journal.record(Nature.ACTION_MODIFICATION, action, par=by, changements=changements)
    return action


def _refuser_un_doublon(action: Action, by) -> None:
    """A fiche of the same title, axe and porteur that BY has just created."""
    recente = Action.objects.filter(
        feuille=action.feuille_id,
        axe=action.axe_id,
        porteur=action.porteur_id,
        titre=action.titre,
        cree_par=by,
        cree_le__gte=timezone.now() - MEME_ENVOI,
    )
    if recente.exists():
        raise ValidationError(
            "Cette fiche-action vient d'être créée : elle figure dans la liste des actions."
        )


def _verifier_porteur(user, feuille, porteur) -> None:
    # The form's choices already say so; a service called from elsewhere must too.
    if not access.structures_porteuses(user, feuille.departement).filter(pk=porteur.pk).exists():
        raise PermissionDenied


def _enregistrer_lignes(formset, action) -> dict:
    """Save FORMSET's rows for ACTION; what changed, as one journal entry reads it."""
    formset.instance = action
    ajoutes = formset.save(commit=False)
    for objet in formset.deleted_objects:
        objet.delete()
    for objet in ajoutes:
        objet.action = action
        objet.save()
    nombre = len(formset.new_objects), len(formset.changed_objects), len(formset.deleted_objects)
    if not any(nombre):
        return {}
    texte = f"{nombre[0]} ajoutée(s), {nombre[1]} modifiée(s), {nombre[2]} supprimée(s)"
    return journal.changement(formset.titre, "", texte, champ=formset.prefix)
