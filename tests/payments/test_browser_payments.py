"""Finance in the browser: upload a payment file, allocate the payment left in suspense, and
resolve a payment held as a possible duplicate (axe-checked on each page)."""

import os
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.axe_check import axe_violations
from tests.browser.conftest import (  # noqa: F401 - fixtures and helpers of the browser suite
    FIXTURES,
    _cli,
    _free_port,
    _scratch_database,
    browser_type_launch_args,
    wait_until_serving,
)

from .conftest import SAMPLES

pytestmark = pytest.mark.browser
PASSWORD = "payments-browser-password"
DUPLICATE = ("Transaction ID,Client Reference,Amount,Transaction Date,Payment Channel\n"
             "AP-100001,PAY000001,26.00,02/03/2026,PayPoint\n")


@pytest.fixture(scope="module")
def finance_server(tmp_path_factory):
    """A running Open Income with the example landlord and a finance user."""
    tmp = tmp_path_factory.mktemp("payments-server")
    url, drop = _scratch_database(tmp)
    env = {**os.environ, "OPENINCOME_DATABASE_URL": url, "OPENINCOME_PASSWORD": PASSWORD,
           "OPENINCOME_SECRET_KEY": f"payments-browser-{uuid.uuid4().hex}{uuid.uuid4().hex}"}
    _cli(env, "import", str(FIXTURES / "interchange-small"))
    _cli(env, "user", "add", "finance1", "--role", "finance")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "openincome", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_serving(base, proc, seconds=30):
        proc.kill()
        drop()
        pytest.fail("openincome serve did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    drop()


def test_finance_allocates_suspense_and_resolves_a_duplicate(page, finance_server, tmp_path):
    base = finance_server
    page.goto(base + "/login/")
    page.get_by_label("Username").fill("finance1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(base + "/payments/")
    expect(page.get_by_role("heading", name="Payment files")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Upload a payment file").first.click()
    page.get_by_role("button", name="Check and import").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select where the file is from")
    assert axe_violations(page) == []
    page.get_by_label("Allpay transaction file (CSV)").check()
    page.get_by_label("Payment file").set_input_files(str(SAMPLES / "allpay-sample.csv"))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 posted, 1 to suspense")
    expect(page.locator("#reconciled")).to_contain_text("Reconciled")
    assert axe_violations(page) == []

    page.goto(base + "/payments/suspense/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Allocate").click()
    page.get_by_label("Tenancy reference, payment reference").fill("EX-0002")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="EX-0002").click()
    expect(page.locator("#preview")).to_contain_text("Balance after")
    assert axe_violations(page) == []
    page.get_by_label("Why this tenancy").fill("Tenant rang with the receipt")
    page.get_by_role("button", name="Allocate £12.00 to EX-0002").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "£12.00 allocated to EX-0002")
    expect(page.get_by_text("Nothing is waiting in suspense")).to_be_visible()

    # The same allpay transaction id again with another amount: held for finance.
    duplicate = tmp_path / "allpay-again.csv"
    duplicate.write_text(DUPLICATE)
    page.goto(base + "/payments/import/")
    page.get_by_label("Allpay transaction file (CSV)").check()
    page.get_by_label("Payment file").set_input_files(str(duplicate))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "1 held as possible duplicates")
    page.goto(base + "/payments/duplicates/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("It is a separate payment: post it").check()
    page.get_by_label("Reason").fill("Two payments: receipts seen")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "£26.00 posted to EX-0001")
    page.goto(base + "/tenancies/EX-0001/?as_of=2026-03-31")
    expect(page.locator("#payments-by-channel")).to_be_visible()
    expect(page.get_by_text("held as a possible duplicate, then posted by finance1")
           ).to_be_visible()
