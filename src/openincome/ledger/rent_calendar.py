"""The rent calendar: rent weeks, 52- and 53-week rent years, charge periods, rent-free weeks.

Pure date arithmetic (no Django), so the engine, the simulator and posting agree.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

DAY = datetime.timedelta(days=1)
# Whole rent weeks in one period of each multi-week frequency.
WEEKS_PER_PERIOD = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}


def rent_week_start(d: datetime.date, rent_week_day: int = 0) -> datetime.date:
    """The first day of the rent week containing d."""
    return d - datetime.timedelta(days=(d.weekday() - rent_week_day) % 7)


def rent_year_start(year: int, rent_week_day: int = 0) -> datetime.date:
    """The first rent-week day on or after 1 April of year (social rent years start in April)."""
    first = datetime.date(year, 4, 1)
    return first + datetime.timedelta(days=(rent_week_day - first.weekday()) % 7)


@dataclass(frozen=True)
class RentYear:
    """A rent year: its first day, last day and number of rent weeks (52 or 53)."""

    start: datetime.date
    end: datetime.date

    @property
    def weeks(self) -> int:
        """52, or 53 in a year where the rent-week day falls 53 times."""
        return ((self.end - self.start).days + 1) // 7


def rent_year(d: datetime.date, rent_week_day: int = 0) -> RentYear:
    """The rent year containing d."""
    start = rent_year_start(d.year, rent_week_day)
    if d < start:
        start = rent_year_start(d.year - 1, rent_week_day)
    end = rent_year_start(start.year + 1, rent_week_day) - DAY
    return RentYear(start, end)


def add_months(d: datetime.date, months: int) -> datetime.date:
    """d plus whole months, keeping the day (the month's last day where it does not exist)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(d.day, last))


@dataclass(frozen=True)
class Period:
    """One charge period: first and last day."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def contains(self, d: datetime.date) -> bool:
        """Whether d falls in the period."""
        return self.start <= d <= self.end


def period_containing(
    d: datetime.date, frequency: str, anchor: datetime.date, rent_week_day: int = 0
) -> Period:
    """The charge period containing d for a charge whose periods are anchored at `anchor`.

    Weekly periods are rent weeks; fortnightly and four-weekly periods are blocks of whole rent
    weeks counted from the rent week containing the anchor; monthly periods are calendar months.
    """
    if frequency == "monthly":
        first = d.replace(day=1)
        return Period(first, add_months(first, 1) - DAY)
    weeks = WEEKS_PER_PERIOD[frequency]
    origin = rent_week_start(anchor, rent_week_day)
    length = 7 * weeks
    offset = (d - origin).days // length
    start = origin + datetime.timedelta(days=offset * length)
    return Period(start, start + datetime.timedelta(days=length - 1))


def periods(
    frequency: str,
    anchor: datetime.date,
    first: datetime.date,
    last: datetime.date,
    rent_week_day: int = 0,
) -> Iterator[Period]:
    """Every charge period that overlaps the days first..last, in order."""
    if last < first:
        return
    period = period_containing(first, frequency, anchor, rent_week_day)
    while period.start <= last:
        yield period
        period = period_containing(period.end + DAY, frequency, anchor, rent_week_day)


def prorate(amount: int, charged_days: int, period_days: int) -> int:
    """The share of a period's amount for some of its days, rounded half-up to the penny."""
    if charged_days >= period_days:
        return amount
    return (2 * amount * charged_days + period_days) // (2 * period_days)
