"""Sign-in lockout as a user sees it: a GOV.UK error summary saying to wait."""

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations

pytestmark = pytest.mark.browser


def test_after_five_failures_the_page_says_to_wait_and_passes_axe(page, server):
    # A username nobody has: the lockout reads the same whether or not the account exists
    # (and the example officer stays usable for the other tests).
    for attempt in range(6):
        page.goto(server + "/login/")
        page.get_by_label("Username").fill("no-such-person")
        page.get_by_label("Password").fill(f"wrong-password-{attempt}")
        page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There have been too many failed attempts to sign in")
    expect(summary).to_contain_text("Wait 15 minutes, then try again")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert axe_violations(page) == []
