"""Direct Debit: the operator loads the modulus weight table; a mandate's account must pass
the modulus check; accounts are shown masked."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import main
from openincome.interchange.errors import ImportFailed
from openincome.ledger.models import Tenancy
from openincome.payments.actions import load_modulus_table, set_up_mandate
from openincome.payments.models import DirectDebitMandate, ModulusWeight

from .conftest import SAMPLES, write

TABLE = SAMPLES / "modulus-weights-EXAMPLE.txt"


@pytest.fixture
def table(landlord):
    return load_modulus_table(TABLE, "operator")


def _mandate(**changes):
    values = dict(payer_name="A Tenant", sort_code="08-99-99", account_number="66374958",
                  frequency="weekly", day=3, start_date=datetime.date(2026, 4, 2), amount=9840,
                  as_of=datetime.date(2026, 3, 1))
    values.update(changes)
    return set_up_mandate(Tenancy.objects.get(tenancy_ref="EX-0001"), "officer", **values)


def test_loading_the_table_replaces_it_and_is_audited(table, tmp_path):
    assert table == 14 == ModulusWeight.objects.count()
    bad = write(tmp_path, "valacdos.txt", "089000 089999 MOD10 0 0 0\n")
    with pytest.raises(ImportFailed) as failed:
        load_modulus_table(bad, "operator")
    assert [str(e) for e in failed.value.errors] == [
        "valacdos.txt:1: -: expected 17 or 18 fields, found 6"]
    assert ModulusWeight.objects.count() == 14  # the old table stands
    assert AuditEvent.objects.filter(action="modulus_table_loaded").count() == 1


def test_a_mandate_needs_an_account_that_passes(table):
    mandate = _mandate()
    assert (mandate.reference, mandate.sort_code, mandate.masked_account, mandate.when) == (
        "EX-0001-1", "089999", "****4958", "every Thursday")
    assert "66374958" not in str(AuditEvent.objects.get(action="mandate_set_up").details)
    with pytest.raises(ValueError, match="fails the modulus check"):
        _mandate(account_number="66374959")
    with pytest.raises(ValueError, match="cannot be checked"):
        _mandate(sort_code="999999")
    with pytest.raises(ValueError, match="monthly collection day"):
        _mandate(frequency="monthly", day=31)
    assert DirectDebitMandate.objects.count() == 1


def test_no_table_loaded_means_no_mandate(landlord):
    with pytest.raises(ValueError, match="no modulus weight table is loaded"):
        _mandate()


def test_the_commands(landlord, capsys):
    assert main(["payments", "modulus", "load", str(TABLE)]) == 0
    assert main(["payments", "modulus", "check", "107999", "88837491"]) == 0
    assert main(["payments", "modulus", "check", "107999", "88837493"]) == 2
    assert main(["payments", "mandate", "EX-0002", "--payer", "A Tenant", "--sort-code",
                 "202959", "--account", "63748472", "--frequency", "monthly", "--day", "16",
                 "--start", "2026-04-16", "--amount", "410.00"]) == 0
    out = capsys.readouterr().out
    assert "NOT valid" in out
    assert "mandate EX-0002-1: £410.00 monthly on day 16" in out and "****8472" in out
    assert main(["payments", "mandates"]) == 0
    assert "63748472" not in capsys.readouterr().out


def test_next_collection_on_the_chosen_day(table):
    from openincome.payments.queries import next_collection

    weekly = _mandate()  # Thursdays from Thursday 2 April 2026
    assert next_collection(weekly, datetime.date(2026, 3, 1)) == datetime.date(2026, 4, 2)
    assert next_collection(weekly, datetime.date(2026, 4, 3)) == datetime.date(2026, 4, 9)
    fortnightly = _mandate(frequency="fortnightly")
    assert next_collection(fortnightly, datetime.date(2026, 4, 3)) == datetime.date(2026, 4, 16)
    assert next_collection(fortnightly, datetime.date(2026, 4, 16)) == datetime.date(2026, 4, 16)
    monthly = _mandate(frequency="monthly", day=28)
    assert next_collection(monthly, datetime.date(2026, 12, 29)) == datetime.date(2027, 1, 28)


def test_the_account_page_shows_the_mandate(table, client):
    from openincome.staff.actions import add_user

    _mandate()
    add_user("dd_officer", "officer", "dd-test-password", [], actor="test")
    client.login(username="dd_officer", password="dd-test-password")
    text = client.get("/tenancies/EX-0001/?as_of=2026-04-03").content.decode()
    assert "Direct Debit EX-0001-1</a>: £98.40 every Thursday from account ****4958" in text
    assert "next collection 9 Apr 2026" in text
    assert "66374958" not in text
