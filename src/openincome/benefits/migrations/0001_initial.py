import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from openincome.common.model_moves import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ledger', '0010_append_only_truncate'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (ledger's migrations made them; db_table keeps their names): only
        # Django's state moves here, no data.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='BenefitClaim',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('claim_ref', models.CharField(max_length=50, unique=True)),
                    ('benefit', models.CharField(choices=[('hb', 'Housing Benefit'), ('uc', 'Universal Credit')], max_length=5)),
                    ('status', models.CharField(choices=[('claimed', 'Claimed'), ('awaiting', 'Awaiting'), ('in_payment', 'In payment'), ('suspended', 'Suspended'), ('ended', 'Ended')], max_length=20)),
                    ('status_date', models.DateField()),
                    ('direct_to_landlord', models.BooleanField(blank=True, null=True)),
                    ('expected_amount', models.BigIntegerField(blank=True, help_text='pence per cycle', null=True)),
                    ('frequency', models.CharField(blank=True, choices=[('weekly', 'Weekly'), ('fortnightly', 'Fortnightly'), ('four_weekly', 'Four weekly'), ('monthly', 'Monthly')], max_length=20)),
                    ('tenancy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='benefit_claims', to='ledger.tenancy')),
                ],
                options={
                    'db_table': 'ledger_benefitclaim',
                },
            ),
            migrations.CreateModel(
                name='HistoricalBenefitClaim',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('claim_ref', models.CharField(db_index=True, max_length=50)),
                    ('benefit', models.CharField(choices=[('hb', 'Housing Benefit'), ('uc', 'Universal Credit')], max_length=5)),
                    ('status', models.CharField(choices=[('claimed', 'Claimed'), ('awaiting', 'Awaiting'), ('in_payment', 'In payment'), ('suspended', 'Suspended'), ('ended', 'Ended')], max_length=20)),
                    ('status_date', models.DateField()),
                    ('direct_to_landlord', models.BooleanField(blank=True, null=True)),
                    ('expected_amount', models.BigIntegerField(blank=True, help_text='pence per cycle', null=True)),
                    ('frequency', models.CharField(blank=True, choices=[('weekly', 'Weekly'), ('fortnightly', 'Fortnightly'), ('four_weekly', 'Four weekly'), ('monthly', 'Monthly')], max_length=20)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('tenancy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.tenancy')),
                ],
                options={
                    'verbose_name': 'historical benefit claim',
                    'verbose_name_plural': 'historical benefit claims',
                    'db_table': 'ledger_historicalbenefitclaim',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
        ]),
        move_content_types('ledger', 'benefits', ['benefitclaim', 'historicalbenefitclaim']),
    ]
