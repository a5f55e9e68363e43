from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IntegrationConfig(AppConfig):
    name = "integration"
    verbose_name = "Socle"

    def ready(self):
        from integration import (
            checks,  # noqa: F401 - its system checks register on import
            immuable,
        )
        from integration.documents.fige import VERROU
        from integration.immuable import installer_apres_migrate

        immuable.declarer(VERROU)  # reinstalled after every migrate (SQLite rebuilds tables)
        post_migrate.connect(installer_apres_migrate, sender=self)
