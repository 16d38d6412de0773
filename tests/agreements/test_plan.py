"""The plan's arithmetic and its terms in words (for letters)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openincome.agreements import plan

PERIODS = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}
MON = datetime.date(2026, 12, 7)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
    (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
    (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    (datetime.date(2026, 12, 15), 1, datetime.date(2027, 1, 15)),
])
def test_add_months_keeps_the_day_or_takes_the_last(start, months, expected):
    assert plan.add_months(start, months) == expected


@pytest.mark.parametrize(("frequency", "n", "expected"), [
    ("weekly", 1, MON),
    ("weekly", 3, datetime.date(2026, 12, 21)),
    ("fortnightly", 2, datetime.date(2026, 12, 21)),
    ("four_weekly", 2, datetime.date(2027, 1, 4)),
    ("monthly", 3, datetime.date(2027, 2, 7)),
])
def test_due_dates(frequency, n, expected):
    assert plan.nth_due_date(MON, frequency, n, PERIODS) == expected


def test_schedule_counts_the_lump_sum_and_a_smaller_last_instalment():
    s = plan.schedule(MON, 60_000, 2_000, "weekly", PERIODS, lump_sum=10_500)
    # £600 - £105 = £495 -> 24 instalments of £20 and one of £15.
    assert (s.instalments, s.last_due, s.total) == (25, MON + datetime.timedelta(weeks=24),
                                                    60_000)


def test_charge_per_period_from_the_weekly_charge():
    assert [plan.charge_per_period(9_840, f) for f in
            ("weekly", "fortnightly", "four_weekly", "monthly")] == [9_840, 19_680, 39_360, 42_640]


def test_terms_in_words():
    text = plan.terms_in_words(start=MON, balance=60_000, instalment=2_000, frequency="weekly",
                               weekly_charge=9_840, period_days=PERIODS)
    # 30 instalments: the last 29 weeks after the first.
    assert text == ("The rent of £98.40 plus £20.00 towards the arrears, £118.40 a week from "
                    "Monday 7 December 2026, clearing the arrears of £600.00 by Monday 28 June "
                    "2027.")


def test_terms_in_words_with_a_lump_sum_and_no_charge():
    text = plan.terms_in_words(start=MON, balance=10_000, instalment=2_500, frequency="monthly",
                               weekly_charge=0, period_days=PERIODS, lump_sum=5_000)
    assert text == ("A first payment of £50.00 on Monday 7 December 2026, then £25.00 a month "
                    "towards the arrears from Monday 7 December 2026, clearing the arrears of "
                    "£100.00 by Thursday 7 January 2027.")


@pytest.mark.parametrize(("text", "expected"), [
    ("20", 2_000), ("20.5", 2_050), ("20.05", 2_005), ("£1,020.00", 102_000), ("0.01", 1),
])
def test_pence_from_typed_pounds(text, expected):
    assert plan.pence(text) == expected


@pytest.mark.parametrize("text", ["", "ten", "1.234", "-5", "1e3", "1.", ".5", "١٢"])
def test_pence_refuses_what_is_not_plain_pounds(text):
    with pytest.raises(ValueError):
        plan.pence(text)


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2150, 12, 31)),
       st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"]),
       st.integers(1, 50_000), st.integers(1, 300))
def test_the_letters_cleared_by_date_is_the_programmes_last_instalment(start, frequency,
                                                                        instalment, count):
    """One rule for due dates: the terms' last date (plan) is the work programme's last
    instalment (queries.instalments_due, which counts with plan.nth_due_date)."""
    from openincome.agreements.queries import instalments_due

    balance = count * instalment - instalment // 2
    periods = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}
    due = instalments_due(start, frequency, instalment, balance, start,
                          datetime.date(2199, 12, 31), periods)
    last = plan.schedule(start, balance, instalment, frequency, periods)
    assert (len(due), due[-1][0]) == (last.instalments, last.last_due)
