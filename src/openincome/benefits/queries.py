"""Reading a claim's story: each step dated, and the status known on a date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef

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


# --- the benefits work: what is due, awaited and followed on a date ---------------------------

# The credit that shows a request is paid: a managed payment comes as UC paid direct, a
# deduction for arrears as a third-party deduction.
PAID_AS = {"apa": "uc_direct", "tpd": "tpd"}


def _first_paid(kind: str, as_of: datetime.date):
    """A subquery: the first credit of the request's kind on its tenancy from the request
    to `as_of`."""
    from django.db.models import Min, Subquery

    from openincome.ledger.models import Transaction

    return Subquery(
        Transaction.objects.filter(
            tenancy=OuterRef("claim__tenancy"), type=PAID_AS[kind],
            date__gte=OuterRef("requested_date"), date__lte=as_of)
        .values("tenancy").annotate(first=Min("date")).values("first")[:1])


@dataclass
class RequestState:
    """An APA or deduction request as it stood on a date."""

    request: object
    status: str  # requested, accepted, in_payment, refused, ended
    since: datetime.date
    first_paid: datetime.date | None
    chase: bool

    @property
    def status_label(self) -> str:
        return {"requested": "Requested", "accepted": "Accepted", "in_payment": "In payment",
                "refused": "Refused", "ended": "Ended"}[self.status]


def request_state(req, as_of: datetime.date, first_paid: datetime.date | None,
                  chase_weeks: int) -> RequestState:
    """The request's status on `as_of` from its dated steps and the first payment; a chase
    when it was asked `chase_weeks` ago or more and is neither paid nor refused."""
    steps = [("requested", req.requested_date), ("accepted", req.accepted_date),
             ("in_payment", first_paid), ("refused", req.refused_date),
             ("ended", req.ended_date)]
    known = [(d, i, s) for i, (s, d) in enumerate(steps) if d is not None and d <= as_of]
    date, _, status = max(known) if known else (req.requested_date, 0, "requested")
    chase = (status in ("requested", "accepted")
             and req.requested_date <= as_of - datetime.timedelta(weeks=chase_weeks))
    return RequestState(req, status, date, first_paid, chase)


def payment_requests(as_of: datetime.date, chase_weeks: int, *, tenancy=None,
                     open_only: bool = False) -> list[RequestState]:
    """Every APA and deduction request (of a tenancy) as it stood on `as_of`; `open_only`
    keeps those not yet paid, refused or ended."""
    from django.db.models import Case, When

    from .models import PaymentRequest

    qs = PaymentRequest.objects.filter(requested_date__lte=as_of).select_related(
        "claim__tenancy__property").annotate(first_paid=Case(
            *(When(kind=k, then=_first_paid(k, as_of)) for k in PAID_AS)))
    if tenancy is not None:
        qs = qs.filter(claim__tenancy=tenancy)
    states = [request_state(r, as_of, r.first_paid, chase_weeks) for r in qs]
    if open_only:
        states = [s for s in states if s.status in ("requested", "accepted")]
    return states


def open_verifications(as_of: datetime.date, tenancy=None):
    """Verification requests received by `as_of` and not answered by then, the soonest due
    first."""
    from django.db.models import Q

    from .models import Verification

    qs = Verification.objects.filter(received_date__lte=as_of).filter(
        Q(answered_date__isnull=True) | Q(answered_date__gt=as_of)).select_related(
        "claim__tenancy__property").order_by("due_date", "pk")
    return qs if tenancy is None else qs.filter(claim__tenancy=tenancy)


@dataclass
class Milestone:
    """One point of a new UC claim's first year."""

    what: str
    date: datetime.date
    passed: bool


@dataclass
class FirstYear:
    """A new Universal Credit claim followed through its first year, with the next prompt."""

    claim: BenefitClaim
    claim_made: datetime.date
    milestones: list[Milestone]
    prompt: str


def _add_months(day: datetime.date, months: int) -> datetime.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


_PROMPTS = {
    "Assessment period ends": "Check the tenant has reported their housing costs in their "
                              "journal and that we have verified them",
    "First payment expected": "Check the first payment arrived and the rent was paid from it",
    "Advance repaid": "The advance is repaid: check the tenant's payments now cover the rent",
    "First year ends": "The first year ends: review the case and stop tracking it",
}


