"""Reading promises to pay: each one pending, kept or broken at a date (POLICY.md §3.10)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from openincome.ledger.models import Promise, Tenancy, Transaction
from openincome.policy.params import PolicyParams

PENDING, KEPT, BROKEN = "pending", "kept", "broken"


@dataclass(frozen=True)
class PromiseState:
    """A promise and where it stands at the as-of date."""

    promise: Promise
    paid: int  # pence paid from the day it was made, up to the end of its grace (or D)
    grace_until: datetime.date
    state: str


def promise_states(
    tenancy: Tenancy, as_of: datetime.date, policy: PolicyParams
) -> list[PromiseState]:
    """Every promise made on or before `as_of`, latest first, with its state.

    Payments count from the day the promise was made; a promise is kept once they reach the
    amount by its due date plus the policy's grace days, broken if they have not by then,
    and pending until then.
    """
    grace = datetime.timedelta(days=policy.promise_grace_days or 0)
    out = []
    promises = tenancy.promises.filter(made_date__lte=as_of).order_by(
        "-made_date", "-due_date", "-promise_ref")
    for promise in promises:
        until = promise.due_date + grace
        paid = -(
            Transaction.objects.filter(
                tenancy=tenancy, type__in=policy.payment_types,
                date__gte=promise.made_date, date__lte=min(until, as_of),
            ).aggregate(total=Sum("amount"))["total"] or 0
        )
        if paid >= promise.amount:
            state = KEPT
        elif as_of <= until:
            state = PENDING
        else:
            state = BROKEN
        out.append(PromiseState(promise, paid, until, state))
    return out


def episode_promise_states(
    rows: list[tuple[Tenancy, datetime.date | None]], as_of: datetime.date, policy: PolicyParams
) -> dict[int, str]:
    """For (tenancy, episode start) pairs, the state of each tenancy's latest promise made in
    its current arrears episode (as the engine picks it, POLICY.md §3.10); none, no entry."""
    out = {}
    for tenancy, episode_start in rows:
        if episode_start is None:
            continue
        states = [s for s in promise_states(tenancy, as_of, policy)
                  if s.promise.made_date >= episode_start]
        if states:
            out[tenancy.pk] = states[0].state
    return out
