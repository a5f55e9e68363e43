from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comites', '0006_seance_compte_rendu_lieu_date'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='communique',
            options={'ordering': ['seance', 'genre', '-version'], 'verbose_name': 'communiqué de presse'},
        ),
        migrations.RemoveConstraint(
            model_name='communique',
            name='communique_version_unique',
        ),
        migrations.AddField(
            model_name='communique',
            name='genre',
            field=models.CharField(choices=[('communique', 'Communiqué de presse'), ('avis_medias', 'Avis aux médias')], default='communique', max_length=20),
        ),
        migrations.AddField(
            model_name='communique',
            name='acces_presse',
            field=models.TextField(blank=True, verbose_name='accès de la presse'),
        ),
        migrations.AddConstraint(
            model_name='communique',
            constraint=models.UniqueConstraint(fields=('seance', 'genre', 'version'), name='communique_version_unique_par_genre'),
        ),
        migrations.AddConstraint(
            model_name='communique',
            constraint=models.CheckConstraint(condition=models.Q(('genre', 'communique'), models.Q(('acces_presse', ''), _negated=True), _connector='OR'), name='avis_medias_acces_presse'),
        ),
    ]
