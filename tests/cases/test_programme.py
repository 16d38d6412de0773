"""The officer's week: instalment due dates, each day's entries, and cases not contacted."""

import calendar
import datetime
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openincome.agreements.models import Agreement
from openincome.agreements.queries import instalments_due
from openincome.cases.models import Contact
from openincome.cases.nightly import run_nightly
from openincome.cases.programme import (
    Scope,
    action_counts,
    not_contacted,
    run_for,
    uk_date,
    week_of,
    week_programme,
)
from openincome.interchange import import_folder
from openincome.ledger.limits import DATE_MAX, DATE_MIN
from openincome.ledger.models import Promise, RecordedAction, Tenancy
from openincome.legal.models import CourtCase, Notice
from openincome.staff.actions import add_user

D = datetime.date
PERIODS = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}
MONDAY = D(2026, 12, 7)
SUNDAY = D(2026, 12, 13)


# --- instalments_due: a pure function -------------------------------------------------------

@pytest.mark.parametrize(("start", "frequency", "instalment", "balance", "first", "last",
                          "expected"), [
    # weekly from the start day itself
    (D(2026, 12, 7), "weekly", 1000, 10000, MONDAY, SUNDAY, [(D(2026, 12, 7), 1000)]),
    # started weeks ago: this week's instalment falls on the start's weekday
    (D(2026, 11, 4), "weekly", 1000, 10000, MONDAY, SUNDAY, [(D(2026, 12, 9), 1000)]),
    # fortnightly: every other week has none
    (D(2026, 11, 30), "fortnightly", 2000, 10000, MONDAY, SUNDAY, []),
    (D(2026, 11, 30), "fortnightly", 2000, 10000, D(2026, 12, 14), D(2026, 12, 20),
     [(D(2026, 12, 14), 2000)]),
    (D(2026, 11, 12), "four_weekly", 2500, 10000, MONDAY, SUNDAY, [(D(2026, 12, 10), 2500)]),
    # monthly keeps the day of the month, or the month's last day when shorter
    (D(2026, 10, 8), "monthly", 3000, 30000, MONDAY, SUNDAY, [(D(2026, 12, 8), 3000)]),
    (D(2027, 1, 31), "monthly", 3000, 30000, D(2027, 2, 22), D(2027, 2, 28),
     [(D(2027, 2, 28), 3000)]),
    (D(2028, 1, 31), "monthly", 3000, 30000, D(2028, 2, 28), D(2028, 3, 5),
     [(D(2028, 2, 29), 3000)]),
    # ... and goes back to the 31st after a short month
    (D(2027, 1, 31), "monthly", 3000, 30000, D(2027, 3, 29), D(2027, 4, 4),
     [(D(2027, 3, 31), 3000)]),
    # the last instalment is what is left of the balance; after it, nothing is due
    (D(2026, 11, 23), "weekly", 1000, 2500, MONDAY, SUNDAY, [(D(2026, 12, 7), 500)]),
    (D(2026, 11, 23), "weekly", 1000, 2500, D(2026, 12, 14), D(2026, 12, 20), []),
    # a week before the agreement starts has none
    (D(2026, 12, 14), "weekly", 1000, 10000, MONDAY, SUNDAY, []),
    # an agreement with nothing to pay, or paying nothing, has no instalments
    (D(2026, 12, 7), "weekly", 0, 10000, MONDAY, SUNDAY, []),
    (D(2026, 12, 7), "weekly", 1000, 0, MONDAY, SUNDAY, []),
    # the last accepted week: no overflow past it
    (D(2199, 12, 30), "monthly", 1, 10**8, D(2199, 12, 30), DATE_MAX, [(D(2199, 12, 30), 1)]),
])
def test_instalments_fall_due_from_the_start_each_period(
    start, frequency, instalment, balance, first, last, expected
):
    assert instalments_due(start, frequency, instalment, balance, first, last,
                           PERIODS) == expected


