from django.db import migrations

from openincome.common.appendonly import add_triggers


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [add_triggers("payments_suspensemovement")]
