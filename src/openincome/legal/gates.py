"""The gates of the legal steps (issue 16 item 5), one named function each.

A gate returns None when the step may go ahead, or the reason it may not, in words an officer
reads. The actions check them after the tenancy lock and before anything is computed or
written, so the web pages, the command line and any API are equally bound; a refusal names its
gate (`GateRefused.gate`) and says why.
"""

from __future__ import annotations

import datetime

from openincome.benefits.models import BenefitClaim
from openincome.cases.models import Pause
from openincome.cases.queries import pause_is_active
from openincome.cases.tenure import tenure_at
from openincome.common.dates import uk_date
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.vocab import NOTICE_KINDS, label
from openincome.policy.params import SERVICE_METHODS
from openincome.policy.store import params_in_force

from .models import Approval, Assessment, Checklist, CourtCase, Notice
from .queries import dates_for, terms_breached

# Gate names, as a refusal shows them.
GATES = {
    "breathing_space": "No notice, claim or warrant while a Breathing Space runs",
    "dates": "No notice whose dates would be invalid",
    "tenure": "No notice of a kind that does not fit the tenure",
    "checklist": "No notice or claim without a complete pre-action checklist",
    "proportionality": "No escalation without a proportionality and equality assessment",
    "approval": "No escalation without a team leader's or manager's approval",
    "notice": "No claim without a valid notice whose proceedings date has been reached",
    "benefit_pending": "No claim while a benefit claim is pending",
    "order": "No warrant without a breached possession order",
}
ESCALATION_WORDS = {"serve_notice": "serving a notice", "apply_for_court": "applying to court",
                    "apply_for_warrant": "applying for a warrant"}
# Benefit statuses that mean a decision is still awaited (reference §3: no claim meanwhile).
PENDING_BENEFIT = ("claimed", "awaiting")
# Orders a warrant can enforce, and those whose terms the engine monitors as an agreement.
ORDERS = ("outright", "spo", "ppo")


class GateRefused(ValueError):
    """An action refused by one of its gates (nothing was written)."""

    def __init__(self, gate: str, why: str) -> None:
        self.gate = gate
        self.why = why
        super().__init__(f"{GATES[gate]}: {why}")


def uk(day: datetime.date) -> str:
    """A date as people read it: 4 December 2026."""
    return uk_date(day, long=True)


_d = uk


def breathing_space(tenancy: Tenancy, on: datetime.date) -> str | None:
    """A Breathing Space running on the day (a notice or claim then is void, reference §5)."""
    policy = params_in_force(on)
    reasons = (policy.breathing_space_standard_reason, policy.breathing_space_mental_health_reason)
    for pause in Pause.objects.filter(tenancy=tenancy, reason__in=reasons, start_date__lte=on):
        if pause_is_active(pause, on):
            return f"a {label(pause.reason).lower()} started on {_d(pause.start_date)} and " \
                   f"runs on {_d(on)}"
    return None


def notice_dates_valid(tenancy: Tenancy, *, kind: str, served: datetime.date, method: str,
                       as_of: datetime.date) -> str | None:
    """The notice's kind, method and served date make sense for the tenancy."""
    if kind not in NOTICE_KINDS:
        return f"'{kind}' is not a notice kind"
    if method not in SERVICE_METHODS:
        return f"'{method}' is not a service method"
    if served > as_of:
        return f"served on {_d(served)}, after today ({_d(as_of)}): record a notice once it " \
               "has been served"
    if served < tenancy.start_date or (tenancy.end_date and served >= tenancy.end_date):
        return f"the tenancy was not running on {_d(served)}"
    return None


def tenure_fits(tenancy: Tenancy, *, kind: str, served: datetime.date) -> str | None:
    """The notice is the kind the policy serves for the tenure on the day."""
    policy = params_in_force(served)
    tenure = tenure_at(tenancy, served, policy)
    fits = policy.notice_kind_for_tenure(tenure)
    if kind != fits:
        should = f"it takes a {label(fits).lower()}" if fits else "the policy gives it none"
        return f"the tenancy is {label(tenure).lower()} on {_d(served)}: {should}"
    return None


