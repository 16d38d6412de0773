"""Database triggers refusing TRUNCATE on the transaction and audit tables (PostgreSQL)."""

from django.db import migrations

from openincome.common.appendonly import add_truncate_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0009_action_code_labels"),
        ("audit", "0002_auditevent_append_only"),
    ]
    operations = [
        add_truncate_trigger("ledger_transaction"),
        add_truncate_trigger("audit_auditevent"),
    ]
