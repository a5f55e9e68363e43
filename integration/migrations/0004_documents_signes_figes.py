"""Once installed the signed documents' triggers; they now live outside the migrations.

A produced signed document is still locked by the database
(`integration.documents.verrou`), with triggers that `integration.verrou` installs from
the current code after every migrate. Kept, empty, for the migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("integration", "0003_document_request")]

    operations = []
