"""Once installed the signed feuilles' triggers; they now live outside the migrations.

A signed feuille de route is still locked by the database (`actions.verrou`), with
triggers that `integration.verrou` installs from the current code after every migrate.
Kept, empty, for the migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_transitions_en_ajout_seul"),
    ]

    operations = []
