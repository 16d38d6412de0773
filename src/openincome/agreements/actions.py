"""What an officer does to a repayment agreement: make one, cancel one; and the system's
completion of an agreement whose arrears are cleared. The actions convention of
cases/actions.py: one durable transaction each, the tenancy's lock first, an audit row, and
the freshness hook naming the tenancy.

One live agreement per tenancy: making a new one ends the live one (cancelled, with the reason
given). Breached is not stored: it is the engine's finding at a date (queries.state).
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone

from openincome.audit.log import record
from openincome.ledger.balances import balance
from openincome.ledger.freshness import touched
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import FREQUENCIES
from openincome.policy.store import params_in_force

from .affordability import clears_within_term
from .models import (
    MONEY_ADVICE_KINDS,
    REFERRAL_KINDS,
    REFERRAL_OUTCOMES,
    Agency,
    Agreement,
    GuidelineFigure,
    GuidelineTable,
    IncomeExpenditure,
    Referral,
)
from .queries import guideline_table
from .sfs import GUIDELINE_CATEGORIES, LINES, totals

CLEARED = "The arrears were cleared"
_CHUNK = 500


def complete_on_refresh(tenancy_ids: list[int], as_of: datetime.date | None = None) -> None:
    """The freshness refresher: after any change to these tenancies commits (a payment posted
    or imported, a record made), complete their agreements whose arrears are now cleared.

    Here rather than at read time so that the stored status the engine reads (§3.9 takes the
    latest *live* agreement) stops monitoring a finished plan before arrears come back.
    """
    complete_cleared(list(tenancy_ids), as_of or timezone.localdate())


class AgreementError(ValueError):
    """Input an agreement cannot be made or changed with; `field` names the input at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _next_ref(tenancy: Tenancy) -> str:
    """AG-<tenancy ref>-<n>, the first n not taken (refs are unique across the landlord)."""
    stem = f"AG-{tenancy.tenancy_ref}"[: Agreement._meta.get_field("agreement_ref").max_length - 4]
    taken = set(Agreement.objects.filter(agreement_ref__startswith=f"{stem}-")
                .values_list("agreement_ref", flat=True))
    n = 1 + sum(1 for ref in taken if re.fullmatch(rf"{re.escape(stem)}-\d+", ref))
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def current_arrears(tenancy: Tenancy, as_of: datetime.date) -> int:
    """The engine's `arrears` (POLICY.md §1) at a date: a new agreement's default balance."""
    from openincome.cases.queries import recommendation

    return int(recommendation(tenancy, as_of)["arrears"] or 0)


def _check_terms(tenancy: Tenancy, *, instalment: int, frequency: str, start: datetime.date,
                 starting_balance: int, lump_sum: int | None) -> None:
    if frequency not in FREQUENCIES:
        raise AgreementError("Choose how often the instalments are paid", "frequency")
    if instalment <= 0:
        raise AgreementError("The instalment must be more than £0.00", "instalment")
    if start < tenancy.start_date:
        raise AgreementError("The agreement cannot start before the tenancy started", "start")
    if tenancy.end_date is not None and start >= tenancy.end_date:
        raise AgreementError("The agreement must start before the tenancy ends", "start")
    if starting_balance <= 0:
        raise AgreementError("The arrears to repay must be more than £0.00",
                             "starting_balance")
    if lump_sum is not None and not 0 < lump_sum < starting_balance:
        raise AgreementError("A first payment must be more than £0.00 and less than the "
                             "arrears to repay", "lump_sum")


def make_agreement(
    tenancy: Tenancy, user, *, instalment: int, frequency: str, start: datetime.date,
    as_of: datetime.date, starting_balance: int | None = None, lump_sum: int | None = None,
    reason: str = "",
) -> Agreement:
    """Make an informal agreement (instalments on top of the charge), ending the live one.

    The balance defaults to the arrears at `as_of`. A reason is required (and recorded) when a
    live agreement exists (why it ends) and when the plan runs past the policy's maximum term
    (why it is agreed all the same). Raises AgreementError, writing nothing.
    """
    reason = reason.strip()
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        if starting_balance is None:
            starting_balance = current_arrears(tenancy, as_of)
        _check_terms(tenancy, instalment=instalment, frequency=frequency, start=start,
                     starting_balance=starting_balance, lump_sum=lump_sum)
        policy = params_in_force(start)
        if not reason and not clears_within_term(
                start=start, arrears=starting_balance, instalment=instalment,
                frequency=frequency, policy=policy, lump_sum=lump_sum):
            raise AgreementError(
                f"These instalments would not clear the arrears within "
                f"{policy.affordability_max_term_weeks} weeks: raise the instalment, or give a "
                "reason for agreeing a longer plan", "instalment")
        if balance(tenancy, as_of) <= 0:
            raise AgreementError("The account is not in arrears: there is nothing to agree",
                                 "starting_balance")
        live = list(Agreement.objects.select_for_update()
                    .filter(tenancy=tenancy, status="live").order_by("start_date", "pk"))
        if live and not reason:
            raise AgreementError(
                f"There is already a live agreement ({live[-1].agreement_ref}): say why a new "
                "one replaces it", "reason")
        agreement = Agreement.objects.create(
            agreement_ref=_next_ref(tenancy), tenancy=tenancy, kind="informal", start_date=start,
            starting_balance=starting_balance, instalment=instalment, frequency=frequency,
            status="live", lump_sum=lump_sum, note=reason,
        )
        for old in live:
            _end(old, user, status="cancelled", on=as_of,
                 why=f"Replaced by {agreement.agreement_ref}: {reason}")
        record("agreement_made", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=reason,
               details={"agreement": agreement.agreement_ref, "start": str(start),
                        "starting_balance": starting_balance, "instalment": instalment,
                        "frequency": frequency, "lump_sum": lump_sum,
                        "replaces": [old.agreement_ref for old in live]})
        touched([tenancy.pk], as_of)
    return agreement


