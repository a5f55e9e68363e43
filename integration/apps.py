from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IntegrationConfig(AppConfig):
    name = "integration"
    verbose_name = "Socle"

    def ready(self):
        from integration.immuable import installer_apres_migrate

        post_migrate.connect(installer_apres_migrate, sender=self)
