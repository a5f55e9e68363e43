from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ComitesConfig(AppConfig):
    name = "comites"
    verbose_name = "Comités"

    def ready(self):
        from actions.extensions import ajouter_section
        from comites import journal
        from comites.access import decisions_de_l_action
        from comites.documents import enregistrer_types
        from comites.fige import installer_apres_migrate

        journal.declarer()
        post_migrate.connect(installer_apres_migrate, sender=self)
        ajouter_section(decisions_de_l_action)
        enregistrer_types()
