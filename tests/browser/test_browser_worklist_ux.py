"""The officer's worklist in the browser: it fits the screen, keeps its place, contact first."""

import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations
from .conftest import PASSWORD

pytestmark = pytest.mark.browser

# Every case in arrears on every patch, by tenancy: a view with a known order to walk.
VIEW = "/worklist/?tab=arrears&patch=all&sort=tenancy&dir=asc"

# How far the worklist table and its "Why" cells spill out of the table's box, in pixels.
OVERFLOW = """() => {
  const wrap = document.querySelector('.oi-table-wrap');
  const box = wrap.getBoundingClientRect();
  const cells = [...document.querySelectorAll('.oi-worklist tbody td:last-child')];
  return {
    table: wrap.scrollWidth - wrap.clientWidth,
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    cells: cells.length,
    why: Math.max(0, ...cells.map(c => Math.max(c.getBoundingClientRect().right - box.right,
                                               c.scrollWidth - c.clientWidth))),
    width: box.width,
  };
}"""


def _sign_in(browser, server, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


@pytest.mark.parametrize("width", [1280, 1920])
def test_worklist_fits_the_screen_and_its_reasons_wrap(browser, server, width):
    context, page = _sign_in(browser, server, width)
    page.goto(server + VIEW)
    # A large landlord's figures are wider and its reasons longer than the example's: give the
    # first row such figures and a long reason, as real rows have (the select column aside).
    page.evaluate("""() => {
        const cells = document.querySelectorAll(
            '.oi-worklist tbody tr:first-child td:not(.oi-select)');
        const wide = {0: '1234', 3: '£12,345.67', 4: '123.45', 5: '1234',
                      6: 'Ask for a Breathing Space review'};
        cells[1].insertAdjacentHTML('beforeend', '<br><strong class="govuk-tag oi-flag">' +
                                    'Breathing Space</strong>');
        for (const [i, text] of Object.entries(wide)) cells[i].textContent = text;
        const why = cells[cells.length - 1];
        why.textContent = why.textContent + ' ' + why.textContent + ' ' + why.textContent; }""")
    sizes = page.evaluate(OVERFLOW)
    assert sizes["cells"] >= 2
    assert sizes["table"] <= 0, f"the table scrolls sideways at {width}px: {sizes}"
    assert sizes["page"] <= 0, f"the page scrolls sideways at {width}px: {sizes}"
    assert sizes["why"] <= 0, f"a reason is cut off at {width}px: {sizes}"
    # Full width: the table uses the screen, not GOV.UK's 960px reading column.
    assert sizes["width"] >= width - 2 * 30 - 1, sizes
    assert axe_violations(page) == []
    context.close()


def test_next_case_walks_the_view_and_back_keeps_it(signed_in, server):
    page = signed_in
    page.goto(server + VIEW)
    rows = page.locator(".oi-worklist tbody tr")
    refs = [rows.nth(i).locator("a").first.inner_text() for i in range(rows.count())]
    assert len(refs) >= 2
    page.get_by_role("link", name=refs[0], exact=True).click()
    for ref in refs[1:]:
        page.get_by_role("link", name=re.compile("^Next case")).click()
        expect(page).to_have_url(re.compile(f"/tenancies/{ref}/"))
        assert axe_violations(page) == []
    expect(page.locator("#next-case")).to_contain_text("This is the last case in this view")
    page.locator(".govuk-back-link").click()
    expect(page).to_have_url(re.compile(r"/worklist/\?"))
    for part in ("tab=arrears", "patch=all", "sort=tenancy", "dir=asc"):
        assert part in page.url, page.url
    expect(page.get_by_role("link", name=re.compile("All in arrears"))).to_have_attribute(
        "aria-current", "page")


def test_contact_details_are_one_click_away_and_vulnerability_comes_from_a_list(
        signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/EX-0001/")
    page.get_by_role("link", name="Edit contact details").click()
    page.get_by_label("Mobile").fill("07700 900123")
    page.get_by_label("Email").fill("tenant.one@example.com")
    page.get_by_label("Deaf or hard of hearing").check()
    page.get_by_label("Other", exact=True).check()
    page.get_by_role("button", name="Save details").click()  # "Other" without its note
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what the other vulnerability is")
    assert axe_violations(page) == []
    page.get_by_label("Other vulnerability").fill("Uses a wheelchair")
    page.get_by_label("Why are you changing this").fill("Tenant rang to update")
    page.get_by_role("button", name="Save details").click()
    banner = page.locator(".oi-vulnerability")
    expect(banner).to_contain_text("Deaf or hard of hearing; other: Uses a wheelchair")
    call = page.get_by_role("link", name="07700 900123")
    expect(call).to_have_attribute("href", "tel:07700900123")
    expect(page.get_by_role("link", name="tenant.one@example.com")).to_have_attribute(
        "href", "mailto:tenant.one@example.com")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Record a contact").click()
    expect(page.get_by_role("link", name="07700 900123")).to_be_visible()
    expect(page.locator(".oi-vulnerability")).to_contain_text("Deaf or hard of hearing")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Find a tenancy").click()
    page.get_by_label(re.compile("Name, tenancy reference")).press_sequentially("07700900123")
    expect(page.locator("#search-results")).to_contain_text("EX-0001")


def test_a_pause_is_lifted_early_with_a_reason(signed_in, server):
    page = signed_in
    page.goto(server + "/tenancies/EX-0001/")
    page.get_by_role("link", name="Pause the case").click()
    page.get_by_label("Dispute").check()
    page.get_by_label("Why").fill("Disputes the water charge")
    page.get_by_role("button", name="Pause the case").click()
    expect(page.locator("#recommendation")).to_contain_text("Recommended: Paused")
    page.get_by_role("link", name=re.compile("^Lift the pause early")).click()
    # axe must read the new page, not the one being left.
    expect(page.get_by_role("heading", name="Lift the pause early")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lift the pause").click()  # no reason given
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why you are lifting the pause")
    page.get_by_label("Why are you lifting the pause").fill("Dispute settled")
    page.get_by_role("button", name="Lift the pause").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Pause lifted")
    expect(page.locator("#recommendation")).not_to_contain_text("Recommended: Paused")
    expect(page.get_by_role("link", name=re.compile("^Lift the pause early"))).to_have_count(0)


def test_a_date_without_a_worklist_says_so_and_shows_cases_worked_out_now(signed_in, server):
    page = signed_in
    page.goto(server + "/worklist/?as_of=2026-11-02")
    expect(page.locator("#no-run")).to_contain_text("There is no worklist for 2 November 2026")
    expect(page.get_by_role("heading", name="Cases needing action, classified just now")
           ).to_be_visible()
    expect(page.locator(".oi-worklist tbody tr").first).to_be_visible()
    assert axe_violations(page) == []
