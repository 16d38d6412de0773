"""Database triggers refusing UPDATE and DELETE on the audit table."""

from django.db import migrations

from openincome.common.appendonly import add_triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [add_triggers("audit_auditevent")]
