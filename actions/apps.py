from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plan d'actions"

    def ready(self):
        from actions import journal
        from actions.circuit_immuable import TRANSITIONS
        from integration import immuable

        journal.declarer()
        immuable.proteger(TRANSITIONS)
