"""Reading a claim's story: each step dated, and the status known on a date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from openincome.ledger.models import Tenancy

from .models import BenefitClaim


@dataclass
class Step:
    """One step of a claim's story."""

    status: str
    date: datetime.date
    by: str
    note: str = ""
    dates: dict = field(default_factory=dict)


@dataclass
class Story:
    """A claim, its steps in date order, and the step in force on the as-of date."""

    claim: BenefitClaim
    steps: list[Step]
    known: Step | None


def _steps(claim: BenefitClaim) -> list[Step]:
    """The recorded events; then any status the claim's history or row holds that no event
    tells (imported claims, and changes before the story was kept), as "recorded"."""
    steps = [Step(e.status, e.date, _who(e.recorded_by), e.note,
                  {k: getattr(e, k) for k in ("claim_made", "decision_date",
                                              "entitlement_start", "expected_first_payment")})
             for e in claim.events.select_related("recorded_by")]
    told = {(s.status, s.date) for s in steps}
    older = list(claim.history.values_list("status", "status_date"))
    for status, date in [*older, (claim.status, claim.status_date)]:
        if (status, date) not in told:
            told.add((status, date))
            steps.append(Step(status, date, "recorded before the story was kept"))
    return sorted(steps, key=lambda s: s.date)


def _who(user) -> str:
    if user is None:
        return "by import or command line"
    return f"by {user.get_full_name() or user.get_username()}"


def _story(claim: BenefitClaim, as_of: datetime.date) -> Story:
    steps = _steps(claim)
    known = [s for s in steps if s.date <= as_of]
    return Story(claim, steps, known[-1] if known else None)


def claim_story(claim_ref: str, as_of: datetime.date) -> Story | None:
    """One claim's story and its status known on `as_of`, or None for an unknown reference."""
    claim = BenefitClaim.objects.select_related("tenancy").filter(claim_ref=claim_ref).first()
    return None if claim is None else _story(claim, as_of)


def claim_stories(tenancy: Tenancy, as_of: datetime.date) -> list[Story]:
    """Every claim of a tenancy with its story, the latest-known first."""
    stories = [_story(c, as_of) for c in tenancy.benefit_claims.all()]
    return sorted(stories, key=lambda s: (s.known is None, -(s.known.date.toordinal()
                                                              if s.known else 0)))


def on_universal_credit(tenancy: OuterRef, as_of: datetime.date) -> Exists:
    """The worklist's "UC" flag: the tenancy has a Universal Credit claim made, awaiting a
    decision or in payment."""
    return Exists(BenefitClaim.objects.filter(
        tenancy=tenancy, benefit="uc", status__in=("claimed", "awaiting", "in_payment")))
