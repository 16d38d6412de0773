"""What changes a benefit claim, in the actions convention of cases.actions: one durable
transaction under the tenancy's lock, an audit row, and the freshness hook.

A claim's story is kept as dated events (ClaimEvent): each status with the dates that matter,
who recorded it and why. The claim row holds the latest status, as the interchange's
benefits.csv does.

The benefits work around a claim follows the same convention: UC verification requests,
managed payments (APA) and third-party deductions, UC advances, chasing a claim,
Discretionary Housing Payments, Housing Benefit overpayments recovered from the landlord,
circumstances that change what a tenant can pay, and fraud referrals. Bad input (dates out of
order, a step without its request, an amount that is not money) is refused with a ValueError
naming the problem, before anything is written.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from django.db import transaction

from openincome.audit.log import record
from openincome.ledger.freshness import touched
from openincome.ledger.limits import amount_problem
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import RecordedAction, Tenancy, Transaction
from openincome.ledger.vocab import BENEFIT_STATUSES

from .models import (
    CIRCUMSTANCE_KINDS,
    DHP_DECISIONS,
    FRAUD_BODIES,
    PAYMENT_REQUEST_KINDS,
    BenefitClaim,
    Circumstance,
    ClaimChase,
    ClaimEvent,
    DHPApplication,
    FraudReferral,
    HBOverpayment,
    PaymentRequest,
    UCAdvance,
    Verification,
)

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


def _who(user):
    return user if getattr(user, "pk", None) else None


@contextmanager
def _acting(tenancy_id: int, as_of: datetime.date):
    """One durable transaction under the tenancy's lock; the case is classified again once
    it commits."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy_id)
        yield
        touched([tenancy_id], as_of)


def _money(pence: int | None, what: str, *, required: bool = False) -> None:
    if pence is None:
        if required:
            raise ValueError(f"Enter the {what}")
        return
    if not isinstance(pence, int) or isinstance(pence, bool):
        raise ValueError(f"The {what} must be an amount of money")
    if pence <= 0:
        raise ValueError(f"The {what} must be more than £0.00")
    if problem := amount_problem(pence):
        raise ValueError(f"The {what}: {problem}")


def _not_before(later: datetime.date | None, earlier: datetime.date, message: str) -> None:
    if later is not None and later < earlier:
        raise ValueError(message)


def _claim(claim_ref: str, *, uc: bool = False) -> BenefitClaim:
    claim = BenefitClaim.objects.select_related("tenancy").filter(claim_ref=claim_ref).first()
    if claim is None:
        raise ValueError(f"No claim with reference '{claim_ref}'")
    if uc and claim.benefit != "uc":
        raise ValueError("This is for a Universal Credit claim")
    return claim


def _audit(action: str, user, tenancy: Tenancy, why: str = "", **details) -> None:
    record(action, actor=user, object_type="tenancy", object_ref=tenancy.tenancy_ref, why=why,
           details={k: (str(v) if isinstance(v, datetime.date) else v)
                    for k, v in details.items()})


# --- Universal Credit: verification requests ----------------------------------------------


def record_verification(claim_ref: str, user, *, received: datetime.date, due: datetime.date,
                        note: str, as_of: datetime.date) -> Verification:
    """A housing-cost verification request from DWP, open until answered."""
    claim = _claim(claim_ref, uc=True)
    _not_before(due, received, "The due date cannot be before the request was received")
    with _acting(claim.tenancy_id, as_of):
        if Verification.objects.filter(claim=claim, received_date=received).exists():
            raise ValueError("A request received that day is already recorded for this claim")
        v = Verification.objects.create(claim=claim, received_date=received, due_date=due,
                                        note=note, recorded_by=_who(user))
        _audit("uc_verification_recorded", user, claim.tenancy, note, claim_ref=claim_ref,
               received=received, due=due)
    return v


