"""Every documented sample imports with the counts its docs page states, and reconciles."""

import pytest

from openincome.ledger.models import Transaction
from openincome.payments.actions import import_payment_file
from openincome.payments.models import Payment, PaymentImport, SuspenseMovement

from .conftest import SAMPLES

# source, sample, (payments, posted, suspense, held, ignored), total pence
CASES = [
    ("allpay", "allpay-sample.csv", (4, 3, 1, 0, 0), 10250),
    ("bank-csv", "bank-csv-sample.csv", (3, 2, 1, 0, 1), 23500),
    ("camt053", "camt053-sample.xml", (3, 2, 1, 0, 1), 16375),
    ("hb", "hb-sample.csv", (2, 1, 1, 0, 0), 60000),
    ("uc", "uc-sample.csv", (3, 2, 1, 0, 0), 81820),
]


@pytest.mark.parametrize(("source", "sample", "counts", "total"), CASES,
                         ids=[c[0] for c in CASES])
def test_sample_imports_and_reconciles(landlord, bank_mapping, source, sample, counts, total):
    before = Transaction.objects.count()
    summary = import_payment_file(SAMPLES / sample, source, actor="test", mapping=bank_mapping)
    rows, posted, suspense, held, ignored = counts
    assert (summary.rows, summary.posted[0], summary.suspense[0], summary.held[0],
            summary.ignored) == counts
    assert summary.total == total
    assert summary.reconciled
    assert summary.posted[1] + summary.suspense[1] + summary.held[1] == total
    assert Transaction.objects.count() - before == posted
    assert Payment.objects.filter(status="suspense").count() == suspense
    assert SuspenseMovement.objects.filter(kind="in").count() == suspense
    run = PaymentImport.objects.get()
    assert (run.posted_total, run.suspense_total, run.total) == (
        summary.posted[1], summary.suspense[1], total)
    assert any("reconciled" in line for line in summary.summary_lines())


def test_uc_schedule_posts_managed_payments_and_deductions_as_their_types(landlord):
    import_payment_file(SAMPLES / "uc-sample.csv", "uc", actor="test")
    posted = dict(Transaction.objects.filter(transaction_ref__startswith="PAY")
                  .values_list("type", "amount"))
    assert posted == {"uc_direct": -41000, "tpd": -1820}
    assert set(Transaction.objects.filter(transaction_ref__startswith="PAY").values_list(
        "tenancy__tenancy_ref", flat=True)) == {"EX-0002"}  # matched by claim UC-77
