"""`openincome payments ...` on the command line: exit codes, summaries and the help."""

import pytest

from openincome.cli import main
from openincome.ledger.models import Transaction
from openincome.payments.models import Payment

from .conftest import SAMPLES, write


@pytest.fixture
def run(capsys):
    def go(*argv):
        code = main(["payments", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_help_names_every_source(run):
    code, out, _ = run("import", "--help")
    assert code == 0
    for name in ("allpay", "bank-csv", "camt053", "hb", "uc"):
        assert name in out
    assert "payments" in main.__globals__["COMMANDS"]


def test_import_prints_the_reconciled_summary(landlord, run):
    code, out, err = run("import", "--source", "allpay", str(SAMPLES / "allpay-sample.csv"))
    assert code == 0, err
    assert "4 payments, total £102.50" in out
    assert "posted: 3 (£90.50)" in out
    assert "to suspense: 1 (£12.00)" in out
    assert "reconciled: £90.50 + £12.00 + £0.00 + £0.00 = £102.50" in out
    code, out, _ = run("import", "--source", "allpay", str(SAMPLES / "allpay-sample.csv"))
    assert code == 0 and "nothing posted" in out
    assert Transaction.objects.filter(transaction_ref__startswith="PAY").count() == 3


def test_bad_file_exits_2_with_lines_and_writes_nothing(landlord, run, tmp_path):
    path = write(tmp_path, "bad.csv", "Transaction ID,Client Reference,Amount,Transaction Date\n"
                 "AP-1,PAY000001,abc,02/03/2026\n")
    code, out, err = run("import", "--source", "allpay", str(path))
    assert code == 2
    assert "bad.csv:2: Amount: is not an amount in pounds (for example 12.50) (abc)" in err
    assert "nothing posted: 1 problem in bad.csv" in err
    assert not Payment.objects.exists()


def test_unknown_source_and_missing_file_exit_2(landlord, run, tmp_path):
    assert run("import", "--source", "paypal", str(tmp_path / "x.csv"))[0] == 2
    assert run("import", "--source", "allpay", str(tmp_path / "none.csv"))[0] == 2


def test_bank_csv_through_a_saved_mapping_then_allocate_and_resolve(landlord, run):
    code, _, err = run("mapping", "main", "--date", "Date", "--amount", "Amount",
                       "--reference", "Reference", "--description", "Description")
    assert code == 0, err
    code, out, err = run("import", "--source", "bank-csv", str(SAMPLES / "bank-csv-sample.csv"))
    assert code == 0, err
    assert "ignored: 1" in out
    code, out, _ = run("suspense")
    assert "1 in suspense, £75.00" in out
    pk = Payment.objects.get(status="suspense").pk
    code, out, err = run("allocate", str(pk), "EX-0001", "--note", "flat 9 is EX-0001")
    assert code == 0, err
    assert "£75.00 allocated to EX-0001" in out
    assert run("allocate", str(pk), "EX-0001")[0] == 2
    assert run("allocate", "999999", "EX-0001")[0] == 2
    assert run("allocate", str(pk), "NO-SUCH")[0] == 2


def test_transfer_on_the_command_line(landlord, run):
    run("import", "--source", "allpay", str(SAMPLES / "allpay-sample.csv"))
    ref = Transaction.objects.filter(tenancy__tenancy_ref="EX-0002",
                                     transaction_ref__startswith="PAY").get().transaction_ref
    code, out, err = run("transfer", ref, "EX-0001", "--why", "wrong card", "--on", "2026-03-20")
    assert code == 0, err
    assert "£40.50 moved to EX-0001" in out
    assert run("transfer", ref, "EX-0003", "--why", "again")[0] == 2
