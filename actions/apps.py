from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plan d'actions"

    def ready(self):
        from actions import documents, journal, signaux
        from actions.verrou import FEUILLES_SIGNEES, TRANSITIONS
        from integration import verrou

        journal.declarer()
        signaux.declarer()  # the cached figures of the plan follow every write
        documents.declarer()  # the feuille de route's PDF, and its signed version
        verrou.declarer(TRANSITIONS)  # installed after every migrate (integration.verrou)
        verrou.declarer(FEUILLES_SIGNEES)
