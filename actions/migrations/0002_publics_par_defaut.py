from django.db import migrations

# As in actions.models.PUBLICS_PAR_DEFAUT when this migration was written.
PUBLICS = [
    ("primo-arrivants", "Primo-arrivants"),
    ("bpi", "Bénéficiaires de la protection internationale (BPI)"),
    ("femmes", "Femmes"),
    ("jeunes", "Jeunes"),
    ("protection-temporaire", "Bénéficiaires de la protection temporaire"),
    ("familles", "Familles"),
    ("seniors", "Personnes âgées"),
]


def creer_publics(apps, schema_editor):
    PublicCible = apps.get_model("actions", "PublicCible")
    for ordre, (code, libelle) in enumerate(PUBLICS, 1):
        PublicCible.objects.update_or_create(
            code=code, defaults={"libelle": libelle, "ordre": ordre}
        )


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_plan_d_actions")]

    operations = [migrations.RunPython(creer_publics, migrations.RunPython.noop)]
