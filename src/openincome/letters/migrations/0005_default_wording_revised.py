"""Revised default wording (statement balances owed or in credit, ways to pay as a list,
letter 1 by email with its help paragraphs) for templates no one has edited."""

from django.db import migrations


def refresh(apps, schema_editor):
    from openincome.letters.defaults import refresh_defaults

    refresh_defaults(apps.get_model("letters", "Template"),
                     apps.get_model("letters", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0004_send_job_task")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