def answer_verification(verification: Verification, user, *, answered: datetime.date,
                        answer: str, as_of: datetime.date) -> Verification:
    """Record that a verification request was answered, and what DWP was told."""
    claim = verification.claim
    with _acting(claim.tenancy_id, as_of):
        v = Verification.objects.select_for_update().get(pk=verification.pk)
        if v.answered_date is not None:
            raise ValueError("This request was already answered")
        _not_before(answered, v.received_date,
                    "The answer cannot be dated before the request was received")
        v.answered_date, v.answer = answered, answer
        v.save(update_fields=["answered_date", "answer"])
        _audit("uc_verification_answered", user, claim.tenancy, answer,
               claim_ref=claim.claim_ref, answered=answered, late=answered > v.due_date)
    return v


# --- managed payments (APA) and third-party deductions ------------------------------------


def request_payment(claim_ref: str, user, *, kind: str, requested: datetime.date,
                    amount: int | None, note: str, as_of: datetime.date) -> PaymentRequest:
    """Ask DWP for a managed payment (APA) or a deduction for arrears; an APA request is also
    the ladder's `apa_requested` (POLICY.md §5), so the engine stops proposing one."""
    if kind not in PAYMENT_REQUEST_KINDS:
        raise ValueError(f"unknown request kind '{kind}'")
    claim = _claim(claim_ref, uc=True)
    _money(amount, "amount a month")
    with _acting(claim.tenancy_id, as_of):
        if PaymentRequest.objects.filter(claim=claim, kind=kind,
                                         requested_date=requested).exists():
            raise ValueError("This request is already recorded for that day")
        req = PaymentRequest.objects.create(claim=claim, kind=kind, requested_date=requested,
                                            amount=amount, note=note, recorded_by=_who(user))
        if kind == "apa":
            RecordedAction.objects.create(tenancy=claim.tenancy, date=requested,
                                          code="apa_requested", note=note)
        _audit(f"{kind}_requested", user, claim.tenancy, note, claim_ref=claim_ref,
               requested=requested, amount=amount)
    return req


_STEPS = {"accepted": "accepted_date", "refused": "refused_date", "ended": "ended_date"}


def payment_request_step(request: PaymentRequest, user, *, step: str, date: datetime.date,
                         note: str, as_of: datetime.date) -> PaymentRequest:
    """DWP accepted or refused the request, or the arrangement ended."""
    if step not in _STEPS:
        raise ValueError(f"unknown step '{step}'")
    claim = request.claim
    with _acting(claim.tenancy_id, as_of):
        req = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        _not_before(date, req.requested_date, "A step cannot be dated before the request")
        if getattr(req, _STEPS[step]) is not None:
            raise ValueError(f"The request is already {step}")
        if step == "accepted" and req.refused_date is not None:
            raise ValueError("The request was refused: make a new request")
        if step == "refused" and req.accepted_date is not None:
            raise ValueError("The request was accepted: record that it ended instead")
        setattr(req, _STEPS[step], date)
        if note:
            req.note = f"{req.note}\n{note}".strip()
        req.save()
        _audit(f"{req.kind}_{step}", user, claim.tenancy, note, claim_ref=claim.claim_ref,
               date=date)
    return req


def record_advance(claim_ref: str, user, *, date: datetime.date, amount: int,
                   repayment_months: int, note: str, as_of: datetime.date) -> UCAdvance:
    """An advance of Universal Credit, repaid over some months from later payments."""
    claim = _claim(claim_ref, uc=True)
    _money(amount, "advance", required=True)
    if not 1 <= repayment_months <= 60:
        raise ValueError("The repayment months must be from 1 to 60")
    with _acting(claim.tenancy_id, as_of):
        adv = UCAdvance.objects.create(claim=claim, date=date, amount=amount,
                                       repayment_months=repayment_months, note=note,
                                       recorded_by=_who(user))
        _audit("uc_advance_recorded", user, claim.tenancy, note, claim_ref=claim_ref,
               date=date, amount=amount, repayment_months=repayment_months)
    return adv


