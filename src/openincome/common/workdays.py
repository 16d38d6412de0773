"""Working days: Monday to Friday, not an England and Wales bank holiday (the `holidays`
package's data, which needs no network). Bacs processes on the same days, so the legal
notice dates and the Direct Debit files share one calendar."""

from __future__ import annotations

import datetime
import functools

import holidays

DAY = datetime.timedelta(days=1)


@functools.cache
def _holidays_of(year: int) -> frozenset[datetime.date]:
    # England and Wales share one list; the union guards against either changing alone.
    days = holidays.country_holidays("GB", subdiv="ENG", years=year)
    days.update(holidays.country_holidays("GB", subdiv="WLS", years=year))
    return frozenset(days)


def is_bank_holiday(day: datetime.date) -> bool:
    """Whether a day is an England and Wales bank holiday (the `holidays` package's data)."""
    return day in _holidays_of(day.year)


def is_business_day(day: datetime.date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def business_days_after(day: datetime.date, n: int) -> datetime.date:
    """The nth business day after `day` (n = 0: the day itself)."""
    while n > 0:
        day += DAY
        if is_business_day(day):
            n -= 1
    return day


def business_days_before(day: datetime.date, n: int) -> datetime.date:
    """The nth business day before `day` (n = 0: the day itself)."""
    while n > 0:
        day -= DAY
        if is_business_day(day):
            n -= 1
    return day


def business_day_on_or_after(day: datetime.date) -> datetime.date:
    """`day` if it is a business day, else the next one."""
    while not is_business_day(day):
        day += DAY
    return day


def business_days_between(first: datetime.date, last: datetime.date) -> int:
    """How many business days fall after `first` up to and including `last` (0 if none)."""
    count, day = 0, first
    while day < last:
        day += DAY
        count += is_business_day(day)
    return count
