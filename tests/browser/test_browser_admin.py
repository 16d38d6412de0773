"""Administration in a real browser: add an officer with a patch, errors, and accessibility."""

import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations
from .conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(page, server):
    """A page signed in as the example administrator."""
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("admin1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("Sign out"))).to_be_visible()
    return page


def test_admin_adds_an_officer_with_a_patch_and_sees_them_listed(admin_page, server):
    page = admin_page
    page.goto(server + "/admin/users/")
    page.get_by_role("button", name="Add a user").click()
    expect(page.get_by_role("heading", name="Add a user")).to_be_visible()
    page.get_by_label("Username").fill("browser_officer")
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("Last name").fill("Browser")
    page.get_by_label("Income officer").check()
    page.get_by_label("EAST", exact=True).check()
    page.get_by_label("Password", exact=True).fill("kettle-lantern-harbour")
    page.get_by_label("Confirm password").fill("kettle-lantern-harbour")
    page.get_by_role("button", name="Add user").click()

    expect(page).to_have_url(re.compile(r"/admin/users/$"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "browser_officer added as income officer")
    row = page.get_by_role("row", name=re.compile("browser_officer"))
    expect(row).to_contain_text("Bea Browser")
    expect(row).to_contain_text("Income officer")
    expect(row).to_contain_text("EAST")
    expect(row).to_contain_text("Active")


def test_a_bad_form_shows_the_error_summary_and_keeps_input(admin_page, server):
    page = admin_page
    page.goto(server + "/admin/users/add/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("First name").fill("Duplicate")
    page.get_by_label("Password", exact=True).fill("one-long-password")
    page.get_by_label("Confirm password").fill("another-long-password")
    page.get_by_role("button", name="Add user").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary).to_contain_text("A user called 'officer1' already exists")
    expect(summary).to_contain_text("Enter a last name")
    expect(summary).to_contain_text("Select a role")
    expect(summary).to_contain_text("The passwords do not match")
    expect(page.get_by_label("First name")).to_have_value("Duplicate")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    # Each summary link takes the keyboard to its field.
    summary.get_by_role("link", name="Select a role").click()
    expect(page.get_by_label("Income officer")).to_be_focused()
    assert axe_violations(page) == []


def test_admin_adds_a_patch_and_allocates_it(admin_page, server):
    page = admin_page
    # A user and a patch of this test's own, so other tests' officers keep their patches.
    page.goto(server + "/admin/users/add/")
    page.get_by_label("Username").fill("north_officer")
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("North")
    page.get_by_label("Income officer").check()
    page.get_by_label("Password", exact=True).fill("north-officer-password")
    page.get_by_label("Confirm password").fill("north-officer-password")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    page.goto(server + "/admin/patches/")
    page.get_by_role("button", name="Add a patch").click()
    page.get_by_label("Patch code").fill("NORTH")
    page.get_by_label("Name").fill("North estates")
    page.get_by_role("button", name="Add patch").click()
    expect(page.get_by_role("heading", name="NORTH")).to_be_visible()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("added")

    page.get_by_label("Nora North (north_officer)").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(r"/admin/patches/$"))
    row = page.get_by_role("row", name=re.compile("NORTH"))
    expect(row).to_contain_text("North estates")
    expect(row).to_contain_text("Nora North")


@pytest.mark.parametrize("path", [
    "/admin/", "/admin/users/", "/admin/users/add/", "/admin/users/officer1/",
    "/admin/patches/", "/admin/patches/add/", "/admin/patches/EAST/",
])
def test_admin_pages_pass_axe(admin_page, server, path):
    admin_page.goto(server + path)
    expect(admin_page.locator("h1")).to_be_visible()
    assert axe_violations(admin_page) == []


def test_admin_pages_fit_a_phone(admin_page, server):
    admin_page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/admin/users/", "/admin/users/add/", "/admin/patches/"):
        admin_page.goto(server + path)
        overflow = admin_page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not overflow, f"{path} scrolls sideways on a phone"


def test_an_officer_cannot_open_administration(signed_in, server):
    response = signed_in.goto(server + "/admin/users/")
    assert response.status == 403
    expect(signed_in.get_by_role("heading", name="You do not have access to this page")
           ).to_be_visible()
