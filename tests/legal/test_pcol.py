"""The PCOL claim data and the dated court fee table."""

import csv
import datetime
import io

import pytest
from django.test import Client

from openincome.ledger.models import Tenancy
from openincome.ledger.pence import pounds
from openincome.legal.models import CourtCase
from openincome.legal.pcol import FEE_TABLES, claim_csv, claim_data, court_fee, warrant_data
from openincome.letters.pdf import pdf_text

date = datetime.date

FEE_ROWS = [
    # (kind, day, pence) : reference §3.6, fees from 8 April 2025
    ("possession_claim", date(2025, 4, 8), 40400),
    ("possession_claim", date(2026, 11, 23), 40400),
    ("warrant_of_possession", date(2025, 6, 1), 14800),
    ("n244_on_notice", date(2025, 6, 1), 31300),
    ("n244_without_notice", date(2025, 6, 1), 11900),
]


@pytest.mark.parametrize(("kind", "day", "pence"), FEE_ROWS)
def test_the_fee_in_force_on_the_day(kind, day, pence):
    fee = court_fee(kind, day)
    assert (fee.amount, fee.effective_from) == (pence, date(2025, 4, 8))


def test_a_day_before_any_table_or_an_unknown_fee_is_refused():
    with pytest.raises(ValueError, match="no court fee table"):
        court_fee("possession_claim", date(2025, 4, 7))
    with pytest.raises(ValueError, match="not a court fee"):
        court_fee("parking", date(2026, 1, 1))


def test_a_newer_table_takes_over_from_its_day(monkeypatch):
    newer = (date(2026, 4, 1), {"possession_claim": 41800}, "a later EX50")
    monkeypatch.setattr("openincome.legal.pcol.FEE_TABLES", (newer, *FEE_TABLES))
    assert court_fee("possession_claim", date(2026, 3, 31)).amount == 40400
    assert court_fee("possession_claim", date(2026, 4, 1)).amount == 41800
    # A kind the newer table leaves out falls back to the table that has it.
    assert court_fee("warrant_of_possession", date(2026, 4, 1)).amount == 14800


@pytest.fixture
def case(officer):
    t = Tenancy.objects.get(tenancy_ref="EX-0002")
    return CourtCase.objects.create(case_ref="CC-PCOL", tenancy=t, claim_date=date(2026, 9, 1))


def test_the_claim_data_holds_what_pd_55a_asks_for(case):
    data = dict(claim_data(case))
    assert data["Defendants"] == "Sam Patel"
    assert data["Rent and charges a week"] == "£121.15"
    assert data["Daily rent"] == "£17.31"  # 12115 / 7 = 1730.7 pence
    assert data["Notice"].endswith("NOT-1 served 16/03/2026")  # imported: no method
    assert "Universal Credit claimed since 10/02/2026" in data["Benefits"]
    assert data["Court fee"].startswith("£404.00")
    assert data["Arrears on the claim date"].startswith("£")


def test_the_claim_csv_is_field_value_rows(case):
    rows = list(csv.reader(io.StringIO(claim_csv(case))))
    assert rows[0] == ["field", "value"]
    assert [r[0] for r in rows[1:]] == [k for k, _ in claim_data(case)]


def test_the_claim_downloads_from_the_legal_tab(case):
    client = Client()
    assert client.login(username="officer1", password="legal-test-password")
    text = client.get("/tenancies/EX-0002/legal/document/claim/").content.decode()
    assert "Daily rent,£17.31" in text
    pdf = client.get("/tenancies/EX-0002/legal/document/claim-summary/").content
    flat = " ".join(pdf_text(pdf).split())
    assert "Possession claim: particulars" in flat and "Balance brought forward" in flat


def test_the_warrant_data_states_the_order_payments_since_and_arrears_now(case):
    from openincome.ledger.balances import balance

    CourtCase.objects.filter(pk=case.pk).update(
        hearing_date=date(2026, 1, 5), outcome="spo", outcome_date=date(2026, 1, 5),
        terms_instalment=500, terms_frequency="weekly")
    case.refresh_from_db()
    data = dict(warrant_data(case, date(2026, 11, 23)))
    assert data["Order"] == "Suspended possession order made 05/01/2026"
    assert data["Terms of the order"] == "£5.00 weekly on top of the rent"
    paid = -sum(case.tenancy.transactions.filter(
        date__gt=date(2026, 1, 5), date__lte=date(2026, 11, 23), amount__lt=0)
        .values_list("amount", flat=True))
    assert paid == 4 * 12115  # the four direct debits of January
    assert data["Payments since the order"] == pounds(paid)
    assert data["Arrears outstanding on 23/11/2026"] == pounds(
        balance(case.tenancy, date(2026, 11, 23)))
    assert data["Warrant fee"].startswith("£148.00")
