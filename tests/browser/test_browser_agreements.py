"""Issue 14's "done when", in the browser: an officer completes an income and expenditure
(its totals update as they type), accepts the proposed plan, and sees it on the account page
and on the worklist's Agreements tab; a missed payment (a bounced instalment, posted here
through the importer) turns the row into review_breached_agreement as POLICY.md §3.9 says; the
officer records the breach letter and the row waits.

Its own server and database (module scope, conftest's `serving`), as the test posts payments
into it.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from openincome.web.dates import uk_date

from .axe_check import axe_violations
from .conftest import FIXTURES, PASSWORD, _cli, serving

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()
START = TODAY - datetime.timedelta(days=7)  # first instalment looked for on START + 5


@pytest.fixture(scope="module")
def agreement_server(tmp_path_factory):
    """(base URL, environment for the command line) of a server of this module's own."""
    with serving(tmp_path_factory.mktemp("agreements-server")) as served:
        yield served


def post_transactions(env, folder, rows):
    """Import transactions (ref, date, type, amount) for EX-0002 through the command line."""
    folder.mkdir()
    # The folder's one required file and the manifest, as they are (imported unchanged).
    for name in ("manifest.csv", "tenancies.csv"):
        (folder / name).write_bytes((FIXTURES / "interchange-small" / name).read_bytes())
    lines = ["transaction_ref,tenancy_ref,date,type,amount,description,period_start"]
    lines += [f"{ref},EX-0002,{day.isoformat()},{kind},{amount},," for ref, day, kind, amount
              in rows]
    (folder / "transactions.csv").write_text("\n".join(lines) + "\n")
    _cli(env, "import", str(folder))


def fill_date(page, group: str, day: datetime.date):
    box = page.get_by_role("group", name=group)
    box.get_by_label("Day").fill(str(day.day))
    box.get_by_label("Month").fill(str(day.month))
    box.get_by_label("Year").fill(str(day.year))


def worklist_row(page, base):
    page.goto(base + "/worklist/?tab=agreements")
    return page.get_by_role("row", name=re.compile("EX-0002"))


def test_income_and_expenditure_to_a_plan_its_breach_and_the_letter(page, agreement_server,
                                                                   tmp_path):
    base, env = agreement_server
    page.goto(base + "/login/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Income and expenditure: the totals follow the typing (htmx), spending is flagged.
    page.goto(base + "/tenancies/EX-0002/")
    page.get_by_role("link", name="Income and expenditure").click()
    assert axe_violations(page) == []
    for label, amount in [("Wages or salary", "1200.00"), ("Universal Credit: standard", "200.00"),
                          ("Rent and service charges", "525.00"), ("Council tax", "100.00"),
                          ("Gas and electricity", "75.00"), ("Food and housekeeping", "450.00"),
                          ("Travel", "100.00")]:
        page.get_by_label(re.compile(f"^{label}")).first.fill(amount)
    expect(page.locator("#ie-disposable")).to_have_text("£150.00")
    expect(page.locator("#ie-above")).to_contain_text("Food and housekeeping: £150.00 above")
    page.get_by_label(re.compile("^Food and housekeeping")).fill("300.00")
    expect(page.locator("#ie-disposable")).to_have_text("£300.00")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Complete and propose a plan").click()

    # The proposal, accepted as it is (the plan was agreed a week ago on the phone).
    expect(page.locator("#proposal")).to_contain_text("Proposed: £10.39 weekly")
    assert axe_violations(page) == []
    expect(page.get_by_label("Instalment towards the arrears, in pounds")).to_have_value("10.39")
    fill_date(page, "First instalment on", START)
    page.get_by_role("button", name="Make the agreement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("AG-EX-0002-1 made")
    expect(page.locator("#live-agreement")).to_contain_text("£10.39 towards the arrears")
    assert axe_violations(page) == []

    # The completed statement is kept on the account, line by line.
    page.locator("#statement-list").get_by_role("link").first.click()
    expect(page.locator("#ie-disposable")).to_have_text("£300.00")
    expect(page.get_by_text("Food and housekeeping").first).to_be_visible()
    assert axe_violations(page) == []
    page.go_back()

    # The first instalment paid on time: kept, on the Agreements tab.
    paid_on = START + datetime.timedelta(days=5)
    post_transactions(env, tmp_path / "paid", [("AG-PAY-1", paid_on, "payment_card", "10.39")])
    page.goto(base + "/tenancies/EX-0002/")
    expect(page.locator("#live-agreement")).to_contain_text("Kept")
    expect(page.locator("#recommendation")).to_contain_text("keeping to their agreement")
    expect(worklist_row(page, base)).to_be_visible()
    expect(worklist_row(page, base)).not_to_contain_text("Review the broken agreement")

    # The payment bounces: the instalment is missed, and the row asks for a review (§3.9).
    post_transactions(env, tmp_path / "bounced",
                      [("AG-PAY-1-R", paid_on + datetime.timedelta(days=1), "payment_reversal",
                        "10.39")])
    expect(worklist_row(page, base)).to_contain_text("Review the broken agreement")
    page.goto(base + "/tenancies/EX-0002/")
    # Since the day the payment bounced, as the engine saw it (not read from balances).
    since = f"since {uk_date(paid_on + datetime.timedelta(days=1))}"
    expect(page.locator("#breach-summary")).to_contain_text(f"Breached by £10.39 {since}")
    page.get_by_role("link", name="Review the breached agreement").click()
    assert axe_violations(page) == []
    expect(page.locator("#breach")).to_contain_text(f"£10.39 {since}")
    page.get_by_role("button", name="Record that the breach letter was sent").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Breach letter recorded")

    # The row waits (§3.9: breached, a breach letter less than 7 days ago).
    row = worklist_row(page, base)
    expect(row).to_be_visible()
    expect(row).not_to_contain_text("Review the broken agreement")
    page.goto(base + "/tenancies/EX-0002/")
    expect(page.locator("#recommendation")).to_contain_text("give the tenant 7 days to respond")

    # The officer refers the household for tenancy sustainment; the team leader follows it up
    # from the referrals list (officers have no such list: 403).
    page.get_by_role("link", name="Refer for support").click()
    page.get_by_label("Tenancy sustainment").check()
    page.get_by_label("Agency").select_option(label="Tenancy sustainment team")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save referral").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Referral recorded")
    expect(page.locator("#referral-list")).to_contain_text("Tenancy sustainment team")
    assert page.goto(base + "/referrals/").status == 403
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.get_by_label("Username").fill("leader1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Referrals").click()
    expect(page.locator("#referrals")).to_contain_text("EX-0002")
    expect(page.locator("#referral-counts")).to_contain_text("Tenancy sustainment")
    assert axe_violations(page) == []
    page.get_by_label("Referred for").select_option(label="Safeguarding")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("body")).to_contain_text("No referrals match")
    page.set_viewport_size({"width": 375, "height": 800})  # a phone
    assert axe_violations(page) == []
