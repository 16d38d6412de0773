from django.db import migrations


class Migration(migrations.Migration):
    """Agreements, notices, court cases, benefit claims and pauses leave the ledger for the apps
    that own their behaviour (agreements, legal, benefits, cases; issue 12)."""

    dependencies = [
        ('ledger', '0010_append_only_truncate'),
        ('agreements', '0001_initial'),
        ('legal', '0001_initial'),
        ('benefits', '0001_initial'),
        ('cases', '0011_pause_in_allocation_out'),
    ]

    operations = [
        # The tables stay where they are, now the new apps' (db_table): only the state moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='Agreement'),
            migrations.DeleteModel(name='HistoricalAgreement'),
            migrations.DeleteModel(name='Notice'),
            migrations.DeleteModel(name='HistoricalNotice'),
            migrations.DeleteModel(name='CourtCase'),
            migrations.DeleteModel(name='HistoricalCourtCase'),
            migrations.DeleteModel(name='BenefitClaim'),
            migrations.DeleteModel(name='HistoricalBenefitClaim'),
            migrations.DeleteModel(name='Pause'),
            migrations.DeleteModel(name='HistoricalPause'),
        ]),
    ]
