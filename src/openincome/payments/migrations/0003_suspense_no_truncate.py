from django.db import migrations

from openincome.common.appendonly import add_truncate_trigger


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_suspense_append_only")]

    operations = [add_truncate_trigger("payments_suspensemovement")]
