"""Load the demo: each app contributes its part, in the order settings.DEMO_LOADERS gives."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent : peut être relancée)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for path in settings.DEMO_LOADERS:
                import_string(path)(self.stdout)
