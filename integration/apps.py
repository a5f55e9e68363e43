from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class IntegrationConfig(AppConfig):
    name = "integration"
    verbose_name = "Socle"

    def ready(self):
        from integration import (
            checks,  # noqa: F401 - its system checks register on import
            verrou,
        )
        from integration.documents.verrou import VERROU as DOCUMENTS_SIGNES

        verrou.declarer(verrou.JOURNAL)
        verrou.declarer(DOCUMENTS_SIGNES)
        # Triggers live outside the migrations: lifted before them, put back after.
        pre_migrate.connect(verrou.retirer_avant_migrate, sender=self)
        post_migrate.connect(verrou.installer_apres_migrate, sender=self)