def chase_claim(claim_ref: str, user, *, date: datetime.date,
                follow_up: datetime.date | None, note: str,
                as_of: datetime.date) -> ClaimChase:
    """A chase of a claim, and when to follow it up."""
    claim = _claim(claim_ref)
    _not_before(follow_up, date, "The follow-up date cannot be before the chase")
    with _acting(claim.tenancy_id, as_of):
        chase = ClaimChase.objects.create(claim=claim, date=date, follow_up_date=follow_up,
                                          note=note, recorded_by=_who(user))
        _audit("benefit_claim_chased", user, claim.tenancy, note, claim_ref=claim_ref,
               date=date, follow_up=follow_up)
    return chase


# --- Discretionary Housing Payments ---------------------------------------------------------


def apply_dhp(tenancy: Tenancy, user, *, applied: datetime.date, amount_asked: int | None,
              reason: str, evidence: str, as_of: datetime.date) -> DHPApplication:
    """A DHP application made to the council."""
    _money(amount_asked, "amount asked")
    if not reason.strip():
        raise ValueError("Enter the reason for the application")
    with _acting(tenancy.pk, as_of):
        if DHPApplication.objects.filter(tenancy=tenancy, applied_date=applied).exists():
            raise ValueError("An application made that day is already recorded")
        app = DHPApplication.objects.create(tenancy=tenancy, applied_date=applied,
                                            amount_asked=amount_asked, reason=reason,
                                            evidence=evidence, recorded_by=_who(user))
        _audit("dhp_applied", user, tenancy, reason, application=app.pk, applied=applied,
               amount_asked=amount_asked)
    return app


def decide_dhp(application: DHPApplication, user, *, decision: str, date: datetime.date,
               award_amount: int | None = None, period_start: datetime.date | None = None,
               period_end: datetime.date | None = None, post_award: bool = False,
               as_of: datetime.date) -> DHPApplication:
    """The council's decision; an award may be posted by hand as a `dhp` credit (when no
    schedule import brings it)."""
    if decision not in DHP_DECISIONS:
        raise ValueError(f"unknown decision '{decision}'")
    if decision == "award":
        _money(award_amount, "amount awarded", required=True)
        if period_start is None or period_end is None:
            raise ValueError("Enter the period the award covers")
        _not_before(period_end, period_start, "The award period cannot end before it starts")
    elif post_award or award_amount:
        raise ValueError("A refusal has no award to post")
    tenancy = application.tenancy
    with _acting(tenancy.pk, as_of):
        app = DHPApplication.objects.select_for_update().get(pk=application.pk)
        _not_before(date, app.applied_date, "The decision cannot be before the application")
        if app.decision and not (app.decision == "refusal" and app.review_requested_date):
            raise ValueError("This application is already decided")
        app.decision, app.decision_date = decision, date
        app.award_amount, app.period_start, app.period_end = (award_amount, period_start,
                                                              period_end)
        app.save()
        if decision == "award" and post_award:
            Transaction.objects.create(
                transaction_ref=f"DHP-{app.pk}", tenancy=tenancy, date=date, type="dhp",
                amount=-award_amount, period_start=period_start,
                description="Discretionary Housing Payment award, recorded by hand")
        _audit("dhp_decided", user, tenancy, decision, application=app.pk, decision=decision,
               date=date, award_amount=award_amount, period_start=period_start,
               period_end=period_end, posted=post_award)
    return app


def request_dhp_review(application: DHPApplication, user, *, date: datetime.date, note: str,
                       as_of: datetime.date) -> DHPApplication:
    """Ask the council to review a refusal (the application awaits a decision again)."""
    tenancy = application.tenancy
    with _acting(tenancy.pk, as_of):
        app = DHPApplication.objects.select_for_update().get(pk=application.pk)
        if app.decision != "refusal":
            raise ValueError("Only a refusal can be reviewed")
        _not_before(date, app.decision_date, "The review cannot be before the refusal")
        app.review_requested_date = date
        app.save(update_fields=["review_requested_date"])
        _audit("dhp_review_requested", user, tenancy, note, application=app.pk, date=date)
    return app


# --- Housing Benefit overpayments recovered from the landlord -------------------------------


