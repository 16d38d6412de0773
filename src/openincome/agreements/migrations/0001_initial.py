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
                name='Agreement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('agreement_ref', models.CharField(max_length=50, unique=True)),
                    ('kind', models.CharField(choices=[('informal', 'Informal')], max_length=20)),
                    ('start_date', models.DateField()),
                    ('starting_balance', models.BigIntegerField(help_text='pence')),
                    ('instalment', models.BigIntegerField(help_text='pence per period')),
                    ('frequency', models.CharField(choices=[('weekly', 'Weekly'), ('fortnightly', 'Fortnightly'), ('four_weekly', 'Four weekly'), ('monthly', 'Monthly')], max_length=20)),
                    ('status', models.CharField(choices=[('live', 'Live'), ('cancelled', 'Cancelled'), ('completed', 'Completed')], max_length=20)),
                    ('tenancy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='ledger.tenancy')),
                ],
                options={
                    'db_table': 'ledger_agreement',
                },
            ),
            migrations.CreateModel(
                name='HistoricalAgreement',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('agreement_ref', models.CharField(db_index=True, max_length=50)),
                    ('kind', models.CharField(choices=[('informal', 'Informal')], max_length=20)),
                    ('start_date', models.DateField()),
                    ('starting_balance', models.BigIntegerField(help_text='pence')),
                    ('instalment', models.BigIntegerField(help_text='pence per period')),
                    ('frequency', models.CharField(choices=[('weekly', 'Weekly'), ('fortnightly', 'Fortnightly'), ('four_weekly', 'Four weekly'), ('monthly', 'Monthly')], max_length=20)),
                    ('status', models.CharField(choices=[('live', 'Live'), ('cancelled', 'Cancelled'), ('completed', 'Completed')], max_length=20)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('tenancy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.tenancy')),
                ],
                options={
                    'verbose_name': 'historical agreement',
                    'verbose_name_plural': 'historical agreements',
                    'db_table': 'ledger_historicalagreement',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
        ]),
        move_content_types('ledger', 'agreements', ['agreement', 'historicalagreement']),
    ]
