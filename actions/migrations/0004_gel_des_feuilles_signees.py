"""The database refuses changes to a signed feuille de route's content (actions.verrou)."""

from django.db import migrations

from actions.verrou import VERROU


def installer(apps, schema_editor):
    VERROU.installer(schema_editor.connection)


def retirer(apps, schema_editor):
    VERROU.retirer(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_transitions_en_ajout_seul"),
    ]

    operations = [migrations.RunPython(installer, retirer)]
