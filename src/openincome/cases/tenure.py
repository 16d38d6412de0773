"""A tenancy's tenure at a date: a trial tenure becomes settled at its trial end (POLICY.md §1)."""

from __future__ import annotations

import datetime

from openincome.ledger.models import Tenancy
from openincome.ledger.rent_calendar import add_months
from openincome.ledger.vocab import label
from openincome.policy.params import PolicyParams


def trial_end(tenancy: Tenancy, policy: PolicyParams) -> datetime.date | None:
    """The day a trial tenure ends (recorded, else start + trial_months); None otherwise."""
    if tenancy.tenure not in policy.trial_conversions:
        return None
    return tenancy.trial_end_date or add_months(tenancy.start_date, policy.trial_months)


def tenure_at(tenancy: Tenancy, as_of: datetime.date, policy: PolicyParams) -> str:
    """The tenure in force on `as_of`."""
    ends = trial_end(tenancy, policy)
    if ends is not None and ends <= as_of:
        return policy.trial_conversions[tenancy.tenure]
    return tenancy.tenure


def tenure_sentence(tenancy: Tenancy, as_of: datetime.date, policy: PolicyParams) -> str:
    """'Introductory until 7 Apr 2026, now secure', 'Introductory until 7 Apr 2027', 'Secure'."""
    ends = trial_end(tenancy, policy)
    name = label(tenancy.tenure)
    if ends is None:
        return name
    when = f"{ends.day} {ends:%b %Y}"
    if ends <= as_of:
        now = label(policy.trial_conversions[tenancy.tenure])
        return f"{name} until {when}, now {now.lower()}"
    return f"{name} until {when}"
