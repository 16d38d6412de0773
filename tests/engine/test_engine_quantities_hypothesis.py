"""§1 and §4 quantities against a slow, obviously-correct pure-Python reference.

Hypothesis draws random ledgers (any transaction types, several charges of any frequency,
rows after D, any rent-week day) and checks the engine's figures against the reference, which
walks the calendar day by day.
"""

from __future__ import annotations

import calendar
import datetime
from fractions import Fraction

import polars as pl
from engine_scenarios import T
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from openincome.engine.breach import expected_arrears
from openincome.engine.dates import add_months, whole_months_between
from openincome.ledger.vocab import CREDIT_TYPES, DEBIT_TYPES
from openincome.policy.defaults import DEFAULT_POLICY as P

BASE = datetime.date(2025, 1, 1)
DAY = datetime.timedelta(days=1)
FREQUENCIES = ("weekly", "fortnightly", "four_weekly", "monthly")
TYPES = DEBIT_TYPES + CREDIT_TYPES
PERIOD_DAYS = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}
WEEKLY_FACTOR = {
    "weekly": Fraction(1),
    "fortnightly": Fraction(1, 2),
    "four_weekly": Fraction(1, 4),
    "monthly": Fraction(12, 52),
}


# --- the reference ------------------------------------------------------------------------


def ref_add_months(d: datetime.date, months: int) -> datetime.date:
    """N months after d, the day kept or clamped to the month's end."""
    y, m = d.year + (d.month - 1 + months) // 12, (d.month - 1 + months) % 12 + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def ref_whole_months(start: datetime.date, end: datetime.date) -> int:
    """Count months one at a time while the next month-anniversary is on or before end."""
    n = 0
    while ref_add_months(start, n + 1) <= end:
        n += 1
    return n


def signed(tx_type: str, amount: int) -> int:
    return amount if tx_type in DEBIT_TYPES else -amount


def balance_on(txs, day):
    return sum(signed(t, a) for d, t, a in txs if d <= day)


