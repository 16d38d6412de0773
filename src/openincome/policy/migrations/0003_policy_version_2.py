"""POLICY.md version 2: versions stored under version 1 keep behaving as version 1, and
version 2 applies from the day this migration runs, so past worklists keep their decisions."""

import datetime

from django.db import migrations


def upgrade(apps, schema_editor):
    from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1

    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    v1 = POLICY_V1.to_dict()
    upgraded = []
    for version in PolicyVersion.objects.order_by("effective_from"):
        # A version stored before version 2 lacks its parameters: it was made on version 1.
        missing = [key for key in v1 if key not in version.params]
        if not missing:
            continue
        params = dict(version.params)
        for key in missing:
            params[key] = v1[key]
        params["priority_weights"] = {**v1["priority_weights"], **params["priority_weights"]}
        version.params = params
        version.save(update_fields=["params"])
        upgraded.append(str(version.effective_from))
    if not upgraded:
        return  # a new database starts on version 2 (0002 installed it)
    today = datetime.date.today()
    if PolicyVersion.objects.filter(effective_from__gte=today).exists():
        # A landlord has already dated a version from today or later: theirs stands.
        return
    PolicyVersion.objects.create(
        name=DEFAULT_POLICY.name, effective_from=today, params=DEFAULT_POLICY.to_dict(),
        note="POLICY.md version 2 (installed by the upgrade; earlier dates keep version 1)",
    )
    AuditEvent.objects.create(
        actor_name="system", action="policy_version_added", object_type="policy",
        object_ref=DEFAULT_POLICY.name, why="POLICY.md version 2 installed by the upgrade",
        details={"effective_from": str(today), "kept_as_version_1": upgraded},
    )


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_default_policy")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
