"""Each parser rejects its bad variants whole: every problem as FILE:LINE: COLUMN: message,
and nothing written."""

import pytest

from openincome.audit.models import AuditEvent
from openincome.interchange.errors import ImportFailed
from openincome.ledger.models import Transaction
from openincome.payments.actions import import_payment_file
from openincome.payments.models import Payment, PaymentImport

from .conftest import SAMPLES, write

ALLPAY_HEADER = "Transaction ID,Client Reference,Amount,Transaction Date,Payment Channel\n"
UC_HEADER = "claim_ref,payment_type,period_start,period_end,amount,payment_date\n"
HB_HEADER = "claim_ref,period_start,period_end,amount,payment_date\n"

BAD = [
    ("allpay", "allpay.csv", ALLPAY_HEADER + "AP-1,PAY000001,12.5x,02/03/2026,PayPoint\n"
     "AP-2,PAY000001,10.00,31/02/2026,PayPoint\n,PAY000002,-3.00,02/03/2026,PayPoint\n",
     ["allpay.csv:2: Amount: is not an amount in pounds (for example 12.50) (12.5x)",
      "allpay.csv:3: Transaction Date: is not a date like 31/12/2026 (31/02/2026)",
      "allpay.csv:4: Transaction ID: is required",
      "allpay.csv:4: Amount: must be more than zero (-3.00)"]),
    ("allpay", "allpay.csv", "Transaction ID,Amount,Transaction Date\nAP-1,1.00,02/03/2026\n",
     ["allpay.csv:1: Client Reference: column missing from the header row"]),
    ("allpay", "allpay.csv", ALLPAY_HEADER + "AP-1,PAY000001,1.00\n",
     ["allpay.csv:2: -: row has 3 fields, the header has 5"]),
    ("hb", "hb.csv", HB_HEADER + "HB-1,2026-03-01,2026-02-01,10.00,2026-03-05\n",
     ["hb.csv:2: period_end: is before the period start (2026-02-01)"]),
    ("uc", "uc.csv", UC_HEADER + "UC-77,rent,2026-02-10,2026-03-09,10.00,2026-03-16\n",
     ["uc.csv:2: payment_type: must be apa (managed payment) or tpd (deduction) (rent)"]),
    ("camt053", "st.xml", "<Document><BkToCstmrStmt><Stmt><Ntry>\n</Document>",
     ["st.xml:2: -: not well-formed XML: mismatched tag"]),
    ("camt053", "st.xml", '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<Document/>',
     ["st.xml:1: -: DOCTYPE and entity declarations are not allowed in a camt.053 file"]),
]


def _nothing_written():
    assert not Payment.objects.exists()
    assert not PaymentImport.objects.exists()
    assert not Transaction.objects.filter(transaction_ref__startswith="PAY").exists()
    assert not AuditEvent.objects.filter(action="payment_import").exists()


@pytest.mark.parametrize(("source", "name", "text", "expected"), BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_file_is_rejected_whole(landlord, tmp_path, source, name, text, expected):
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(write(tmp_path, name, text), source, actor="test")
    assert [str(e) for e in failed.value.errors] == expected
    _nothing_written()


def test_camt053_control_total_must_agree(landlord, tmp_path):
    text = (SAMPLES / "camt053-sample.xml").read_text().replace("<Sum>163.75</Sum>",
                                                                 "<Sum>163.76</Sum>")
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(write(tmp_path, "st.xml", text), "camt053", actor="test")
    (error,) = failed.value.errors
    assert error.column == "TtlCdtNtries/Sum"
    assert "163.76 stated, 163.75 in entries" in str(error)
    _nothing_written()


def test_camt053_refuses_other_currencies(landlord, tmp_path):
    text = (SAMPLES / "camt053-sample.xml").read_text().replace('Ccy="GBP">98.40',
                                                                 'Ccy="EUR">98.40')
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(write(tmp_path, "st.xml", text), "camt053", actor="test")
    assert [str(e) for e in failed.value.errors] == [
        "st.xml:17: Ntry/Amt: only pounds (GBP) are accepted (EUR)"]
    _nothing_written()


def test_bank_csv_needs_a_mapping_and_its_columns(landlord, bank_mapping, tmp_path):
    path = write(tmp_path, "bank.csv", "Date,Amount\n02/03/2026,1.00\n")
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(path, "bank-csv", actor="test")
    assert "needs a saved column mapping" in str(failed.value.errors[0])
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(path, "bank-csv", actor="test", mapping=bank_mapping)
    assert [str(e) for e in failed.value.errors] == [
        "bank.csv:1: Reference: column missing from the header row"]
    _nothing_written()


def test_empty_and_non_utf8_files(landlord, tmp_path):
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(write(tmp_path, "a.csv", ALLPAY_HEADER), "allpay", actor="test")
    assert [str(e) for e in failed.value.errors] == ["a.csv:2: -: the file has no payment rows"]
    path = tmp_path / "b.csv"
    path.write_bytes(ALLPAY_HEADER.encode() + b"AP-1,PAY\xff,1.00,02/03/2026,x\n")
    with pytest.raises(ImportFailed) as failed:
        import_payment_file(path, "allpay", actor="test")
    assert "not valid UTF-8" in str(failed.value.errors[0])
    _nothing_written()
