"""Date arithmetic as Polars expressions: months, rent weeks and rent periods."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import polars as pl

IntoExpr = pl.Expr | int


def days(n: IntoExpr) -> pl.Expr:
    """A duration of n days (n an int or an integer expression)."""
    return pl.duration(days=n)


def days_between(later: pl.Expr | datetime.date, earlier: pl.Expr) -> pl.Expr:
    """later − earlier in whole days (Int64; null if either is null)."""
    if isinstance(later, datetime.date):
        later = pl.lit(later, dtype=pl.Date)
    return (later - earlier).dt.total_days().cast(pl.Int64)


def add_months(date: pl.Expr, months: IntoExpr) -> pl.Expr:
    """N months after a date, keeping its day (the month's last day where it does not exist)."""
    index = date.dt.year().cast(pl.Int64) * 12 + date.dt.month().cast(pl.Int64) - 1 + months
    first = pl.date(index // 12, index % 12 + 1, 1)
    last_day = first.dt.month_end().dt.day().cast(pl.Int64)
    day = pl.min_horizontal(date.dt.day().cast(pl.Int64), last_day)
    return first + days(day - 1)


def whole_months_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """The number of whole calendar months from start to end (end ≥ start)."""
    diff = (end.dt.year().cast(pl.Int64) - start.dt.year().cast(pl.Int64)) * 12 + (
        end.dt.month().cast(pl.Int64) - start.dt.month().cast(pl.Int64)
    )
    # The month count overshoots by one when the day of the month is not yet reached.
    return diff - (add_months(start, diff) > end).cast(pl.Int64)


def rent_week_start(date: pl.Expr, rent_week_day: int) -> pl.Expr:
    """The first day of the rent week containing date (rent_week_day 0 = Monday)."""
    # Polars numbers weekdays 1 (Monday) to 7; +7 keeps the modulo's argument positive.
    back = (date.dt.weekday().cast(pl.Int64) - 1 - rent_week_day + 7) % 7
    return date - days(back)


def rent_period(
    date: pl.Expr,
    frequency: pl.Expr,
    anchor: pl.Expr,
    rent_week_day: int,
    period_days: Mapping[str, int],
) -> tuple[pl.Expr, pl.Expr]:
    """(first day, last day) of the rent period containing date.

    Frequencies in `period_days` are blocks of that many days counted from the rent week
    containing `anchor` (the rent charge's effective_from); any other frequency is a calendar
    month. Weekly blocks are rent weeks whatever the anchor, because 7-day blocks counted from a
    rent week's first day are rent weeks.
    """
    # Without a rent charge (weekly by default) any day anchors the rent weeks.
    origin = rent_week_start(pl.coalesce(anchor, date), rent_week_day)
    start = pl.when(False).then(pl.lit(None, dtype=pl.Date))
    end = pl.when(False).then(pl.lit(None, dtype=pl.Date))
    for freq, length in period_days.items():
        block_start = origin + days(days_between(date, origin) // length * length)
        is_freq = frequency == freq
        start = start.when(is_freq).then(block_start)
        end = end.when(is_freq).then(block_start + days(length - 1))
    return (
        start.otherwise(date.dt.month_start()),
        end.otherwise(date.dt.month_end()),
    )
