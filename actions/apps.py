from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Plan d'actions"

    def ready(self):
        from actions import journal

        journal.declarer()
