"""Per-tenancy facts at D from the small frames (charges, benefits, pauses, court, …).

Each function returns one row per tenancy that has data, applying POLICY.md §3's "known at
D" filter and its "latest decides" rule; the caller left-joins them onto the tenancies.
Ties on the deciding date go to the higher reference (where the kind has one), then to the
row given last, so the result never depends on other tenancies.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from openincome.engine.dates import add_months, days, days_between, rent_period
from openincome.policy.params import PolicyParams


def latest(frame: pl.DataFrame, by: str | list[str], order: list[str]) -> pl.DataFrame:
    """The last row per `by` after a stable sort on `order` ("the latest decides")."""
    keys = [by] if isinstance(by, str) else by
    return (
        frame.sort([*keys, *order], maintain_order=True, nulls_last=False)
        .group_by(keys, maintain_order=True)
        .last()
    )


def round_half_up(numerator: pl.Expr, denominator: int) -> pl.Expr:
    """numerator ÷ denominator rounded half-up to a whole number (numerator ≥ 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


# --- §1 charges: weekly charge and rent frequency --------------------------------------------


def charges_at(charges: pl.DataFrame, policy: PolicyParams, at: pl.DataFrame) -> pl.DataFrame:
    """Charges in effect at `at_date` per tenancy: W, rent frequency and rent anchor."""
    in_effect = (
        at.select("tenancy_id", "at_date")
        .join(charges, on="tenancy_id")
        .filter(
            (pl.col("effective_from") <= pl.col("at_date"))
            & (pl.col("effective_to").is_null() | (pl.col("effective_to") >= pl.col("at_date")))
        )
    )
    # Exact weekly equivalents over a common denominator, rounded once (§1).
    equivalents = policy.weekly_equivalents
    common = math.lcm(*(den for _, den in equivalents.values())) if equivalents else 1
    factor = {freq: num * (common // den) for freq, (num, den) in equivalents.items()}
    weekly = in_effect.group_by("tenancy_id").agg(
        weekly_52=(
            pl.col("amount").fill_null(0)
            * pl.col("frequency").replace_strict(factor, default=0, return_dtype=pl.Int64)
        ).sum(),
        unknown_frequency=(~pl.col("frequency").is_in(list(equivalents))).fill_null(True).any(),
    )
    weekly = weekly.select(
        "tenancy_id",
        "unknown_frequency",
        weekly_charge=round_half_up(pl.col("weekly_52"), common),
    )
    rent = latest(
        in_effect.filter(pl.col("charge_code") == policy.rent_charge_code),
        "tenancy_id",
        ["effective_from"],
    ).select("tenancy_id", rent_frequency="frequency", rent_anchor="effective_from")
    return (
        at.select("tenancy_id", "at_date")
        .join(weekly, on="tenancy_id", how="left")
        .join(rent, on="tenancy_id", how="left")
        .with_columns(
            weekly_charge=pl.col("weekly_charge").fill_null(0),
            unknown_frequency=pl.col("unknown_frequency").fill_null(False),
            rent_frequency=pl.col("rent_frequency").fill_null(policy.default_rent_frequency),
        )
    )


def rent_period_of(
    date: pl.Expr, policy: PolicyParams, rent_week_day: int
) -> tuple[pl.Expr, pl.Expr]:
    """The rent period containing `date`, from columns rent_frequency and rent_anchor."""
    return rent_period(
        date,
        pl.col("rent_frequency"),
        pl.col("rent_anchor"),
        rent_week_day,
        policy.rent_period_days,
    )


# --- §2 benefits -------------------------------------------------------------------------------


def benefit_features(
    benefits: pl.DataFrame, policy: PolicyParams, as_of: datetime.date, money: pl.DataFrame
) -> pl.DataFrame:
    """Benefit allowance (§2), a pending claim, and UC in payment to the tenant, per tenancy.

    `money` holds tenancy_id, weekly_charge, last_payment_date, last_hb_date.
    """
    known = benefits.filter(pl.col("status_date") <= as_of)
    claims = latest(known, ["tenancy_id", "claim_ref"], ["status_date"])
    in_payment = pl.col("status") == "in_payment"
    cycle = (
        pl.col("frequency")
        .fill_null(policy.hb_default_frequency)
        .replace_strict(
            dict(policy.benefit_cycle_days),
            default=policy.benefit_cycle_days.get(policy.hb_default_frequency),
            return_dtype=pl.Int64,
        )
    )
    hb_due = (
        (pl.col("benefit") == "hb")
        & in_payment
        & pl.col("direct_to_landlord").fill_null(False)
        & (days_between(as_of, pl.col("last_hb_date")) <= cycle + policy.hb_cycle_extra_days)
    ).fill_null(False)
    uc_due = (
        (pl.col("benefit") == "uc")
        & in_payment
        & (days_between(as_of, pl.col("last_payment_date")) <= policy.uc_payment_window_days)
    ).fill_null(False)
    num, den = policy.uc_default_allowance_ratio
    uc_default = round_half_up(pl.col("weekly_charge") * num, den)
    allowance = (
        pl.when(hb_due)
        .then(pl.col("expected_amount").fill_null(0))
        .when(uc_due)
        .then(pl.coalesce(pl.col("expected_amount"), uc_default))
        .otherwise(0)
    )
    return (
        claims.join(money, on="tenancy_id", how="left")
        .group_by("tenancy_id")
        .agg(
            benefit_allowance=allowance.sum().cast(pl.Int64),
            benefit_claim_pending=pl.col("status").is_in(["claimed", "awaiting"]).any(),
            uc_to_tenant=(
                (pl.col("benefit") == "uc")
                & in_payment
                & ~pl.col("direct_to_landlord").fill_null(False)
            ).any(),
        )
    )


# --- §3 pauses, court cases, agreements, notices --------------------------------------------


def pause_features(
    pauses: pl.DataFrame, policy: PolicyParams, as_of: datetime.date
) -> pl.DataFrame:
    """The active breathing space and the active officer pause with the latest start."""
    standard = policy.breathing_space_standard_reason
    breathing = [standard, policy.breathing_space_mental_health_reason]
    # A standard breathing space without an end date ends on start + 59 days (§3.1); any other
    # pause without an end date runs until it is lifted.
    until = (
        pl.when(pl.col("end_date").is_null() & (pl.col("reason") == standard))
        .then(pl.col("start_date") + days(policy.breathing_space_standard_days))
        .otherwise(pl.col("end_date"))
    )
    active = (
        pauses.filter(pl.col("start_date") <= as_of)
        .with_columns(until=until)
        .filter(pl.col("until").is_null() | (pl.col("until") >= as_of))
    )
    is_bs = pl.col("reason").is_in(breathing).fill_null(False)
    bs = latest(active.filter(is_bs), "tenancy_id", ["start_date"]).select(
        "tenancy_id", bs_start="start_date", bs_until="until", bs_reason="reason"
    )
    officer = latest(active.filter(~is_bs), "tenancy_id", ["start_date"]).select(
        "tenancy_id",
        op_reason=pl.col("reason").fill_null("officer_discretion"),
        op_until="until",
    )
    return bs.join(officer, on="tenancy_id", how="full", coalesce=True)


def court_features(court_cases: pl.DataFrame, as_of: datetime.date) -> pl.DataFrame:
    """The court case with the latest claim date, its outcome only once known at D."""
    case = latest(
        court_cases.filter(pl.col("claim_date") <= as_of),
        "tenancy_id",
        ["claim_date", "case_ref"],
    )
    outcome_from = pl.coalesce(pl.col("outcome_date"), pl.col("hearing_date"))
    # An outcome counts from its outcome date, else its hearing date (§3); an outcome with
    # neither cannot be dated, so it counts at once and step 5 flags it.
    known = pl.col("outcome").is_not_null() & (outcome_from.is_null() | (outcome_from <= as_of))
    return case.select(
        "tenancy_id",
        "case_ref",
        case_claim_date="claim_date",
        hearing_date="hearing_date",
        court_outcome=pl.when(known).then(pl.col("outcome")),
        order_date=pl.when(known).then(outcome_from),
        possession_date="possession_date",
        terms_instalment="terms_instalment",
        terms_frequency="terms_frequency",
        warrant_date="warrant_date",
        eviction_date="eviction_date",
    )


def agreement_features(agreements: pl.DataFrame, as_of: datetime.date) -> pl.DataFrame:
    """The live informal agreement with the latest start on or before D."""
    live = agreements.filter((pl.col("status") == "live") & (pl.col("start_date") <= as_of))
    return latest(live, "tenancy_id", ["start_date", "agreement_ref"]).select(
        "tenancy_id",
        "agreement_ref",
        agreement_start="start_date",
        agreement_starting_balance="starting_balance",
        agreement_instalment="instalment",
        agreement_frequency="frequency",
    )


def notice_features(
    notices: pl.DataFrame,
    policy: PolicyParams,
    as_of: datetime.date,
    charges: pl.DataFrame,
    rent_week_day: int,
) -> pl.DataFrame:
    """The latest-served notice, its missing dates filled by kind (§6), and its validity.

    A rent-period rule reads the rent charge in force on service + N days, so a notice's
    dates never move when the rent frequency changes later.
    """
    notice = latest(
        notices.filter(pl.col("served_date") <= as_of),
        "tenancy_id",
        ["served_date", "notice_ref"],
    )
    served = pl.col("served_date")
    # Service + N days by the kind's rule, and the rent charge in force on that day.
    after = pl.when(False).then(pl.lit(None, dtype=pl.Date))
    for kind, rule in policy.notice_dates_by_kind.items():
        after = after.when(pl.col("kind") == kind).then(
            served + days(rule["earliest_proceedings"]["days"])
        )
    notice = notice.with_columns(service_plus_n=after.otherwise(None))
    at = notice.select("tenancy_id", at_date="service_plus_n")
    rent = charges_at(charges, policy, at).select("tenancy_id", "rent_frequency", "rent_anchor")
    notice = notice.join(rent, on="tenancy_id", how="left")
    epd_rule = pl.when(False).then(pl.lit(None, dtype=pl.Date))
    for kind, rule in policy.notice_dates_by_kind.items():
        epd_rule = epd_rule.when(pl.col("kind") == kind).then(
            _earliest_proceedings(rule["earliest_proceedings"], policy, rent_week_day)
        )
    notice = notice.with_columns(
        notice_earliest_proceedings_date=pl.coalesce(
            pl.col("earliest_proceedings_date"), epd_rule.otherwise(None)
        )
    )
    expiry_rule = pl.when(False).then(pl.lit(None, dtype=pl.Date))
    for kind, rule in policy.notice_dates_by_kind.items():
        expiry = rule["expiry"]
        start = (
            pl.col("notice_earliest_proceedings_date")
            if expiry["from"] == "earliest_proceedings"
            else served
        )
        expiry_rule = expiry_rule.when(pl.col("kind") == kind).then(
            add_months(start, expiry["months"])
        )
    notice = notice.with_columns(
        notice_expiry_date=pl.coalesce(pl.col("expiry_date"), expiry_rule.otherwise(None))
    )
    expiry_date = pl.col("notice_expiry_date")
    return notice.select(
        "tenancy_id",
        "notice_ref",
        notice_served_kind="kind",
        notice_served_date="served_date",
        notice_earliest_proceedings_date="notice_earliest_proceedings_date",
        notice_expiry_date="notice_expiry_date",
        notice_valid=(expiry_date.is_not_null() & (pl.lit(as_of) <= expiry_date)),
        notice_dates_unknown=(
            pl.col("notice_earliest_proceedings_date").is_null() | expiry_date.is_null()
        ),
    )


def _earliest_proceedings(
    rule: Mapping[str, Any], policy: PolicyParams, rent_week_day: int
) -> pl.Expr:
    """The earliest-proceedings date of a notice, by one §6 rule, from service_plus_n."""
    after = pl.col("service_plus_n")
    if rule["rule"] == "days_after_service":
        return after
    # "the first last-day-of-a-rent-period on or after service + N days" is the last day of
    # the rent period containing service + N days.
    return rent_period_of(after, policy, rent_week_day)[1]


# --- recorded actions ----------------------------------------------------------------------


def action_features(
    actions: pl.DataFrame, as_of: datetime.date, anchors: pl.DataFrame
) -> pl.DataFrame:
    """Latest dates of the recorded actions that move the ladder, each in its own window.

    `anchors` holds tenancy_id, episode_start, notice_served_date, agreement_start,
    case_claim_date and order_date. Letters, reminders, contacts and APA requests count within
    the current episode (§1); court warnings and checklists on or after the notice's service
    (§5.3); breach letters on or after the agreement's start (§3.9); hearing packs on or after
    the claim (§3.7); order breach letters on or after the order (§3.8; their validity window
    is the decision's).
    """
    known = actions.filter(pl.col("date") <= as_of).join(anchors, on="tenancy_id")
    date = pl.col("date")
    in_episode = date >= pl.col("episode_start")
    since_notice = date >= pl.col("notice_served_date")
    since_agreement = date >= pl.col("agreement_start")
    since_claim = date >= pl.col("case_claim_date")
    since_order = date >= pl.col("order_date")
    code = pl.col("code")

    def last(name: str, window: pl.Expr) -> pl.Expr:
        return date.filter((code == name) & window).max()

    return known.group_by("tenancy_id").agg(
        reminder_date=last("reminder_sent", in_episode),
        letter_1_date=last("letter_1_sent", in_episode),
        letter_2_date=last("letter_2_sent", in_episode),
        contact_made_date=last("contact_made", in_episode),
        contact_attempt_days=date.filter((code == "contact_attempted") & in_episode)
        .n_unique()
        .cast(pl.Int64),
        apa_requested_date=last("apa_requested", in_episode),
        court_warning_date=last("court_warning_sent", since_notice),
        pre_action_checklist_date=last("pre_action_checklist_complete", since_notice),
        breach_letter_date=last("breach_letter_sent", since_agreement),
        hearing_pack_date=last("hearing_pack_prepared", since_claim),
        order_breach_letter_date=last("order_breach_letter_sent", since_order),
    )


# --- §1 tenure at D, §3.10 promises ----------------------------------------------------------


def tenure_at(policy: PolicyParams, as_of: datetime.date) -> tuple[pl.Expr, pl.Expr]:
    """(tenure at D, trial end) from tenure, start_date and trial_end_date (§1).

    A trial tenure (introductory, starter) is its settled tenure from its trial end date on:
    the recorded trial end, else start + trial_months. Without conversions (version 1) the
    tenure never changes and there is no trial end.
    """
    conversions = dict(policy.trial_conversions)
    tenure = pl.col("tenure")
    if not conversions:
        return tenure, pl.lit(None, dtype=pl.Date)
    trial = tenure.is_in(list(conversions))
    trial_end = pl.when(trial).then(
        pl.coalesce(pl.col("trial_end_date"), add_months(pl.col("start_date"),
                                                          policy.trial_months))
    )
    settled = tenure.replace_strict(conversions, default=tenure, return_dtype=pl.String)
    converted = (trial_end <= pl.lit(as_of, dtype=pl.Date)).fill_null(False)
    return pl.when(converted).then(settled).otherwise(tenure), trial_end


def promise_features(
    promises: pl.DataFrame, policy: PolicyParams, as_of: datetime.date, anchors: pl.DataFrame
) -> pl.DataFrame:
    """The promise that may hold the ladder at D (§3.10), with the window its payments count in.

    The latest promise made in the current episode and on or before D (of two made the same
    day, the one due later; then the higher ref), kept only while D ≤ due + grace: a later
    promise is neither pending nor read. `anchors` holds tenancy_id, episode_start.
    """
    if policy.promise_grace_days is None:
        return pl.DataFrame(schema={"tenancy_id": pl.Int64, "promise_ref": pl.String,
                                    "promise_made_date": pl.Date, "promise_due_date": pl.Date,
                                    "promise_amount": pl.Int64})
    made = pl.col("made_date")
    in_episode = promises.filter(made <= as_of).join(anchors, on="tenancy_id").filter(
        made >= pl.col("episode_start")
    )
    promise = latest(in_episode, "tenancy_id", ["made_date", "due_date", "promise_ref"])
    grace_ends = pl.col("due_date") + days(policy.promise_grace_days)
    return promise.filter(pl.lit(as_of, dtype=pl.Date) <= grace_ends).select(
        "tenancy_id", "promise_ref", promise_made_date="made_date",
        promise_due_date="due_date", promise_amount=pl.col("amount").fill_null(0),
    )
