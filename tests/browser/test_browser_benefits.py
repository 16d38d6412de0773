"""Issue 18's "done when", in the browser: an officer records a UC claim and a verification
request, answers it, and requests a managed payment (APA) dated past the policy's wait, so the
account and the Benefits area prompt a chase; finance imports DWP's UC schedule and the
request shows "in payment"; a DHP application and award appear on the account and its
timeline; the account as of an earlier date shows the claim and request as they stood then.

On the shared server, on EX-0003 (a tenancy no other browser test reads).
"""

import datetime

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations
from .conftest import PASSWORD

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()
ACCOUNT = "/tenancies/EX-0003/"
CLAIM = "UC-BROWSER-1"


def _fill_date(page, group: str, day: datetime.date) -> None:
    box = page.get_by_role("group", name=group)
    box.get_by_label("Day").fill(str(day.day))
    box.get_by_label("Month").fill(str(day.month))
    box.get_by_label("Year").fill(str(day.year))


def _sign_in(page, server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _work(page, server, link: str) -> None:
    page.goto(server + ACCOUNT)
    page.get_by_text("Record benefits work").click()
    page.get_by_role("link", name=link).click()


def test_an_officer_follows_a_uc_claim_from_verification_to_apa_in_payment_and_a_dhp(
        page, server, tmp_path):
    made = TODAY - datetime.timedelta(days=60)
    asked = TODAY - datetime.timedelta(weeks=7)
    _sign_in(page, server, "officer1")

    # A new UC claim, through the claim form.
    page.goto(server + ACCOUNT)
    page.get_by_role("link", name="Update benefits").click()
    page.get_by_label("Universal Credit").check()
    page.get_by_label("Claim reference").fill(CLAIM)
    page.get_by_label("Status", exact=True).select_option("in_payment")
    _fill_date(page, "Status date", made)
    page.get_by_label("No, paid to the tenant").check()
    page.get_by_role("button", name="Save benefit claim").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Benefit claim updated")

    # A verification request: refused with its dates out of order, then saved.
    _work(page, server, "Record a verification request")
    assert axe_violations(page) == []
    _fill_date(page, "Date received", made + datetime.timedelta(days=10))
    _fill_date(page, "Date due", made)
    page.get_by_role("button", name="Save request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The due date cannot be before the request was received")
    assert axe_violations(page) == []
    _fill_date(page, "Date due", made + datetime.timedelta(days=17))
    page.get_by_role("button", name="Save request").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Verification request recorded")
    page.goto(server + "/benefits/")
    expect(page.get_by_role("link", name="Verifications due (1)")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text(CLAIM)
    assert axe_violations(page) == []

    # Answered: no longer due.
    _work(page, server, "Answer a verification request")
    _fill_date(page, "Date answered", made + datetime.timedelta(days=12))
    page.get_by_label("What we told DWP").fill("Rent and service charge confirmed")
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Verification answered")
    page.goto(server + "/benefits/")
    expect(page.get_by_role("link", name="Verifications due (0)")).to_be_visible()

    # An APA asked seven weeks ago and not paid: the chase prompt.
    _work(page, server, "Request a managed payment (APA) or deduction")
    page.get_by_label("Managed payment (APA)").check()
    _fill_date(page, "Date requested", asked)
    page.get_by_role("button", name="Save request").click()
    expect(page.get_by_test_id("payment-request")).to_contain_text("Chase DWP")
    expect(page.get_by_test_id("payment-request")).to_contain_text("Requested")
    page.goto(server + "/benefits/?tab=requests")
    expect(page.get_by_role("link", name="APA and deductions (1)")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Chase DWP")
    assert axe_violations(page) == []

    # Finance imports DWP's schedule with the managed payment: the request is in payment.
    schedule = tmp_path / "uc-schedule.csv"
    start = TODAY - datetime.timedelta(days=30)
    schedule.write_text(
        "claim_ref,payment_type,period_start,period_end,amount,payment_date,payment_reference\n"
        f"{CLAIM},apa,{start},{TODAY - datetime.timedelta(days=1)},420.00,{TODAY},UCB-1\n")
    _sign_in(page, server, "finance1")
    page.goto(server + "/payments/import/")
    page.get_by_label("DWP Universal Credit schedule").check()
    page.get_by_label("Payment file").set_input_files(str(schedule))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 posted")

    _sign_in(page, server, "officer1")
    page.goto(server + ACCOUNT)
    request = page.get_by_test_id("payment-request")
    expect(request).to_contain_text("In payment")
    expect(request).not_to_contain_text("Chase DWP")
    # As of the day before the payment: still requested, and chased.
    page.goto(server + ACCOUNT + f"?as_of={TODAY - datetime.timedelta(days=1)}")
    expect(page.get_by_test_id("payment-request")).to_contain_text("Chase DWP")
    # As of before the claim: not yet made.
    page.goto(server + ACCOUNT + f"?as_of={made - datetime.timedelta(days=1)}")
    expect(page.get_by_text(f"Universal Credit {CLAIM}")).to_be_visible()
    expect(page.locator("body")).to_contain_text("not yet made")

    # A DHP application and its award, on the account and its timeline.
    _work(page, server, "Record a DHP application")
    _fill_date(page, "Date applied", TODAY - datetime.timedelta(days=14))
    page.get_by_label("Amount asked, in pounds").fill("300.00")
    page.get_by_label("Reason").fill("Shortfall after the benefit cap")
    page.get_by_role("button", name="Save application").click()
    expect(page.get_by_test_id("dhp")).to_contain_text("Awaiting a decision")
    _work(page, server, "Record a DHP decision")
    assert axe_violations(page) == []
    page.get_by_label("Awarded", exact=True).check()
    _fill_date(page, "Date of the decision or review request", TODAY)
    page.get_by_label("Amount awarded, in pounds").fill("250.00")
    _fill_date(page, "Award period from", TODAY)
    _fill_date(page, "Award period to", TODAY + datetime.timedelta(days=90))
    page.get_by_label("Post the award to the account now").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_test_id("dhp")).to_contain_text("Awarded")
    timeline = page.get_by_test_id("benefits-timeline")
    expect(timeline).to_contain_text("DHP awarded")
    expect(timeline).to_contain_text("DHP application")
    expect(timeline).to_contain_text("Managed payment (APA) in payment")
    expect(page.locator("body")).to_contain_text("Discretionary Housing Payment award")
    assert axe_violations(page) == []
