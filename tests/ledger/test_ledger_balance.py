"""Balance as of a date is the database's sum of transactions and equals the Python sum."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openincome.ledger.balances import balance, statement, with_balances
from openincome.ledger.models import Tenancy, Transaction
from openincome.ledger.vocab import TRANSACTION_TYPES, signed

from .factories import make_tenancy

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)

rows = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=400),  # day offset
        st.sampled_from(TRANSACTION_TYPES),
        st.integers(min_value=0, max_value=50_000_000),  # up to £500,000.00 in pence
    ),
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows, as_of_offset=st.integers(min_value=-5, max_value=410))
def test_database_balance_equals_python_sum(rows, as_of_offset):
    # Examples share one rolled-back database transaction, so each adds rows under a new prefix.
    tenancy = Tenancy.objects.filter(tenancy_ref="H1").first() or make_tenancy("H1")
    prefix = f"H{Transaction.objects.count()}-"
    Transaction.objects.bulk_create(
        Transaction(
            transaction_ref=f"{prefix}{i}", tenancy=tenancy,
            date=START + datetime.timedelta(days=day), type=kind, amount=signed(kind, pence),
        )
        for i, (day, kind, pence) in enumerate(rows)
    )
    as_of = START + datetime.timedelta(days=as_of_offset)
    expected = sum(
        t.amount for t in Transaction.objects.filter(tenancy=tenancy) if t.date <= as_of
    )
    assert balance(tenancy, as_of) == expected
    annotated = with_balances(Tenancy.objects.filter(pk=tenancy.pk), as_of).get()
    assert annotated.balance == expected
    _, lines = statement(tenancy, as_of)
    assert (lines[-1].running_balance if lines else 0) == expected


def test_debits_raise_and_credits_lower_the_balance():
    tenancy = make_tenancy("B1")
    day = datetime.date(2026, 3, 2)
    for ref, kind, pence in [("a", "rent", 12000), ("b", "payment_dd", 10000), ("c", "refund", 50)]:
        Transaction.objects.create(
            transaction_ref=ref, tenancy=tenancy, date=day, type=kind, amount=signed(kind, pence)
        )
    assert balance(tenancy, day) == 12000 - 10000 + 50
    assert balance(tenancy, day - datetime.timedelta(days=1)) == 0


def test_future_dated_transactions_are_not_in_the_balance():
    tenancy = make_tenancy("F1")
    Transaction.objects.create(
        transaction_ref="f", tenancy=tenancy, date=datetime.date(2027, 1, 4), type="rent",
        amount=9000,
    )
    assert balance(tenancy, datetime.date(2026, 12, 31)) == 0
    assert balance(tenancy, datetime.date(2027, 1, 4)) == 9000
