"""A file or a row seen before is not posted twice; duplicates are held, not posted or
dropped; the totals always reconcile."""

from openincome.ledger.models import Tenancy, Transaction
from openincome.payments.actions import import_payment_file
from openincome.payments.models import Payment, PaymentImport

from .conftest import SAMPLES, write

HEADER = "Transaction ID,Client Reference,Amount,Transaction Date,Payment Channel\n"


def _payment_tx() -> int:
    return Transaction.objects.filter(transaction_ref__startswith="PAY").count()


def test_same_file_twice_posts_nothing_the_second_time(landlord):
    first = import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    posted = _payment_tx()
    again = import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    assert again.seen_before is not None and again.seen_before.pk == first.import_id
    assert "nothing posted" in again.summary_lines()[0]
    assert _payment_tx() == posted == 3
    assert PaymentImport.objects.count() == 1


def test_rows_seen_before_in_another_file_are_skipped_and_reconciled(landlord, tmp_path):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    # A later export overlapping the first: two old rows (one now in suspense) and one new.
    text = (HEADER + "AP-100002,PAY000002,40.50,02/03/2026,Post Office\n"
            "AP-100003,PAY999999,12.00,03/03/2026,allpay app\n"
            "AP-100005,PAY000002,7.00,10/03/2026,PayPoint\n")
    summary = import_payment_file(write(tmp_path, "later.csv", text), "allpay", actor="test")
    assert summary.already == (2, 5250)
    assert summary.posted == (1, 700)
    assert summary.reconciled
    assert _payment_tx() == 4
    assert Payment.objects.filter(status="suspense").count() == 1


def test_same_source_ref_with_other_details_is_held(landlord, tmp_path):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    text = HEADER + "AP-100001,PAY000001,99.00,02/03/2026,PayPoint\n"
    summary = import_payment_file(write(tmp_path, "x.csv", text), "allpay", actor="test")
    assert summary.held == (1, 9900) and summary.posted == (0, 0)
    held = Payment.objects.get(status="held")
    assert held.reason == "same_source_ref"
    assert held.tenancy.tenancy_ref == "EX-0001"  # whose it would be, for finance to judge
    assert _payment_tx() == 3


def test_same_source_ref_twice_in_one_file_holds_the_second(landlord, tmp_path):
    text = (HEADER + "AP-1,PAY000001,10.00,02/03/2026,PayPoint\n"
            "AP-1,PAY000001,10.00,02/03/2026,PayPoint\n")
    summary = import_payment_file(write(tmp_path, "x.csv", text), "allpay", actor="test")
    assert summary.posted == (1, 1000) and summary.held == (1, 1000)
    assert Payment.objects.get(status="held").reason_detail == (
        "same source reference as line 2 of this file")
    # The same rows again in a changed file: both already imported, nothing more posted.
    again = import_payment_file(write(tmp_path, "y.csv", text + "\n"), "allpay", actor="test")
    assert again.already == (2, 2000) and _payment_tx() == 1


def test_same_tenancy_amount_and_date_from_another_channel_is_held(landlord, bank_mapping,
                                                                   tmp_path):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    bank = "Date,Description,Reference,Amount\n02/03/2026,FPI,PAY000001,25.00\n"
    summary = import_payment_file(write(tmp_path, "bank.csv", bank), "bank-csv", actor="test",
                                  mapping=bank_mapping)
    assert summary.held == (1, 2500) and summary.posted == (0, 0)
    held = Payment.objects.get(status="held")
    assert held.reason == "same_day_other_channel"
    assert "Allpay payment PAY" in held.reason_detail
    # The same channel paying the same amount the same day is two payments, not a duplicate.
    more = HEADER + "AP-2,PAY000001,25.00,02/03/2026,PayPoint\n"
    assert import_payment_file(write(tmp_path, "more.csv", more), "allpay",
                               actor="test").posted == (1, 2500)


def test_an_interchange_payment_of_another_type_counts_as_another_channel(landlord, tmp_path):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    Transaction.objects.create(transaction_ref="CARD-1", tenancy=tenancy, type="payment_card",
                               date="2026-03-02", amount=-2500)
    text = HEADER + "AP-9,PAY000001,25.00,02/03/2026,PayPoint\n"
    summary = import_payment_file(write(tmp_path, "x.csv", text), "allpay", actor="test")
    assert summary.held == (1, 2500)
    assert Payment.objects.get().reason_detail == (
        "same tenancy, amount and date as Card payment CARD-1")


def test_a_reference_shared_by_two_tenancies_goes_to_suspense(landlord, tmp_path):
    Tenancy.objects.filter(tenancy_ref="EX-0003").update(payment_reference="PAY000001")
    text = HEADER + "AP-1,pay 000001,10.00,02/03/2026,PayPoint\n"
    summary = import_payment_file(write(tmp_path, "x.csv", text), "allpay", actor="test")
    assert summary.suspense == (1, 1000)
    assert Payment.objects.get().reason == "ambiguous_reference"
