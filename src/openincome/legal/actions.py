"""What an officer does on the legal side, in the actions convention of cases/actions.py
(one durable transaction, the tenancy lock, an audit row, the freshness hook).

Gates (issue 16 item 5) are checked in the action, after the lock and before anything is
computed or written, so the web page, the command line and any API are equally bound; a
refusal names its gate (legal/gates.py). Serving a notice, applying to court and applying for
a warrant need a pre-action checklist (not the warrant), a proportionality assessment and an
approval under delegated authority; the approval is used up by the step it allowed.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction

from openincome.audit.log import record
from openincome.ledger.freshness import touched
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import label
from openincome.policy.params import LEGAL_ESCALATIONS
from openincome.policy.store import params_in_force
from openincome.staff.roles import roles_of

from . import gates
from .gates import GATES, GateRefused
from .models import Approval, Assessment, Checklist, ChecklistStep, CourtCase, Notice
from .protocol import STEPS, evidence_for
from .queries import arrears_at, dates_for

# GATES and GateRefused are re-exported: callers catch a refusal from the actions module.
__all__ = [
    "GATES", "GateRefused", "LegalError", "apply_for_court", "apply_for_warrant",
    "approval_limit", "claim_gates", "complete_checklist", "decide_approval", "notice_gates",
    "protocol_gates", "record_assessment", "request_approval", "serve_notice", "use_approval",
    "warrant_gates",
]


def _check(*refusals: tuple[str, str | None]) -> None:
    """Raise GateRefused for the first gate that gave a reason."""
    for gate, why in refusals:
        if why:
            raise GateRefused(gate, why)


def notice_gates(tenancy: Tenancy, *, kind: str, served: datetime.date, method: str,
                 as_of: datetime.date) -> None:
    """Raise GateRefused for the first gate a notice served so would break (the protocol's
    gates last, so a page checking the dates first hears about the dates)."""
    _check(("breathing_space", gates.breathing_space(tenancy, served)))
    _check(("dates", gates.notice_dates_valid(tenancy, kind=kind, served=served,
                                              method=method, as_of=as_of)))
    _check(("tenure", gates.tenure_fits(tenancy, kind=kind, served=served)))


def protocol_gates(tenancy: Tenancy, escalation: str, on: datetime.date,
                   notice: Notice | None = None) -> None:
    """The checklist (notice and claim only), proportionality and approval gates."""
    if escalation != "apply_for_warrant":
        _check(("checklist", gates.checklist_complete(tenancy, on, notice)))
    _check(("proportionality", gates.proportionality_assessed(tenancy, escalation, on)),
           ("approval", gates.approved(tenancy, escalation, on)))


def use_approval(tenancy: Tenancy, escalation: str, on: datetime.date, ref: str) -> Approval:
    """Mark the approval a step on `on` relies on used by it (inside the step's transaction)."""
    approval = gates.approval_for(tenancy, escalation, on)
    approval.status, approval.used_for = "used", ref
    approval.save(update_fields=["status", "used_for"])
    return approval


def serve_notice(tenancy: Tenancy, user, *, kind: str, served: datetime.date, method: str,
                 as_of: datetime.date) -> Notice:
    """Record a notice served, with its dates computed by POLICY.md §6 (gates first)."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        tenancy.refresh_from_db()
        notice_gates(tenancy, kind=kind, served=served, method=method, as_of=as_of)
        protocol_gates(tenancy, "serve_notice", served)
        dates = dates_for(tenancy, kind=kind, served=served, method=method)
        notice = Notice.objects.create(
            notice_ref=f"NTC-{uuid.uuid4().hex[:12].upper()}", tenancy=tenancy, kind=kind,
            served_date=served, method=method,
            deemed_service_date=dates.deemed_service.date,
            earliest_proceedings_date=dates.earliest_proceedings.date,
            expiry_date=dates.expiry.date,
        )
        approval = use_approval(tenancy, "serve_notice", served, notice.notice_ref)
        record("notice_served", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=label(kind),
               details={"notice": notice.notice_ref, "approval": approval.pk,
                        **dates.as_dict()})
        touched([tenancy.pk], as_of)
    return notice


class LegalError(ValueError):
    """A legal-step request that cannot be recorded as given (nothing was written)."""


def complete_checklist(tenancy: Tenancy, user, *, completed: datetime.date,
                       notes: dict[str, str], as_of: datetime.date) -> Checklist:
    """Record the pre-action checklist complete: every protocol step needs evidence on the
    account or a note; records the ladder action `pre_action_checklist_complete`."""
    if completed > as_of:
        raise LegalError("the checklist cannot be completed after today")
    unknown = sorted(set(notes) - set(STEPS))
    if unknown:
        raise LegalError(f"unknown checklist steps: {', '.join(unknown)}")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        evidence = evidence_for(tenancy, completed)
        bare = [STEPS[s] for s in STEPS if not evidence[s] and not notes.get(s, "").strip()]
        if bare:
            raise LegalError("say how each step was done where the account shows nothing: "
                             + "; ".join(bare))
        # The checklist before a claim belongs to the notice the claim will rely on.
        notice = gates.notice_for_claim(tenancy, completed) or gates.latest_notice(
            tenancy, completed)
        checklist = Checklist.objects.create(tenancy=tenancy, notice=notice,
                                             completed_date=completed, completed_by=user)
        ChecklistStep.objects.bulk_create(
            ChecklistStep(checklist=checklist, step=step,
                          evidence=[e.as_dict() for e in evidence[step]],
                          note=notes.get(step, "").strip())
            for step in STEPS)
        RecordedAction.objects.create(tenancy=tenancy, date=completed,
                                      code="pre_action_checklist_complete",
                                      note="Pre-action checklist completed in Open Income")
        record("pre_action_checklist_completed", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why="pre-action protocol",
               details={"checklist": checklist.pk, "date": str(completed),
                        "notice": notice.notice_ref if notice else None,
                        "evidence": {s: len(evidence[s]) for s in STEPS}})
        touched([tenancy.pk], as_of)
    return checklist


ASSESSMENT_FIELDS = ("vulnerability", "effect", "alternatives", "reasoning")


def record_assessment(tenancy: Tenancy, user, *, escalation: str, assessed: datetime.date,
                      vulnerability: str, effect: str, alternatives: str, reasoning: str,
                      proportionate: bool, as_of: datetime.date) -> Assessment:
    """Record a proportionality and equality (PSED) assessment before an escalation."""
    if escalation not in LEGAL_ESCALATIONS:
        raise LegalError(f"'{escalation}' is not a legal step")
    if assessed > as_of:
        raise LegalError("the assessment cannot be dated after today")
    texts = {"vulnerability": vulnerability, "effect": effect, "alternatives": alternatives,
             "reasoning": reasoning}
    empty = [k for k, v in texts.items() if not v.strip()]
    if empty:
        raise LegalError(f"fill in: {', '.join(empty)}")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        assessment = Assessment.objects.create(
            tenancy=tenancy, escalation=escalation, assessed_date=assessed,
            proportionate=proportionate, assessed_by=user,
            **{k: v.strip() for k, v in texts.items()})
        # Special-category detail stays in the record; the audit row says what and when.
        record("proportionality_assessed", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=escalation,
               details={"assessment": assessment.pk, "escalation": escalation,
                        "date": str(assessed), "proportionate": proportionate})
        touched([tenancy.pk], as_of)
    return assessment


def request_approval(tenancy: Tenancy, user, *, escalation: str, note: str,
                     as_of: datetime.date) -> Approval:
    """Ask a team leader or manager to approve an escalation (one request waits at a time)."""
    if escalation not in LEGAL_ESCALATIONS:
        raise LegalError(f"'{escalation}' is not a legal step")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        if Approval.objects.filter(tenancy=tenancy, escalation=escalation,
                                   status="pending").exists():
            raise LegalError("a request for this step is already waiting for a decision")
        live = gates.approval_for(tenancy, escalation, as_of)
        if live is not None:
            raise LegalError(f"this step was approved on {gates.uk(live.decided_date)} and the "
                             "approval has not been used yet")
        approval = Approval.objects.create(
            tenancy=tenancy, escalation=escalation, arrears=arrears_at(tenancy, as_of),
            requested_by=user, requested_date=as_of, request_note=note.strip())
        record("approval_requested", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=note.strip(),
               details={"approval": approval.pk, "escalation": escalation,
                        "arrears_pence": approval.arrears})
        touched([tenancy.pk], as_of)
    return approval


def approval_limit(user, escalation: str, on: datetime.date) -> tuple[bool, int | None]:
    """Whether the user may approve the escalation at all, and the most arrears (pence) they
    may approve (None: no limit), by the delegated limits of the policy in force."""
    limits = params_in_force(on).legal_approval_limits
    allowed = [limits[r][escalation] for r in roles_of(user)
               if r in limits and escalation in limits[r]]
    if not allowed:
        return False, None
    return True, None if None in allowed else max(allowed)


def decide_approval(approval: Approval, user, *, approve: bool, reason: str,
                    as_of: datetime.date) -> Approval:
    """Approve or refuse a waiting request, under delegated authority; never one's own."""
    if not reason.strip():
        raise LegalError("give the reason for the decision")
    with transaction.atomic(durable=True):
        lock_tenancy(approval.tenancy_id)
        approval = (Approval.objects.select_for_update(of=("self",)).select_related("tenancy")
                    .get(pk=approval.pk))
        if approval.status != "pending":
            raise LegalError("this request has already been decided")
        if approval.requested_by_id == user.pk:
            raise LegalError("you cannot decide your own request: another team leader or "
                             "manager must")
        may, limit = approval_limit(user, approval.escalation, as_of)
        if approve and not may:
            raise LegalError("your role may not approve this step")
        if approve and limit is not None and approval.arrears > limit:
            raise LegalError(f"the arrears of {pounds(approval.arrears)} are above your "
                             f"delegated limit of {pounds(limit)}: a manager must approve")
        approval.status = "approved" if approve else "refused"
        approval.decided_by, approval.decided_date = user, as_of
        approval.decision_reason = reason.strip()
        approval.save()
        record("approval_decided", actor=user, object_type="tenancy",
               object_ref=approval.tenancy.tenancy_ref, why=reason.strip(),
               details={"approval": approval.pk, "escalation": approval.escalation,
                        "decision": approval.status, "arrears_pence": approval.arrears})
        touched([approval.tenancy_id], as_of)
    return approval


def claim_gates(tenancy: Tenancy, on: datetime.date) -> Notice:
    """Raise GateRefused for the first gate a claim issued on `on` would break; the notice
    the claim relies on otherwise."""
    _check(("breathing_space", gates.breathing_space(tenancy, on)),
           ("benefit_pending", gates.no_benefit_pending(tenancy, on)),
           ("notice", gates.notice_valid(tenancy, on)))
    notice = gates.notice_for_claim(tenancy, on)
    protocol_gates(tenancy, "apply_for_court", on, notice)
    return notice


def apply_for_court(tenancy: Tenancy, user, *, claim_date: datetime.date, claim_number: str,
                    as_of: datetime.date) -> CourtCase:
    """Record a possession claim issued (gates first: Breathing Space, benefit decision, notice,
    checklist, proportionality, approval); the approval is used up."""
    if claim_date > as_of:
        raise LegalError("record a claim once it has been issued (the date is after today)")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        notice = claim_gates(tenancy, claim_date)
        case_ref = claim_number.strip() or f"CLM-{uuid.uuid4().hex[:12].upper()}"
        if CourtCase.objects.filter(case_ref=case_ref).exists():
            raise LegalError(f"a court case {case_ref} is already recorded")
        case = CourtCase.objects.create(case_ref=case_ref, tenancy=tenancy,
                                        claim_date=claim_date)
        approval = use_approval(tenancy, "apply_for_court", claim_date, case_ref)
        record("claim_issued", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why="possession claim",
               details={"case": case_ref, "claim_date": str(claim_date),
                        "notice": notice.notice_ref, "approval": approval.pk})
        touched([tenancy.pk], as_of)
    return case


def warrant_gates(tenancy: Tenancy, on: datetime.date) -> CourtCase:
    """Raise GateRefused for the first gate a warrant applied for on `on` would break; the
    court case otherwise."""
    _check(("breathing_space", gates.breathing_space(tenancy, on)))
    _check(("order", gates.order_enforceable(tenancy, on)))
    protocol_gates(tenancy, "apply_for_warrant", on)
    return gates.latest_case(tenancy)


def apply_for_warrant(tenancy: Tenancy, user, *, applied: datetime.date,
                      as_of: datetime.date) -> CourtCase:
    """Record a warrant of possession applied for on the latest court case (gates first:
    Breathing Space, a breached order, proportionality, approval)."""
    if applied > as_of:
        raise LegalError("record a warrant application once it has been made")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        case = warrant_gates(tenancy, applied)
        if case.warrant_date is not None:
            raise LegalError("a warrant was already applied for on "
                             f"{gates.uk(case.warrant_date)}")
        case.warrant_date = applied
        case.save(update_fields=["warrant_date"])
        approval = use_approval(tenancy, "apply_for_warrant", applied, case.case_ref)
        record("warrant_applied", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why="warrant of possession",
               details={"case": case.case_ref, "applied": str(applied),
                        "outcome": case.outcome, "approval": approval.pk})
        touched([tenancy.pk], as_of)
    return case
