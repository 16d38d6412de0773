"""The court-stage actions (issue 16 part B): after a claim, what an officer records of the
hearing, the order, the warrant and the eviction, and the s125A extension of a trial.

Each follows the actions convention of cases/actions.py: one durable transaction, the tenancy
lock, an audit row, one `CourtEvent` for the legal tab's timeline, and the freshness hook, so
the engine monitors the order (POLICY.md §3.7, §3.8, §4) from the moment it is recorded.
Bad input raises `CourtStepRefused` before anything is written. Notices, the claim itself, the
protocol gates and approvals live in `legal.actions`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from openincome.audit.log import record
from openincome.cases.tenure import trial_end
from openincome.common.dates import uk_date
from openincome.ledger.freshness import touched
from openincome.ledger.limits import NOTE_MAX_LENGTH, text_problem
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.rent_calendar import add_months
from openincome.ledger.vocab import FREQUENCIES, label
from openincome.policy.store import params_in_force

from . import gates
from .actions import use_approval, warrant_gates
from .gates import GateRefused
from .models import CourtCase, CourtEvent

# How far ahead an eviction date may be recorded. County court bailiffs book evictions weeks,
# at most a few months, after a warrant is issued, and a warrant unexecuted for a year needs
# the court's permission to renew it (CPR 83.3); a date beyond a year is a typing slip (2099).
EVICTION_DATE_MAX_AHEAD_DAYS = 365


class CourtStepRefused(ValueError):
    """A court-stage step that cannot be recorded as asked (nothing was written)."""


class CourtGateRefused(CourtStepRefused, GateRefused):
    """A court-stage step refused by one of the legal gates (its `gate` named, nothing written)."""


def _gate(gate: str, why: str | None) -> None:
    if why:
        raise CourtGateRefused(gate, why)


def _no_moratorium(tenancy: Tenancy, *days: datetime.date) -> None:
    """No enforcement (warrant, eviction) while a Breathing Space runs (reference §5)."""
    for day in days:
        _gate("breathing_space", gates.breathing_space(tenancy, day))


@dataclass(frozen=True)
class Outcome:
    """What an outcome asks for and keeps: instalment terms, a possession date, a new hearing."""

    label: str
    terms: bool = False
    possession: str = "no"  # "no", "optional" or "required"
    next_hearing: bool = False
    stored: bool = True  # False: the case stays open (adjourned to a new date)


# The outcomes an officer records, in the order a form lists them. The stored ones are the
# case's `outcome` codes the engine reads; "adjourned" only moves the hearing.
OUTCOMES: dict[str, Outcome] = {
    "adjourned": Outcome("Adjourned to a new hearing date", next_hearing=True, stored=False),
    "adjourned_on_terms": Outcome(label("adjourned_on_terms"), terms=True),
    "adjourned_generally": Outcome(label("adjourned_generally")),
    "spo": Outcome(label("spo"), terms=True),
    "ppo": Outcome(label("ppo"), terms=True, possession="optional"),
    "outright": Outcome(label("outright"), possession="required"),
    "dismissed": Outcome(label("dismissed")),
    "struck_out": Outcome(label("struck_out")),
    "withdrawn": Outcome(label("withdrawn")),
}
# Orders for possession: a warrant may follow them (a PPO only once its date is fixed).
POSSESSION_ORDERS = ("outright", "spo", "ppo")
# An adjourned case may be listed again (restored); a decided one may not.
RELISTABLE = ("", "adjourned_on_terms", "adjourned_generally")


def _text(name: str, value: str, max_length: int) -> None:
    if problem := text_problem(value, max_length):
        raise CourtStepRefused(f"The {name} {problem}")


def _on(name: str, day: datetime.date | None, as_of: datetime.date) -> None:
    if day is not None and day > as_of:
        raise CourtStepRefused(f"The {name} ({uk_date(day)}) is after today ({uk_date(as_of)}): "
                               "record it once it has happened")


def _event(case: CourtCase | None, tenancy: Tenancy, user, kind: str, date: datetime.date,
           summary: str, note: str = "", pdf: bytes | None = None) -> CourtEvent:
    _text("note", note, NOTE_MAX_LENGTH)  # inside the step's transaction: a refusal undoes it
    return CourtEvent.objects.create(
        tenancy=tenancy, case=case, kind=kind, date=date, summary=summary[:300], note=note,
        recorded_by=user if getattr(user, "pk", None) else None, pdf=pdf)


def _audit(what: str, user, case: CourtCase, why: str, **details) -> None:
    record(what, actor=user, object_type="tenancy", object_ref=case.tenancy.tenancy_ref,
           why=why, details={"case": case.case_ref,
                             **{k: (v.isoformat() if isinstance(v, datetime.date) else v)
                                for k, v in details.items()}})


def _locked(case: CourtCase) -> CourtCase:
    lock_tenancy(case.tenancy_id)
    case.refresh_from_db()
    return case


def record_hearing(case: CourtCase, user, *, hearing_date: datetime.date, court: str,
                   place: str, as_of: datetime.date, note: str = "") -> CourtCase:
    """List (or restore) the case's hearing: its date, the court and where in it."""
    if not court.strip():
        raise CourtStepRefused("Enter the court")
    _text("court", court, 200)
    _text("place", place, 300)
    if hearing_date < case.claim_date:
        raise CourtStepRefused(f"The hearing cannot be before the claim "
                               f"({uk_date(case.claim_date)})")
    with transaction.atomic(durable=True):
        case = _locked(case)
        if case.outcome not in RELISTABLE:
            raise CourtStepRefused(f"The case was decided ({label(case.outcome).lower()}): "
                                   "record a tenant's application or a warrant instead")
        restored = bool(case.outcome)
        case.hearing_date, case.court_name, case.hearing_place = hearing_date, court, place
        if restored:  # a restored hearing reopens the case; the old terms no longer run
            case.outcome, case.outcome_date = "", None
            case.terms_instalment, case.terms_frequency = None, ""
        case.save()
        summary = f"Hearing on {uk_date(hearing_date)} at {court}" + (f", {place}" if place
                                                                      else "")
        _event(case, case.tenancy, user, "hearing_listed", as_of,
               ("Restored: " if restored else "") + summary, note)
        _audit("hearing_listed", user, case, note or summary, hearing_date=hearing_date,
               court=court, place=place, restored=restored)
        touched([case.tenancy_id], as_of)
    return case


