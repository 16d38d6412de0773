"""The officer's week in the browser: arrange a call-back, find it next week, open the account."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations

pytestmark = pytest.mark.browser


def _uk(day: datetime.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def test_officer_finds_a_call_back_on_next_weeks_programme_and_opens_the_account(
    signed_in, server
):
    page = signed_in
    callback = datetime.date.today() + datetime.timedelta(days=7)  # always in next week
    page.goto(server + "/tenancies/EX-0002/contact/")
    page.get_by_label("Phone").check()
    page.get_by_label("We contacted the tenant").check()
    page.get_by_label("Outcome").select_option("no_answer")
    when = page.get_by_role("group", name="Call back on (optional)")
    when.get_by_label("Day").fill(str(callback.day))
    when.get_by_label("Month").fill(str(callback.month))
    when.get_by_label("Year").fill(str(callback.year))
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contact recorded")

    page.get_by_role("link", name="Work programme").click()
    expect(page.get_by_role("heading", name="Weekly work programme")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r"^Next")).click()
    monday = callback - datetime.timedelta(days=callback.weekday())
    expect(page.locator("#week-shown")).to_contain_text(f"{_uk(monday)} to")
    day = page.get_by_role("region", name=_uk(callback))
    expect(day).to_contain_text("Call back")
    expect(page.get_by_text("Nothing due.")).to_have_count(6)
    assert axe_violations(page) == []

    day.get_by_role("link", name="EX-0002").click()
    expect(page).to_have_url(re.compile(r"/tenancies/EX-0002/$"))
    expect(page.locator("#recommendation")).to_be_visible()


def test_the_date_picker_shows_the_week_of_a_date_and_explains_a_bad_one(signed_in, server):
    page = signed_in
    page.goto(server + "/worklist/programme/")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Show the week").click()
    expect(page.locator("#week-shown")).to_have_text("Mon 28 Dec 2026 to Sun 3 Jan 2027")
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Show the week").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date must be a real date")
    assert axe_violations(page) == []
