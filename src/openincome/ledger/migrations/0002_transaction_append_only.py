"""Database triggers refusing UPDATE and DELETE on the transaction table."""

from django.db import migrations

from openincome.common.appendonly import add_triggers


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [add_triggers("ledger_transaction")]
