"""classify(): every tenancy's recommended action at D, with its reasons (POLICY.md)."""

from __future__ import annotations

import datetime

import polars as pl

from openincome.engine import features as feat
from openincome.engine.breach import expected_arrears, known_frequency
from openincome.engine.dates import days, days_between
from openincome.engine.decision import decide
from openincome.engine.ledger import (
    HistoryNeeded,
    Ledger,
    balance_at,
    build_ledger,
    ledger_summary,
    opening_at,
    period_sums,
)
from openincome.engine.priority import priority
from openincome.engine.schemas import OUTPUT, EngineInputs
from openincome.policy.params import PolicyParams

c = pl.col
ZERO = pl.lit(0, dtype=pl.Int64)
# Court orders whose terms are monitored like an agreement, from their order date (§3.8).
MONITORED_ORDERS = ("spo", "ppo", "adjourned_on_terms")


def classify(
    inputs: EngineInputs,
    policy: PolicyParams,
    as_of: datetime.date,
    rent_week_day: int = 0,
) -> pl.DataFrame:
    """Classify every tenancy at `as_of`; one row each, sorted by priority then tenancy_ref.

    Raises HistoryNeeded when an opening in `inputs.openings` is too recent for a figure.
    """
    return classify_with_openings(inputs, policy, as_of, rent_week_day)[0]


