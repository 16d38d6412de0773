"""What an officer does to a case. The actions convention, which every app follows:

- each public action owns one durable transaction (it is never a part of another's);
- it takes the tenancy's lock first, so two officers acting on one case at once wait for each
  other and the second works from what the first committed;
- it writes its audit row (who, when, what, why) in that transaction;
- it names the tenancies it touched to the freshness hook (`ledger.freshness.touched`), which
  classifies them again in the stored worklist once the change has committed.

Views, the API and commands call these and stay thin (one way to do each thing).
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction

from openincome.audit.log import record
from openincome.ledger.freshness import touched
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import Promise, RecordedAction, Tenancy, Tenant

from .models import CONTACT_OUTCOMES, Contact, Pause

BREATHING_SPACE = ("breathing_space_standard", "breathing_space_mental_health")
# Ladder actions another action records with what they stand for (the legal app's pre-action
# checklist when every protocol step is evidenced; its "prepare for the hearing" step with the
# pack and the notice of hearing): never by hand. An import may still carry them as history.
RECORDED_ELSEWHERE = {
    "pre_action_checklist_complete": "complete the pre-action checklist instead: it records "
                                     "this when every protocol step has its evidence",
    "hearing_pack_prepared": "use \"Prepare for the hearing\" on the legal tab instead: it "
                             "records this with the pack and the notice of hearing",
}


def record_contact(
    tenancy: Tenancy, user, *, date: datetime.date, channel: str, direction: str, outcome: str,
    note: str, as_of: datetime.date, callback_date: datetime.date | None = None,
) -> Contact:
    """Log a contact; an outbound call or visit also moves the ladder (made or attempted)."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        contact = Contact.objects.create(
            tenancy=tenancy, date=date, channel=channel, direction=direction, outcome=outcome,
            note=note, officer=user, callback_date=callback_date,
        )
        code = CONTACT_OUTCOMES.get(outcome, "")
        if code and (direction == "outbound" or code == "contact_made"):
            RecordedAction.objects.create(
                tenancy=tenancy, date=date, code=code,
                channel=channel if channel in ("letter", "sms", "email", "phone", "visit",
                                               "office") else "",
                note="Logged from the contact log",
            )
        record("contact_recorded", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=outcome,
               details={"contact": contact.pk, "channel": channel, "direction": direction,
                        "outcome": outcome, "ladder_code": code,
                        "callback_date": str(callback_date) if callback_date else None})
        touched([tenancy.pk], as_of)
    return contact


def record_action(
    tenancy: Tenancy, user, *, date: datetime.date, code: str, channel: str, note: str,
    as_of: datetime.date,
) -> RecordedAction:
    """Record a ladder action of POLICY.md §8 (a letter sent, a contact made, ...); the
    actions of RECORDED_ELSEWHERE are refused (ValueError, nothing written)."""
    if code in RECORDED_ELSEWHERE:
        raise ValueError(RECORDED_ELSEWHERE[code])
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        action = RecordedAction.objects.create(
            tenancy=tenancy, date=date, code=code, channel=channel, note=note
        )
        record("action_recorded", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=note,
               details={"action": action.pk, "code": code, "date": str(date),
                        "channel": channel})
        touched([tenancy.pk], as_of)
    return action


