"""What changes the ledger: posting charge debits for due rent periods (`openincome post-rent`).

Every action here follows the convention of cases.actions (one durable transaction, an audit
row, the freshness hook); payments and adjustments arrive with the payments app."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from openincome.audit.log import record

from .freshness import touched
from .limits import date_problem
from .locks import bulk_writer
from .models import Charge, Landlord, RentFreeWeek, Transaction
from .rent_calendar import periods, prorate
from .vocab import CHARGE_DEBIT_TYPE


@dataclass(frozen=True)
class PostingResult:
    """What a posting run did."""

    posted: int
    amount: int
    already_posted: int


def _existing(tenancy_ids: set[int], since: datetime.date | None):
    """Charge debits already on the accounts: by period start, and undated ones by date."""
    by_period: set[tuple[int, str, datetime.date]] = set()
    by_date: dict[tuple[int, str], list[datetime.date]] = defaultdict(list)
    rows = Transaction.objects.filter(type__in=set(CHARGE_DEBIT_TYPE.values()))
    if since is not None:
        rows = rows.filter(date__gte=since - datetime.timedelta(days=31))
    for tenancy_id, tx_type, period_start, date in rows.values_list(
        "tenancy_id", "type", "period_start", "date"
    ).iterator(chunk_size=20000):
        if tenancy_id not in tenancy_ids:
            continue
        if period_start is not None:
            by_period.add((tenancy_id, tx_type, period_start))
        else:
            by_date[(tenancy_id, tx_type)].append(date)
    return by_period, by_date


# One posting or import at a time, reading what is posted under the lock: a second run posts
# nothing twice (and never fails on the first's refs).
@bulk_writer("rent posting")
def post_rent(
    through: datetime.date, actor=None, since: datetime.date | None = None
) -> PostingResult:
    """Post a debit for every charge period starting on or before `through` that has none yet.

    Idempotent per (tenancy, charge, period): a period counts as posted when a debit of the
    charge's type carries its period start, or has no period start but is dated inside it.
    Weekly charges skip the landlord's rent-free weeks; part periods at the start or end of a
    charge or tenancy are charged pro rata by days.
    """
    # The horizon past today (--force) is the caller's to check: nothing here reads the clock.
    if problem := date_problem(through):
        raise ValueError(f"cannot post rent through {through}: the date {problem}")
    rent_week_day = Landlord.current().rent_week_day
    rent_free = set(RentFreeWeek.objects.values_list("week_start", flat=True))
    charges = list(
        Charge.objects.select_related("tenancy").filter(effective_from__lte=through, amount__gt=0)
    )
    by_period, by_date = _existing({c.tenancy_id for c in charges}, since)
    new: list[Transaction] = []
    already = 0
    for charge in charges:
        tenancy = charge.tenancy
        tx_type = CHARGE_DEBIT_TYPE[charge.charge_code]
        first = max(charge.effective_from, tenancy.start_date)
        ends = [d for d in (charge.effective_to, tenancy.end_date) if d is not None]
        last = min(ends) if ends else datetime.date.max
        first_considered = max(first, since) if since is not None else first
        undated = by_date.get((tenancy.pk, tx_type), [])
        for period in periods(
            charge.frequency, charge.effective_from, first_considered, min(last, through),
            rent_week_day,
        ):
            if period.start > through:
                break
            if charge.frequency == "weekly" and period.start in rent_free:
                continue
            if (tenancy.pk, tx_type, period.start) in by_period or any(
                period.contains(d) for d in undated
            ):
                already += 1
                continue
            charged_from = max(period.start, first)
            charged_to = min(period.end, last)
            amount = prorate(charge.amount, (charged_to - charged_from).days + 1, period.days)
            by_period.add((tenancy.pk, tx_type, period.start))
            new.append(
                Transaction(
                    transaction_ref=f"POST-{tenancy.tenancy_ref}-{charge.charge_code}-"
                    f"{period.start:%Y%m%d}",
                    tenancy=tenancy,
                    date=charged_from,
                    type=tx_type,
                    amount=amount,
                    description=f"{charge.get_charge_code_display()} for {period.start:%d %b %Y}"
                    f" to {period.end:%d %b %Y}",
                    period_start=period.start,
                )
            )
    total = sum(t.amount for t in new)
    with transaction.atomic():
        Transaction.objects.bulk_create(new, batch_size=5000)
        touched({t.tenancy_id for t in new})
        if new:
            record(
                "post_rent",
                actor=actor,
                object_type="ledger",
                object_ref=f"through {through.isoformat()}",
                why="charge debits for due rent periods",
                details={"posted": len(new), "amount_pence": total, "through": str(through)},
            )
    return PostingResult(posted=len(new), amount=total, already_posted=already)
