"""The ledger is append-only: the model layer and the database both refuse changes."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from openincome.audit.log import record
from openincome.audit.models import AuditEvent
from openincome.ledger.appendonly import AppendOnlyError
from openincome.ledger.models import Transaction

from .factories import make_tenancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def tx():
    tenancy = make_tenancy("T1")
    return Transaction.objects.create(
        transaction_ref="TX1", tenancy=tenancy, date=datetime.date(2026, 1, 5), type="rent",
        amount=10000,
    )


def test_saving_an_existing_transaction_is_refused(tx):
    tx.amount = 1
    with pytest.raises(AppendOnlyError):
        tx.save()


def test_deleting_a_transaction_is_refused(tx):
    with pytest.raises(AppendOnlyError):
        tx.delete()


def test_queryset_update_and_delete_are_refused(tx):
    with pytest.raises(AppendOnlyError):
        Transaction.objects.filter(pk=tx.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        Transaction.objects.filter(pk=tx.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_transaction SET amount = 1",
        "DELETE FROM ledger_transaction",
        "UPDATE audit_auditevent SET why = 'changed'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(tx, sql):
    record("test_event", why="an audited change")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Transaction.objects.get(pk=tx.pk).amount == 10000
    assert AuditEvent.objects.filter(why="an audited change").count() == 1


def test_the_database_refuses_a_credit_with_a_debit_sign():
    tenancy = make_tenancy("T2")
    with pytest.raises(DatabaseError), transaction.atomic():
        Transaction.objects.create(
            transaction_ref="BAD", tenancy=tenancy, date=datetime.date(2026, 1, 5),
            type="payment_dd", amount=500,
        )


def test_audit_events_cannot_be_changed():
    event = record("test_event", why="reason")
    event.why = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
