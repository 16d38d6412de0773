import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from openincome.common.model_moves import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0010_contact_promised_to_pay'),
        ('ledger', '0010_append_only_truncate'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist (cases' migrations made them; db_table keeps their names): only
        # Django's state moves here, no data.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='HistoricalPatchAllocation',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('patch', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.patch')),
                    ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical patch allocation',
                    'verbose_name_plural': 'historical patch allocations',
                    'db_table': 'cases_historicalpatchallocation',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='PatchAllocation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('patch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='allocations', to='ledger.patch')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='patch_allocations', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'cases_patchallocation',
                    'constraints': [models.UniqueConstraint(fields=('user', 'patch'), name='allocation_unique')],
                },
            ),
        ]),
        move_content_types('cases', 'staff', ['patchallocation', 'historicalpatchallocation']),
    ]
