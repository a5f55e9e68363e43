"""The kinds of events the plan d'actions records in the journal, with their labels.

Each part of the module adds its kinds here; `declarer()` runs from the AppConfig.
"""

from django.db import models


class Nature(models.TextChoices):
    FEUILLE_CREATION = "feuille.creation", "Création de la feuille de route"
    FEUILLE_MODIFICATION = "feuille.modification", "Modification de la feuille de route"
    FEUILLE_NOUVELLE_VERSION = "feuille.nouvelle_version", "Nouvelle version"
    FEUILLE_STATUT = "feuille.statut", "Changement d'étape de la feuille de route"
    # Feuilles de route, axes, consultation (actions.services.feuilles)
    FEUILLE_AXES = "feuille.axes", "Modification des axes"
    FEUILLE_SIGNATURE = "feuille.signature", "Signature de la feuille de route"
    FEUILLE_REPORT = "feuille.report", "Actions en attente reportées à la version suivante"
    CONSULTATION_COMMENTAIRE = "consultation.commentaire", "Commentaire de consultation"
    CONSULTATION_REPONSE = "consultation.reponse", "Réponse à un commentaire de consultation"
    ACTION_CREATION = "action.creation", "Création de la fiche-action"
    ACTION_MODIFICATION = "action.modification", "Modification de la fiche-action"
    ACTION_TRANSITION = "action.transition", "Changement de statut"
    ACTION_REPORT = "action.report", "Reportée à la version suivante"
    # Follow-up, bilans, context figures, contracts
    SUIVI_AVANCEMENT = "suivi.avancement", "Mise à jour de l'avancement"
    SUIVI_JALON = "suivi.jalon", "Jalon atteint"
    SUIVI_MESURE = "suivi.mesure", "Saisie d'une valeur d'indicateur"
    SUIVI_VERSEMENT = "suivi.versement", "Montant versé"
    SUIVI_BILAN = "suivi.bilan", "Bilan annuel"
    STATISTIQUE_SAISIE = "statistique.saisie", "Saisie de statistiques de contexte"
    CONTRAT_CREATION = "contrat.creation", "Création du contrat"
    CONTRAT_MODIFICATION = "contrat.modification", "Modification du contrat"
    CONTRAT_AVENANT = "contrat.avenant", "Avenant au contrat"


def declarer() -> None:
    """Declare these kinds, and the models they point to, to the journal."""
    from actions.models import (
        Action,
        Axe,
        CommentaireConsultation,
        Contrat,
        FeuilleDeRoute,
        StatistiqueContexte,
    )
    from integration import journal

    journal.declarer(
        Nature,
        modeles=[
            FeuilleDeRoute,
            Axe,
            Action,
            StatistiqueContexte,
            Contrat,
            CommentaireConsultation,
        ],
    )
