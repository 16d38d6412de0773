"""Install POLICY.md as the first policy version, so reading the policy never writes."""

import datetime

from django.db import migrations


def install(apps, schema_editor):
    from openincome.policy.defaults import DEFAULT_POLICY

    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if PolicyVersion.objects.exists():
        return
    PolicyVersion.objects.create(
        name=DEFAULT_POLICY.name, effective_from=datetime.date(1900, 1, 1),
        params=DEFAULT_POLICY.to_dict(), note="The default policy of POLICY.md",
    )
    AuditEvent.objects.create(
        actor_name="system", action="policy_version_added", object_type="policy",
        object_ref=DEFAULT_POLICY.name, why="default policy installed",
        details={"effective_from": "1900-01-01"},
    )


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial"), ("audit", "0002_auditevent_append_only")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
