"""The payments actions called directly: allocate from suspense, resolve a held payment,
transfer a misposted one; each audited, each a new transaction, never an edit."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.common.appendonly import AppendOnlyError
from openincome.ledger.models import Tenancy, Transaction
from openincome.payments import queries
from openincome.payments.actions import (
    PaymentStateError,
    allocate_suspense,
    import_payment_file,
    resolve_duplicate,
    save_bank_mapping,
    transfer_payment,
)
from openincome.payments.models import BankCsvMapping, Payment, SuspenseMovement, Transfer

from .conftest import SAMPLES, write

HEADER = "Transaction ID,Client Reference,Amount,Transaction Date,Payment Channel\n"


def _tenancy(ref: str) -> Tenancy:
    return Tenancy.objects.get(tenancy_ref=ref)


@pytest.fixture
def imported(landlord):
    """The allpay sample imported: three posted, AP-100003 (£12.00) in suspense."""
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    return Payment.objects.get(status="suspense")


def test_allocate_posts_a_transaction_and_moves_money_out_of_suspense(imported):
    assert queries.suspense_balance() == 1200
    tenancy = _tenancy("EX-0002")
    allocate_suspense(imported.pk, tenancy, "finance_user", note="tenant rang with receipt")
    tx = Transaction.objects.get(transaction_ref=f"SUS{imported.pk}")
    assert (tx.tenancy, tx.amount, tx.type, tx.date) == (
        tenancy, -1200, "payment_allpay", datetime.date(2026, 3, 3))
    imported.refresh_from_db()
    assert (imported.status, imported.tenancy, imported.resolved_by) == (
        "allocated", tenancy, "finance_user")
    assert queries.suspense_balance() == 0
    out = SuspenseMovement.objects.get(kind="out")
    assert (out.amount, out.tenancy, out.transaction_ref) == (1200, tenancy, tx.transaction_ref)
    event = AuditEvent.objects.get(action="allocate_suspense")
    assert event.details["tenancy_ref"] == "EX-0002" and event.why == "tenant rang with receipt"
    with pytest.raises(AppendOnlyError):
        out.delete()


def test_allocating_twice_is_refused_and_writes_nothing(imported):
    allocate_suspense(imported.pk, _tenancy("EX-0002"), "a")
    count = Transaction.objects.count()
    with pytest.raises(PaymentStateError):
        allocate_suspense(imported.pk, _tenancy("EX-0001"), "b")
    assert Transaction.objects.count() == count
    assert AuditEvent.objects.filter(action="allocate_suspense").count() == 1


@pytest.fixture
def held(landlord, tmp_path):
    """A held duplicate: AP-1 twice in one file (the second is held, on EX-0001)."""
    text = (HEADER + "AP-1,PAY000001,10.00,02/03/2026,PayPoint\n"
            "AP-1,PAY000001,10.00,02/03/2026,PayPoint\n")
    import_payment_file(write(tmp_path, "x.csv", text), "allpay", actor="test")
    return Payment.objects.get(status="held")


def test_confirming_a_held_payment_posts_it(held):
    resolve_duplicate(held.pk, "confirm", "fin", note="two separate payments, receipts seen")
    held.refresh_from_db()
    assert held.status == "confirmed"
    tx = Transaction.objects.get(transaction_ref=f"DUP{held.pk}")
    assert (tx.tenancy.tenancy_ref, tx.amount) == ("EX-0001", -1000)
    assert AuditEvent.objects.filter(action="duplicate_confirmed").exists()


def test_rejecting_a_held_payment_posts_nothing_and_needs_a_reason(held):
    with pytest.raises(ValueError):
        resolve_duplicate(held.pk, "reject", "fin")
    count = Transaction.objects.count()
    resolve_duplicate(held.pk, "reject", "fin", note="provider sent it twice")
    held.refresh_from_db()
    assert (held.status, held.resolution_note) == ("rejected", "provider sent it twice")
    assert Transaction.objects.count() == count
    with pytest.raises(PaymentStateError):
        resolve_duplicate(held.pk, "confirm", "fin")


def test_confirming_a_held_payment_without_a_tenancy_sends_it_to_suspense(landlord, tmp_path):
    text = (HEADER + "AP-1,NOBODY,10.00,02/03/2026,PayPoint\n"
            "AP-1,NOBODY,10.00,02/03/2026,PayPoint\n")
    import_payment_file(write(tmp_path, "x.csv", text), "allpay", actor="test")
    held = Payment.objects.get(status="held")
    resolve_duplicate(held.pk, "confirm", "fin")
    assert Payment.objects.filter(status="suspense").count() == 2
    assert queries.suspense_balance() == 2000


def test_transfer_reverses_and_reposts_linked_never_editing(imported):
    original = Transaction.objects.get(transaction_ref__startswith="PAY",
                                       tenancy__tenancy_ref="EX-0002")
    moved = transfer_payment(original.transaction_ref, _tenancy("EX-0001"), "fin",
                             on=datetime.date(2026, 3, 20), why="paid on the wrong card")
    reversal = Transaction.objects.get(transaction_ref=moved.reversal_ref)
    new = Transaction.objects.get(transaction_ref=moved.new_ref)
    assert (reversal.tenancy.tenancy_ref, reversal.type, reversal.amount) == (
        "EX-0002", "payment_reversal", 4050)
    assert (new.tenancy.tenancy_ref, new.type, new.amount) == ("EX-0001", "payment_allpay", -4050)
    assert original.transaction_ref in reversal.description
    assert original.transaction_ref in new.description
    assert Transaction.objects.get(pk=original.pk).amount == -4050  # untouched
    assert AuditEvent.objects.get(action="transfer_payment").details["to"] == "EX-0001"
    with pytest.raises(PaymentStateError, match="moved already"):
        transfer_payment(original.transaction_ref, _tenancy("EX-0003"), "fin",
                         on=datetime.date(2026, 3, 21), why="again")
    with pytest.raises(PaymentStateError, match="not a payment"):
        transfer_payment(moved.reversal_ref, _tenancy("EX-0003"), "fin",
                         on=datetime.date(2026, 3, 21), why="a reversal")
    assert Transfer.objects.count() == 1


def test_bank_mapping_is_saved_once_and_audited(db):
    save_bank_mapping("main", "admin", date_column="Date", amount_column="Amount",
                      reference_column="Ref")
    save_bank_mapping("main", "admin", date_column="Posted", amount_column="Amount",
                      reference_column="Ref")
    assert BankCsvMapping.objects.get().date_column == "Posted"
    assert AuditEvent.objects.filter(action="bank_mapping_saved").count() == 2
    with pytest.raises(ValueError):
        save_bank_mapping("x", "admin", date_column="D", reference_column="R")
    with pytest.raises(ValueError):
        save_bank_mapping("x", "admin", date_column="D", reference_column="R", amount_column="A",
                          credit_column="C")
