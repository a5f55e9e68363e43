"""The kinds of events the comités record in the journal, with their labels."""

from django.db import models


class Nature(models.TextChoices):
    INSTANCE_CREATION = "instance.creation", "Création de l'instance"
    SIEGE_DEBUT = "siege.debut", "Début de mandat"
    SIEGE_FIN = "siege.fin", "Fin de mandat"
    PERSONNE_MODIFICATION = "personne.modification", "Civilité, nom ou fonction modifiés"
    SEANCE_CREATION = "seance.creation", "Séance planifiée"
    SEANCE_CONVOCATION = "seance.convocation", "Convocations envoyées"
    SEANCE_DEPLACEMENT = "seance.deplacement", "Séance déplacée"
    SEANCE_ANNULATION = "seance.annulation", "Séance annulée"
    SEANCE_TENUE = "seance.tenue", "Séance tenue"
    SEANCE_CLOTURE = "seance.cloture", "Séance close"
    SEANCE_COMPTE_RENDU = "seance.compte_rendu", "Compte rendu enregistré"
    DECISION_CREATION = "decision.creation", "Décision relevée"
    DECISION_STATUT = "decision.statut", "Avancement d'une décision"
    COMMUNIQUE_VERSION = "communique.version", "Version du communiqué de presse"
    AVIS_MEDIAS_VERSION = "avis_medias.version", "Version de l'avis aux médias"


def declarer() -> None:
    from comites.models import Instance, Seance
    from integration import journal

    journal.declarer(Nature, modeles=[Instance, Seance])
