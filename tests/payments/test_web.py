"""The payments pages: upload (errors or summary), suspense and allocation, possible
duplicates and their resolution, import history, and the account page's section."""

import pytest
from django.test import Client

from openincome.ledger.models import Transaction
from openincome.payments.actions import import_payment_file
from openincome.payments.models import Payment
from openincome.staff.actions import add_user

from .conftest import SAMPLES

PASSWORD = "payments-test-password"
HEADER = "Transaction ID,Client Reference,Amount,Transaction Date,Payment Channel\n"


def _client(role: str) -> Client:
    add_user(f"pay_{role}", role, PASSWORD, [], actor="test")
    client = Client()
    assert client.login(username=f"pay_{role}", password=PASSWORD)
    return client


@pytest.fixture
def finance(landlord) -> Client:
    return _client("finance")


@pytest.fixture
def officer(landlord) -> Client:
    return _client("officer")


def _upload(client, name, data, source="allpay", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/payments/import/", {
        "source": source, "file": SimpleUploadedFile(name, data), **extra})


def test_upload_shows_the_reconciled_summary(finance):
    response = _upload(finance, "allpay-march.csv", (SAMPLES / "allpay-sample.csv").read_bytes())
    assert response.status_code == 302
    page = finance.get(response["Location"])
    text = page.content.decode()
    assert "4 payments imported: 3 posted, 1 to suspense" in text
    assert "allpay-march.csv" in text
    assert "Reconciled" in text and "£90.50 + £12.00 + £0.00 + £0.00 = £102.50" in text
    assert "No tenancy has this payment or claim reference" in text
    history = finance.get("/payments/").content.decode()
    assert "allpay-march.csv" in history and "1 payment, £12.00" in history
    # The same file again: nothing posted, and the page says so.
    again = _upload(finance, "copy.csv", (SAMPLES / "allpay-sample.csv").read_bytes())
    assert "imported before" in finance.get(again["Location"]).content.decode()
    assert Transaction.objects.filter(transaction_ref__startswith="PAY").count() == 3


def test_upload_with_problems_lists_them_and_posts_nothing(finance):
    bad = (HEADER + "AP-1,PAY000001,ten pounds,02/03/2026,PayPoint\n").encode()
    response = _upload(finance, "bad.csv", bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "nothing was posted" in text
    assert "bad.csv:2: Amount: is not an amount in pounds (for example 12.50) (ten pounds)" in text
    assert not Payment.objects.exists()


def test_upload_form_errors(finance):
    response = finance.post("/payments/import/", {})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Select where the file is from" in text and "Choose the payment file" in text
    response = _upload(finance, "b.csv", b"x", source="bank-csv")
    assert "Choose the column mapping of your bank statement" in response.content.decode()


def test_allocate_flow_search_preview_confirm(finance):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    payment = Payment.objects.get(status="suspense")
    listing = finance.get("/payments/suspense/").content.decode()
    assert "PAY999999" in listing and f"/payments/suspense/{payment.pk}/" in listing
    assert "No tenancy has this payment or claim reference" in listing
    found = finance.get(f"/payments/suspense/{payment.pk}/?q=EX-0002").content.decode()
    assert "tenancy=EX-0002" in found
    preview = finance.get(f"/payments/suspense/{payment.pk}/?q=EX-0002&tenancy=EX-0002")
    text = preview.content.decode()
    assert "Balance after" in text and "Allocate £12.00 to EX-0002" in text
    done = finance.post(f"/payments/suspense/{payment.pk}/",
                        {"tenancy_ref": "EX-0002", "note": "receipt seen"})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "allocated" and payment.tenancy.tenancy_ref == "EX-0002"
    assert "£12.00 allocated to EX-0002" in finance.get(done["Location"]).content.decode()
    assert "Nothing is waiting in suspense" in finance.get("/payments/suspense/").content.decode()
    # A second tab confirming again is told, not posted twice.
    again = finance.post(f"/payments/suspense/{payment.pk}/", {"tenancy_ref": "EX-0001"})
    assert again.status_code == 302
    assert Transaction.objects.filter(transaction_ref=f"SUS{payment.pk}").count() == 1


def test_allocate_without_a_tenancy_is_an_error(finance):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    payment = Payment.objects.get(status="suspense")
    response = finance.post(f"/payments/suspense/{payment.pk}/", {"tenancy_ref": "NOPE"})
    assert response.status_code == 400
    assert "Choose the tenancy the payment belongs to" in response.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == "suspense"


def test_resolve_a_held_duplicate(finance, tmp_path):
    text = HEADER + "AP-1,PAY000001,10.00,02/03/2026,x\nAP-1,PAY000001,10.00,02/03/2026,x\n"
    path = tmp_path / "dup.csv"
    path.write_text(text)
    import_payment_file(path, "allpay", actor="test")
    held = Payment.objects.get(status="held")
    listing = finance.get("/payments/duplicates/").content.decode()
    assert "Same source reference as line 2 of this file" in listing
    response = finance.post(f"/payments/duplicates/{held.pk}/", {"decision": "reject"})
    assert response.status_code == 400
    assert "Say why the payment is not posted" in response.content.decode()
    response = finance.post(f"/payments/duplicates/{held.pk}/",
                            {"decision": "reject", "note": "sent twice by the provider"})
    assert response.status_code == 302
    assert Payment.objects.get(pk=held.pk).status == "rejected"
    assert "No payments are held" in finance.get("/payments/duplicates/").content.decode()


def test_officers_allocate_suspense_but_do_not_import_or_resolve(officer):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    payment = Payment.objects.get(status="suspense")
    listing = officer.get("/payments/suspense/").content.decode()
    assert "PAY999999" in listing and f"/payments/suspense/{payment.pk}/" in listing
    assert officer.post(f"/payments/suspense/{payment.pk}/",
                        {"tenancy_ref": "EX-0001"}).status_code == 302
    assert Payment.objects.get(pk=payment.pk).status == "allocated"
    assert officer.get("/payments/import/").status_code == 403
    assert officer.post("/payments/duplicates/1/", {"decision": "confirm"}).status_code == 403


def test_suspense_sorts_and_pages(finance, tmp_path):
    rows = "".join(f"AP-{i},NOBODY{i},{i}.00,02/03/2026,x\n" for i in range(1, 31))
    path = tmp_path / "many.csv"
    path.write_text(HEADER + rows)
    import_payment_file(path, "allpay", actor="test")
    first = finance.get("/payments/suspense/?sort=amount&dir=desc").content.decode()
    assert first.index("£30.00") < first.index("£29.00")
    assert "Page 2 of 2" in first
    second = finance.get("/payments/suspense/?sort=amount&dir=desc&page=2")
    assert "£5.00" in second.content.decode()
    assert "NOBODY7" in finance.get("/payments/suspense/?q=nobody7").content.decode()


def test_account_page_shows_payments_by_channel(finance):
    import_payment_file(SAMPLES / "allpay-sample.csv", "allpay", actor="test")
    text = finance.get("/tenancies/EX-0001/?as_of=2026-03-31").content.decode()
    assert "How the tenant pays" in text
    assert "Allpay payment" in text and "£50.00" in text