def checklist_for(tenancy: Tenancy, on: datetime.date,
                  notice: Notice | None) -> Checklist | None:
    """The checklist a step on `on` relies on: completed within the policy's days, and for a
    claim on or after the notice was served (the protocol runs again after the notice)."""
    days = params_in_force(on).pre_action_checklist_valid_days
    found = Checklist.objects.filter(tenancy=tenancy, completed_date__lte=on,
                                     completed_date__gte=on - datetime.timedelta(days=days))
    if notice is not None:
        found = found.filter(completed_date__gte=notice.served_date)
    return found.order_by("-completed_date", "-pk").first()


def imported_checklist_for(tenancy: Tenancy, on: datetime.date,
                           notice: Notice | None) -> RecordedAction | None:
    """A `pre_action_checklist_complete` action from the landlord's imported history (no
    checklist of Open Income's behind it), in the same window as checklist_for. The engine
    counts it as the checklist done (POLICY.md §3), so the claim gate does too."""
    days = params_in_force(on).pre_action_checklist_valid_days
    found = (RecordedAction.objects.filter(
        tenancy=tenancy, code="pre_action_checklist_complete", date__lte=on,
        date__gte=on - datetime.timedelta(days=days))
        .exclude(date__in=Checklist.objects.filter(tenancy=tenancy)
                 .values("completed_date")))
    if notice is not None:
        found = found.filter(date__gte=notice.served_date)
    return found.order_by("-date", "-pk").first()


def checklist_complete(tenancy: Tenancy, on: datetime.date,
                       notice: Notice | None = None) -> str | None:
    """A pre-action checklist completed recently enough (after the notice, for a claim): one
    recorded here, or one the landlord's imported history records."""
    if checklist_for(tenancy, on, notice) is not None:
        return None
    if imported_checklist_for(tenancy, on, notice) is not None:
        return None
    days = params_in_force(on).pre_action_checklist_valid_days
    after = f" on or after the notice served on {_d(notice.served_date)}" if notice else ""
    return f"none completed in the {days} days to {_d(on)}{after}"


def assessment_for(tenancy: Tenancy, escalation: str, on: datetime.date) -> Assessment | None:
    """The latest proportionality assessment for the escalation within the policy's days."""
    days = params_in_force(on).proportionality_valid_days
    return (Assessment.objects.filter(tenancy=tenancy, escalation=escalation,
                                      assessed_date__lte=on,
                                      assessed_date__gte=on - datetime.timedelta(days=days))
            .order_by("-assessed_date", "-pk").first())


def proportionality_assessed(tenancy: Tenancy, escalation: str,
                             on: datetime.date) -> str | None:
    """A proportionality assessment for this escalation, recent, concluding it proportionate."""
    assessment = assessment_for(tenancy, escalation, on)
    days = params_in_force(on).proportionality_valid_days
    if assessment is None:
        return f"none for {ESCALATION_WORDS[escalation]} in the {days} days to {_d(on)}"
    if not assessment.proportionate:
        return f"the assessment of {_d(assessment.assessed_date)} found " \
               f"{ESCALATION_WORDS[escalation]} not proportionate"
    return None


def approval_for(tenancy: Tenancy, escalation: str, on: datetime.date) -> Approval | None:
    """An approved, unused approval of the escalation decided within the policy's days."""
    days = params_in_force(on).legal_approval_valid_days
    return (Approval.objects.filter(tenancy=tenancy, escalation=escalation, status="approved",
                                    decided_date__lte=on,
                                    decided_date__gte=on - datetime.timedelta(days=days))
            .order_by("-decided_date", "-pk").first())


def approved(tenancy: Tenancy, escalation: str, on: datetime.date) -> str | None:
    """An approval under delegated authority, not yet used, recent enough."""
    if approval_for(tenancy, escalation, on) is not None:
        return None
    days = params_in_force(on).legal_approval_valid_days
    waiting = Approval.objects.filter(tenancy=tenancy, escalation=escalation,
                                      status="pending").exists()
    more = ": a request is waiting for a decision" if waiting else ": request one"
    return f"none for {ESCALATION_WORDS[escalation]} in the {days} days to {_d(on)}{more}"


def notice_window(notice: Notice) -> tuple[datetime.date, datetime.date]:
    """A notice's earliest proceedings and expiry dates; an imported notice without them gets
    the policy's (POLICY.md §6, its served date taken as deemed service), as the engine does."""
    if notice.earliest_proceedings_date and notice.expiry_date:
        return notice.earliest_proceedings_date, notice.expiry_date
    dates = dates_for(notice.tenancy, kind=notice.kind, served=notice.served_date,
                      method="hand")
    return (notice.earliest_proceedings_date or dates.earliest_proceedings.date,
            notice.expiry_date or dates.expiry.date)


