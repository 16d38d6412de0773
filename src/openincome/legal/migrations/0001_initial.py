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
                name='CourtCase',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('case_ref', models.CharField(max_length=50, unique=True)),
                    ('claim_date', models.DateField()),
                    ('hearing_date', models.DateField(blank=True, null=True)),
                    ('outcome', models.CharField(blank=True, choices=[('outright', 'Outright'), ('spo', 'Spo'), ('ppo', 'Ppo'), ('adjourned_on_terms', 'Adjourned on terms'), ('adjourned_generally', 'Adjourned generally'), ('dismissed', 'Dismissed'), ('struck_out', 'Struck out'), ('withdrawn', 'Withdrawn')], max_length=30)),
                    ('outcome_date', models.DateField(blank=True, null=True)),
                    ('possession_date', models.DateField(blank=True, null=True)),
                    ('terms_instalment', models.BigIntegerField(blank=True, help_text='pence', null=True)),
                    ('terms_frequency', models.CharField(blank=True, choices=[('weekly', 'Weekly'), ('fortnightly', 'Fortnightly'), ('four_weekly', 'Four weekly'), ('monthly', 'Monthly')], max_length=20)),
                    ('warrant_date', models.DateField(blank=True, null=True)),
                    ('eviction_date', models.DateField(blank=True, null=True)),
                    ('tenancy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='court_cases', to='ledger.tenancy')),
                ],
                options={
                    'db_table': 'ledger_courtcase',
                },
            ),
            migrations.CreateModel(
                name='HistoricalCourtCase',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('case_ref', models.CharField(db_index=True, max_length=50)),
                    ('claim_date', models.DateField()),
                    ('hearing_date', models.DateField(blank=True, null=True)),
                    ('outcome', models.CharField(blank=True, choices=[('outright', 'Outright'), ('spo', 'Spo'), ('ppo', 'Ppo'), ('adjourned_on_terms', 'Adjourned on terms'), ('adjourned_generally', 'Adjourned generally'), ('dismissed', 'Dismissed'), ('struck_out', 'Struck out'), ('withdrawn', 'Withdrawn')], max_length=30)),
                    ('outcome_date', models.DateField(blank=True, null=True)),
                    ('possession_date', models.DateField(blank=True, null=True)),
                    ('terms_instalment', models.BigIntegerField(blank=True, help_text='pence', null=True)),
                    ('terms_frequency', models.CharField(blank=True, choices=[('weekly', 'Weekly'), ('fortnightly', 'Fortnightly'), ('four_weekly', 'Four weekly'), ('monthly', 'Monthly')], max_length=20)),
                    ('warrant_date', models.DateField(blank=True, null=True)),
                    ('eviction_date', models.DateField(blank=True, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('tenancy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.tenancy')),
                ],
                options={
                    'verbose_name': 'historical court case',
                    'verbose_name_plural': 'historical court cases',
                    'db_table': 'ledger_historicalcourtcase',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalNotice',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('notice_ref', models.CharField(db_index=True, max_length=50)),
                    ('kind', models.CharField(choices=[('nosp_secure', 'Nosp secure'), ('intro_s128', 'Intro s128'), ('section_8', 'Section 8'), ('notice_to_quit', 'Notice to quit')], max_length=20)),
                    ('served_date', models.DateField()),
                    ('earliest_proceedings_date', models.DateField(blank=True, null=True)),
                    ('expiry_date', models.DateField(blank=True, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('tenancy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.tenancy')),
                ],
                options={
                    'verbose_name': 'historical notice',
                    'verbose_name_plural': 'historical notices',
                    'db_table': 'ledger_historicalnotice',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Notice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('notice_ref', models.CharField(max_length=50, unique=True)),
                    ('kind', models.CharField(choices=[('nosp_secure', 'Nosp secure'), ('intro_s128', 'Intro s128'), ('section_8', 'Section 8'), ('notice_to_quit', 'Notice to quit')], max_length=20)),
                    ('served_date', models.DateField()),
                    ('earliest_proceedings_date', models.DateField(blank=True, null=True)),
                    ('expiry_date', models.DateField(blank=True, null=True)),
                    ('tenancy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notices', to='ledger.tenancy')),
                ],
                options={
                    'db_table': 'ledger_notice',
                },
            ),
        ]),
        move_content_types('ledger', 'legal', ['notice', 'historicalnotice', 'courtcase', 'historicalcourtcase']),
    ]
