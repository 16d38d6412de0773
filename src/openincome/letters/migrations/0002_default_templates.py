"""The default templates (letters.defaults), at version 1."""

from django.db import migrations


def load(apps, schema_editor):
    from openincome.letters.defaults import load_defaults

    load_defaults(apps.get_model("letters", "Template"),
                  apps.get_model("letters", "TemplateVersion"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
