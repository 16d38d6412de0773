"""Issue 16 in the browser, the protocol part: an officer completes the pre-action checklist and
the proportionality assessment and asks for approval; a team leader approves from the queue;
the officer serves a NOSP with its computed dates and records a claim (on EX-0002, whose
imported section 8 notice allows proceedings now, once its Universal Credit claim is decided);
a team leader's own request cannot be decided by them; a Breathing Space blocks a claim.

One test, in order, on the shared server: each step needs the one before it.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations
from .conftest import PASSWORD

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()


def sign_in(browser, server, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    return context, page


def complete_checklist(page, server, ref):
    page.goto(server + f"/tenancies/{ref}/")
    page.get_by_role("link", name="Pre-action checklist").click()
    expect(page.get_by_role("heading", name="Pre-action checklist")).to_be_visible()
    page.get_by_role("button", name="Complete the checklist").click()  # no notes yet
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say how this was done: alternative dispute resolution considered")
    assert axe_violations(page) == []
    for note in page.locator("textarea").all():
        note.fill("Done at the home visit; see the contact log")
    page.get_by_role("button", name="Complete the checklist").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Pre-action checklist completed")


def assess_and_ask(page, server, ref, step):
    page.goto(server + f"/tenancies/{ref}/")
    page.get_by_role("link", name="Proportionality assessment").click()
    page.get_by_label(step).check()
    page.get_by_label("Vulnerability and protected characteristics known").fill(
        "None known after asking at the visit")
    page.get_by_label("Their effect").fill("No effect on dealing with the arrears")
    page.get_by_label("Alternatives tried").fill("Two plans offered; a money advice referral")
    page.get_by_label("Your reasoning").fill("Arrears keep rising and every plan was broken")
    page.get_by_label("Yes, it is proportionate").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Proportionality assessment recorded")
    page.get_by_role("link", name="Ask for approval").click()
    page.get_by_label(step).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ask for approval").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approval requested")


def test_checklist_assessment_approval_notice_claim_and_the_gates(browser, server):
    officer_context, officer = sign_in(browser, server, "officer1")
    leader_context, leader = sign_in(browser, server, "leader1")

    # The officer prepares a notice on EX-0001 and a claim on EX-0002.
    complete_checklist(officer, server, "EX-0001")
    assess_and_ask(officer, server, "EX-0001", "Serve a notice")
    complete_checklist(officer, server, "EX-0002")
    assess_and_ask(officer, server, "EX-0002", "Apply to court for possession")

    # The team leader approves both from the queue.
    leader.get_by_role("link", name="Approvals").click()
    expect(leader.get_by_role("heading", name="Approvals")).to_be_visible()
    expect(leader.locator(".oi-counts")).to_contain_text("Waiting for a decision: 2")
    assert axe_violations(leader) == []
    for step in ("Serve a notice for EX-0001", "Apply to court for possession for EX-0002"):
        leader.get_by_role("link", name=step).click()
        expect(leader.get_by_text("Two plans offered; a money advice referral")).to_be_visible()
        assert axe_violations(leader) == []
        leader.get_by_label("Approve").check()
        leader.get_by_label("Reason").fill("Protocol followed and proportionate")
        leader.get_by_role("button", name="Record the decision").click()
        expect(leader.locator(".govuk-notification-banner")).to_contain_text(
            "Decision recorded")

    # The team leader's own request: they cannot decide it.
    leader.goto(server + "/tenancies/EX-0001/approval/")
    leader.get_by_label("Apply for a warrant of possession").check()
    leader.get_by_role("button", name="Ask for approval").click()
    leader.goto(server + "/approvals/")
    leader.get_by_role("link", name="Apply for a warrant of possession for EX-0001").click()
    expect(leader.locator(".govuk-inset-text")).to_contain_text(
        "This is your own request: another team leader or manager must decide it")
    expect(leader.get_by_role("button", name="Record the decision")).to_have_count(0)

    # The officer serves the NOSP, checking its computed dates first.
    officer.goto(server + "/tenancies/EX-0001/")
    officer.get_by_role("link", name="Serve a notice", exact=True).click()
    officer.get_by_label("By hand").check()
    officer.get_by_role("button", name="Check the dates").click()
    expect(officer.get_by_text("Earliest proceedings", exact=True)).to_be_visible()
    expect(officer.get_by_text(re.compile("POLICY.md §6")).first).to_be_visible()
    officer.get_by_role("button", name="Record the notice as served").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("recorded")

    # EX-0002's claim waits for its Universal Credit decision, then goes ahead.
    officer.goto(server + "/tenancies/EX-0002/claim/")
    expect(officer.locator(".oi-needs")).to_contain_text(
        "No claim while a benefit claim is pending")
    assert axe_violations(officer) == []
    officer.goto(server + "/tenancies/EX-0002/benefit/")
    officer.get_by_label("Status", exact=True).select_option("in_payment")
    officer.get_by_role("button", name="Save benefit claim").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("Benefit claim updated")
    officer.goto(server + "/tenancies/EX-0002/claim/")
    expect(officer.locator(".oi-needs .govuk-tag--red")).to_have_count(0)
    officer.get_by_label("Claim number").fill("K00BR001")
    officer.get_by_role("button", name="Record the claim").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text(
        "Possession claim recorded")

    # A Breathing Space blocks a claim, on the page and when it is submitted.
    officer.goto(server + "/tenancies/EX-0003/pause/")
    officer.get_by_label("Breathing Space (standard)").check()
    officer.get_by_label("Why").fill("Insolvency Service notice received")
    officer.get_by_role("button", name="Pause the case").click()
    officer.goto(server + "/tenancies/EX-0003/claim/")
    gate = "No notice, claim or warrant while a Breathing Space runs"
    expect(officer.locator(".oi-needs")).to_contain_text(gate)
    officer.get_by_role("button", name="Record the claim").click()
    expect(officer.locator(".govuk-error-summary")).to_contain_text(gate)
    assert axe_violations(officer) == []
    officer_context.close()
    leader_context.close()


@pytest.mark.parametrize("path", ["/approvals/", "/tenancies/EX-0001/checklist/",
                                  "/tenancies/EX-0001/assessment/",
                                  "/tenancies/EX-0001/approval/",
                                  "/tenancies/EX-0001/claim/", "/tenancies/EX-0001/warrant/"])
def test_the_legal_pages_read_well_on_a_phone(browser, server, path):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("leader1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(server + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"{path} scrolls sideways on a phone ({width}px)"
    assert axe_violations(page) == []
    context.close()