def record_outcome(
    case: CourtCase, user, *, outcome: str, outcome_date: datetime.date, as_of: datetime.date,
    possession_date: datetime.date | None = None, instalment: int | None = None,
    frequency: str = "", next_hearing: datetime.date | None = None, note: str = "",
) -> CourtCase:
    """Record what the court decided; an order with terms is then monitored by the engine
    like an agreement (POLICY.md §3.8, §4), from the outcome date."""
    rule = OUTCOMES.get(outcome)
    if rule is None:
        raise CourtStepRefused(f"'{outcome}' is not an outcome: one of {', '.join(OUTCOMES)}")
    _on("outcome date", outcome_date, as_of)
    if rule.terms:
        if instalment is None or instalment <= 0:
            raise CourtStepRefused("Enter the amount the order says to pay towards the arrears")
        if frequency not in FREQUENCIES:
            raise CourtStepRefused("Select how often the order says to pay")
    elif instalment is not None or frequency:
        raise CourtStepRefused(f"A {rule.label.lower()} has no payment terms")
    if rule.possession == "required" and possession_date is None:
        raise CourtStepRefused("Enter the date the order gives for possession")
    if rule.possession == "no" and possession_date is not None:
        raise CourtStepRefused(f"A {rule.label.lower()} gives no possession date")
    if possession_date is not None and possession_date < outcome_date:
        raise CourtStepRefused("The possession date cannot be before the order")
    if rule.next_hearing and (next_hearing is None or next_hearing <= outcome_date):
        raise CourtStepRefused("Enter the new hearing date, after the day it was adjourned")
    with transaction.atomic(durable=True):
        case = _locked(case)
        if case.outcome and case.outcome not in RELISTABLE:
            raise CourtStepRefused(f"The case already has an outcome "
                                   f"({label(case.outcome).lower()})")
        if case.hearing_date is None or case.hearing_date > outcome_date:
            raise CourtStepRefused("Record the hearing first: an outcome follows a hearing on "
                                   "or before its date")
        terms = (f": {pounds(instalment)} {label(frequency).lower()} towards the arrears"
                 if rule.terms else "")
        if not rule.stored:
            # The case is open again until the new hearing (an earlier adjournment's terms
            # no longer run).
            case.hearing_date, case.outcome, case.outcome_date = next_hearing, "", None
            case.terms_instalment, case.terms_frequency = None, ""
            case.save()
            summary = f"Adjourned on {uk_date(outcome_date)} to {uk_date(next_hearing)}"
            _event(case, case.tenancy, user, "adjourned", outcome_date, summary, note)
        else:
            case.outcome, case.outcome_date, case.possession_date = (
                outcome, outcome_date, possession_date)
            case.terms_instalment = instalment if rule.terms else None
            case.terms_frequency = frequency if rule.terms else ""
            case.save()
            summary = rule.label + terms + (f"; possession on {uk_date(possession_date)}"
                                            if possession_date else "")
            _event(case, case.tenancy, user, "outcome", outcome_date, summary, note)
        _audit("court_outcome_recorded", user, case, note or summary, outcome=outcome,
               outcome_date=outcome_date, possession_date=possession_date,
               instalment_pence=instalment, frequency=frequency, next_hearing=next_hearing)
        touched([case.tenancy_id], as_of)
    return case


