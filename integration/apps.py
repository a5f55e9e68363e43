from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class IntegrationConfig(AppConfig):
    name = "integration"
    verbose_name = "Socle"

    def ready(self):
        from integration import (
            checks,  # noqa: F401 - its system checks register on import
            choix_de_modeles,
            verrou,
        )
        from integration.documents.verrou import VERROU as DOCUMENTS_SIGNES

        choix_de_modeles.installer()  # an id over 2^63 is a wrong choice, not a 500
        verrou.declarer(verrou.JOURNAL)
        verrou.declarer(DOCUMENTS_SIGNES)
        # Triggers live outside the migrations: lifted before them, put back after.
        pre_migrate.connect(verrou.retirer_avant_migrate, sender=self)
        post_migrate.connect(verrou.installer_apres_migrate, sender=self)
