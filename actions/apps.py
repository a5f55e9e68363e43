from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plan d'actions"

    def ready(self):
        from actions import documents, journal
        from actions.circuit_immuable import TRANSITIONS
        from actions.verrou import VERROU
        from integration import immuable

        journal.declarer()
        documents.declarer()  # the feuille de route's PDF, and its signed version
        immuable.proteger(TRANSITIONS)
        immuable.declarer(VERROU)  # reinstalled after every migrate (SQLite rebuilds tables)
