from django.db import migrations, models

from integration.text import search_key


def remplir_recherche(apps, schema_editor):
    """Give every existing actor the search key its next save would give it."""
    Acteur = apps.get_model("acteurs", "Acteur")
    lot = []
    for acteur in Acteur.objects.only("pk", "nom", "sigle").iterator(chunk_size=2000):
        acteur.recherche = search_key(f"{acteur.nom} {acteur.sigle}")[:240]
        lot.append(acteur)
        if len(lot) == 2000:
            Acteur.objects.bulk_update(lot, ["recherche"])
            lot = []
    Acteur.objects.bulk_update(lot, ["recherche"])


class Migration(migrations.Migration):
    dependencies = [
        ("acteurs", "0002_perimetres_de_lecture"),
    ]

    operations = [
        migrations.AddField(
            model_name="acteur",
            name="recherche",
            field=models.CharField(db_index=True, default="", editable=False, max_length=240),
        ),
        migrations.RunPython(remplir_recherche, migrations.RunPython.noop),
    ]
