"""In the browser: an officer previews and sends letter 1 from an account, the recording
notifier's outbox holds it, and the account lists it; the pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe_check import axe_violations
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_officer_sends_letter_1_from_the_worklist_with_a_preview_and_progress(
        signed_in, server):
    page = signed_in
    page.get_by_role("link", name="Send letters and messages to several cases").click()
    assert axe_violations(page) == []
    page.get_by_label(re.compile(r"^Send letter 1")).check()
    page.get_by_role("button", name="Show the cases").click()
    case = page.get_by_label(re.compile("EX-0001"))
    expect(case).to_be_checked()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Check before sending").click()
    expect(page.get_by_role("heading", name=re.compile("The first one: EX-0001"))).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Letter 1 by letter")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send 1 letter 1").click()
    expect(page.get_by_text("Finished: 1 of 1 cases done")).to_be_visible(timeout=30000)
    expect(page.get_by_role("status")).to_contain_text("Letter 1 by letter: 1")
    assert axe_violations(page) == []
    page.goto(server + "/tenancies/EX-0001/")
    table = page.locator("#communications + table")
    expect(table.get_by_role("row", name=re.compile("Letter 1"))).to_be_visible()
    # The new recommendation: letter 1 is recorded, so the ladder has moved on.
    expect(page.locator("#recommendation")).to_contain_text("Recommended:")
    expect(page.locator("#recommendation")).not_to_contain_text("Send letter 1")
    expect(page.get_by_text("Sent by Open Income").first).to_be_visible()
    table.get_by_role("link", name=re.compile("Letter 1")).first.click()
    reference = page.locator("dt:has-text('Reference') + dd").inner_text().strip()
    # The recording notifier holds it: an administrator reads it in the outbox.
    page.context.clear_cookies()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("admin1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(server + "/admin/outbox/")
    expect(page.get_by_role("row", name=re.compile(reference))).to_be_visible()


def test_officer_previews_and_sends_letter_1_and_the_outbox_holds_it(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/EX-0001/")
    page.get_by_role("link", name="Send a letter or message").click()
    expect(page.get_by_role("heading", name="Send a letter or message")).to_be_visible()
    assert axe_violations(page) == []
    send_url = page.url
    page.goto(send_url + "?template=")  # nothing chosen: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what to send")
    assert axe_violations(page) == []
    page.get_by_label("Letter 1", exact=True).check()
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Check letter 1 before sending")).to_be_visible()
    expect(page.get_by_role("heading", name="To Sam Hughes by letter")).to_be_visible()
    expect(page.locator(".oi-letter-preview")).to_contain_text("You owe")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send letter 1").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Letter 1 sent")
    table = page.locator("#communications + table")
    expect(table.get_by_role("row", name=re.compile("Letter 1")).first).to_be_visible()
    expect(page.locator("#recommendation")).to_contain_text("Recommended:")
    expect(page.get_by_text(re.compile("Letter 1 sent.*Letter")).first).to_be_visible()
    assert axe_violations(page) == []
    table.get_by_role("link", name=re.compile("Letter 1")).first.click()
    expect(page.get_by_role("heading", name="Letter 1")).to_be_visible()
    reference = page.locator("dt:has-text('Reference') + dd").inner_text().strip()
    assert reference.startswith("OI-")
    assert axe_violations(page) == []
    page.goto(server + "/letters/failures/")
    assert axe_violations(page) == []

    page.context.clear_cookies()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("admin1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(server + "/admin/outbox/")
    expect(page.get_by_role("row", name=re.compile(reference))).to_be_visible()
    assert axe_violations(page) == []
    page.goto(server + "/admin/templates/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Pre-action letter")).click()
    page.get_by_label("Preview with the account").fill("EX-0002")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("As EX-0002 would get it today")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save as a new version").click()  # no note: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what you changed")
    assert axe_violations(page) == []
