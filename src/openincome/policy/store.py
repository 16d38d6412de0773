"""Reading and adding policy versions; the default version is POLICY.md."""

import datetime

from django.db import transaction

from openincome.audit.log import record

from .defaults import DEFAULT_POLICY
from .models import PolicyVersion
from .params import PolicyParams

# The default policy applies to all history unless a landlord dates a version otherwise.
DEFAULT_FROM = datetime.date(1900, 1, 1)


def ensure_default() -> None:
    """Store POLICY.md as the first version when the database has none."""
    if not PolicyVersion.objects.exists():
        with transaction.atomic():
            PolicyVersion.objects.create(
                name=DEFAULT_POLICY.name, effective_from=DEFAULT_FROM,
                params=DEFAULT_POLICY.to_dict(), note="The default policy of POLICY.md",
            )
            record("policy_version_added", object_type="policy", object_ref=DEFAULT_POLICY.name,
                   why="default policy installed", details={"effective_from": str(DEFAULT_FROM)})


def version_in_force(as_of: datetime.date) -> PolicyVersion:
    """The policy version in force on as_of (the latest starting on or before it)."""
    ensure_default()
    version = PolicyVersion.objects.filter(effective_from__lte=as_of).order_by(
        "-effective_from"
    ).first()
    return version or PolicyVersion.objects.order_by("effective_from").first()


def params_in_force(as_of: datetime.date) -> PolicyParams:
    """The parameters in force on as_of, completed from the default for any key a version lacks."""
    return PolicyParams.from_dict(version_in_force(as_of).params, fill_from=DEFAULT_POLICY)


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
    with transaction.atomic():
        user = actor if getattr(actor, "pk", None) else None
        version = PolicyVersion.objects.create(
            name=params.name, effective_from=effective_from, params=after, note=note,
            created_by=user,
        )
        record("policy_version_added", actor=actor, object_type="policy", object_ref=params.name,
               why=note, details={"effective_from": str(effective_from), "changed": changed})
    return version
