"""The database refuses any change to a produced signed document (integration.documents.fige)."""

from django.db import migrations

from integration.documents.fige import VERROU


def installer(apps, schema_editor):
    VERROU.installer(schema_editor.connection)


def retirer(apps, schema_editor):
    VERROU.retirer(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("integration", "0003_document_request")]

    operations = [migrations.RunPython(installer, retirer)]