def _end(agreement: Agreement, user, *, status: str, on: datetime.date, why: str) -> None:
    """End a live agreement (inside the caller's transaction), with its history and audit."""
    agreement.status = status
    agreement.end_date = on
    agreement.end_reason = why
    agreement._change_reason = why[:100]
    agreement.save()
    record(f"agreement_{status}", actor=user, object_type="tenancy",
           object_ref=agreement.tenancy.tenancy_ref, why=why,
           details={"agreement": agreement.agreement_ref, "on": str(on)})


def cancel_agreement(agreement: Agreement, user, *, reason: str, on: datetime.date,
                     as_of: datetime.date) -> Agreement:
    """Cancel a live agreement on a date, with the reason (required), audited."""
    reason = reason.strip()
    if not reason:
        raise AgreementError("Say why the agreement is cancelled", "reason")
    with transaction.atomic(durable=True):
        lock_tenancy(agreement.tenancy_id)
        # Read again under the lock: of two officers ending it at once, the second is refused.
        agreement = (Agreement.objects.select_for_update(of=("self",))
                     .select_related("tenancy").get(pk=agreement.pk))
        if agreement.status != "live":
            raise AgreementError(f"Agreement {agreement.agreement_ref} is already "
                                 f"{agreement.get_status_display().lower()}")
        if on > as_of:
            raise AgreementError("The cancellation date cannot be in the future", "on")
        # Before the start only to call off a plan that has not begun, today.
        if on < min(agreement.start_date, as_of):
            raise AgreementError("The cancellation date cannot be before the agreement "
                                 f"started ({agreement.start_date})", "on")
        _end(agreement, user, status="cancelled", on=on, why=reason)
        touched([agreement.tenancy_id], as_of)
    return agreement


def complete_cleared(tenancy_ids: list[int], on: datetime.date) -> list[str]:
    """Complete the live agreements (started by `on`) of these tenancies whose balance at the
    end of `on` is nil or in credit (POLICY.md §4: completed ⇔ balance ≤ 0); their refs."""
    done, candidates = [], set()
    for i in range(0, len(tenancy_ids), _CHUNK):  # an import names thousands at once
        candidates.update(Agreement.objects.filter(
            tenancy_id__in=tenancy_ids[i:i + _CHUNK], status="live", start_date__lte=on,
        ).values_list("tenancy_id", flat=True))
    for tenancy_id in sorted(candidates):
        if balance(tenancy_id, on) > 0:
            continue
        with transaction.atomic(durable=True):
            lock_tenancy(tenancy_id)
            live = (Agreement.objects.select_for_update(of=("self",)).select_related("tenancy")
                    .filter(tenancy_id=tenancy_id, status="live", start_date__lte=on))
            if balance(tenancy_id, on) > 0:
                continue
            for agreement in live:
                why = f"{CLEARED} (balance {pounds(balance(tenancy_id, on))} on {on})"
                _end(agreement, None, status="completed", on=on, why=why)
                done.append(agreement.agreement_ref)
            touched([tenancy_id], on)
    return done


