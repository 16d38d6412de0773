"""Joins the two legal migrations made side by side (the protocol and the court stage)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0003_court_stage"),
        ("legal", "0003_protocol_approvals"),
    ]
    operations = []
