"""The bulk writers' wrapper: clashes become one clear WriteConflict, other errors stay."""

import datetime

import pytest
from django.db import IntegrityError, OperationalError, connection

from openincome.cli import main
from openincome.ledger.locks import WriteConflict, bulk_writer
from openincome.ledger.management.commands import post_rent as command
from openincome.ledger.models import Transaction

from .factories import make_tenancy

pytestmark = pytest.mark.django_db


def duplicate_ref():
    tenancy = make_tenancy("T1")
    for _ in range(2):
        Transaction.objects.create(transaction_ref="DUP", tenancy=tenancy,
                                   date=datetime.date(2026, 1, 5), type="rent", amount=100)


def database_busy():
    raise OperationalError("database is locked")


def wrong_sign():
    Transaction.objects.create(transaction_ref="BAD", tenancy=make_tenancy("T2"),
                               date=datetime.date(2026, 1, 5), type="payment_dd", amount=100)


@pytest.mark.parametrize(
    ("write", "raised", "says"),
    [
        (duplicate_ref, WriteConflict, "another writer added some of the same rows"),
        (database_busy, WriteConflict, "stayed busy with another writer"),
        (wrong_sign, IntegrityError, "tx_sign_matches_type" if connection.vendor ==
         "postgresql" else "CHECK constraint failed"),
    ],
)
def test_a_clash_becomes_a_write_conflict_and_other_errors_stay_as_they_are(
    write, raised, says
):
    with pytest.raises(raised, match=says):
        bulk_writer("test write")(write)()
    assert not Transaction.objects.exists()  # nothing written


def test_post_rent_that_loses_a_clash_exits_1_with_the_message(monkeypatch, capsys):
    def clash(*args, **kwargs):
        raise WriteConflict("nothing written: another writer added some of the same rows")

    monkeypatch.setattr(command, "post_rent", clash)
    assert main(["post-rent", "--through", "2026-01-31"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("openincome post-rent: nothing written: another writer")
    assert "failed:" not in err