dates = st.dates(D(1990, 1, 1), D(2150, 12, 31))


@st.composite
def agreements(draw):
    """(start, frequency, instalment, starting balance) of up to 300 instalments."""
    instalment = draw(st.integers(1, 50_000))
    count = draw(st.integers(1, 300))
    balance = draw(st.integers((count - 1) * instalment + 1, count * instalment))
    return draw(dates), draw(st.sampled_from([*PERIODS, "monthly"])), instalment, balance


@given(agreements())
def test_all_instalments_pay_exactly_the_starting_balance(agreement):
    start, frequency, instalment, balance = agreement
    due = instalments_due(start, frequency, instalment, balance, start, DATE_MAX, PERIODS)
    assert sum(p for _, p in due) == balance
    assert len(due) == -(-balance // instalment)
    assert due[0][0] == start and all(0 < p <= instalment for _, p in due)
    days = [d for d, _ in due]
    for a, b in pairwise(days):
        if frequency in PERIODS:
            assert (b - a).days == PERIODS[frequency]
        else:  # the next calendar month, on the start's day or the month's last
            assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1
            assert b.day == min(start.day, calendar.monthrange(b.year, b.month)[1])


@given(agreements(), dates, st.integers(0, 400), st.integers(0, 400))
def test_a_window_split_in_two_finds_the_same_instalments(agreement, first, left, right):
    start, frequency, instalment, balance = agreement
    middle = first + datetime.timedelta(days=left)
    last = middle + datetime.timedelta(days=right)
    whole = instalments_due(start, frequency, instalment, balance, first, last, PERIODS)
    assert whole == (
        instalments_due(start, frequency, instalment, balance, first, middle, PERIODS)
        + instalments_due(start, frequency, instalment, balance,
                          middle + datetime.timedelta(days=1), last, PERIODS))
    assert all(max(first, start) <= d <= last for d, _ in whole)


@pytest.mark.parametrize(("day", "monday", "sunday"), [
    (D(2026, 12, 7), D(2026, 12, 7), D(2026, 12, 13)),
    (D(2026, 12, 13), D(2026, 12, 7), D(2026, 12, 13)),
    (D(2027, 1, 1), D(2026, 12, 28), D(2027, 1, 3)),
    (DATE_MIN, DATE_MIN, D(1900, 1, 7)),  # 1 Jan 1900 was a Monday
    (DATE_MAX, D(2199, 12, 30), DATE_MAX),
])
def test_a_week_runs_monday_to_sunday_within_the_accepted_dates(day, monday, sunday):
    assert week_of(day) == (monday, sunday)


def test_dates_read_the_uk_way():
    assert uk_date(D(2026, 12, 7)) == "Mon 7 Dec 2026"


# --- the week's entries, from the records ---------------------------------------------------

@pytest.fixture
def landlord(db, example_folder):
    """EX-0001 and EX-0002 on patch EAST, EX-0003 on WEST; officer1 works EAST."""
    import_folder(example_folder, actor="test")
    return add_user("officer1", "officer", "pw-officer1-long", ["EAST"], actor="test")


def _tenancy(ref):
    return Tenancy.objects.get(tenancy_ref=ref)


def _agreement(ref, **kw):
    values = dict(kind="informal", start_date=D(2026, 11, 2), starting_balance=50000,
                  instalment=1500, frequency="weekly", status="live")
    Agreement.objects.create(agreement_ref=f"AG-{ref}", tenancy=_tenancy(ref), **{**values, **kw})


def _contact(ref, officer, **kw):
    values = dict(date=D(2026, 12, 1), channel="phone", direction="outbound",
                  outcome="spoke_to_tenant", callback_date=D(2026, 12, 9))
    return Contact.objects.create(tenancy=_tenancy(ref), officer=officer, **{**values, **kw})


def _entries(scope):
    days = week_programme(scope, MONDAY, PERIODS)
    assert [d.day for d in days] == [MONDAY + datetime.timedelta(i) for i in range(7)]
    return [(e.day, e.kind, e.tenancy_ref, e.amount) for d in days for e in d.entries]


EAST = Scope(("EAST",), "officer1")


@pytest.mark.parametrize(("make", "scope", "expected"), [
    ("live weekly agreement", EAST, [(D(2026, 12, 7), "instalment", "EX-0002", 1500)]),
    ("cancelled agreement", EAST, []),
    ("agreement on another patch", EAST, []),
    ("agreement on another patch", Scope(), [(D(2026, 12, 7), "instalment", "EX-0003", 1500)]),
    ("hearing this week", EAST, [(D(2026, 12, 10), "hearing", "EX-0001", None)]),
    ("hearing next week", EAST, []),
    ("notice dates this week", EAST, [(D(2026, 12, 8), "notice_proceedings", "EX-0002", None),
                                      (D(2026, 12, 11), "notice_expiry", "EX-0002", None)]),
    ("callback by the officer", EAST, [(D(2026, 12, 9), "callback", "EX-0001", None)]),
    # covering another patch: the officer's own callback still shows on their week
    ("officer's callback on another patch", EAST,
     [(D(2026, 12, 9), "callback", "EX-0003", None)]),
    ("officer's callback on another patch", Scope(("EAST",)), []),
    ("colleague's callback on another patch", EAST, []),
    ("contact without a callback", EAST, []),
    ("promise due this week", EAST, [(D(2026, 12, 11), "promise", "EX-0002", 4500)]),
    ("promise due next week", EAST, []),
])
def test_each_record_puts_its_entries_on_their_days(landlord, make, scope, expected):
    colleague = add_user("officer2", "officer", "pw-officer2-long", ["WEST"], actor="test")
    {
        "live weekly agreement": lambda: _agreement("EX-0002"),
        "cancelled agreement": lambda: _agreement("EX-0002", status="cancelled"),
        "agreement on another patch": lambda: _agreement("EX-0003"),
        "hearing this week": lambda: CourtCase.objects.create(
            case_ref="CC-1", tenancy=_tenancy("EX-0001"), claim_date=D(2026, 10, 1),
            hearing_date=D(2026, 12, 10)),
        "hearing next week": lambda: CourtCase.objects.create(
            case_ref="CC-1", tenancy=_tenancy("EX-0001"), claim_date=D(2026, 10, 1),
            hearing_date=D(2026, 12, 14)),
        "notice dates this week": lambda: Notice.objects.create(
            notice_ref="N-2", tenancy=_tenancy("EX-0002"), kind="section_8",
            served_date=D(2026, 11, 20), earliest_proceedings_date=D(2026, 12, 8),
            expiry_date=D(2026, 12, 11)),
        "callback by the officer": lambda: _contact("EX-0001", landlord),
        "officer's callback on another patch": lambda: _contact("EX-0003", landlord),
        "colleague's callback on another patch": lambda: _contact("EX-0003", colleague),
        "contact without a callback": lambda: _contact("EX-0001", landlord, callback_date=None),
        "promise due this week": lambda: Promise.objects.create(
            promise_ref="PR-1", tenancy=_tenancy("EX-0002"), made_date=D(2026, 12, 2),
            due_date=D(2026, 12, 11), amount=4500),
        "promise due next week": lambda: Promise.objects.create(
            promise_ref="PR-1", tenancy=_tenancy("EX-0002"), made_date=D(2026, 12, 2),
            due_date=D(2026, 12, 14), amount=4500),
    }[make]()
    assert _entries(scope) == expected


def test_a_day_lists_its_entries_by_kind_with_the_tenant_and_details(landlord):
    _agreement("EX-0002", start_date=D(2026, 12, 9))
    _contact("EX-0002", landlord)
    CourtCase.objects.create(case_ref="CC-7", tenancy=_tenancy("EX-0002"),
                             claim_date=D(2026, 10, 1), hearing_date=D(2026, 12, 9))
    wednesday = week_programme(EAST, MONDAY, PERIODS)[2]
    assert [(e.label, e.name, e.detail) for e in wednesday.entries] == [
        ("Court hearing", "Sam Patel", "Court case CC-7"),
        ("Agreement instalment due", "Sam Patel", "Agreement AG-EX-0002"),
        ("Call back", "Sam Patel", "Arranged by officer1 on Tue 1 Dec 2026"),
    ]


# --- cases not contacted --------------------------------------------------------------------

AS_OF = D(2026, 11, 23)


@pytest.mark.parametrize(("contacts", "expected"), [
    # EX-0002's last contact action is 9 Mar 2026; EX-0001 has never been contacted
    ([], [("EX-0001", None), ("EX-0002", D(2026, 3, 9))]),
    # a logged contact inside the 28 days takes the case off the list
    ([("contact", "EX-0002", D(2026, 11, 1))], [("EX-0001", None)]),
    # ... and so does a contact action (a letter is not a contact)
    ([("contact_attempted", "EX-0001", D(2026, 11, 20))], [("EX-0002", D(2026, 3, 9))]),
    ([("letter_1_sent", "EX-0001", D(2026, 11, 20))],
     [("EX-0001", None), ("EX-0002", D(2026, 3, 9))]),
    # exactly 28 days ago still counts; 29 days ago does not
    ([("contact", "EX-0001", D(2026, 10, 26))], [("EX-0002", D(2026, 3, 9))]),
    ([("contact", "EX-0001", D(2026, 10, 25))],
     [("EX-0002", D(2026, 3, 9)), ("EX-0001", D(2026, 10, 25))]),
    # a contact after the date looked at is not known then
    ([("contact", "EX-0001", D(2026, 11, 24))], [("EX-0001", None), ("EX-0002", D(2026, 3, 9))]),
])
def test_cases_in_arrears_without_a_recent_contact_are_listed_longest_first(
    landlord, contacts, expected
):
    for what, ref, day in contacts:
        if what == "contact":
            _contact(ref, landlord, date=day, callback_date=None)
        else:
            RecordedAction.objects.create(tenancy=_tenancy(ref), date=day, code=what)
    run = run_nightly(AS_OF)
    rows = not_contacted(run, EAST, AS_OF, 28)
    assert [(r.tenancy.tenancy_ref, None if r.latest == DATE_MIN else r.latest)
            for r in rows] == expected


def test_not_contacted_keeps_to_the_patches_in_view(landlord):
    run = run_nightly(AS_OF)
    west = not_contacted(run, Scope(("WEST",)), AS_OF, 28)
    assert [r.tenancy.tenancy_ref for r in west] == ["EX-0003"]  # a former tenant who owes
    assert not_contacted(run, Scope(), AS_OF, 28).count() == 3


def test_the_latest_run_on_or_before_a_date_is_used(landlord):
    assert run_for(AS_OF) is None
    run = run_nightly(AS_OF)
    assert run_for(AS_OF + datetime.timedelta(days=10)) == run
    assert run_for(AS_OF - datetime.timedelta(days=1)) is None
    assert action_counts(run, EAST) == [("send_letter_1", 1), ("send_court_warning", 1)]


@pytest.mark.parametrize(("later", "done"), [
    (None, False),
    # the tenant was called again (even a day early): the call-back is answered
    (D(2026, 12, 8), True),
    (D(2026, 12, 1), True),
    # a contact logged later but about an earlier day does not answer it
    (D(2026, 11, 30), False),
])
def test_a_call_back_is_done_once_a_later_contact_is_logged(landlord, later, done):
    _contact("EX-0001", landlord)
    if later:
        _contact("EX-0001", landlord, date=later, callback_date=None)
    [entry] = [e for d in week_programme(EAST, MONDAY, PERIODS) for e in d.entries]
    assert (entry.kind, entry.done) == ("callback", done)
