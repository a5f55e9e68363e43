"""The database refuses UPDATE and DELETE on the transition log (actions.circuit_immuable)."""

from django.db import migrations

from actions.circuit_immuable import TRANSITIONS
from integration import immuable


def installer(apps, schema_editor):
    immuable.installer(schema_editor.connection, TRANSITIONS)


def retirer(apps, schema_editor):
    immuable.retirer(schema_editor.connection, TRANSITIONS)


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_publics_par_defaut")]

    operations = [migrations.RunPython(installer, retirer)]
