"""In the browser, on a phone-sized screen: an officer ticks rows on the worklist itself (letter
1 for EX-0001, the court warning letter for EX-0002), checks each letter's first copy and
counts, sends them, watches both runs finish (the server's real background worker), and the
account lists the letter; nothing ticked is an error; the pages pass axe.

Its own server and database (module scope), as the test sends letters."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe_check import axe_violations
from tests.browser.conftest import PASSWORD, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def select_server(tmp_path_factory):
    """Base URL of a server of this module's own."""
    with serving(tmp_path_factory.mktemp("select-server")) as (base, _env):
        yield base


def test_officer_ticks_two_rows_on_the_worklist_checks_and_sends_them(page, select_server):
    base = select_server
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base + "/login/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/worklist/?sort=tenancy&dir=asc")
    letter_1 = page.get_by_label("Select EX-0001")
    warning = page.get_by_label("Select EX-0002")
    expect(letter_1).to_be_visible()
    expect(warning).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Send to the selected cases").click()  # nothing ticked
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select at least one case to send a letter or message to")
    assert "sort=tenancy" in page.url and "dir=asc" in page.url  # the same view
    page.locator(".govuk-error-summary").get_by_role("link").click()
    expect(page.locator("#select-cases")).to_be_focused()
    assert axe_violations(page) == []

    # By keyboard: tab to the first checkbox and tick it with the space bar.
    letter_1.focus()
    page.keyboard.press("Space")
    expect(letter_1).to_be_checked()
    warning.check()
    page.get_by_role("button", name="Send to the selected cases").click()
    expect(page.get_by_role("heading", name="Check before sending to 2 selected cases")) \
        .to_be_visible()
    part = page.locator("section", has=page.get_by_role("heading", name="Letter 1: 1 case"))
    expect(part.get_by_role("heading", name=re.compile("The first one: EX-0001"))).to_be_visible()
    expect(part.locator(".govuk-summary-list")).to_contain_text("Letter 1 by letter")
    expect(part.locator(".oi-letter-preview")).to_contain_text("You owe")
    other = page.locator(
        "section", has=page.get_by_role("heading", name="Court warning letter: 1 case"))
    expect(other.get_by_role("heading", name=re.compile("The first one: EX-0002"))) \
        .to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Send to all 2 cases").click()
    expect(page.get_by_role("heading", name="Sending court warning letter")).to_be_visible()
    expect(page.get_by_text("Finished: 1 of 1 cases done")).to_be_visible(timeout=30000)
    expect(page.get_by_role("status")).to_contain_text("Court warning letter by letter: 1")
    assert axe_violations(page) == []
    page.get_by_role("link", name="see its progress").click()
    expect(page.get_by_role("heading", name="Sending letter 1")).to_be_visible()
    expect(page.get_by_text("Finished: 1 of 1 cases done")).to_be_visible(timeout=30000)
    expect(page.get_by_role("status")).to_contain_text("Letter 1 by letter: 1")

    page.goto(base + "/tenancies/EX-0001/")
    table = page.locator("#communications + table")
    expect(table.get_by_role("row", name=re.compile("Letter 1"))).to_be_visible()
    expect(page.locator("#recommendation")).not_to_contain_text("Send letter 1")
