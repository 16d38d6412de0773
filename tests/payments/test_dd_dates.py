"""Direct Debit dates: Bacs working days (common/workdays.py), the collection window that moves
a weekend's or bank holiday's collection to the next working day, and due dates on any day
of the week or month (hypothesis)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from openincome.common.workdays import (
    business_day_on_or_after,
    business_days_after,
    business_days_before,
    business_days_between,
    is_business_day,
)
from openincome.payments.queries import collection_window, next_on

D = datetime.date
days = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=30))
def test_working_days_after_and_before_undo_each_other(day, n):
    later = business_days_after(day, n)
    assert business_days_between(day, later) == n
    if is_business_day(day):
        assert business_days_before(later, n) == day


@settings(max_examples=200, deadline=None)
@given(days)
def test_every_due_date_is_collected_on_exactly_one_working_day(day):
    collect_on = business_day_on_or_after(day)
    first, last = collection_window(collect_on)
    assert first <= day <= last and is_business_day(collect_on)
    following = business_days_after(collect_on, 1)
    assert collection_window(following)[0] == last + datetime.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(days, days, st.sampled_from(["weekly", "fortnightly", "four_weekly"]),
       st.integers(min_value=0, max_value=6))
def test_a_weekly_schedule_falls_on_its_weekday_every_n_weeks(start, on, frequency, weekday):
    due = next_on(frequency, weekday, start, on)
    step = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}[frequency]
    assert due >= max(start, on) and due.weekday() == weekday
    anchor = next_on(frequency, weekday, start, start)
    assert (due - anchor).days % step == 0 and due - max(start, on) < datetime.timedelta(step)


@settings(max_examples=300, deadline=None)
@given(days, days, st.integers(min_value=1, max_value=28))
def test_a_monthly_schedule_is_the_first_such_day_on_or_after(start, on, day):
    due = next_on("monthly", day, start, on)
    assert due.day == day and due >= max(start, on)
    assert (due - max(start, on)).days < 31


def test_bank_holidays_move_the_collection_table():
    # (due date, collected on) in 2026.
    rows = [
        (D(2026, 4, 3), D(2026, 4, 7)),    # Good Friday, then Easter Monday
        (D(2026, 4, 4), D(2026, 4, 7)),    # Saturday of Easter
        (D(2026, 12, 25), D(2026, 12, 29)),  # Christmas; Boxing Day substitute on the 28th
        (D(2026, 8, 31), D(2026, 9, 1)),   # late summer bank holiday (England and Wales)
        (D(2026, 8, 3), D(2026, 8, 3)),    # Scotland's summer holiday: a Bacs working day
    ]
    for due, collected in rows:
        assert business_day_on_or_after(due) == collected, due
