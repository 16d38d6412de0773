"""POLICY.md §4 and §3.9 as a table, through the database and the engine: an agreement made in
the app is kept or breached at a date exactly as the policy says. One row per case, naming the
paragraph it checks.

Each row: EX-0002 owes £1,090.35 (B); an agreement of £10.00 (I) starts on Monday 23 November
2026 (S); tolerance T = 5 days, so the first instalment is looked for from Saturday 28th.
"""

import datetime

import pytest

from openincome.agreements import actions
from openincome.agreements.queries import monitoring
from openincome.cases.queries import recommendation

from .conftest import ARREARS, D, pay, tenancy

pytestmark = pytest.mark.django_db
INST = 1_000  # I, the instalment
LONG = "A small instalment, longer than the policy's term"


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


# (paragraph, frequency, payments as (day offset, pence), as-of offset, expected, state)
ROWS = [
    ("§4 D < first due date: expected = B", "weekly", [], 4, ARREARS, "live"),
    ("§4 first due date S + T: one instalment expected", "weekly", [], 5, ARREARS - INST,
     "breached"),
    ("§4 first due date S + T, the instalment paid", "weekly", [(5, INST)], 5, ARREARS - INST,
     "live"),
    ("§4 weekly: 6 days after the first due date, still one", "weekly", [(1, INST)], 11,
     ARREARS - INST, "live"),
    ("§4 weekly: 7 days after, two", "weekly", [(1, INST)], 12, ARREARS - 2 * INST, "breached"),
    ("§4 fortnightly: 13 days after, one", "fortnightly", [(1, INST)], 18, ARREARS - INST, "live"),
    ("§4 fortnightly: 14 days after, two", "fortnightly", [(1, INST)], 19, ARREARS - 2 * INST,
     "breached"),
    ("§4 four-weekly: 27 days after, one", "four_weekly", [(1, INST)], 32, ARREARS - INST, "live"),
    ("§4 four-weekly: 28 days after, two", "four_weekly", [(1, INST)], 33, ARREARS - 2 * INST,
     "breached"),
    # Monthly: whole calendar months from 28 November.
    ("§4 monthly: 27 December, one", "monthly", [(1, INST)], 34, ARREARS - INST, "live"),
    ("§4 monthly: 28 December, two", "monthly", [(1, INST)], 35, ARREARS - 2 * INST, "breached"),
    ("§4 a breached agreement is kept again when the tenant catches up", "weekly",
     [(1, INST), (12, INST)], 12, ARREARS - 2 * INST, "live"),
    ("§4 paying ahead keeps it (day 30: 25 days after, four)", "weekly", [(0, 5 * INST)], 30,
     ARREARS - 4 * INST, "live"),
    ("§4 a penny short is a breach", "weekly", [(0, 2 * INST - 1)], 12, ARREARS - 2 * INST,
     "breached"),
]


@pytest.mark.parametrize(("paragraph", "frequency", "payments", "at", "expected", "state"),
                         ROWS, ids=[r[0] for r in ROWS])
def test_section_4(landlord, paragraph, frequency, payments, at, expected, state):
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency=frequency,
                                       start=D, as_of=D, reason=LONG)
    for offset, pence in payments:
        pay("EX-0002", day(offset), pence)
    seen = monitoring(agreement, day(at))
    assert (seen.expected, seen.state) == (expected, state)
    # §3.9: kept -> none (agreement_kept); breached, no breach letter -> review.
    action = recommendation(tenancy(), day(at))["action"]
    assert action == {"live": "none", "breached": "review_breached_agreement"}[state]


def test_section_3_9_breach_letter_then_wait_then_ladder(landlord):
    """§3.9: breached with a letter < 7 days ago waits; ≥ 7 days ago the ladder resumes."""
    from openincome.cases.actions import record_action

    actions.make_agreement(tenancy(), None, instalment=INST, frequency="weekly", start=D,
                           as_of=D, reason=LONG)
    assert recommendation(tenancy(), day(5))["action"] == "review_breached_agreement"
    record_action(tenancy(), None, date=day(5), code="breach_letter_sent", channel="letter",
                  note="", as_of=day(5))
    row = recommendation(tenancy(), day(11))
    assert (row["action"], row["reasons"][0]) == ("none", "waiting_after_breach_letter")
    assert recommendation(tenancy(), day(12))["action"] not in (
        "none", "review_breached_agreement")


def test_section_4_completed_when_the_balance_is_nil(landlord):
    """§4 completed ⇔ balance ≤ 0: the plan ends and the engine no longer monitors it."""
    agreement = actions.make_agreement(tenancy(), None, instalment=INST, frequency="weekly",
                                       start=D, as_of=D, reason=LONG)
    pay("EX-0002", day(3), ARREARS)
    actions.complete_cleared([agreement.tenancy_id], day(3))
    agreement.refresh_from_db()
    assert monitoring(agreement, day(10)).state == "completed"
    assert recommendation(tenancy(), day(10))["reasons"][0] != "agreement_kept"
