"""What changes a benefit claim, in the actions convention of cases.actions: one durable
transaction under the tenancy's lock, an audit row, and the freshness hook.

A claim's story is kept as dated events (ClaimEvent): each status with the dates that matter,
who recorded it and why. The claim row holds the latest status, as the interchange's
benefits.csv does.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from openincome.audit.log import record
from openincome.ledger.freshness import touched
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.vocab import BENEFIT_STATUSES

from .models import BenefitClaim, ClaimEvent

# The dates an event may carry beside the day of its status, in words.
EVENT_DATES = {"claim_made": "claim made", "decision_date": "decision",
               "entitlement_start": "entitlement start",
               "expected_first_payment": "expected first payment"}
_KEPT = ("benefit", "status", "status_date", "direct_to_landlord", "expected_amount",
         "frequency")


class ClaimElsewhere(ValueError):
    """The claim reference is another tenancy's claim."""


def date_problem(date: datetime.date, dates: dict[str, datetime.date | None],
                 claim_made: datetime.date | None) -> str | None:
    """Why these dates cannot stand together (a decision before the claim was made, ...)."""
    made = dates.get("claim_made") or claim_made
    if made is not None:
        # (Entitlement may start before the claim: a backdated claim.)
        for key in ("decision_date", "expected_first_payment"):
            if dates.get(key) is not None and dates[key] < made:
                return f"The {EVENT_DATES[key]} date cannot be before the claim was made"
        if date < made:
            return "The status cannot date from before the claim was made"
    decided = dates.get("decision_date")
    if decided is not None and dates.get("expected_first_payment") is not None \
            and dates["expected_first_payment"] < decided:
        return "The expected first payment cannot be before the decision"
    return None


def _claim_made(claim: BenefitClaim) -> datetime.date | None:
    """When the claim was made, as its story first says."""
    return (claim.events.exclude(claim_made=None).order_by("date", "pk")
            .values_list("claim_made", flat=True).first())


def _add_event(claim: BenefitClaim, user, *, status: str, date: datetime.date, note: str,
               dates: dict) -> ClaimEvent:
    """Append a step to the claim's story and move its latest status on when it is the latest
    (a step told late, dated before the latest, joins the story and leaves the latest alone)."""
    if status not in BENEFIT_STATUSES:
        raise ValueError(f"unknown claim status '{status}'")
    if problem := date_problem(date, dates, _claim_made(claim) if claim.pk else None):
        raise ValueError(problem)
    event = ClaimEvent.objects.create(
        claim=claim, status=status, date=date, note=note,
        recorded_by=user if getattr(user, "pk", None) else None,
        **{k: dates.get(k) for k in EVENT_DATES})
    if date >= claim.status_date:
        claim.status, claim.status_date = status, date
        claim.save(update_fields=["status", "status_date"])
    return event


def record_claim_status(
    claim_ref: str, user, *, status: str, date: datetime.date, note: str,
    as_of: datetime.date, **dates: datetime.date | None,
) -> ClaimEvent:
    """Record a claim's status from a date, with any of the dates that matter (EVENT_DATES),
    audited; the case is classified again once it commits."""
    unknown = set(dates) - set(EVENT_DATES)
    if unknown:
        raise TypeError(f"unknown dates: {', '.join(sorted(unknown))}")
    claim = BenefitClaim.objects.filter(claim_ref=claim_ref).select_related("tenancy").first()
    if claim is None:
        raise ValueError(f"no claim with reference '{claim_ref}'")
    with transaction.atomic(durable=True):
        lock_tenancy(claim.tenancy_id)
        claim = BenefitClaim.objects.select_for_update().get(pk=claim.pk)
        before = (claim.status, claim.status_date)
        event = _add_event(claim, user, status=status, date=date, note=note, dates=dates)
        record("benefit_status_recorded", actor=user, object_type="benefit_claim",
               object_ref=claim.claim_ref, why=note,
               details={"tenancy": claim.tenancy.tenancy_ref, "status": status,
                        "date": str(date), "before": [before[0], str(before[1])],
                        **{k: str(v) for k, v in dates.items() if v is not None}})
        touched([claim.tenancy_id], as_of)
    return event


def update_benefit(
    tenancy: Tenancy, user, *, claim_ref: str, benefit: str,
    status: str, status_date: datetime.date, direct_to_landlord: bool | None,
    expected_amount: int | None, frequency: str, apa_requested: bool, note: str,
    as_of: datetime.date,
) -> BenefitClaim:
    """Create or update the tenancy's claim with this reference (a new status joins its
    story), audited; ClaimElsewhere when the reference is another tenancy's claim."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        claim = BenefitClaim.objects.select_for_update().filter(claim_ref=claim_ref).first()
        if claim is not None and claim.tenancy_id != tenancy.pk:
            raise ClaimElsewhere("This claim reference belongs to another tenancy")
        before = None
        if claim is None:
            claim = BenefitClaim(tenancy=tenancy, claim_ref=claim_ref, status=status,
                                 status_date=status_date)
        else:
            before = {f: str(getattr(claim, f)) for f in _KEPT}
        new_status = before is None or (claim.status, claim.status_date) != (status, status_date)
        claim.benefit = benefit
        claim.direct_to_landlord = direct_to_landlord
        claim.expected_amount = expected_amount
        claim.frequency = frequency
        claim.save()
        if new_status:
            _add_event(claim, user, status=status, date=status_date, note=note, dates={})
        after = {f: str(getattr(claim, f)) for f in _KEPT}
        if apa_requested:
            RecordedAction.objects.create(tenancy=tenancy, date=status_date,
                                          code="apa_requested", note=note)
        record("benefit_updated", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=note,
               details={"claim_ref": claim.claim_ref, "before": before, "after": after,
                        "apa_requested": apa_requested})
        touched([tenancy.pk], as_of)
    return claim
