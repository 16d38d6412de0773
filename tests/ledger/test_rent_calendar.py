"""The rent calendar: rent weeks, 52/53-week rent years, periods, pro rata and months."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openincome.ledger.rent_calendar import (
    add_months,
    period_containing,
    periods,
    prorate,
    rent_week_start,
    rent_year,
)

dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2060, 12, 31))


@given(d=dates, day=st.integers(min_value=0, max_value=6))
def test_rent_week_starts_on_the_rent_week_day_within_six_days(d, day):
    start = rent_week_start(d, day)
    assert start.weekday() == day
    assert 0 <= (d - start).days <= 6


@given(d=dates)
def test_rent_year_contains_the_date_and_has_52_or_53_whole_weeks(d):
    year = rent_year(d)
    assert year.start <= d <= year.end
    assert year.start.month == 4 and year.start.weekday() == 0
    assert ((year.end - year.start).days + 1) % 7 == 0
    assert year.weeks in (52, 53)


@pytest.mark.parametrize(
    ("day", "weeks"),
    [
        (datetime.date(2025, 6, 1), 52),  # 7 Apr 2025 to 5 Apr 2026
        (datetime.date(2026, 6, 1), 52),  # 6 Apr 2026 to 4 Apr 2027
        (datetime.date(2019, 6, 1), 53),  # 1 Apr 2019 to 5 Apr 2020
    ],
)
def test_known_rent_years(day, weeks):
    assert rent_year(day).weeks == weeks


def test_a_53_week_year_exists_when_april_starts_on_the_rent_week_day():
    # 1 April 2024 was a Monday and 2025's first Monday in April is the 7th: 53 Mondays.
    year = rent_year(datetime.date(2024, 5, 1))
    assert (year.start, year.end, year.weeks) == (
        datetime.date(2024, 4, 1), datetime.date(2025, 4, 6), 53
    )


@given(d=dates, months=st.integers(min_value=-120, max_value=120))
def test_add_months_keeps_the_day_or_clamps_to_month_end(d, months):
    result = add_months(d, months)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last)


@given(
    d=dates,
    anchor=dates,
    freq=st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"]),
)
def test_period_containing_contains_the_date_and_has_the_right_length(d, anchor, freq):
    period = period_containing(d, freq, anchor)
    assert period.contains(d)
    if freq == "monthly":
        assert period.start.day == 1 and (period.end + datetime.timedelta(days=1)).day == 1
    else:
        assert period.days == {"weekly": 7, "fortnightly": 14, "four_weekly": 28}[freq]
        assert ((period.start - rent_week_start(anchor)).days) % period.days == 0


@given(first=dates, length=st.integers(min_value=0, max_value=400))
def test_periods_tile_the_range_without_gaps(first, length):
    last = first + datetime.timedelta(days=length)
    tiles = list(periods("fortnightly", first, first, last))
    assert tiles[0].contains(first) and tiles[-1].contains(last)
    for a, b in zip(tiles, tiles[1:], strict=False):
        assert b.start == a.end + datetime.timedelta(days=1)


@given(
    amount=st.integers(min_value=0, max_value=10_000_000),
    period_days=st.integers(min_value=1, max_value=31),
    data=st.data(),
)
def test_prorate_is_the_half_up_rounded_share(amount, period_days, data):
    days = data.draw(st.integers(min_value=0, max_value=period_days))
    exact_twice = 2 * amount * days  # compare 2 × share with the period to avoid floats
    share = prorate(amount, days, period_days)
    assert 2 * share * period_days - exact_twice <= period_days
    assert exact_twice - 2 * share * period_days < period_days
    if days == period_days:
        assert share == amount
