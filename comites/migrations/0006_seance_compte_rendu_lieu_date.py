from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comites', '0005_communique_quotation'),
    ]

    operations = [
        migrations.AddField(
            model_name='seance',
            name='compte_rendu_lieu_date',
            field=models.CharField(blank=True, max_length=120, verbose_name='lieu et date du compte rendu'),
        ),
    ]
