"""Reading policy versions (adding one is policy.actions); the default version is POLICY.md."""

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