def first_year(claim: BenefitClaim, as_of: datetime.date, policy) -> FirstYear | None:
    """A UC claim's first-year tracker on `as_of`, or None when it is not a new claim then."""
    events = [e for e in claim.events.all() if e.date <= as_of]
    made = min((e.claim_made for e in events if e.claim_made), default=None)
    if made is None:
        made = min((e.date for e in events if e.status == "claimed"), default=None)
    if claim.benefit != "uc" or made is None or made > as_of \
            or (as_of - made).days > policy.uc_first_year_days:
        return None
    expected = max((e.expected_first_payment for e in events if e.expected_first_payment),
                   default=made + datetime.timedelta(days=policy.uc_first_payment_days))
    points = [("Claim made", made),
              ("Assessment period ends", _add_months(made, 1) - datetime.timedelta(days=1)),
              ("First payment expected", expected)]
    for adv in claim.advances.all():
        if adv.date <= as_of:
            points.append(("Advance taken", adv.date))
            points.append(("Advance repaid", _add_months(adv.date, adv.repayment_months)))
    points.append(("First year ends", made + datetime.timedelta(days=policy.uc_first_year_days)))
    points.sort(key=lambda p: p[1])
    milestones = [Milestone(what, date, date <= as_of) for what, date in points]
    upcoming = [m for m in milestones if not m.passed and m.what in _PROMPTS]
    prompt = (f"{_PROMPTS[upcoming[0].what]} ({upcoming[0].what.lower()} "
              f"{upcoming[0].date:%-d %b %Y})" if upcoming else "")
    return FirstYear(claim, made, milestones, prompt)


def first_year_claims(as_of: datetime.date, policy) -> list[FirstYear]:
    """Every UC claim in its first year on `as_of`, the most recent claim first."""
    since = as_of - datetime.timedelta(days=policy.uc_first_year_days)
    from django.db.models import Q

    claims = BenefitClaim.objects.filter(benefit="uc").filter(
        Q(events__claim_made__gte=since) | Q(events__status="claimed", events__date__gte=since)
    ).distinct().select_related("tenancy__property").prefetch_related("events", "advances")
    found = [fy for c in claims if (fy := first_year(c, as_of, policy)) is not None]
    return sorted(found, key=lambda f: f.claim_made, reverse=True)


def dhp_awaiting(as_of: datetime.date, tenancy=None):
    """DHP applications made by `as_of` with no decision then (or a refusal under review)."""
    from django.db.models import Q

    from .models import DHPApplication

    qs = DHPApplication.objects.filter(applied_date__lte=as_of).filter(
        Q(decision="") | Q(decision_date__gt=as_of)
        | Q(decision="refusal", review_requested_date__lte=as_of,
            decision_date__lt=F("review_requested_date"))
    ).select_related("tenancy__property").order_by("applied_date", "pk")
    return qs if tenancy is None else qs.filter(tenancy=tenancy)


def claim_follow_ups(as_of: datetime.date):
    """Claims whose latest chase asks for a follow-up on or before `as_of`."""
    from .models import ClaimChase

    latest: dict[int, object] = {}
    for chase in ClaimChase.objects.filter(date__lte=as_of).select_related(
            "claim__tenancy__property").order_by("date", "pk"):
        latest[chase.claim_id] = chase
    return sorted((c for c in latest.values()
                   if c.follow_up_date is not None and c.follow_up_date <= as_of),
                  key=lambda c: c.follow_up_date)


@dataclass
class Happening:
    """One dated line of the account's benefits timeline."""

    date: datetime.date
    title: str
    detail: str = ""


def _pounds(pence: int | None) -> str:
    return "" if pence is None else f"£{pence / 100:,.2f}"


@dataclass
class AccountWork:
    """A tenancy's benefits work as it stood on a date, for its account page."""

    verifications: list
    requests: list[RequestState]
    first_years: list[FirstYear]
    dhp: list
    overpayments: list
    circumstances: list
    fraud_referrals: list
    timeline: list[Happening]


