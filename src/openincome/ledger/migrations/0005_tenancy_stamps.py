"""Per-tenancy input versions (TenancyStamp) and the triggers that bump them."""

import django.db.models.deletion
from django.db import migrations, models

from openincome.ledger.stamp_triggers import add_triggers


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_plain_english_labels")]
    operations = [
        migrations.CreateModel(
            name="TenancyStamp",
            fields=[
                (
                    "tenancy",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stamp",
                        serialize=False,
                        to="ledger.tenancy",
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        add_triggers(),
    ]
