"""What changes the policy: a dated version added, audited with what differs from before."""

import datetime

from django.db import transaction

from openincome.audit.log import record

from .models import PolicyVersion
from .params import PolicyParams
from .store import ensure_default, params_in_force


def add_version(
    params: PolicyParams, effective_from: datetime.date, actor=None, note: str = ""
) -> PolicyVersion:
    """Add a dated version (validated by PolicyParams), audited with what differs from before."""
    ensure_default()
    if PolicyVersion.objects.filter(effective_from=effective_from).exists():
        raise ValueError(f"a policy version already starts on {effective_from}")
    before = params_in_force(effective_from).to_dict()
    after = params.to_dict()
    changed = {k: {"old": before.get(k), "new": v} for k, v in after.items() if before.get(k) != v}
    with transaction.atomic(durable=True):
        user = actor if getattr(actor, "pk", None) else None
        version = PolicyVersion.objects.create(
            name=params.name, effective_from=effective_from, params=after, note=note,
            created_by=user,
        )
        record("policy_version_added", actor=actor, object_type="policy", object_ref=params.name,
               why=note, details={"effective_from": str(effective_from), "changed": changed})
    return version
