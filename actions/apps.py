from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plan d'actions"

    def ready(self):
        from actions import journal
        from actions.circuit_immuable import TRANSITIONS
        from actions.verrou import VERROU
        from integration import immuable

        journal.declarer()
        immuable.proteger(TRANSITIONS)
        immuable.declarer(VERROU)  # reinstalled after every migrate (SQLite rebuilds tables)
