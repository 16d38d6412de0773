"""The breach date and the chart come from the engine: `breached_since` finds the first day of
the breach the engine sees today by classifying at the plan's step dates (POLICY.md §4), and
`progress` charts the engine's expected balance against the arrears it compares.

Each case: EX-0002 owes £1,090.35 and pays nothing unless the case posts it; an agreement of
£10.00 a week starts on Monday 23 November 2026 (S), first looked for on Saturday 28th (S + 5).
"""

import datetime

import pytest

from openincome.agreements import actions
from openincome.agreements.queries import (
    EngineViews,
    breached_since,
    monitoring,
    progress,
    step_dates,
)
from openincome.ledger.models import Transaction

from .conftest import ARREARS, D, pay, tenancy

pytestmark = pytest.mark.django_db
INST = 1_000
LONG = "A small instalment, longer than the policy's term"


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


def reverse_payment(on: datetime.date, pence: int) -> None:
    """A payment bounced: the arrears go back up between two step dates."""
    Transaction.objects.create(transaction_ref=f"TEST-REV-{on}", tenancy=tenancy(), date=on,
                               type="payment_reversal", amount=pence)


# (what, payments as (day offset, pence), reversals likewise, as-of offset, since offset)
ROWS = [
    ("kept: no breach date", [(1, INST)], [], 8, None),
    ("nothing paid: breached from the first due date", [], [], 40, 5),
    ("two instalments paid, then none: breached from the third due date",
     [(1, INST), (8, INST)], [], 40, 19),
    ("caught up, then behind again: the date of the breach today, not the first one",
     [(14, 2 * INST)], [], 30, 19),
    ("a payment bounced between two due dates: breached from the day it bounced",
     [(1, 3 * INST)], [(15, 3 * INST)], 30, 15),
    ("a year of nothing paid: found past the chart's points", [], [], 370, 5),
]


@pytest.mark.parametrize(("what", "payments", "reversals", "at", "since"), ROWS,
                         ids=[r[0] for r in ROWS])
def test_breached_since_is_the_first_day_of_the_breach_the_engine_sees(
        landlord, what, payments, reversals, at, since):
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency="weekly",
                                       start=D, as_of=D, reason=LONG)
    for offset, pence in payments:
        pay("EX-0002", day(offset), pence)
    for offset, pence in reversals:
        reverse_payment(day(offset), pence)
    views = EngineViews(tenancy())
    found = breached_since(agreement, day(at), views)
    assert found == (None if since is None else day(since))
    if since is not None:
        # The engine saw it breached that day and not the day before.
        assert views.breached(agreement, day(since))
        assert since == 0 or not views.breached(agreement, day(since - 1))


def test_a_long_breach_is_found_with_far_fewer_engine_calls_than_step_dates(landlord):
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency="weekly",
                                       start=D, as_of=D, reason=LONG)
    views = EngineViews(tenancy())
    assert breached_since(agreement, day(370), views) == day(5)
    assert len(step_dates(agreement, day(370))) == 54
    assert len(views.seen) <= 30


def test_breached_from_the_start_when_the_arrears_already_exceed_the_balance_agreed(landlord):
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency="monthly",
                                       start=D, as_of=D, starting_balance=50_000, reason=LONG)
    assert breached_since(agreement, day(3)) == D


def test_step_dates_follow_section_4_and_stop_when_the_plan_is_paid(landlord):
    agreement = actions.make_agreement(tenancy(), None, instalment=40_000, frequency="monthly",
                                       start=D, as_of=D, starting_balance=100_000, reason=LONG)
    # S, then S + 5 and a calendar month at a time; three instalments meet £1,000.00.
    assert step_dates(agreement, day(400)) == [
        D, datetime.date(2026, 11, 28), datetime.date(2026, 12, 28), datetime.date(2027, 1, 28)]
    assert step_dates(agreement, day(-1)) == []


def test_the_chart_is_the_engines_figures_at_the_latest_step_dates(landlord):
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency="weekly",
                                       start=D, as_of=D, reason=LONG)
    pay("EX-0002", day(1), INST)
    done = progress(agreement, day(200))
    assert len(done.points) == 12
    last = done.points[-1]
    state = monitoring(agreement, day(200))
    assert (last["date"], last["expected"], last["arrears"]) == (
        day(200).isoformat(), state.expected, state.compared)
    # Every point but today's is a due date: S + 5 and then every 7 days.
    assert all((datetime.date.fromisoformat(p["date"]) - day(5)).days % 7 == 0
               for p in done.points[:-1])
    assert done.points[0]["arrears"] == ARREARS - INST
    assert done.paid == INST and done.breached_since == day(12)


def test_an_engine_reading_is_reused_only_while_its_inputs_are_unchanged(landlord):
    """engine_view keeps readings by a digest of the engine's inputs: the same date read again
    gives the same figures without classifying, and a payment dated that day is seen."""
    from openincome.agreements import queries

    queries._READINGS.clear()  # a full suite may have filled it to its bound
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency="weekly",
                                       start=D, as_of=D, reason=LONG)
    first = queries.engine_view(tenancy(), day(12))
    kept = len(queries._READINGS)
    assert queries.engine_view(tenancy(), day(12)) == first and len(queries._READINGS) == kept
    pay("EX-0002", day(12), 2 * INST)
    again = queries.engine_view(tenancy(), day(12))
    assert again["compared"] == first["compared"] - 2 * INST
    assert len(queries._READINGS) == kept + 1
    # A payment after the date is no input at that date: the reading before it still serves.
    pay("EX-0002", day(20), INST)
    assert queries.engine_view(tenancy(), day(12)) == again
    assert len(queries._READINGS) == kept + 1
    assert not EngineViews(tenancy()).breached(agreement, day(12))
