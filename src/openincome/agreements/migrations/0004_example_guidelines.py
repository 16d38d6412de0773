"""Ship an EXAMPLE guideline table so the form works out of the box. These are made-up round
numbers, NOT the Standard Financial Statement's figures (those are licensed): a landlord loads
its own table (`openincome agreement guidelines FILE --from DATE`), which takes over from its
date."""

import datetime

from django.db import migrations

# category -> (one adult, each further adult, each child), monthly pence. Invented.
EXAMPLE = {
    "communications": (6_000, 2_000, 1_000),
    "food": (30_000, 15_000, 10_000),
    "personal": (6_000, 4_000, 4_000),
    "travel": (10_000, 5_000, 2_000),
}


def add_example(apps, schema_editor):
    table_model = apps.get_model("agreements", "GuidelineTable")
    figure_model = apps.get_model("agreements", "GuidelineFigure")
    table = table_model.objects.create(
        name="EXAMPLE guidelines (not SFS figures: load your own)",
        effective_from=datetime.date(2000, 1, 1), is_example=True,
        note="Made-up figures shipped with Open Income so the form works. Replace them with "
             "the licensed Standard Financial Statement figures.")
    figure_model.objects.bulk_create(
        figure_model(table=table, category=category, adults=adults, children=children,
                     monthly=one + extra * (adults - 1) + child * children)
        for category, (one, extra, child) in EXAMPLE.items()
        for adults in (1, 2, 3) for children in (0, 1, 2, 3, 4)
    )


def remove_example(apps, schema_editor):
    apps.get_model("agreements", "GuidelineTable").objects.filter(is_example=True).delete()


class Migration(migrations.Migration):

    dependencies = [("agreements", "0003_income_expenditure")]

    operations = [migrations.RunPython(add_example, remove_example)]