def account_work(tenancy: Tenancy, as_of: datetime.date, policy) -> AccountWork:
    """Everything of the benefits work on one account known on `as_of`, and its timeline
    (latest first)."""
    from .models import Circumstance, DHPApplication, FraudReferral, HBOverpayment, Verification

    claims = list(tenancy.benefit_claims.prefetch_related("events", "advances", "chases"))
    verifications = list(Verification.objects.filter(claim__tenancy=tenancy,
                                                     received_date__lte=as_of)
                         .select_related("claim"))
    requests = payment_requests(as_of, policy.benefit_request_chase_weeks, tenancy=tenancy)
    dhp = list(DHPApplication.objects.filter(tenancy=tenancy, applied_date__lte=as_of))
    overpayments = list(HBOverpayment.objects.filter(tenancy=tenancy,
                                                     recovered_date__lte=as_of))
    circumstances = list(Circumstance.objects.filter(tenancy=tenancy, start_date__lte=as_of))
    frauds = list(FraudReferral.objects.filter(tenancy=tenancy, date__lte=as_of))
    lines: list[Happening] = []
    for v in verifications:
        lines.append(Happening(v.received_date, "Verification request received",
                               f"{v.claim.claim_ref}, due {v.due_date:%-d %b %Y}"))
        if v.answered_date and v.answered_date <= as_of:
            lines.append(Happening(v.answered_date, "Verification answered", v.answer))
    for s in requests:
        r = s.request
        kind = r.get_kind_display()
        lines.append(Happening(r.requested_date, f"{kind} requested", _pounds(r.amount)))
        for step, date in (("accepted", r.accepted_date), ("refused", r.refused_date),
                           ("ended", r.ended_date), ("in payment", s.first_paid)):
            if date is not None and date <= as_of:
                lines.append(Happening(date, f"{kind} {step}"))
    for c in claims:
        for a in c.advances.all():
            if a.date <= as_of:
                lines.append(Happening(a.date, "UC advance", f"{_pounds(a.amount)}, repaid "
                                                             f"over {a.repayment_months} months"))
        for ch in c.chases.all():
            if ch.date <= as_of:
                follow = (f" Follow up {ch.follow_up_date:%-d %b %Y}." if ch.follow_up_date
                          else "")
                lines.append(Happening(ch.date, f"Claim {c.claim_ref} chased",
                                       f"{ch.note}{follow}"))
    for a in dhp:
        lines.append(Happening(a.applied_date, "DHP application",
                               " ".join(x for x in (_pounds(a.amount_asked), a.reason) if x)))
        if a.decision and a.decision_date and a.decision_date <= as_of:
            detail = (f"{_pounds(a.award_amount)} for {a.period_start:%-d %b %Y} to "
                      f"{a.period_end:%-d %b %Y}" if a.decision == "award" else "")
            lines.append(Happening(a.decision_date, f"DHP {a.get_decision_display().lower()}",
                                   detail))
        if a.review_requested_date and a.review_requested_date <= as_of:
            lines.append(Happening(a.review_requested_date, "DHP review requested"))
    for o in overpayments:
        lines.append(Happening(o.recovered_date, "HB overpayment recovered from us",
                               f"{_pounds(o.amount)} for {o.period_start:%-d %b %Y} to "
                               f"{o.period_end:%-d %b %Y}"))
    for c in circumstances:
        lines.append(Happening(c.start_date, c.get_kind_display(), c.note))
    for f in frauds:
        lines.append(Happening(f.date, "Suspected-fraud referral"))
    lines.sort(key=lambda h: h.date, reverse=True)
    firsts = [fy for c in claims if (fy := first_year(c, as_of, policy)) is not None]
    return AccountWork(verifications, requests, firsts, dhp, overpayments, circumstances,
                       frauds, lines)


def circumstances_in_force(tenancy: Tenancy, on: datetime.date) -> list:
    """The circumstances changing what the tenant can pay in force on a date (for the I&E)."""
    from django.db.models import Q

    from .models import Circumstance

    return list(Circumstance.objects.filter(tenancy=tenancy, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)))