def reference(txs, charges, as_of, rent_week_day):
    """Every §1 figure, computed the slow way."""
    known = [t for t in txs if t[0] <= as_of]
    balance = balance_on(known, as_of)
    in_effect = [c for c in charges if c[3] <= as_of and (c[4] is None or c[4] >= as_of)]
    exact = sum((Fraction(c[1]) * WEEKLY_FACTOR[c[2]] for c in in_effect), Fraction(0))
    weekly = int(exact + Fraction(1, 2))  # half-up, exact ≥ 0
    rents = [c for c in in_effect if c[0] == "rent"]
    rent = max(rents, key=lambda c: c[3]) if rents else None
    frequency = rent[2] if rent else "weekly"
    if frequency == "monthly":
        start = as_of.replace(day=1)
    else:
        anchor = rent[3] if rent else as_of
        origin = anchor - datetime.timedelta(days=(anchor.weekday() - rent_week_day) % 7)
        length = PERIOD_DAYS[frequency]
        start = origin + datetime.timedelta(days=(as_of - origin).days // length * length)
    in_period = [t for t in known if start <= t[0] <= as_of]
    charges_due = sum(a for _, t, a in in_period if t in P.charge_debit_types)
    paid = sum(a for _, t, a in in_period if t in P.payment_types)
    grace = max(0, charges_due - paid)
    arrears = max(0, balance - grace)
    # Walk every day from before the first transaction to D.
    last_clear = as_of
    if balance > 0:
        day = as_of
        first = min(t[0] for t in known)
        while day >= first and balance_on(known, day) > 0:
            day -= DAY
        last_clear = day
    payments = [d for d, t, _ in known if t in P.payment_types]
    window = as_of - datetime.timedelta(days=28)
    episode = last_clear + DAY if balance > 0 else None
    reducing = (
        balance > 0
        and episode <= window
        and balance <= balance_on(known, window) - P.reducing_min_reduction
        and any(window < d <= as_of for d in payments)
    )
    return {
        "balance": balance,
        "weekly_charge": weekly,
        "rent_frequency": frequency,
        "grace": grace,
        "arrears": arrears,
        "episode_start": episode,
        "days_in_arrears": (as_of - last_clear).days if balance > 0 else 0,
        "last_clear_date": last_clear,
        "last_payment_date": max(payments) if payments else None,
        "reducing": reducing,
    }


# --- strategies -----------------------------------------------------------------------------

# Days relative to D that sit on the policy's boundaries, mixed with any day in a short
# calendar, so rows share days, straddle D − 28 and fall after D.
EDGES = (-60, -40, -29, -28, -27, -8, -7, -1, 0, 1, 3)


@st.composite
def ledgers(draw):
    as_of = BASE + draw(st.integers(30, 45)) * DAY
    day = st.one_of(
        st.sampled_from(EDGES).map(lambda n: as_of + n * DAY),
        st.integers(0, 45).map(lambda n: BASE + n * DAY),
    )
    common = st.sampled_from(["rent", "payment_dd", "hb", "adjustment_debit", "write_off"])
    # Round amounts make balances of exactly 0 (clear days) common.
    amount = st.one_of(st.sampled_from([100, 5_000, 10_000]), st.integers(0, 30_000))
    # Days with several rows each, so a day can dip to 0 and end positive.
    groups = draw(
        st.lists(
            st.tuples(day, st.lists(st.tuples(st.one_of(common, st.sampled_from(TYPES)), amount),
                                    min_size=1, max_size=3)),
            min_size=1,
            max_size=12,
        )
    )
    txs = [(d, tx_type, a) for d, rows in groups for tx_type, a in rows]
    chs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["rent", "service", "water"]),
                st.integers(0, 80_000),
                st.sampled_from(FREQUENCIES),
                day,
                st.one_of(st.none(), day),
            ),
            max_size=3,
        )
    )
    return txs, chs, as_of


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(), rent_week_day=st.integers(0, 6))
def test_quantities_match_the_reference(ledger, rent_week_day):
    """balance, W, rent frequency, grace, arrears, episode, last payment, reducing."""
    txs, chs, as_of = ledger
    chs = sorted(chs, key=lambda c: c[3])
    rent_days = [c[3] for c in chs if c[0] == "rent"]
    # Two rent charges from the same day: which one is "the" rent is arbitrary.
    assume(len(set(rent_days)) == len(rent_days))
    t = T(as_of=as_of, start=BASE)
    for code, amount, freq, start, end in chs:
        t.charge(amount, freq, start, end, code)
    for d, tx_type, amount in txs:
        t.tx(d, tx_type, amount)
    got = t.row(rent_week_day=rent_week_day)
    want = reference(txs, chs, as_of, rent_week_day)
    assert {k: got[k] for k in want} == want


@settings(max_examples=300, deadline=None)
@given(
    start=st.integers(0, 3000).map(lambda n: datetime.date(2020, 1, 1) + n * DAY),
    months=st.integers(0, 40),
    extra=st.integers(0, 900),
)
def test_add_months_and_whole_months(start, months, extra):
    """"N months after" keeps the day (clamped); whole months counts anniversaries."""
    end = start + extra * DAY
    got = pl.DataFrame({"s": [start], "e": [end]}).select(
        a=add_months(pl.col("s"), months), w=whole_months_between(pl.col("s"), pl.col("e"))
    ).row(0)
    assert got == (ref_add_months(start, months), ref_whole_months(start, end))


@settings(max_examples=300, deadline=None)
@given(
    start=st.integers(0, 400).map(lambda n: BASE + n * DAY),
    later=st.integers(-10, 500),
    starting=st.integers(0, 200_000),
    instalment=st.integers(0, 20_000),
    frequency=st.sampled_from(FREQUENCIES),
)
def test_expected_arrears_matches_the_reference(start, later, starting, instalment, frequency):
    """§4: first due S + 5; B before it; then max(0, B − n × I) with n periods started."""
    as_of = start + later * DAY
    first_due = start + 5 * DAY
    if as_of < first_due:
        want = starting
    else:
        if frequency == "monthly":
            n = ref_whole_months(first_due, as_of) + 1
        else:
            n = (as_of - first_due).days // PERIOD_DAYS[frequency] + 1
        want = max(0, starting - n * instalment)
    got = pl.DataFrame(
        {"s": [start], "b": [starting], "i": [instalment], "f": [frequency]}
    ).select(
        expected_arrears(pl.col("s"), pl.col("b"), pl.col("i"), pl.col("f"), as_of, P)
    ).item()
    assert got == want
