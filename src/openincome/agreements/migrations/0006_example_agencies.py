"""A starting list of agencies, by kind of service and not by name: the landlord renames them
to its local services and adds its own (`openincome agreement agency NAME`)."""

from django.db import migrations

EXAMPLES = ("Local money advice service", "Local benefits advice service",
            "Tenancy sustainment team", "Safeguarding team (adults or children)",
            "Housing Options", "Community mental-health team")


def add(apps, schema_editor):
    agency = apps.get_model("agreements", "Agency")
    for name in EXAMPLES:
        agency.objects.get_or_create(name=name)


def remove(apps, schema_editor):
    apps.get_model("agreements", "Agency").objects.filter(name__in=EXAMPLES,
                                                          referrals__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("agreements", "0005_referrals")]

    operations = [migrations.RunPython(add, remove)]
