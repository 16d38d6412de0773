"""The simulated landlord's rent calendar: rent weeks, rent years, rent-free weeks, increases.

Days are held as int32 day numbers (days since 1970-01-01) so NumPy can work on whole columns.
Week index k runs over the burn-in and the history; the history starts at k == burn_in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

EPOCH = dt.date(1970, 1, 1)
NO_END = 2**30  # day number standing for "no end date"

# The default history ends on this Sunday, so output never depends on the wall clock.
DEFAULT_END = dt.date(2026, 11, 22)
BURN_IN_WEEKS = 26  # simulated before the history so that it opens on a lived-in state

# April rent increase (fraction) by the calendar year it applies from: the social rent
# settlement (CPI of the previous September + 1%, the 1% cuts of 2016-19, the 7% cap of 2023).
RENT_INCREASE = {
    2015: 0.022,
    2016: -0.01,
    2017: -0.01,
    2018: -0.01,
    2019: -0.01,
    2020: 0.027,
    2021: 0.015,
    2022: 0.041,
    2023: 0.070,
    2024: 0.077,
    2025: 0.027,
    2026: 0.048,
}
DEFAULT_INCREASE = 0.03  # CPI 2% + 1% for years the table does not cover
WATER_INCREASE = 0.06  # water companies' charges rise faster than rents
ANCHOR_RENT_YEAR = 2025  # base rents in stock.py are 2025/26 levels


def day_number(d: dt.date) -> int:
    """The int day number of a date."""
    return (d - EPOCH).days


def day_number_of(year: int, month: int, day: int) -> int:
    """The int day number of a calendar date given as numbers."""
    return day_number(dt.date(year, month, day))


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """Day numbers `months` calendar months later, keeping the day of the month (or the last)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    dom = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    last = (target + 1).astype("datetime64[D]") - 1
    out = np.minimum(target.astype("datetime64[D]") + dom, last)
    return out.astype(np.int64)


def next_sunday(days: np.ndarray) -> np.ndarray:
    """The Sunday on or after each day number (the last day of a Monday-based rent week)."""
    days = np.asarray(days, dtype=np.int64)
    return days + (6 - (days + 3) % 7) % 7


def to_date(n: int) -> dt.date:
    """The date of an int day number."""
    return EPOCH + dt.timedelta(days=int(n))


def add_years(d: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February in a non-leap year)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def rent_year_start(year: int) -> dt.date:
    """The first Monday in April of `year`: the first rent week of that rent year."""
    d = dt.date(year, 4, 1)
    return d + dt.timedelta(days=(7 - d.weekday()) % 7)


def increase(year: int) -> float:
    """The April rent increase applied from `year` (fraction)."""
    return RENT_INCREASE.get(year, DEFAULT_INCREASE)


def rent_index(years: list[int]) -> np.ndarray:
    """Rent level of each rent year relative to the anchor year (1.0 at ANCHOR_RENT_YEAR)."""
    out = []
    for y in years:
        f = 1.0
        if y > ANCHOR_RENT_YEAR:
            for z in range(ANCHOR_RENT_YEAR + 1, y + 1):
                f *= 1 + increase(z)
        else:
            for z in range(y + 1, ANCHOR_RENT_YEAR + 1):
                f /= 1 + increase(z)
        out.append(f)
    return np.array(out)


@dataclass
class Calendar:
    """Weeks of the burn-in and the history, with their rent-year and rent-free flags."""

    start: dt.date  # first day of the history
    end: dt.date  # last day of the history (inclusive)
    burn_in: int
    mondays: np.ndarray = field(repr=False)  # int32 day of each week's Monday, k = 0..K-1
    rent_year: np.ndarray = field(repr=False)  # index into rent_years for each week
    rent_years: list[int] = field(repr=False)
    chargeable: np.ndarray = field(repr=False)  # False in the landlord's rent-free weeks
    chargeable_weeks: np.ndarray = field(repr=False)  # per rent year
    dom_table: np.ndarray = field(repr=False)  # (K, 32) int8: weekday offset of day-of-month
    snapshot: np.ndarray = field(repr=False)  # week indices whose Sunday is a month-end snapshot

    @property
    def n_weeks(self) -> int:
        """Number of weeks simulated, burn-in included."""
        return len(self.mondays)

    @property
    def first_day(self) -> int:
        """Day number of the first Monday of the history (the first transaction date)."""
        return int(self.mondays[self.burn_in])

    @property
    def end_day(self) -> int:
        """Day number of the last day of the history."""
        return day_number(self.end)

    def week_of(self, days: np.ndarray) -> np.ndarray:
        """Week index k of each day number (clipped to the simulated range)."""
        k = (np.asarray(days, dtype=np.int64) - int(self.mondays[0])) // 7
        return np.clip(k, 0, self.n_weeks - 1)


def _rent_free(monday: dt.date) -> bool:
    """Whether the week starting `monday` is rent-free: the weeks of 25 December and 1 January."""
    for y in (monday.year - 1, monday.year):
        christmas = dt.date(y, 12, 25)
        first = christmas - dt.timedelta(days=christmas.weekday())
        if monday in (first, first + dt.timedelta(days=7)):
            return True
    return False


def build_calendar(start: dt.date, end: dt.date, burn_in: int = BURN_IN_WEEKS) -> Calendar:
    """The calendar of a history running from `start` to `end` inclusive."""
    first_monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    if first_monday > end:
        raise ValueError("the history must contain at least one Monday")
    n_hist = (end - first_monday).days // 7 + 1
    k_total = burn_in + n_hist
    base = day_number(first_monday) - 7 * burn_in
    mondays = (base + 7 * np.arange(k_total)).astype(np.int32)
    monday_dates = [to_date(m) for m in mondays]
    years = []
    for d in monday_dates:
        y = d.year if d >= rent_year_start(d.year) else d.year - 1
        years.append(y)
    rent_years = sorted(set(years))
    rent_year = np.array([rent_years.index(y) for y in years], dtype=np.int16)
    chargeable = np.array([not _rent_free(d) for d in monday_dates])
    # Chargeable weeks of each whole rent year (for UC's monthly equivalent of a weekly rent).
    cw = []
    for y in rent_years:
        a, b = rent_year_start(y), rent_year_start(y + 1)
        n = (b - a).days // 7
        free = sum(_rent_free(a + dt.timedelta(days=7 * i)) for i in range(n))
        cw.append(n - free)
    dom_table = np.full((k_total, 32), -1, dtype=np.int8)
    for k, d in enumerate(monday_dates):
        for j in range(7):
            dom_table[k, (d + dt.timedelta(days=j)).day] = j
    # Month-end snapshots: the last Sunday on or before each month end (or the history end).
    snaps = []
    end_n = day_number(end)
    first_n = day_number(first_monday)
    for k in range(burn_in, k_total):
        sunday = int(mondays[k]) + 6
        if sunday > end_n:
            break
        nxt = to_date(sunday + 7)
        last_of_month = nxt.month != to_date(sunday).month or sunday + 7 > end_n
        if last_of_month and sunday >= first_n:
            snaps.append(k)
    return Calendar(
        start=start,
        end=end,
        burn_in=burn_in,
        mondays=mondays,
        rent_year=rent_year,
        rent_years=rent_years,
        chargeable=chargeable,
        chargeable_weeks=np.array(cw, dtype=np.int32),
        dom_table=dom_table,
        snapshot=np.array(snaps, dtype=np.int32),
    )
