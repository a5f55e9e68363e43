"""The kinds of events the actors' registry records in the journal, with their labels."""

from django.db import models


class Nature(models.TextChoices):
    DEPARTEMENT_CREATION = "departement.creation", "Création du département"
    DEPARTEMENT_MODIFICATION = "departement.modification", "Modification du département"
    ACTEUR_CREATION = "acteur.creation", "Création"
    ACTEUR_PROPOSITION = "acteur.proposition", "Proposition"
    ACTEUR_MODIFICATION = "acteur.modification", "Modification"
    ACTEUR_ARCHIVAGE = "acteur.archivage", "Archivage"
    ACTEUR_RESTAURATION = "acteur.restauration", "Restauration"
    ACTEUR_VALIDATION = "acteur.validation", "Validation"
    ACTEUR_REJET = "acteur.rejet", "Rejet"
    # An entry of the former history whose wording matched none of the kinds above.
    ACTEUR_HISTORIQUE = "acteur.historique", "Opération (ancien historique)"
    MEMBRE_AJOUT = "membre.ajout", "Ajout d'un membre"
    MEMBRE_REACTIVATION = "membre.reactivation", "Réactivation d'un membre"
    MEMBRE_ROLE = "membre.role", "Changement de rôle d'un membre"
    MEMBRE_DESACTIVATION = "membre.desactivation", "Désactivation d'un membre"
    INVITATION_ENVOI = "invitation.envoi", "Invitation envoyée"
    INVITATION_REVOCATION = "invitation.revocation", "Invitation révoquée"
    HABILITATION_OCTROI = "habilitation.octroi", "Habilitation accordée"
    HABILITATION_REACTIVATION = "habilitation.reactivation", "Habilitation réactivée"
    HABILITATION_ROLE = "habilitation.role", "Changement de rôle départemental"
    HABILITATION_RETRAIT = "habilitation.retrait", "Habilitation retirée"
    COMPTE_DROITS = "compte.droits", "Changement des droits techniques du compte"


def declarer() -> None:
    """Declare these kinds, and the models they point to, to the journal."""
    from acteurs.models import Acteur, Departement, Habilitation, Invitation, Membre, User
    from integration import journal

    journal.declarer(Nature, modeles=[Departement, User, Habilitation, Acteur, Membre, Invitation])
