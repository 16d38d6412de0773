# The engine reads a claim's story (benefits_claimevent): a step told late bumps its tenancy's
# input version, so the stamp triggers are installed on the table.

from django.db import migrations

from openincome.ledger.stamp_triggers import add_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0002_claim_events'),
    ]

    operations = [
        add_triggers(),
    ]
