"""POLICY.md §4: is an agreement (or a court order monitored as one) kept or breached at D."""

from __future__ import annotations

import datetime

import polars as pl

from openincome.engine.dates import days, days_between, whole_months_between
from openincome.policy.params import PolicyParams


def expected_arrears(
    start: pl.Expr,
    starting_balance: pl.Expr,
    instalment: pl.Expr,
    frequency: pl.Expr,
    as_of: datetime.date,
    policy: PolicyParams,
) -> pl.Expr:
    """The most arrears the tenant may owe at D while keeping the agreement (§4).

    First due date = S + tolerance; before it, B. From it, B less one instalment per period
    started (whole periods elapsed + 1); never below 0. Frequencies with a period length in
    days use it; any other (monthly) counts whole calendar months.
    """
    first_due = start + days(policy.agreement_tolerance_days)
    d = pl.lit(as_of, dtype=pl.Date)
    elapsed = pl.when(False).then(pl.lit(None, dtype=pl.Int64))
    for freq, length in policy.agreement_period_days.items():
        elapsed = elapsed.when(frequency == freq).then(days_between(as_of, first_due) // length)
    periods = elapsed.otherwise(whole_months_between(first_due, d)) + 1
    paid_down = starting_balance - periods * instalment.fill_null(0)
    return (
        pl.when(d < first_due)
        .then(starting_balance)
        .otherwise(pl.max_horizontal(paid_down, pl.lit(0, dtype=pl.Int64)))
    )


def known_frequency(frequency: pl.Expr, default: str, policy: PolicyParams) -> pl.Expr:
    """The frequency if §4 knows it (a period in days, or monthly), else `default`."""
    known = [*policy.agreement_period_days, "monthly"]
    return pl.when(frequency.is_in(known)).then(frequency).otherwise(pl.lit(default))
