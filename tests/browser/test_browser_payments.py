"""Payments in the browser, on the shared server: finance imports a file and resolves a
payment held as a possible duplicate; an officer allocates the payment left in suspense and
sets up a Direct Debit, with the advance notice sent (axe-checked on each page).

The shared server's other tests read EX-0001 and EX-0002, so these post only to EX-0003.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe_check import axe_violations
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser
FILE = ("Transaction ID,Client Reference,Amount,Transaction Date,Payment Channel\n"
        "AP-BROWSER-1,NOBODY-1,1.00,02/03/2026,PayPoint\n"
        "AP-BROWSER-2,NOBODY-2,0.50,02/03/2026,PayPoint\n"
        "AP-BROWSER-2,NOBODY-2,0.75,03/03/2026,PayPoint\n")


def _sign_in(page, server, username):
    page.context.clear_cookies()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_finance_imports_and_resolves_a_duplicate_then_an_officer_allocates_and_sets_up_a_dd(
        page, server, tmp_path):
    _sign_in(page, server, "finance1")
    page.goto(server + "/payments/import/")
    page.get_by_role("button", name="Check and import").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select where the file is from")
    assert axe_violations(page) == []
    upload = tmp_path / "allpay-browser.csv"
    upload.write_text(FILE)
    page.get_by_label("Allpay transaction file (CSV)").check()
    page.get_by_label("Payment file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "0 posted, 2 to suspense, 1 held as possible duplicates")
    expect(page.locator("#reconciled")).to_contain_text("Reconciled")

    # Finance: the repeated allpay id is not a second payment.
    page.goto(server + "/payments/duplicates/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Decide")).first.click()
    page.get_by_label("It is a duplicate: do not post it").check()
    page.get_by_label("Reason").fill("The allpay id was sent twice")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("£0.75 not posted")

    # An officer: the tenant of EX-0003 rang with the receipt for £1.00.
    _sign_in(page, server, "officer1")
    page.goto(server + "/payments/suspense/?q=NOBODY-1")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Allocate")).click()
    page.get_by_label("Tenancy reference, payment reference").fill("EX-0003")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="EX-0003").click()
    expect(page.locator("#preview")).to_contain_text("Balance after")
    assert axe_violations(page) == []
    page.get_by_label("Why this tenancy").fill("Tenant rang with the receipt")
    page.get_by_role("button", name="Allocate £1.00 to EX-0003").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "£1.00 allocated to EX-0003")

    # The officer sets up a monthly Direct Debit from the account page.
    page.goto(server + "/tenancies/EX-0003/")
    page.get_by_role("link", name="Set up a Direct Debit").click()
    expect(page.locator("#dd-amounts")).to_contain_text("£12.50 a week")
    page.get_by_role("button", name="Set up the Direct Debit").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the account holder")
    assert axe_violations(page) == []
    page.get_by_label("Account holder's name").fill("C Tenant")
    page.get_by_label("Sort code").fill("08-99-99")
    page.get_by_label("Account number").fill("66374958")
    page.get_by_label("Monthly", exact=True).check()
    page.get_by_label("Day of the month (monthly)").fill("15")
    start = datetime.date.today() + datetime.timedelta(days=45)
    page.get_by_label("Day", exact=True).fill(str(start.day))
    page.get_by_label("Month", exact=True).fill(str(start.month))
    page.get_by_label("Year", exact=True).fill(str(start.year))
    page.get_by_label(re.compile("^The rent and charges plus")).check()
    page.get_by_role("button", name="Set up the Direct Debit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "£54.17 monthly on day 15")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Advance notice sent to the payer")
    expect(page.locator("#mandate-summary")).to_contain_text("****4958")
    expect(page.locator("#notices")).to_contain_text("You have set up a new Direct Debit")
    assert "66374958" not in page.content()
    assert axe_violations(page) == []
    page.goto(server + "/payments/direct-debits/?q=EX-0003")
    expect(page.locator("#mandates")).to_contain_text("EX-0003-1")
    assert axe_violations(page) == []
