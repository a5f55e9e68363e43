from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ActeursConfig(AppConfig):
    name = "acteurs"
    verbose_name = "Acteurs"

    def ready(self):
        from acteurs import journal
        from acteurs.reseaux import sync_reseaux

        journal.declarer()
        post_migrate.connect(sync_reseaux, sender=self)
