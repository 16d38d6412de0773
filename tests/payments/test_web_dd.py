"""The Direct Debit pages (set up for an account, list, one mandate, cancel, close a task),
taking a card payment during a call, and moving a misposted payment."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from openincome.ledger.models import Transaction
from openincome.letters.models import OutboxItem
from openincome.payments import actions
from openincome.payments.models import DirectDebitMandate, DirectDebitTask
from openincome.staff.actions import add_user

from .conftest import SAMPLES

PASSWORD = "dd-web-test-password"


def _client(role: str) -> Client:
    add_user(f"dd_{role}", role, PASSWORD, [], actor="test")
    client = Client()
    assert client.login(username=f"dd_{role}", password=PASSWORD)
    return client


@pytest.fixture
def officer(landlord) -> Client:
    actions.load_modulus_table(SAMPLES / "modulus-weights-EXAMPLE.txt", "operator")
    return _client("officer")


def _form(**changes):
    start = timezone.localdate() + datetime.timedelta(days=40)
    data = {"payer_name": "A Tenant", "sort_code": "08-99-99", "account_number": "66374958",
            "frequency": "weekly", "weekday": "3", "month_day": "",
            "start-day": str(start.day), "start-month": str(start.month),
            "start-year": str(start.year),
            "how_much": "follow", "amount": ""}
    data.update(changes)
    return data


def test_an_officer_sets_up_a_direct_debit_and_the_notice_goes(officer):
    page = officer.get("/tenancies/EX-0001/direct-debit/").content.decode()
    assert "come to £98.40 a week, or £426.40 a month" in page
    response = officer.post("/tenancies/EX-0001/direct-debit/", _form())
    mandate = DirectDebitMandate.objects.get()
    assert response.status_code == 302 and response["Location"] == (
        f"/payments/direct-debits/{mandate.pk}/")
    assert (mandate.amount, mandate.follows_account, mandate.day) == (9840, True, 3)
    assert OutboxItem.objects.filter(channel="letter").count() == 1
    detail = officer.get(response["Location"]).content.decode()
    assert "****4958" in detail and "66374958" not in detail and "Advance notices" in detail
    listing = officer.get("/payments/direct-debits/?q=EX-0001").content.decode()
    assert "EX-0001-1" in listing and "not lodged yet" in listing
    account = officer.get("/tenancies/EX-0001/").content.decode()
    assert "Direct Debit EX-0001-1</a>: £98.40 every Thursday" in account


@pytest.mark.parametrize("changes, message", [
    ({"account_number": "66374959"}, "fails the modulus check"),
    ({"sort_code": "12"}, "Enter a valid sort code"),
    ({"frequency": "monthly", "month_day": ""}, "Enter the day of the month"),
    ({"weekday": ""}, "Choose the day of the week"),
    ({"how_much": "fixed", "amount": "lots"}, "Enter the amount in pounds"),
    ({"start-day": ""}, "must include a day"),
])
def test_a_bad_mandate_form_keeps_the_input_and_saves_nothing(officer, changes, message):
    response = officer.post("/tenancies/EX-0001/direct-debit/", _form(**changes))
    text = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in text and message in text
    assert 'value="A Tenant"' in text
    assert not DirectDebitMandate.objects.exists()


def test_cancelling_and_closing_a_task(officer):
    officer.post("/tenancies/EX-0001/direct-debit/", _form())
    mandate = DirectDebitMandate.objects.get()
    assert officer.post(f"/payments/direct-debits/{mandate.pk}/cancel/",
                        {"why": ""}).status_code == 400
    officer.post(f"/payments/direct-debits/{mandate.pk}/cancel/", {"why": "pays by card"})
    mandate.refresh_from_db()
    assert mandate.status == "cancelled"
    task = DirectDebitTask.objects.create(tenancy=mandate.tenancy, mandate=mandate,
                                          kind="failed_collection", detail="£98.40 not paid",
                                          on=timezone.localdate())
    assert "£98.40 not paid" in officer.get("/payments/direct-debits/").content.decode()
    officer.post(f"/payments/direct-debits/tasks/{task.pk}/close/", {"note": "rang tenant"})
    task.refresh_from_db()
    assert task.closed_by == "dd_officer" and task.note == "rang tenant"


def test_taking_a_card_payment_posts_it_or_says_it_was_declined(officer):
    response = officer.post("/tenancies/EX-0001/card-payment/", {"amount": "50.00"})
    assert response.status_code == 302
    assert Transaction.objects.filter(type="payment_card", amount=-5000,
                                      transaction_ref__startswith="CARD-").count() == 1
    declined = officer.post("/tenancies/EX-0001/card-payment/", {"amount": "20.99"})
    assert declined.status_code == 400
    assert "The card was declined. Nothing was taken" in declined.content.decode()


def test_finance_moves_a_misposted_payment(landlord):
    finance = _client("finance")
    card = actions.take_card_payment(
        DirectDebitMandate._meta.apps.get_model("ledger", "Tenancy").objects.get(
            tenancy_ref="EX-0001"), 3000, "officer", on=timezone.localdate())
    bad = finance.post("/payments/transfer/", {"transaction_ref": card.transaction_ref,
                                               "to_tenancy": "EX-9999", "why": "wrong"})
    assert bad.status_code == 400 and "There is no tenancy" in bad.content.decode()
    moved = finance.post("/payments/transfer/", {"transaction_ref": card.transaction_ref,
                                                 "to_tenancy": "EX-0002",
                                                 "why": "paid for the neighbour"})
    assert moved.status_code == 302 and moved["Location"] == "/tenancies/EX-0002/"
    assert Transaction.objects.filter(tenancy__tenancy_ref="EX-0002", amount=-3000).exists()


def test_changing_the_amount_sends_notice_and_keeps_input_on_error(officer):
    officer.post("/tenancies/EX-0001/direct-debit/", _form())
    mandate = DirectDebitMandate.objects.get()
    bad = officer.post(f"/payments/direct-debits/{mandate.pk}/change/",
                       {"change-amount": "0.00", "change-why": "rent up"})
    assert bad.status_code == 400 and "The amount must be more than £0.00" in bad.content.decode()
    assert 'value="0.00"' in bad.content.decode()
    officer.post(f"/payments/direct-debits/{mandate.pk}/change/",
                 {"change-amount": "105.00", "change-why": "Rent up"})
    mandate.refresh_from_db()
    assert (mandate.pending_amount, mandate.follows_account) == (10500, False)
    assert OutboxItem.objects.filter(channel="letter").count() == 2
    page = officer.get(f"/payments/direct-debits/{mandate.pk}/").content.decode()
    assert "£105.00 from" in page


def test_finance_uploads_an_arudd_report_and_the_failed_collection_shows(landlord):
    from django.core.files.uploadedfile import SimpleUploadedFile

    actions.load_modulus_table(SAMPLES / "modulus-weights-EXAMPLE.txt", "operator")
    actions.save_originator("operator", service_user_number="123456", name="Example Homes",
                            sort_code="089999", account_number="12345678")
    actions.set_up_mandate(
        DirectDebitMandate._meta.apps.get_model("ledger", "Tenancy").objects.get(
            tenancy_ref="EX-0001"), "officer", payer_name="A Tenant", sort_code="089999",
        account_number="66374958", frequency="weekly", day=3,
        start_date=datetime.date(2026, 4, 2), amount=9840, as_of=datetime.date(2026, 3, 16))
    actions.lodge_instructions(datetime.date(2026, 3, 20), "operator")
    actions.collect_direct_debits(datetime.date(2026, 4, 2), "operator")
    finance = _client("finance")
    data = (SAMPLES / "arudd-sample.xml").read_bytes()
    wrong = finance.post("/payments/direct-debits/reports/", {
        "kind": "addacs", "file": SimpleUploadedFile("arudd.xml", data)})
    assert wrong.status_code == 400 and "not an ADDACS report" in wrong.content.decode()
    done = finance.post("/payments/direct-debits/reports/", {
        "kind": "arudd", "file": SimpleUploadedFile("arudd.xml", data)})
    assert done.status_code == 302
    listing = finance.get("/payments/direct-debits/").content.decode()
    assert "collections returned unpaid: 1" in listing
    assert "£98.40 due 02 Apr 2026 was not paid (refer to payer)" in listing
    account = finance.get("/tenancies/EX-0001/?as_of=2026-04-10").content.decode()
    assert "Direct Debit failed" in account


def test_a_failed_collection_flags_the_worklist_row(officer):
    from openincome.cases.nightly import run_nightly

    officer.post("/tenancies/EX-0001/direct-debit/", _form())
    mandate = DirectDebitMandate.objects.get()
    as_of = datetime.date(2026, 11, 23)
    DirectDebitTask.objects.create(tenancy=mandate.tenancy, mandate=mandate,
                                   kind="failed_collection", detail="£98.40 not paid",
                                   on=as_of - datetime.timedelta(days=2))
    run_nightly(as_of)
    page = officer.get("/worklist/", {"as_of": as_of.isoformat(), "tab": "arrears",
                                      "patch": "all"}).content.decode()
    table = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = {row.split('href="/tenancies/', 1)[1][:7]: row for row in table.split("</tr>")
            if 'href="/tenancies/' in row}
    assert "Direct Debit failed" in rows["EX-0001"]
    assert "Direct Debit failed" not in rows["EX-0002"]
