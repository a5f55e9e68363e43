"""Load the demo: each app contributes its part, lower layers first."""

from django.core.management.base import BaseCommand
from django.db import transaction

from acteurs import demo as demo_acteurs
from actions import demo as demo_actions
from comites import demo as demo_comites

# Each app's loader, in dependency order: an app's demo may use what the ones before made.
LOADERS = [demo_acteurs.load, demo_actions.load, demo_comites.load]  # comités cite the others


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent : peut être relancée)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for load in LOADERS:
                load(self.stdout)