def record_hb_overpayment(tenancy: Tenancy, user, *, recovered: datetime.date,
                          period_start: datetime.date, period_end: datetime.date, amount: int,
                          claim_ref: str = "", tenant_position: str = "",
                          as_of: datetime.date) -> HBOverpayment:
    """The council recovered an HB overpayment from us for a period the tenant was blameless:
    the recovery is posted as a debit (append-only) and kept as its own debt."""
    _money(amount, "amount recovered", required=True)
    _not_before(period_end, period_start, "The period cannot end before it starts")
    _not_before(recovered, period_start, "The recovery cannot be before the period it covers")
    claim = _claim(claim_ref) if claim_ref else None
    if claim is not None and claim.tenancy_id != tenancy.pk:
        raise ValueError("This claim reference belongs to another tenancy")
    with _acting(tenancy.pk, as_of):
        n = HBOverpayment.objects.count() + 1
        ref = f"HBOP-{tenancy.tenancy_ref}-{n}"
        Transaction.objects.create(
            transaction_ref=ref, tenancy=tenancy, date=recovered, type="adjustment_debit",
            amount=amount, period_start=period_start,
            description=(f"Housing Benefit overpayment recovered by the council "
                         f"({period_start:%-d %b %Y} to {period_end:%-d %b %Y})"))
        op = HBOverpayment.objects.create(
            tenancy=tenancy, claim=claim, recovered_date=recovered, period_start=period_start,
            period_end=period_end, amount=amount, transaction_ref=ref,
            tenant_position=tenant_position, recorded_by=_who(user))
        _audit("hb_overpayment_posted", user, tenancy, "recovered from the landlord",
               transaction_ref=ref, amount=amount, period_start=period_start,
               period_end=period_end)
    return op


def record_tenant_position(overpayment: HBOverpayment, user, *, position: str,
                           as_of: datetime.date) -> HBOverpayment:
    """What the tenant says about an overpayment recovered from us (disputes, appeal, ...)."""
    with _acting(overpayment.tenancy_id, as_of):
        op = HBOverpayment.objects.select_for_update().get(pk=overpayment.pk)
        op.tenant_position = position
        op.save(update_fields=["tenant_position"])
        _audit("hb_overpayment_position", user, op.tenancy, "tenant's position recorded",
               transaction_ref=op.transaction_ref)
    return op


# --- circumstances and fraud referrals ------------------------------------------------------


def record_circumstance(tenancy: Tenancy, user, *, kind: str, start: datetime.date,
                        end: datetime.date | None, amount: int | None, bedrooms: int | None,
                        note: str, as_of: datetime.date) -> Circumstance:
    """A benefit cap, under-occupancy deduction, non-dependant deduction or sanction."""
    if kind not in CIRCUMSTANCE_KINDS:
        raise ValueError(f"unknown circumstance '{kind}'")
    _money(amount, "amount a month")
    _not_before(end, start, "The end date cannot be before the start")
    if kind == "under_occupancy" and not bedrooms:
        raise ValueError("Enter the number of spare bedrooms")
    with _acting(tenancy.pk, as_of):
        c = Circumstance.objects.create(tenancy=tenancy, kind=kind, start_date=start,
                                        end_date=end, amount=amount, bedrooms=bedrooms,
                                        note=note, recorded_by=_who(user))
        _audit("circumstance_recorded", user, tenancy, note, kind=kind, start=start, end=end,
               amount=amount, bedrooms=bedrooms)
    return c


def refer_fraud(tenancy: Tenancy, user, *, referred_to: str, date: datetime.date, detail: str,
                as_of: datetime.date) -> FraudReferral:
    """A suspected-fraud referral; the audit row keeps the fact, never the detail."""
    if referred_to not in FRAUD_BODIES:
        raise ValueError(f"unknown body '{referred_to}'")
    if not detail.strip():
        raise ValueError("Enter what was referred")
    with _acting(tenancy.pk, as_of):
        ref = FraudReferral.objects.create(tenancy=tenancy, referred_to=referred_to, date=date,
                                           detail=detail, recorded_by=_who(user))
        _audit("fraud_referral_recorded", user, tenancy, "", referred_to=referred_to, date=date)
    return ref
