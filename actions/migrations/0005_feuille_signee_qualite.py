"""The signer's qualité, printed under the signature of a feuille de route.

No trigger is in the way: `integration.verrou` lifts them all before migrate and puts
them back after."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_gel_des_feuilles_signees"),
    ]

    operations = [
        migrations.AddField(
            model_name="feuillederoute",
            name="signee_qualite",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="qualité du signataire"
            ),
        ),
    ]
