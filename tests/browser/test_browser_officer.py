"""An income officer's day in the browser: worklist, account, record a contact, pause."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations

pytestmark = pytest.mark.browser


def test_officer_lands_on_their_worklist_and_filters_it(signed_in, server):
    page = signed_in
    expect(page).to_have_url(re.compile(r"/worklist/"))
    expect(page.get_by_role("heading", name="Worklist")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("All in arrears")).click()
    expect(page.get_by_role("row", name=re.compile("EX-0002"))).to_be_visible()
    page.get_by_text("Filter the worklist").click()
    page.get_by_label("Tenure").select_option("secure")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row", name=re.compile("EX-0002"))).to_have_count(0)
    assert axe_violations(page) == []


def test_work_programme_and_search_pass_axe(signed_in, server):
    page = signed_in
    page.get_by_role("link", name="Work programme").click()
    expect(page.get_by_role("heading", name="Weekly work programme")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Find a tenancy").click()
    page.get_by_label(re.compile("Name, tenancy reference")).press_sequentially("Elm")
    expect(page.locator("#search-results")).to_contain_text("EX-0001")
    assert axe_violations(page) == []
    page.get_by_role("link", name="EX-0001").click()
    expect(page.locator("#recommendation")).to_be_visible()


def test_officer_records_a_contact_and_sees_it_on_the_account(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/EX-0002/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Record a contact").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save contact").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how you were in contact")
    assert axe_violations(page) == []
    page.get_by_label("Phone").check()
    page.get_by_label("We contacted the tenant").check()
    page.get_by_label("Outcome").select_option("spoke_to_tenant")
    page.get_by_label("Note").fill("Tenant will pay on Friday")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contact recorded")
    expect(page.get_by_text("Tenant will pay on Friday")).to_be_visible()


def test_pausing_a_case_changes_the_recommendation(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/EX-0002/")
    page.get_by_role("link", name="Pause the case").click()
    page.get_by_label("Hospital").check()
    start = page.get_by_role("group", name="Start date")
    today = datetime.date.today()
    expect(start.get_by_label("Day")).to_have_value(str(today.day))  # today, filled in
    expect(start.get_by_label("Year")).to_have_value(str(today.year))
    page.get_by_label("Why").fill("Admitted to hospital")
    page.get_by_role("button", name="Pause the case").click()
    expect(page.locator("#recommendation")).to_contain_text("Recommended: Paused")
    page.goto(server + "/worklist/?tab=paused")
    expect(page.get_by_role("row", name=re.compile("EX-0002"))).to_be_visible()


def test_record_forms_use_govuk_date_inputs_and_pass_axe(signed_in, server):
    page = signed_in
    for form in ("action", "pause", "benefit"):
        page.goto(server + f"/tenancies/EX-0001/{form}/")
        expect(page.locator(".govuk-date-input").first).to_be_visible()
        assert axe_violations(page) == [], form


def test_a_wrong_date_is_explained_kept_and_can_be_corrected(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/EX-0001/action/")
    page.get_by_label("What did you do").select_option("statement_sent")
    when = page.get_by_role("group", name="Date")
    when.get_by_label("Day").fill("31")
    when.get_by_label("Month").fill("2")
    when.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save action").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a real date")
    assert axe_violations(page) == []
    expect(when.get_by_label("Day")).to_have_value("31")  # what was typed is kept
    expect(when.get_by_label("Month")).to_have_value("2")
    summary.get_by_role("link", name="Enter a real date").click()
    expect(when.get_by_label("Day")).to_be_focused()
    when.get_by_label("Day").fill("2")
    when.get_by_label("Month").fill("Feb")
    page.get_by_role("button", name="Save action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action recorded")
    expect(page.get_by_role("listitem").filter(has_text="Statement sent")).to_contain_text(
        "2 Feb 2026")


def test_account_page_reads_well_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill("browser-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(server + "/tenancies/EX-0001/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page scrolls sideways on a phone ({width}px)"
    assert axe_violations(page) == []
    context.close()