def fix_possession_date(case: CourtCase, user, *, possession_date: datetime.date,
                        fixed_on: datetime.date, as_of: datetime.date,
                        note: str = "") -> CourtCase:
    """The court fixed the possession date of a postponed order (on the landlord's N244)."""
    _on("day the date was fixed", fixed_on, as_of)
    if possession_date < fixed_on:
        raise CourtStepRefused("The possession date cannot be before the day it was fixed")
    with transaction.atomic(durable=True):
        case = _locked(case)
        if case.outcome != "ppo":
            raise CourtStepRefused("Only a postponed possession order has its date fixed later")
        case.possession_date = possession_date
        case.save(update_fields=["possession_date"])
        summary = f"Possession on {uk_date(possession_date)}"
        _event(case, case.tenancy, user, "possession_date_fixed", fixed_on, summary, note)
        _audit("possession_date_fixed", user, case, note or summary,
               possession_date=possession_date, fixed_on=fixed_on)
        touched([case.tenancy_id], as_of)
    return case


def record_n244(case: CourtCase, user, *, received: datetime.date, as_of: datetime.date,
                hearing_date: datetime.date | None = None, note: str = "") -> CourtEvent:
    """A tenant's application (N244), usually to suspend a warrant: recorded with its hearing."""
    _on("day it was received", received, as_of)
    if not note.strip():
        raise CourtStepRefused("Say what the tenant applied for")
    if received < case.claim_date:
        raise CourtStepRefused(f"The application cannot be received before the claim "
                               f"({uk_date(case.claim_date)})")
    if hearing_date is not None and (hearing_date < received or hearing_date <= case.claim_date):
        raise CourtStepRefused(f"The application's hearing must be on or after the day it was "
                               f"received ({uk_date(received)}) and after the claim "
                               f"({uk_date(case.claim_date)})")
    with transaction.atomic(durable=True):
        case = _locked(case)
        summary = "Tenant applied (N244)" + (f"; heard on {uk_date(hearing_date)}"
                                             if hearing_date else "")
        event = _event(case, case.tenancy, user, "n244", received, summary, note)
        _audit("n244_recorded", user, case, note, received=received, hearing_date=hearing_date)
        touched([case.tenancy_id], as_of)
    return event