def pause_case(
    tenancy: Tenancy, user, *, reason: str, start: datetime.date, end: datetime.date | None,
    note: str, as_of: datetime.date,
) -> Pause:
    """Pause recovery (an officer's pause or a Breathing Space), audited with its reason."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        if Pause.objects.filter(tenancy=tenancy, reason=reason, start_date=start).exists():
            raise ValueError("a pause with this reason already starts on this date")
        pause = Pause.objects.create(
            tenancy=tenancy, reason=reason, start_date=start, end_date=end, note=note
        )
        record("case_paused", actor=user, object_type="tenancy", object_ref=tenancy.tenancy_ref,
               why=note, details={"pause": pause.pk, "reason": reason, "start": str(start),
                                  "end": str(end) if end else None})
        touched([tenancy.pk], as_of)
    return pause


def lift_pause(pause: Pause, user, *, on: datetime.date, why: str, as_of: datetime.date) -> Pause:
    """End a pause on a date (the day before recovery resumes), audited."""
    if not why.strip():
        raise ValueError("say why the pause is lifted")
    with transaction.atomic(durable=True):
        lock_tenancy(pause.tenancy_id)
        # Locked and read again: of two officers lifting it at once, the second is refused.
        pause = (Pause.objects.select_for_update(of=("self",)).select_related("tenancy")
                 .get(pk=pause.pk))
        if pause.end_date is not None and pause.end_date <= on:
            raise ValueError("the pause already ends by then")
        old = pause.end_date
        pause.end_date = on
        pause.save()
        record("pause_lifted", actor=user, object_type="tenancy",
               object_ref=pause.tenancy.tenancy_ref, why=why,
               details={"pause": pause.pk, "old_end": str(old) if old else None,
                        "new_end": str(on)})
        touched([pause.tenancy_id], as_of)
    return pause


CONTACT_FIELDS = ("email", "mobile", "phone", "language", "vulnerabilities", "vulnerability_note")


def update_tenant_details(
    tenant: Tenant, user, *, changes: dict, preferred_channel: str | None, why: str,
    as_of: datetime.date,
) -> Tenant:
    """Change a tenant's contact details, language or vulnerability codes, audited."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenant.tenancy_id)
        diff = {k: {"old": getattr(tenant, k), "new": v} for k, v in changes.items()
                if k in CONTACT_FIELDS and getattr(tenant, k) != v}
        for key, change in diff.items():
            setattr(tenant, key, change["new"])
        if diff:
            tenant.save()
        tenancy = tenant.tenancy
        if preferred_channel is not None and preferred_channel != tenancy.preferred_channel:
            diff["preferred_channel"] = {"old": tenancy.preferred_channel,
                                         "new": preferred_channel}
            tenancy.preferred_channel = preferred_channel
            tenancy.save()
        if diff:
            # Vulnerability codes are special-category data: audit which fields changed only.
            record("tenant_details_changed", actor=user, object_type="tenant",
                   object_ref=tenant.person_ref, why=why,
                   details={"fields": sorted(diff)})
            touched([tenancy.pk], as_of)
    return tenant


def record_promise(
    tenancy: Tenancy, user, *, made_date: datetime.date, due_date: datetime.date, amount: int,
    note: str, as_of: datetime.date,
) -> Promise:
    """Record a promise to pay `amount` pence by `due_date` (POLICY.md §3.10), audited; a
    pending promise holds the ladder (the case is classified again on commit)."""
    if amount <= 0:
        raise ValueError("a promise is for an amount above zero")
    if due_date < made_date:
        raise ValueError("a promise cannot fall due before it is made")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        promise = Promise.objects.create(
            promise_ref=f"PROM-{uuid.uuid4().hex[:12].upper()}", tenancy=tenancy,
            made_date=made_date, due_date=due_date, amount=amount, note=note,
        )
        record("promise_recorded", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=note,
               details={"promise": promise.promise_ref, "made": str(made_date),
                        "due": str(due_date), "amount_pence": amount})
        touched([tenancy.pk], as_of)
    return promise


def set_trial_end(
    tenancy: Tenancy, user, *, trial_end: datetime.date | None, why: str, as_of: datetime.date,
) -> Tenancy:
    """Record when an introductory or starter tenancy's trial ends (None: start + the policy's
    trial months), audited with the reason; the tenure at a date follows it (POLICY.md §1)."""
    if not why.strip():
        raise ValueError("give the reason for the change")
    if trial_end is not None and trial_end < tenancy.start_date:
        raise ValueError("the trial cannot end before the tenancy starts")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        old = tenancy.trial_end_date
        if old == trial_end:
            return tenancy
        tenancy.trial_end_date = trial_end
        tenancy.save(update_fields=["trial_end_date"])
        record("trial_end_changed", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=why,
               details={"old": str(old) if old else None,
                        "new": str(trial_end) if trial_end else None})
        touched([tenancy.pk], as_of)
    return tenancy
