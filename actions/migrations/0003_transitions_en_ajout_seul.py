"""Once installed the transition log's triggers; they now live outside the migrations.

The database still refuses UPDATE and DELETE on the transition log, with triggers that
`integration.verrou` installs from the current code after every migrate (a migration that
ran today's trigger code met yesterday's schema). Kept, empty, for the migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_publics_par_defaut")]

    operations = []
