"""openincome.common.dates.uk_date: the one way a date is written for people."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from openincome.common.dates import uk_date

date = datetime.date


def test_short_long_and_with_the_weekday():
    day = date(2026, 4, 5)  # a Sunday
    assert uk_date(day) == "5 Apr 2026"
    assert uk_date(day, long=True) == "5 April 2026"
    assert uk_date(day, weekday=True) == "Sun 5 Apr 2026"
    assert uk_date(day, long=True, weekday=True) == "Sunday 5 April 2026"
    assert uk_date(date(2026, 9, 22)) == "22 Sep 2026"  # no leading zero, three letters


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_it_matches_the_english_calendar_names(day):
    assert uk_date(day) == f"{day.day} {day:%b %Y}"
    assert uk_date(day, long=True) == f"{day.day} {day:%B %Y}"
    assert uk_date(day, weekday=True) == f"{day:%a} {day.day} {day:%b %Y}"