def record_warrant_issued(case: CourtCase, user, *, issued: datetime.date,
                          as_of: datetime.date, note: str = "") -> CourtCase:
    """The court issued a warrant of possession (N325 granted). It follows a warrant
    application recorded through its gates; without one, the application's gates are checked
    now (a breached order, proportionality, an approval, which is then used up), so this step
    never bypasses them. A warrant is recorded issued once."""
    _on("issue date", issued, as_of)
    with transaction.atomic(durable=True):
        case = _locked(case)
        tenancy = case.tenancy
        _no_moratorium(tenancy, issued)
        if case.outcome not in POSSESSION_ORDERS:
            raise CourtStepRefused("A warrant follows a possession order: record the order first")
        if case.outcome == "ppo" and case.possession_date is None:
            raise CourtStepRefused("No warrant for a postponed order without a fixed "
                                   "possession date")
        if case.outcome_date and issued < case.outcome_date:
            raise CourtStepRefused("The warrant cannot be issued before the order")
        before = case.events.filter(kind="warrant_issued").order_by("date").first()
        if before is not None:
            raise CourtStepRefused(f"A warrant was already recorded as issued on "
                                   f"{uk_date(before.date)}: it is not changed here")
        applied, approval = case.warrant_date, None
        if applied is None:
            try:
                warrant_gates(tenancy, issued)
            except GateRefused as refused:
                raise CourtGateRefused(refused.gate, refused.why) from None
            approval = use_approval(tenancy, "apply_for_warrant", issued, case.case_ref)
            case.warrant_date = issued
            case.save(update_fields=["warrant_date"])
        elif issued < applied:
            raise CourtStepRefused(f"The warrant cannot be issued before it was applied for "
                                   f"({uk_date(applied)})")
        _event(case, tenancy, user, "warrant_issued", issued,
               f"Warrant issued on {uk_date(issued)}", note)
        _audit("warrant_issued", user, case, note or "Warrant issued", issued=issued,
               applied=applied, approval=approval.pk if approval else None)
        touched([case.tenancy_id], as_of)
    return case


def record_eviction_date(case: CourtCase, user, *, eviction_date: datetime.date,
                         as_of: datetime.date, note: str = "") -> CourtCase:
    """The bailiffs' appointment (N54): the day of the eviction."""
    latest = as_of + datetime.timedelta(days=EVICTION_DATE_MAX_AHEAD_DAYS)
    if eviction_date > latest:
        raise CourtStepRefused(f"The eviction date ({uk_date(eviction_date)}) is more than a "
                               f"year ahead (after {uk_date(latest)}): check the bailiffs' "
                               "notice")
    with transaction.atomic(durable=True):
        case = _locked(case)
        _no_moratorium(case.tenancy, as_of, eviction_date)
        if case.events.filter(kind="evicted").exists():
            raise CourtStepRefused("The eviction has already been recorded")
        if case.warrant_date is None:
            raise CourtStepRefused("Record the warrant first: bailiffs act on a warrant")
        if eviction_date < case.warrant_date:
            raise CourtStepRefused(f"The eviction cannot be before the warrant "
                                   f"({uk_date(case.warrant_date)})")
        case.eviction_date = eviction_date
        case.save(update_fields=["eviction_date"])
        _event(case, case.tenancy, user, "eviction_date_set", as_of,
               f"Eviction on {uk_date(eviction_date)}", note)
        _audit("eviction_date_set", user, case, note or "Eviction date set",
               eviction_date=eviction_date)
        touched([case.tenancy_id], as_of)
    return case


def record_evicted(case: CourtCase, user, *, evicted_on: datetime.date,
                   as_of: datetime.date, note: str = "") -> CourtCase:
    """The eviction happened: the tenancy ends that day and its balance becomes former
    tenant arrears (POLICY.md §3.2)."""
    _on("eviction", evicted_on, as_of)
    with transaction.atomic(durable=True):
        case = _locked(case)
        tenancy = case.tenancy
        tenancy.refresh_from_db()
        _no_moratorium(tenancy, evicted_on)
        before = case.events.filter(kind="evicted").first()
        if before is not None:
            raise CourtStepRefused(f"The eviction was already recorded on {uk_date(before.date)}: "
                                   "it is not recorded twice")
        if case.warrant_date is None or evicted_on < case.warrant_date:
            raise CourtStepRefused("An eviction follows a warrant: record the warrant first")
        if tenancy.end_date is not None and tenancy.end_date <= evicted_on:
            raise CourtStepRefused(f"The tenancy had already ended on "
                                   f"{uk_date(tenancy.end_date)}")
        case.eviction_date = evicted_on
        case.save(update_fields=["eviction_date"])
        tenancy.end_date = evicted_on
        tenancy.save(update_fields=["end_date"])
        _event(case, tenancy, user, "evicted", evicted_on,
               f"Evicted on {uk_date(evicted_on)}; the tenancy ended", note)
        _audit("evicted", user, case, note or "Evicted", evicted_on=evicted_on)
        touched([tenancy.pk], as_of)
    return case


