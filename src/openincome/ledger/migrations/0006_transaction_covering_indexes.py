from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0005_tenancy_stamps"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="transaction", name="tx_tenancy_date"),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(
                fields=["tenancy", "date"], include=["type", "amount"],
                name="tx_tenancy_date_covering",
            ),
        ),
        migrations.AddIndex(
            model_name="transaction",
            index=models.Index(
                fields=["date"], include=["tenancy", "type", "amount"], name="tx_date_covering"
            ),
        ),
    ]
