"""An index on the axes' order, which the actions list sorts by first (actions.models.Axe)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0006_jetondeschiffres"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="axe",
            index=models.Index(fields=["ordre"], name="axe_ordre"),
        ),
    ]
