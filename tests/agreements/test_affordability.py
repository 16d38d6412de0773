"""The affordability proposal's money and date arithmetic, as properties over many inputs,
and a few worked examples."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from openincome.agreements import affordability as aff
from openincome.agreements.plan import nth_due_date
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL

P = DEFAULT_POLICY
DAYS = P.agreement_period_days
FREQ = st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"])
START = st.dates(datetime.date(2020, 1, 1), datetime.date(2040, 12, 31))
PENCE = st.integers(1, 5_000_000)
INCOME = st.integers(-200_000, 1_000_000)


def test_every_preset_has_the_affordability_limits():
    for preset in (DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL):
        assert (preset.affordability_min_weekly_instalment, preset.affordability_max_term_weeks,
                preset.affordability_income_share_percent) == (500, 104, 50)


def test_a_worked_example():
    # £300 a month spare, half offered: £150 a month = £34.61 a week; £1,000 needs £9.62 a
    # week to clear in 104 weeks (105 instalments from the start): that is proposed.
    p = aff.propose(disposable_monthly=30_000, arrears=100_000, frequency="weekly",
                    start=datetime.date(2026, 12, 7), policy=P)
    assert (p.affordable, p.needed, p.minimum, p.instalment) == (3_461, 953, 500, 953)
    assert p.within_term and not p.above_share
    assert p.plan.instalments == 105 and p.end == datetime.date(2028, 12, 4)


def test_too_little_income_proposes_the_share_and_runs_long():
    p = aff.propose(disposable_monthly=4_000, arrears=300_000, frequency="monthly",
                    start=datetime.date(2026, 12, 7), policy=P)
    # Half of £40 is £20 a month, above the £21.67 minimum? No: the minimum wins.
    assert (p.affordable, p.minimum, p.instalment) == (2_000, 2_167, 2_167)
    assert p.above_share and not p.within_term


@given(income=INCOME, arrears=PENCE, frequency=FREQ, start=START,
       lump=st.none() | st.integers(1, 5_000_000))
def test_proposal_properties(income, arrears, frequency, start, lump):
    if lump is not None and lump >= arrears:
        lump = None
    p = aff.propose(disposable_monthly=income, arrears=arrears, frequency=frequency,
                    start=start, policy=P, lump_sum=lump)
    rest = arrears - (lump or 0)
    assert isinstance(p.instalment, int) and p.instalment >= 1
    # Never more than is left to pay; never below the minimum unless the debt is smaller.
    assert p.instalment <= max(rest, p.minimum)
    assert p.instalment >= min(p.minimum, rest)
    # The plan pays off exactly the arrears: the instalments cover the rest, one fewer not.
    n = p.plan.instalments
    assert n * p.instalment >= rest > (n - 1) * p.instalment
    assert p.plan.total == arrears
    assert p.end == nth_due_date(start, frequency, n, DAYS) >= start
    # The share is never exceeded unless the minimum demands it.
    assert p.instalment <= max(p.affordable, p.minimum)
    assert p.above_share == (p.instalment > p.affordable)
    # Whenever the share allows the needed instalment, the plan ends within the term.
    if p.affordable >= p.needed >= p.minimum:
        assert p.within_term
    assert p.within_term == (p.end <= start + datetime.timedelta(weeks=104))
    assert p.within_term == aff.clears_within_term(
        start=start, arrears=arrears, instalment=p.instalment, frequency=frequency, policy=P,
        lump_sum=lump)


@given(monthly=st.integers(0, 10_000_000), frequency=FREQ)
def test_per_period_never_rounds_up(monthly, frequency):
    amount = aff.per_period(monthly, frequency, DAYS)
    if frequency == "monthly":
        assert amount == monthly
    else:
        # amount ≤ exact value < amount + 1p (exact = monthly × 12 × days / 364)
        exact_num = monthly * 12 * DAYS[frequency]
        assert amount * 364 <= exact_num < (amount + 1) * 364


@given(start=START, frequency=FREQ, weeks=st.integers(1, 520))
def test_periods_in_term_counts_the_due_dates_inside_it(start, frequency, weeks):
    n = aff.periods_in_term(start, frequency, weeks, DAYS)
    end = aff.term_end(start, weeks)
    assert nth_due_date(start, frequency, n, DAYS) <= end < nth_due_date(
        start, frequency, n + 1, DAYS)
