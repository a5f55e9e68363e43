"""Indexes for the dashboard's coming deadlines: the actions ending, the milestones to reach
(actions.models)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0007_index_axe_ordre"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["date_fin"], name="action_date_fin"),
        ),
        migrations.AddIndex(
            model_name="jalon",
            index=models.Index(
                condition=models.Q(("atteint_le__isnull", True)),
                fields=["date_prevue"],
                name="jalon_a_atteindre",
            ),
        ),
    ]
