"""`post-rent` posts each due charge period once, honouring rent-free weeks and pro rata."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import main
from openincome.ledger.actions import post_rent
from openincome.ledger.balances import balance
from openincome.ledger.models import Charge, RentFreeWeek, Transaction

from .factories import make_tenancy

pytestmark = pytest.mark.django_db
D = datetime.date
APRIL_6 = D(2026, 4, 6)


def weekly_rent(ref="R1", amount=10000, start=APRIL_6, **kw):
    tenancy = make_tenancy(ref, start=start, **kw)
    Charge.objects.create(
        tenancy=tenancy, charge_code="rent", amount=amount, frequency="weekly",
        effective_from=start,
    )
    return tenancy


def test_weekly_rent_is_posted_on_each_rent_week_through_the_date():
    tenancy = weekly_rent()
    result = post_rent(D(2026, 4, 27))
    assert result.posted == 4  # weeks of 6, 13, 20 and 27 April
    dates = list(Transaction.objects.filter(tenancy=tenancy).values_list("date", flat=True))
    assert dates == [D(2026, 4, 6), D(2026, 4, 13), D(2026, 4, 20), D(2026, 4, 27)]
    assert balance(tenancy, D(2026, 4, 30)) == 40000


def test_posting_twice_posts_nothing_new_and_audits_once():
    weekly_rent()
    post_rent(D(2026, 4, 27))
    again = post_rent(D(2026, 4, 27))
    assert (again.posted, again.already_posted) == (0, 4)
    assert AuditEvent.objects.filter(action="post_rent").count() == 1


def test_an_imported_debit_without_period_start_counts_as_posted():
    tenancy = weekly_rent()
    Transaction.objects.create(
        transaction_ref="IMP-1", tenancy=tenancy, date=D(2026, 4, 8), type="rent", amount=10000
    )
    result = post_rent(D(2026, 4, 13))
    assert (result.posted, result.already_posted) == (1, 1)


def test_rent_free_weeks_are_skipped():
    tenancy = weekly_rent()
    RentFreeWeek.objects.create(week_start=D(2026, 4, 13))
    post_rent(D(2026, 4, 27))
    assert Transaction.objects.filter(tenancy=tenancy).count() == 3


def test_a_tenancy_starting_midweek_pays_pro_rata_for_its_first_week():
    tenancy = weekly_rent(start=D(2026, 4, 9), amount=7000)  # a Thursday: 4 of 7 days
    post_rent(D(2026, 4, 13))
    amounts = list(Transaction.objects.filter(tenancy=tenancy).values_list("amount", flat=True))
    assert amounts == [4000, 7000]


def test_a_charge_that_ends_stops_posting_and_the_new_one_takes_over():
    tenancy = weekly_rent(start=D(2026, 3, 2))
    Charge.objects.filter(tenancy=tenancy).update(effective_to=D(2026, 4, 5))
    Charge.objects.create(tenancy=tenancy, charge_code="rent", amount=10500, frequency="weekly",
                          effective_from=D(2026, 4, 6))
    post_rent(D(2026, 4, 13))
    rows = list(Transaction.objects.filter(tenancy=tenancy, date__gte=D(2026, 3, 30))
                .values_list("date", "amount"))
    assert rows == [(D(2026, 3, 30), 10000), (D(2026, 4, 6), 10500), (D(2026, 4, 13), 10500)]


def test_monthly_charge_posts_on_the_first_of_each_month():
    tenancy = make_tenancy("M1", start=D(2026, 1, 1))
    Charge.objects.create(tenancy=tenancy, charge_code="garage", amount=3000,
                          frequency="monthly", effective_from=D(2026, 1, 1))
    post_rent(D(2026, 3, 15))
    rows = list(Transaction.objects.filter(tenancy=tenancy).values_list("date", "type"))
    assert rows == [(D(2026, 1, 1), "garage"), (D(2026, 2, 1), "garage"), (D(2026, 3, 1), "garage")]


def test_an_ended_tenancy_is_charged_to_its_end_date_only():
    tenancy = weekly_rent(start=D(2026, 4, 6), end=D(2026, 4, 15))  # ends on a Wednesday
    post_rent(D(2026, 5, 31))
    amounts = list(Transaction.objects.filter(tenancy=tenancy).values_list("amount", flat=True))
    assert amounts == [10000, 4286]  # 3 of 7 days of £100, rounded half-up


def test_post_rent_command_reports_what_it_posted(capsys):
    weekly_rent()
    assert main(["post-rent", "--through", "2026-04-13"]) == 0
    assert "posted 2 charge debits totalling £200.00" in capsys.readouterr().out


def test_post_rent_command_rejects_a_bad_date(capsys):
    assert main(["post-rent", "--through", "13/04/2026"]) == 2
    assert "use YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.django_db
def test_post_rent_refuses_a_date_outside_the_interchange_range():
    weekly_rent()
    with pytest.raises(ValueError, match="cannot post rent through 2200-01-01"):
        post_rent(datetime.date(2200, 1, 1))
    assert not Transaction.objects.exists()