def save_statement(
    tenancy: Tenancy, user, *, adults: int, children: int, vehicles: int,
    amounts: dict[str, int], note: str, complete: bool, on: datetime.date,
) -> IncomeExpenditure:
    """Save the tenancy's income and expenditure draft (made on first save); `complete` dates
    it and keeps it for good, judged against the guideline table in force `on` that date."""
    unknown = sorted(set(amounts) - set(LINES))
    if unknown:
        raise AgreementError(f"Unknown lines: {', '.join(unknown)}")
    if any(not isinstance(v, int) or v < 0 for v in amounts.values()):
        raise AgreementError("Amounts must be pounds and pence of £0.00 or more")
    if adults < 1:
        raise AgreementError("A household has at least one adult", "adults")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        statement = (IncomeExpenditure.objects.select_for_update()
                     .filter(tenancy=tenancy, status="draft").first()
                     or IncomeExpenditure(tenancy=tenancy))
        statement.adults, statement.children, statement.vehicles = adults, children, vehicles
        statement.amounts = {k: v for k, v in amounts.items() if v}
        statement.note = note
        statement.officer = user if getattr(user, "pk", None) else None
        if complete:
            statement.status = "completed"
            statement.completed_date = on
            statement.guideline_table = guideline_table(on)
        statement.save()
        sums = totals(statement.amounts)
        record("ie_completed" if complete else "ie_draft_saved", actor=user,
               object_type="tenancy", object_ref=tenancy.tenancy_ref, why=note,
               details={"statement": statement.pk, "disposable": sums.disposable,
                        "income": sums.income, "on": str(on) if complete else None})
        # No freshness hook: a statement is no engine input, so no worklist row can change.
    return statement


def load_guidelines(name: str, effective_from: datetime.date,
                    rows: list[tuple[str, int, int, int]], actor) -> GuidelineTable:
    """Load a dated guideline table: (category, adults, children, monthly pence) rows."""
    bad = sorted({c for c, *_ in rows} - set(GUIDELINE_CATEGORIES))
    if bad:
        raise AgreementError(f"Unknown categories: {', '.join(bad)} (use "
                             f"{', '.join(GUIDELINE_CATEGORIES)})")
    if not rows or any(a < 1 or c < 0 or m < 0 for _, a, c, m in rows):
        raise AgreementError("Each row needs adults ≥ 1, children ≥ 0 and an amount ≥ 0")
    if GuidelineTable.objects.filter(effective_from=effective_from).exists():
        raise AgreementError(f"A guideline table already starts on {effective_from}")
    if len({(c, a, k) for c, a, k, _ in rows}) != len(rows):
        raise AgreementError("A household appears twice for one category")
    with transaction.atomic(durable=True):
        table = GuidelineTable.objects.create(name=name, effective_from=effective_from)
        GuidelineFigure.objects.bulk_create(
            GuidelineFigure(table=table, category=c, adults=a, children=k, monthly=m)
            for c, a, k, m in rows)
        record("guidelines_loaded", actor=actor, object_type="guideline_table",
               object_ref=str(effective_from), why=name, details={"rows": len(rows)})
    return table


def record_referral(
    tenancy: Tenancy, user, *, kind: str, agency: Agency, referred_date: datetime.date,
    consent: bool, note: str, as_of: datetime.date,
) -> Referral:
    """Record a referral to support; a money or benefits advice referral also records the
    ladder's `money_advice_referral` action (POLICY.md §8)."""
    if kind not in REFERRAL_KINDS:
        raise AgreementError("Choose what the referral is for", "kind")
    if not agency.active:
        raise AgreementError("That agency is no longer on the list", "agency")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        referral = Referral.objects.create(
            tenancy=tenancy, kind=kind, agency=agency, referred_date=referred_date,
            consent=consent, note=note, officer=user if getattr(user, "pk", None) else None)
        if kind in MONEY_ADVICE_KINDS:
            RecordedAction.objects.create(tenancy=tenancy, date=referred_date,
                                          code="money_advice_referral", channel="",
                                          note=f"Referred to {agency.name}")
        record("referral_made", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=note,
               details={"referral": referral.pk, "kind": kind, "agency": agency.name,
                        "date": str(referred_date), "consent": consent})
        touched([tenancy.pk], as_of)
    return referral


def record_referral_outcome(referral: Referral, user, *, outcome: str,
                            outcome_date: datetime.date) -> Referral:
    """Record how a referral turned out (it then leaves the open list), audited."""
    if outcome not in REFERRAL_OUTCOMES:
        raise AgreementError("Choose the outcome", "outcome")
    with transaction.atomic(durable=True):
        lock_tenancy(referral.tenancy_id)
        referral = (Referral.objects.select_for_update(of=("self",)).select_related("tenancy")
                    .get(pk=referral.pk))
        if outcome_date < referral.referred_date:
            raise AgreementError("The outcome cannot be before the referral", "outcome_date")
        referral.outcome, referral.outcome_date = outcome, outcome_date
        referral.save()
        record("referral_outcome", actor=user, object_type="tenancy",
               object_ref=referral.tenancy.tenancy_ref,
               details={"referral": referral.pk, "outcome": outcome,
                        "date": str(outcome_date)})
    return referral


def save_agency(name: str, *, active: bool, actor) -> Agency:
    """Add an agency to the list, or retire or restore one, audited."""
    name = name.strip()
    if not name:
        raise AgreementError("Give the agency's name", "name")
    with transaction.atomic(durable=True):
        agency, made = Agency.objects.get_or_create(name=name, defaults={"active": active})
        if not made:
            agency.active = active
            agency.save()
        record("agency_saved", actor=actor, object_type="agency", object_ref=name,
               details={"active": active, "new": made})
    return agency
