"""The web shell: sign in and see the tenancies with their balances."""

import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations

pytestmark = pytest.mark.browser


def test_login_page_passes_axe(page, server):
    page.goto(server + "/login/")
    expect(page.get_by_role("heading", name="Sign in to Open Income")).to_be_visible()
    assert axe_violations(page) == []


def test_wrong_password_shows_error_summary_and_keeps_username(page, server):
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.get_by_label("Username")).to_have_value("officer1")


def test_officer_signs_in_and_sees_tenancies_with_balances(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/?as_of=2026-11-23")
    expect(page.get_by_role("heading", name="Tenancies")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("EX-0002"))
    expect(row).to_be_visible()
    expect(row).to_contain_text("£")
    assert axe_violations(page) == []


def test_officer_opens_an_account_from_the_list(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/?as_of=2026-11-23")
    page.get_by_role("link", name="EX-0001").click()
    expect(page.get_by_role("heading", name="Sam Hughes")).to_be_visible()
    expect(page.get_by_text("1 Elm Road, Northtown, NN1 1AA")).to_be_visible()
    expect(page.locator("#balance")).to_contain_text("£")
    assert axe_violations(page) == []


def test_signed_out_visitor_is_sent_to_login(page, server):
    page.goto(server + "/tenancies/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))

