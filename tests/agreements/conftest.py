"""Agreements are made on the three-tenancy example: EX-0002 owes £1,090.35 (no payments after
March 2026, so its balance stands still unless a test posts one)."""

import datetime
import itertools

import pytest

from openincome.interchange import import_folder
from openincome.ledger.models import Tenancy, Transaction

D = datetime.date(2026, 11, 23)  # a Monday
ARREARS = 109_035
_refs = itertools.count(1)


@pytest.fixture
def landlord(example_folder):
    import_folder(example_folder, actor="test")


def tenancy(ref: str = "EX-0002") -> Tenancy:
    return Tenancy.objects.get(tenancy_ref=ref)


def pay(ref: str, on: datetime.date, pence: int) -> None:
    """Post a card payment (a credit: negative signed pence)."""
    Transaction.objects.create(transaction_ref=f"TEST-AG-{next(_refs)}", tenancy=tenancy(ref),
                               date=on, type="payment_card", amount=-pence)
