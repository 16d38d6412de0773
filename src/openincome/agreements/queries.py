"""Reads about agreements: when instalments fall due."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from openincome.cases.programme import Entry, Scope
from openincome.ledger.rent_calendar import add_months

from .models import Agreement


def instalments_due(
    start: datetime.date, frequency: str, instalment: int, starting_balance: int,
    first: datetime.date, last: datetime.date, period_days: Mapping[str, int],
) -> list[tuple[datetime.date, int]]:
    """The (due date, pence) of an agreement's instalments that fall from `first` to `last`.

    The k-th instalment (k = 0, 1, ...) is due k periods after the start: `period_days`
    gives a period's length for each frequency; any other frequency (monthly) is a calendar
    month, counted from the start so that a 31st stays the last day of shorter months. The
    agreement ends when the instalments have paid the starting balance, the last one being
    what is left. (POLICY.md §4's tolerance is a grace before a breach, not a due date.)
    """
    if instalment <= 0 or starting_balance <= 0 or last < max(first, start):
        return []
    count = -(-starting_balance // instalment)  # instalments in all, the last one partial
    length = period_days.get(frequency)

    def due(k: int) -> datetime.date:
        return start + datetime.timedelta(days=k * length) if length else add_months(start, k)

    # The first instalment that may fall on or after `first`, without walking from the start.
    if length:
        k = max(0, (first - start).days // length)
    else:
        k = max(0, (first.year - start.year) * 12 + first.month - start.month - 1)
    found = []
    while k < count:
        try:
            day = due(k)
        except (OverflowError, ValueError):  # past year 9999: nothing more can fall due
            break
        if day > last:
            break
        if day >= first:
            found.append((day, min(instalment, starting_balance - k * instalment)))
        k += 1
    return found



def instalments(scope: Scope, first: datetime.date, last: datetime.date,
                period_days: Mapping[str, int]) -> Iterable[Entry]:
    """Live agreements' instalments due from `first` to `last` in scope (the programme's)."""
    agreements = (Agreement.objects.filter(scope.tenancies(), status="live", start_date__lte=last)
                  .select_related("tenancy"))
    for agreement in agreements:
        for day, pence in instalments_due(
            agreement.start_date, agreement.frequency, agreement.instalment,
            agreement.starting_balance, first, last, period_days,
        ):
            yield Entry(day, "instalment", agreement.tenancy.tenancy_ref, agreement.tenancy_id,
                        f"Agreement {agreement.agreement_ref}", pence)
