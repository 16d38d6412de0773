"""POLICY.md §7 priority: 0–100 for ordering a worklist."""

from __future__ import annotations

import datetime

import polars as pl

from openincome.engine.dates import days, days_between
from openincome.policy.params import PolicyParams

c = pl.col

# Nothing to do: these rank last.
RESTING_ACTIONS = ("none", "paused")


def priority(policy: PolicyParams, as_of: datetime.date) -> pl.Expr:
    """Priority 0–100: weeks owed, days since the last payment, deadlines close at hand.

    Each factor scores its weight in proportion to its capped value; the weights come from the
    policy and are never negative, so vulnerability (a flag) can add but never lower. Rows
    whose action is none or paused score 0; any other action scores at least 1.
    """
    w = policy.priority_weights
    d = pl.lit(as_of, dtype=pl.Date)
    weeks_cap = float(w["weeks_owed_cap"])
    days_cap = float(w["days_since_payment_cap"])
    weeks = (
        pl.when(c("weekly_charge") > 0)
        .then(c("actionable_arrears") / c("weekly_charge"))
        .otherwise(0.0)
        .clip(0.0, weeks_cap)
    )
    # Never paid counts as long ago as the cap.
    since = (
        days_between(as_of, c("last_payment_date")).cast(pl.Float64).fill_null(days_cap)
    ).clip(0.0, days_cap)
    hearing = c("hearing_date")
    expiry = c("notice_expiry_date")
    hearing_soon = (
        (hearing >= d) & (hearing <= d + days(policy.priority_hearing_window_days))
    ).fill_null(False)
    notice_expiring = (
        c("notice_valid")
        & (expiry >= d)
        & (expiry <= d + days(policy.priority_notice_expiry_window_days))
    ).fill_null(False)
    # Version 2: the closer the hearing, the higher (a hearing today scores the full weight);
    # a court-order step (§3.8) outranks the early ladder.
    window = max(policy.priority_hearing_window_days, 1)
    closeness = pl.when(hearing_soon).then(
        (window - days_between(hearing, d).cast(pl.Float64)) / window
    ).otherwise(0.0)
    court_order = (c("policy_section") == "§3.8").fill_null(False)
    score = (
        w["base"]
        + w["weeks_owed"] * weeks / weeks_cap
        + w["days_since_payment"] * since / days_cap
        + pl.when(hearing_soon).then(w["hearing_soon"]).otherwise(0)
        + pl.when(notice_expiring).then(w["notice_expiring"]).otherwise(0)
        + pl.when(c("vulnerable")).then(w["vulnerable"]).otherwise(0)
        + w["hearing_closeness"] * closeness
        + pl.when(court_order).then(w["order_breach"]).otherwise(0)
    )
    ranked = (score + 0.5).floor().cast(pl.Int64).clip(1, 100)
    resting = c("action").is_in(RESTING_ACTIONS)
    return pl.when(resting).then(pl.lit(0, dtype=pl.Int64)).otherwise(ranked)