def serve_trial_extension(tenancy: Tenancy, user, *, served: datetime.date,
                          as_of: datetime.date, reason: str) -> Tenancy:
    """Extend an introductory tenancy's trial by the s125A notice (sets `trial_end_date`)."""
    _on("day it was served", served, as_of)
    if not reason.strip():
        raise CourtStepRefused("Give the reasons for extending the trial (the notice states "
                               "them)")
    policy = params_in_force(served)
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        tenancy.refresh_from_db()
        ends = trial_end(tenancy, policy)
        if ends is None or tenancy.tenure != "introductory":
            raise CourtStepRefused("Only an introductory tenancy's trial can be extended")
        if CourtEvent.objects.filter(tenancy=tenancy, kind="s125a_extension").exists():
            raise CourtStepRefused("The trial was extended already: it may be extended once")
        latest = ends - datetime.timedelta(weeks=policy.trial_extension_notice_weeks)
        if served > latest:
            raise CourtStepRefused(
                f"The notice must be served at least {policy.trial_extension_notice_weeks} "
                f"weeks before the trial ends ({ends}): by {latest}")
        new_end = add_months(ends, policy.trial_extension_months)
        tenancy.trial_end_date = new_end
        tenancy.save(update_fields=["trial_end_date"])
        _event(None, tenancy, user, "s125a_extension", served,
               f"Trial extended from {uk_date(ends)} to {uk_date(new_end)}", reason)
        record("trial_extended", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=reason,
               details={"served": served.isoformat(), "old": ends.isoformat(),
                        "new": new_end.isoformat()})
        touched([tenancy.pk], as_of)
    return tenancy


def record_hearing_pack(case: CourtCase, user, *, as_of: datetime.date, pdf: bytes,
                        letters_sent: int, note: str = "") -> CourtEvent:
    """Store a prepared hearing pack and record `hearing_pack_prepared` (POLICY.md §3.7)."""
    with transaction.atomic(durable=True):
        case = _locked(case)
        RecordedAction.objects.create(tenancy=case.tenancy, date=as_of,
                                      code="hearing_pack_prepared", channel="",
                                      note=f"Hearing pack for {case.case_ref}")
        summary = (f"Hearing pack for {uk_date(case.hearing_date)}; "
                   + (f"notice of hearing sent ({letters_sent})" if letters_sent
                      else "no notice of hearing sent"))
        event = _event(case, case.tenancy, user, "hearing_pack", as_of, summary, note, pdf)
        _audit("hearing_pack_prepared", user, case, summary, letters_sent=letters_sent)
        touched([case.tenancy_id], as_of)
    return event


def prepare_for_hearing(case: CourtCase, user, *, as_of: datetime.date,
                        notifier=None) -> CourtEvent:
    """The duties before a hearing: tell the tenant (the notice-of-hearing letter, when its
    template exists and nothing stops it) and prepare the pack (rent schedule, benefits)."""
    from openincome.letters.actions import NothingToSend, send_communication
    from openincome.letters.queries import template_for

    from .documents import hearing_pack_pdf

    if case.outcome or case.hearing_date is None or case.hearing_date < as_of:
        raise CourtStepRefused("There is no hearing to come: record the hearing date first")
    pdf = hearing_pack_pdf(case, as_of)  # made first: a failure sends nothing
    sent, note = 0, ""
    if template_for("hearing_notice", "letter") is not None:
        try:
            sent = len(send_communication(case.tenancy, user, code="hearing_notice",
                                          as_of=as_of, notifier=notifier))
        except NothingToSend as exc:
            note = f"Notice of hearing not sent: {exc}"
    else:
        note = "Notice of hearing not sent: there is no template for it"
    return record_hearing_pack(case, user, as_of=as_of, pdf=pdf, letters_sent=sent, note=note)
