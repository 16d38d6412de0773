"""Issue 16's court stage in the browser: from a tenancy with a served NOSP and a recorded claim
(set up through the command line), the officer records the hearing, prepares for it (the
notice of hearing sent, the pack made), records a suspended possession order after an error
on the form; the engine then monitors the order, and a month without payments is the
order-breach step. Axe on each page.

The tenancy is one of this test's own (EX-0009, imported into the shared server), so the
other browser tests' tenancies are left as they were.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .axe_check import axe_violations
from .conftest import FIXTURES

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()
CLAIMED = TODAY - datetime.timedelta(days=30)


def write_tenancy(folder):
    """An interchange folder adding EX-0009 (secure, £100 a week, ten weeks unpaid)."""
    folder.mkdir()
    small = FIXTURES / "interchange-small"
    (folder / "manifest.csv").write_bytes((small / "manifest.csv").read_bytes())
    (folder / "properties.csv").write_text(
        (small / "properties.csv").read_text()
        + "P0009,9 Court Row,,Northtown,NN1 9AA,flat,2,EAST\n")
    (folder / "tenancies.csv").write_text(
        (small / "tenancies.csv").read_text() + "EX-0009,P0009,secure,2025-06-02,,,PAY000009,"
        "letter\n")
    (folder / "tenants.csv").write_text(
        (small / "tenants.csv").read_text().splitlines()[0]
        + "\nEX-0009,EX-0009-1,,Alex,Example,,,,,true,,,\n")
    (folder / "charges.csv").write_text(
        "tenancy_ref,charge_code,amount,frequency,effective_from,effective_to\n"
        "EX-0009,rent,100.00,weekly,2025-06-02,\n")
    monday = TODAY - datetime.timedelta(days=TODAY.weekday() + 70)
    rows = [f"T9000{i:03d},EX-0009,{monday + datetime.timedelta(weeks=i)},rent,100.00,,"
            for i in range(10)]
    (folder / "transactions.csv").write_text(
        "transaction_ref,tenancy_ref,date,type,amount,description,period_start\n"
        + "\n".join(rows) + "\n")


NOTICE = ("from openincome.legal.models import Notice; "
          "from openincome.ledger.models import Tenancy; "
          "Notice.objects.create(notice_ref='NTC-BROWSER', kind='nosp_secure', method='hand', "
          "served_date='{served}', deemed_service_date='{served}', "
          "earliest_proceedings_date='{proceedings}', expiry_date='{expiry}', "
          "tenancy=Tenancy.objects.get(tenancy_ref='EX-0009'))")
CLAIM = ("from openincome.legal.models import CourtCase; "
         "from openincome.ledger.models import Tenancy; "
         "CourtCase.objects.create(case_ref='CC-BROWSER', claim_date='{day}', "
         "tenancy=Tenancy.objects.get(tenancy_ref='EX-0009'))")


@pytest.fixture
def claimed(server_cli, tmp_path):
    """EX-0009 with a NOSP served by hand 60 days ago and a claim issued 30 days ago."""
    write_tenancy(tmp_path / "ex-0009")
    server_cli("import", str(tmp_path / "ex-0009"))
    # Serving needs the protocol's checklist, assessment and approval (test_browser_protocol
    # walks those pages); this test starts after them, with the notice on record.
    served = TODAY - datetime.timedelta(days=60)
    server_cli("manage", "shell", "-c", NOTICE.format(
        served=served, proceedings=served + datetime.timedelta(days=28),
        expiry=served + datetime.timedelta(days=365)))
    server_cli("manage", "shell", "-c", CLAIM.format(day=CLAIMED.isoformat()))


def no_violations(page):
    assert axe_violations(page) == []


def fill_date(page, group: str, day: datetime.date):
    box = page.get_by_role("group", name=group)
    box.get_by_label("Day").fill(str(day.day))
    box.get_by_label("Month").fill(str(day.month))
    box.get_by_label("Year").fill(str(day.year))


def test_hearing_pack_and_spo_then_the_engine_monitors_the_order(signed_in, server, claimed):
    page = signed_in
    page.goto(server + "/tenancies/EX-0009/")
    page.get_by_role("link", name="Legal and court").click()
    expect(page.get_by_role("heading", name="Legal", exact=True)).to_be_visible()
    expect(page.locator("#notices")).to_contain_text("Notice of seeking possession")
    expect(page.locator("#court-case")).to_contain_text("CC-BROWSER")
    no_violations(page)

    # The hearing is today: the pack is due (POLICY.md §3.7) and the outcome can follow.
    page.get_by_role("link", name="Record a hearing", exact=True).click()
    no_violations(page)
    fill_date(page, "Hearing date", TODAY)
    page.get_by_label("Court", exact=True).fill("County Court at Exeter")
    page.get_by_label("Where in the court (optional)").fill("Court 2, 10am")
    page.get_by_role("button", name="Save the hearing").click()
    expect(page.locator("#court-case")).to_contain_text("County Court at Exeter")

    page.goto(server + "/court/hearings/")
    expect(page.get_by_role("row", name=re.compile("EX-0009"))).to_contain_text("Court 2, 10am")
    no_violations(page)
    page.get_by_role("link", name="EX-0009").click()

    # The engine asks for the preparation (§3.7); the tab links it to its form.
    expect(page.locator("#legal-recommendation")).to_contain_text("Prepare for the hearing")
    page.get_by_role("link", name="Prepare for the hearing", exact=True).click()
    no_violations(page)
    page.get_by_label(re.compile("Send the notice of hearing")).check()
    page.get_by_role("button", name="Prepare").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Hearing pack prepared")
    expect(page.locator("#legal-timeline")).to_contain_text("Hearing pack prepared")
    expect(page.get_by_role("link", name=re.compile("Hearing pack of"))).to_be_visible()

    # A suspended order without its frequency: the error summary, the input kept.
    page.get_by_role("link", name="Record the outcome", exact=True).click()
    page.get_by_label("Suspended possession order").check()
    fill_date(page, "Date of the decision", TODAY)
    page.get_by_label(re.compile("Payment towards the arrears")).fill("5.00")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how often")
    expect(page.get_by_label(re.compile("Payment towards the arrears"))).to_have_value("5.00")
    no_violations(page)
    page.get_by_label(re.compile("How often")).select_option("weekly")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.locator("#court-case")).to_contain_text(
        "Suspended possession order on")
    expect(page.locator("#court-case")).to_contain_text("£5.00 weekly towards the arrears")
    no_violations(page)

    # The engine monitors the order: kept today; a month with no payment is a breach.
    page.goto(server + "/tenancies/EX-0009/")
    expect(page.get_by_role("heading", name=re.compile("Recommended"))).not_to_contain_text(
        "court order is broken")
    later = TODAY + datetime.timedelta(days=35)
    page.goto(server + f"/tenancies/EX-0009/?as_of={later.isoformat()}")
    expect(page.get_by_role("heading", name=re.compile("Recommended"))).to_contain_text(
        "Warn that the court order is broken")
    no_violations(page)

    page.goto(server + "/court/evictions/")
    expect(page.get_by_role("heading", name="Evictions and warrants")).to_be_visible()
    no_violations(page)