def classify_with_openings(
    inputs: EngineInputs,
    policy: PolicyParams,
    as_of: datetime.date,
    rent_week_day: int = 0,
    opening_as_at: datetime.date | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """classify(), and with `opening_as_at` also the openings at that date from the same ledger."""
    if not 0 <= rent_week_day <= 6:
        raise ValueError(f"rent_week_day must be 0 (Monday) to 6 (Sunday), got {rent_week_day}")
    data = inputs.validated()
    tenancies = data.tenancies.unique("tenancy_id", keep="first", maintain_order=True)
    ledger = build_ledger(data.transactions, policy, as_of, data.openings)
    openings = None if opening_as_at is None else opening_at(ledger, opening_as_at)
    if tenancies.height == 0:
        return pl.DataFrame(schema=OUTPUT), openings
    frame = quantities(tenancies, data, ledger, policy, as_of, rent_week_day)
    if ledger.needs_history:
        raise HistoryNeeded(sorted(ledger.needs_history))
    frame = decide(frame, policy, as_of)
    frame = frame.with_columns(
        as_of=pl.lit(as_of, dtype=pl.Date),
        priority=priority(policy, as_of),
        pause_reason=pl.when(c("policy_section") == "§3.1")
        .then(c("bs_reason"))
        .when(c("policy_section") == "§3.4")
        .then(c("op_reason")),
        pause_until=pl.when(c("policy_section") == "§3.1")
        .then(c("bs_until"))
        .when(c("policy_section") == "§3.4")
        .then(c("op_until")),
    )
    result = frame.select([c(name).cast(dtype) for name, dtype in OUTPUT.items()]).sort(
        ["priority", "tenancy_ref", "tenancy_id"],
        descending=[True, False, False],
        nulls_last=True,
    )
    return result, openings


def arrears_at(
    ledger: Ledger,
    charges: pl.DataFrame,
    policy: PolicyParams,
    at: pl.DataFrame,
    rent_week_day: int,
) -> pl.DataFrame:
    """§1 balance, W, rent period, grace and arrears per tenancy at its `at_date`."""
    rent = feat.charges_at(charges, policy, at)
    start, _ = feat.rent_period_of(c("at_date"), policy, rent_week_day)
    rent = rent.with_columns(period_start=start)
    windows = rent.select("tenancy_id", start="period_start", end="at_date")
    sums = period_sums(ledger, windows)
    balances = balance_at(ledger, at).drop("at_date")
    out = (
        rent.join(balances, on="tenancy_id", how="left")
        .join(sums, on="tenancy_id", how="left")
        .with_columns(
            balance=c("balance").fill_null(0),
            # Charge not yet due: this period's charge debits less this period's payments.
            grace=pl.max_horizontal(c("charges").fill_null(0) - c("payments").fill_null(0), ZERO),
        )
    )
    return out.with_columns(arrears=pl.max_horizontal(c("balance") - c("grace"), ZERO)).drop(
        "charges", "payments"
    )


def quantities(
    tenancies: pl.DataFrame,
    data: EngineInputs,
    ledger: Ledger,
    policy: PolicyParams,
    as_of: datetime.date,
    rent_week_day: int,
) -> pl.DataFrame:
    """Every per-tenancy fact the decision reads (§1, §2, §3 "known at D", §4)."""
    d = pl.lit(as_of, dtype=pl.Date)
    ids = tenancies.select("tenancy_id")
    at_d = ids.with_columns(at_date=d)
    money = arrears_at(ledger, data.charges, policy, at_d, rent_week_day).drop("at_date")
    summary = ledger_summary(ledger).drop("balance")
    tenure, trial_end = feat.tenure_at(policy, as_of)
    frame = (
        tenancies.with_columns(
            vulnerable=c("vulnerable").fill_null(False), tenure=tenure, trial_end=trial_end
        )
        .join(money, on="tenancy_id", how="left")
        .join(summary, on="tenancy_id", how="left")
        .with_columns(unknown_types=c("unknown_types").fill_null(0))
    )
    frame = _episode(frame, ledger, policy, as_of)
    frame = _technical_arrears(frame, data, policy, as_of)
    frame = _breathing_space(frame, data, ledger, policy, as_of)
    frame = _court_order(frame, data, ledger, policy, as_of, rent_week_day)
    frame = _agreement(frame, data, policy, as_of)
    notices = feat.notice_features(
        data.notices,
        policy,
        as_of,
        data.charges,
        rent_week_day,
    )
    frame = frame.join(notices, on="tenancy_id", how="left").with_columns(
        notice_valid=c("notice_valid").fill_null(False),
        notice_dates_unknown=c("notice_dates_unknown").fill_null(False),
    )
    frame = _promise(frame, data, ledger, policy, as_of)
    anchors = frame.select(
        "tenancy_id", "episode_start", "notice_served_date", "agreement_start",
        "case_claim_date", "order_date",
    )
    acts = feat.action_features(data.actions, as_of, anchors)
    return frame.join(acts, on="tenancy_id", how="left").with_columns(
        contact_attempt_days=c("contact_attempt_days").fill_null(0)
    )


def _episode(
    frame: pl.DataFrame, ledger: Ledger, policy: PolicyParams, as_of: datetime.date
) -> pl.DataFrame:
    """§1 days since payment, last clear date, days in arrears, reducing."""
    d = pl.lit(as_of, dtype=pl.Date)
    window_start = as_of - datetime.timedelta(days=policy.reducing_window_days)
    earlier = balance_at(ledger, frame.select("tenancy_id", at_date=pl.lit(window_start)))
    in_arrears = c("balance") > 0
    frame = frame.join(
        earlier.select("tenancy_id", balance_window_ago="balance"), on="tenancy_id", how="left"
    ).with_columns(
        episode_start=pl.when(in_arrears).then(c("episode_start")),
        last_clear_date=pl.when(in_arrears).then(c("episode_start") - days(1)).otherwise(d),
        days_since_last_payment=days_between(as_of, c("last_payment_date")),
    )
    return frame.with_columns(
        days_in_arrears=pl.when(in_arrears)
        .then(days_between(as_of, c("last_clear_date")))
        .otherwise(0),
        reducing=(
            (c("episode_start") <= pl.lit(window_start))
            & (c("balance") <= c("balance_window_ago") - policy.reducing_min_reduction)
            & (c("last_payment_date") > pl.lit(window_start))
        ).fill_null(False),
    )


def _technical_arrears(
    frame: pl.DataFrame, data: EngineInputs, policy: PolicyParams, as_of: datetime.date
) -> pl.DataFrame:
    """§2 technical arrears, actionable arrears and weeks owed."""
    money = frame.select("tenancy_id", "weekly_charge", "last_payment_date", "last_hb_date")
    benefits = feat.benefit_features(data.benefits, policy, as_of, money)
    frame = frame.join(benefits, on="tenancy_id", how="left").with_columns(
        benefit_allowance=c("benefit_allowance").fill_null(0),
        benefit_claim_pending=c("benefit_claim_pending").fill_null(False),
        uc_to_tenant=c("uc_to_tenant").fill_null(False),
    )
    frame = frame.with_columns(
        technical_arrears=pl.min_horizontal(c("arrears"), c("benefit_allowance"))
    ).with_columns(actionable_arrears=c("arrears") - c("technical_arrears"))
    w = c("weekly_charge")
    # A ÷ W to two decimals, rounded half-up in whole numbers; the final round(2) gives the
    # nearest float, which Polars' vectorised division (× 0.01) can miss by one ulp.
    hundredths = (200 * c("actionable_arrears") + w) // (2 * w)
    return frame.with_columns(weeks_owed=pl.when(w > 0).then((hundredths / 100).round(2)))


def _breathing_space(
    frame: pl.DataFrame,
    data: EngineInputs,
    ledger: Ledger,
    policy: PolicyParams,
    as_of: datetime.date,
) -> pl.DataFrame:
    """Active pauses (§3.1, §3.4) and the breathing space's moratorium debt."""
    frame = frame.join(feat.pause_features(data.pauses, policy, as_of), on="tenancy_id",
                       how="left")
    starts = frame.filter(c("bs_start").is_not_null()).select(
        "tenancy_id", at_date=c("bs_start") - days(1)
    )
    debt = balance_at(ledger, starts).select(
        "tenancy_id", moratorium_debt=pl.max_horizontal(c("balance"), ZERO)
    )
    return frame.join(debt, on="tenancy_id", how="left").with_columns(
        breathing_space_new_arrears=c("arrears") - c("moratorium_debt")
    )


def _court_order(
    frame: pl.DataFrame,
    data: EngineInputs,
    ledger: Ledger,
    policy: PolicyParams,
    as_of: datetime.date,
    rent_week_day: int,
) -> pl.DataFrame:
    """The latest court case; orders with terms monitored as agreements (§3.8, §4)."""
    frame = frame.join(feat.court_features(data.court_cases, as_of), on="tenancy_id", how="left")
    monitored = frame.filter(
        c("court_outcome").is_in(MONITORED_ORDERS)
        & c("order_date").is_not_null()
    ).select("tenancy_id", at_date="order_date")
    # Starting balance = arrears at the outcome date.
    start = arrears_at(ledger, data.charges, policy, monitored, rent_week_day).select(
        "tenancy_id", court_order_starting_balance="arrears"
    )
    frame = frame.join(start, on="tenancy_id", how="left")
    expected = expected_arrears(
        c("order_date"),
        c("court_order_starting_balance"),
        c("terms_instalment"),
        known_frequency(
            c("terms_frequency").fill_null(policy.court_terms_default_frequency),
            policy.court_terms_default_frequency,
            policy,
        ),
        as_of,
        policy,
    )
    return frame.with_columns(
        court_order_expected=pl.when(c("court_order_starting_balance").is_not_null()).then(
            expected
        )
    ).with_columns(court_order_breached=c(policy.breach_compares) > c("court_order_expected"))


def _agreement(
    frame: pl.DataFrame, data: EngineInputs, policy: PolicyParams, as_of: datetime.date
) -> pl.DataFrame:
    """The live informal agreement and whether it is breached (§3.9, §4)."""
    frame = frame.join(feat.agreement_features(data.agreements, as_of), on="tenancy_id",
                       how="left")
    expected = expected_arrears(
        c("agreement_start"),
        c("agreement_starting_balance").fill_null(0),
        c("agreement_instalment"),
        known_frequency(c("agreement_frequency"), policy.court_terms_default_frequency, policy),
        as_of,
        policy,
    )
    return frame.with_columns(
        agreement_expected=pl.when(c("agreement_start").is_not_null()).then(expected)
    ).with_columns(agreement_breached=c(policy.breach_compares) > c("agreement_expected"))


def _promise(
    frame: pl.DataFrame,
    data: EngineInputs,
    ledger: Ledger,
    policy: PolicyParams,
    as_of: datetime.date,
) -> pl.DataFrame:
    """§3.10 the promise that may hold the ladder, and the payments made since it was made."""
    anchors = frame.select("tenancy_id", "episode_start")
    promise = feat.promise_features(data.promises, policy, as_of, anchors)
    windows = promise.select(
        "tenancy_id", start="promise_made_date", end=pl.lit(as_of, dtype=pl.Date)
    )
    paid = period_sums(ledger, windows).select("tenancy_id", promise_paid="payments")
    return (
        frame.join(promise, on="tenancy_id", how="left")
        .join(paid, on="tenancy_id", how="left")
        .with_columns(
            promise_paid=pl.when(c("promise_due_date").is_not_null()).then(
                c("promise_paid").fill_null(0)
            )
        )
    )
