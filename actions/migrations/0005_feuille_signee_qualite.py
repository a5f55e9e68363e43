"""The signer's qualité, printed under the signature of a feuille de route.

SQLite adds this column by rebuilding the feuilles' table, and refuses to while the freeze
triggers of the other tables (axes, actions…) name it: they are lifted around the change
and put back (actions.verrou), on PostgreSQL too, where it is harmless."""

from django.db import migrations, models

from actions.verrou import VERROU


def installer(apps, schema_editor):
    VERROU.installer(schema_editor.connection)


def retirer(apps, schema_editor):
    VERROU.retirer(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_gel_des_feuilles_signees"),
    ]

    operations = [
        migrations.RunPython(retirer, installer),
        migrations.AddField(
            model_name="feuillederoute",
            name="signee_qualite",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="qualité du signataire"
            ),
        ),
        migrations.RunPython(installer, retirer),
    ]