def notice_for_claim(tenancy: Tenancy, on: datetime.date) -> Notice | None:
    """The latest notice a claim on `on` can rely on: proceedings date reached, not expired."""
    for notice in Notice.objects.filter(tenancy=tenancy, served_date__lte=on).order_by(
            "-served_date", "-pk"):
        first, expiry = notice_window(notice)
        if first <= on <= expiry:
            return notice
    return None


def latest_notice(tenancy: Tenancy, on: datetime.date) -> Notice | None:
    """The latest notice served on or before `on`."""
    return Notice.objects.filter(tenancy=tenancy, served_date__lte=on).order_by(
        "-served_date", "-pk").first()


def notice_valid(tenancy: Tenancy, on: datetime.date) -> str | None:
    """A notice served whose earliest proceedings date has come and which has not expired."""
    if notice_for_claim(tenancy, on) is not None:
        return None
    latest = latest_notice(tenancy, on)
    if latest is None:
        return "no notice has been served"
    first, expiry = notice_window(latest)
    if first > on:
        return f"the notice served on {_d(latest.served_date)} allows proceedings from " \
               f"{_d(first)}"
    return f"the notice served on {_d(latest.served_date)} expired on {_d(expiry)}"


def no_benefit_pending(tenancy: Tenancy, on: datetime.date) -> str | None:
    """No Housing Benefit or Universal Credit claim awaiting a decision."""
    for claim in BenefitClaim.objects.filter(tenancy=tenancy, status__in=PENDING_BENEFIT,
                                             status_date__lte=on):
        return f"the {label(claim.benefit)} claim is {label(claim.status).lower()} since " \
               f"{_d(claim.status_date)}"
    return None


def order_breached(case: CourtCase | None, on: datetime.date,
                   terms_breached: bool) -> str | None:
    """A possession order that can be enforced: outright with its date passed, or suspended
    or postponed with its terms broken (a postponed order needs a possession date fixed).
    `terms_breached` is the engine's finding on the order's terms (POLICY.md §3.8, §4)."""
    if case is None:
        return "there is no court case"
    if case.outcome not in ORDERS:
        return "the court has made no possession order" if not case.outcome else \
            f"the court's outcome was {label(case.outcome).lower()}"
    if case.outcome == "ppo" and case.possession_date is None:
        return "a postponed order needs a possession date fixed by the court first"
    if case.possession_date and case.possession_date > on:
        return f"the possession date is {_d(case.possession_date)}"
    if case.outcome in ("spo", "ppo") and not terms_breached:
        return "the tenant is keeping to the order's terms"
    return None


def latest_case(tenancy: Tenancy) -> CourtCase | None:
    """The tenancy's latest court case (the one a warrant would enforce)."""
    return CourtCase.objects.filter(tenancy=tenancy).order_by("-claim_date", "-pk").first()


def order_enforceable(tenancy: Tenancy, on: datetime.date) -> str | None:
    """The latest court case has an order a warrant can enforce on `on` (order_breached);
    the engine is asked about a suspended or postponed order's terms only."""
    case = latest_case(tenancy)
    broken = case is not None and case.outcome in ("spo", "ppo") and terms_breached(tenancy, on)
    return order_breached(case, on, broken)


def needs(tenancy: Tenancy, escalation: str, on: datetime.date) -> list[tuple[str, str | None]]:
    """What an escalation on `on` needs, gate by gate: (the gate's words, why it would refuse
    or None), for a page to show before the officer asks (a notice's own date and tenure
    gates are shown with its dates)."""
    rows: list[tuple[str, str | None]] = [("breathing_space", breathing_space(tenancy, on))]
    notice = None
    if escalation == "apply_for_court":
        notice = notice_for_claim(tenancy, on)
        rows += [("benefit_pending", no_benefit_pending(tenancy, on)),
                 ("notice", notice_valid(tenancy, on))]
    if escalation == "apply_for_warrant":
        rows.append(("order", order_enforceable(tenancy, on)))
    else:
        rows.append(("checklist", checklist_complete(tenancy, on, notice)))
    rows += [("proportionality", proportionality_assessed(tenancy, escalation, on)),
             ("approval", approved(tenancy, escalation, on))]
    return [(GATES[gate], why) for gate, why in rows]
