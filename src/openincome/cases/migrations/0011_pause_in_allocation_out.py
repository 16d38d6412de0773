import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from openincome.common.model_moves import move_content_types


class Migration(migrations.Migration):
    """Pauses come to cases from the ledger; patch allocations leave for staff (issue 12)."""

    dependencies = [
        ('cases', '0010_contact_promised_to_pay'),
        ('ledger', '0010_append_only_truncate'),
        ('staff', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Both keep their tables (db_table): only Django's state changes here, no data moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='HistoricalPatchAllocation'),
            migrations.DeleteModel(name='PatchAllocation'),
            migrations.CreateModel(
                name='HistoricalPause',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('reason', models.CharField(choices=[('breathing_space_standard', 'Breathing space standard'), ('breathing_space_mental_health', 'Breathing space mental health'), ('bereavement', 'Bereavement'), ('hospital', 'Hospital'), ('complaint', 'Complaint'), ('dispute', 'Dispute'), ('officer_discretion', 'Officer discretion')], max_length=40)),
                    ('start_date', models.DateField()),
                    ('end_date', models.DateField(blank=True, null=True)),
                    ('note', models.TextField(blank=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('tenancy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.tenancy')),
                ],
                options={
                    'verbose_name': 'historical pause',
                    'verbose_name_plural': 'historical pauses',
                    'db_table': 'ledger_historicalpause',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='Pause',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reason', models.CharField(choices=[('breathing_space_standard', 'Breathing space standard'), ('breathing_space_mental_health', 'Breathing space mental health'), ('bereavement', 'Bereavement'), ('hospital', 'Hospital'), ('complaint', 'Complaint'), ('dispute', 'Dispute'), ('officer_discretion', 'Officer discretion')], max_length=40)),
                    ('start_date', models.DateField()),
                    ('end_date', models.DateField(blank=True, null=True)),
                    ('note', models.TextField(blank=True)),
                    ('tenancy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pauses', to='ledger.tenancy')),
                ],
                options={
                    'db_table': 'ledger_pause',
                },
            ),
            migrations.AddConstraint(
                model_name='pause',
                constraint=models.UniqueConstraint(fields=('tenancy', 'reason', 'start_date'), name='pause_unique_start'),
            ),
        ]),
        move_content_types('ledger', 'cases', ['pause', 'historicalpause']),
    ]
