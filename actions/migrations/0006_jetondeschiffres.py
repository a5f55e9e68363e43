"""The version of each département's plan figures kept in the cache (actions.agregats).

Every département present gets one, so that its figures are cached from the start."""

import secrets

import django.db.models.deletion
from django.db import migrations, models


def jetons_initiaux(apps, schema_editor):
    Departement = apps.get_model("acteurs", "Departement")
    JetonDesChiffres = apps.get_model("actions", "JetonDesChiffres")
    JetonDesChiffres.objects.bulk_create(
        JetonDesChiffres(departement_id=pk, jeton=secrets.randbits(62))
        for pk in Departement.objects.values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("acteurs", "0007_departement_site_web"),
        ("actions", "0005_feuille_signee_qualite"),
    ]

    operations = [
        migrations.CreateModel(
            name="JetonDesChiffres",
            fields=[
                (
                    "departement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="acteurs.departement",
                    ),
                ),
                ("jeton", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(jetons_initiaux, migrations.RunPython.noop),
    ]
