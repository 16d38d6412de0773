"""The officer's experience: one meaning of arrears, a call-list CSV, a worklist that keeps its
place, contact details first, vulnerabilities from a list, lifting a pause, a date without a run.
"""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils import timezone
from django.utils.html import escape

from openincome.audit.models import AuditEvent
from openincome.benefits.models import BenefitClaim
from openincome.cases.figures import FIGURES
from openincome.cases.models import Pause, WorklistEntry, WorklistRun
from openincome.cases.nightly import run_nightly
from openincome.cli import main
from openincome.ledger.models import Tenancy, Tenant, Transaction
from openincome.ledger.pence import pounds

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
WORKLIST = "/worklist/"


def _call_ready():
    """EX-0002 with numbers, an email, a preferred channel, a vulnerability and technical
    arrears (a Universal Credit claim in payment), so every column has something to show."""
    Tenant.objects.filter(person_ref="EX-0002-1").update(
        mobile="07700 900982", phone="01632 960001", email="sam.patel@example.com",
        vulnerabilities="mental_health")
    Tenancy.objects.filter(tenancy_ref="EX-0002").update(preferred_channel="phone")
    BenefitClaim.objects.filter(claim_ref="UC-77").update(
        status="in_payment", status_date=datetime.date(2026, 11, 1), expected_amount=20_000)
    # UC counts as on its way while a payment came in the last 38 days (POLICY.md §2).
    Transaction.objects.create(transaction_ref="UX-PAY-1", date=datetime.date(2026, 11, 10),
                               tenancy=Tenancy.objects.get(tenancy_ref="EX-0002"),
                               type="payment_bank", amount=-1_000)


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- 2. One meaning of arrears; the CSV as a call list ---------------------------------------


def test_worklist_csv_names_each_figure_as_the_pages_do_and_is_a_call_list(officer):
    _call_ready()
    run_nightly(AS_OF)
    entry = WorklistEntry.objects.get(run__as_of=AS_OF, tenancy__tenancy_ref="EX-0002")
    assert entry.technical_arrears > 0 and entry.arrears != entry.actionable_arrears
    response = officer.get(WORKLIST, {"as_of": AS_OF.isoformat(), "tab": "arrears",
                                      "format": "csv"})
    row = next(r for r in _rows(response.content.decode()) if r["tenancy_ref"] == "EX-0002")
    assert row["balance"] == pounds(entry.balance)
    assert row["arrears"] == pounds(entry.arrears)
    assert row["technical_arrears"] == pounds(entry.technical_arrears)
    assert row["actionable_arrears"] == pounds(entry.actionable_arrears)
    assert row["name"] == "Sam Patel"
    assert row["address"] == "2 Elm Road, Northtown, NN1 1AA"
    assert row["phone_numbers"] == "07700 900982; 01632 960001"
    assert row["preferred_channel"] == "Phone"
    assert row["vulnerable"] == "yes"
    # A flag only: the detail stays on the account page.
    assert "mental" not in response.content.decode().lower()


def test_command_line_csv_has_the_same_figures_and_call_list_columns(officer, capsys):
    _call_ready()
    run_nightly(AS_OF)
    assert main(["worklist", "--as-of", AS_OF.isoformat(), "--all", "--format", "csv"]) == 0
    rows = {r["tenancy_ref"]: r for r in _rows(capsys.readouterr().out)}
    assert {"arrears", "technical_arrears", "actionable_arrears", "name", "address",
            "phone_numbers", "preferred_channel", "vulnerable"} <= set(rows["EX-0002"])
    assert rows["EX-0002"]["phone_numbers"] == "07700 900982; 01632 960001"
    assert rows["EX-0002"]["vulnerable"] == "yes" and rows["EX-0001"]["vulnerable"] == ""
    assert rows["EX-0002"]["name"] == "Sam Patel"


def test_worklist_and_account_page_use_the_same_words_and_explain_them(officer):
    _call_ready()
    run_nightly(AS_OF)
    entry = WorklistEntry.objects.get(run__as_of=AS_OF, tenancy__tenancy_ref="EX-0002")
    listing = officer.get(WORKLIST, {"as_of": AS_OF.isoformat(), "tab": "arrears"})
    account = officer.get("/tenancies/EX-0002/", {"as_of": AS_OF.isoformat()})
    listing, account = listing.content.decode(), account.content.decode()
    assert "Actionable arrears" in listing and pounds(entry.actionable_arrears) in listing
    assert f'id="actionable-arrears">{pounds(entry.actionable_arrears)}<' in account
    assert f'id="technical-arrears">{pounds(entry.technical_arrears)}<' in account
    for figure in FIGURES.values():
        assert escape(figure.help) in listing and escape(figure.help) in account, figure.key


# --- 3. Back to the worklist, next case --------------------------------------------------------


def _account_link(page: str, ref: str) -> str:
    start = page.index(f'href="/tenancies/{ref}/?') + len('href="')
    return page[start:page.index('"', start)].replace("&amp;", "&")


def test_back_to_the_worklist_keeps_filters_sort_and_page(officer):
    run_nightly(AS_OF)
    view = {"as_of": AS_OF.isoformat(), "tab": "arrears", "patch": "all", "sort": "tenancy",
            "dir": "asc", "tenure": "assured"}
    page = officer.get(WORKLIST, view).content.decode()
    account = officer.get(_account_link(page, "EX-0002")).content.decode()
    back = account.split('class="govuk-back-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    back = back.replace("&amp;", "&")
    assert urlsplit(back).path == WORKLIST
    assert {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()} == view


def test_back_link_keeps_only_worklist_parameters(officer):
    wl = urlencode({"tab": "court", "next": "https://elsewhere.example", "format": "csv"})
    account = officer.get("/tenancies/EX-0002/", {"wl": wl}).content.decode()
    back = account.split('class="govuk-back-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert back == "/worklist/?tab=court"


def test_next_case_walks_the_view_and_says_when_it_ends(officer):
    run_nightly(AS_OF)
    view = {"as_of": AS_OF.isoformat(), "tab": "arrears", "patch": "all", "sort": "tenancy",
            "dir": "asc"}
    listing = officer.get(WORKLIST, view).content.decode()
    refs = list(WorklistEntry.objects.filter(run__as_of=AS_OF, arrears__gt=0)
                .order_by("tenancy__tenancy_ref").values_list("tenancy__tenancy_ref", flat=True))
    assert len(refs) >= 2
    url = _account_link(listing, refs[0])
    for ref in refs[1:]:
        page = officer.get(url).content.decode()
        assert "Next case" in page
        url = page.split('id="next-case"')[1].split('href="', 1)[1].split('"')[0]
        url = url.replace("&amp;", "&")
        assert urlsplit(url).path == f"/tenancies/{ref}/"
    last = officer.get(url).content.decode()
    assert "This is the last case in this view of the worklist" in last


def test_next_case_after_the_case_left_the_view_is_the_one_now_in_its_place(officer):
    run_nightly(AS_OF)
    rows = list(WorklistEntry.objects.filter(run__as_of=AS_OF, arrears__gt=0)
                .order_by("tenancy__tenancy_ref").select_related("tenancy"))
    first, second = rows[0], rows[1]
    wl = urlencode({"as_of": AS_OF.isoformat(), "tab": "arrears", "patch": "all",
                    "sort": "tenancy", "dir": "asc"})
    first.arrears = 0  # as if paid since: it has left "All in arrears"
    first.save()
    page = officer.get(f"/tenancies/{first.tenancy.tenancy_ref}/",
                       {"as_of": AS_OF.isoformat(), "wl": wl, "at": 0}).content.decode()
    nxt = page.split('id="next-case"')[1].split('href="', 1)[1].split('"')[0]
    assert urlsplit(nxt).path == f"/tenancies/{second.tenancy.tenancy_ref}/"


def test_worklist_pages_with_the_govuk_pagination_component(officer, monkeypatch):
    from openincome.web.views import worklist as view

    monkeypatch.setattr(view, "PAGE_SIZE", 1)
    run_nightly(AS_OF)
    page = officer.get(WORKLIST, {"as_of": AS_OF.isoformat(), "tab": "arrears", "patch": "all",
                                  "page": 2}).content.decode()
    nav = page.split('<nav class="govuk-pagination"')[1].split("</nav>")[0]
    assert "govuk-pagination__icon--prev" in nav and "govuk-pagination__icon--next" in nav
    for number in (1, 2, 3):
        assert f'aria-label="Page {number} of 3"' in nav
    assert 'aria-current="page">2</a>' in nav


def test_worklist_pagination_links_every_nearby_page_and_marks_the_current_one():
    from django.core.paginator import Paginator

    from openincome.web.pagination import page_items

    cases = [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, None, 10]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 9, 10]),
        (3, 10, [1, 2, 3, 4, None, 10]),
    ]
    for number, pages, expected in cases:
        page = Paginator(range(pages), 1).page(number)
        assert page_items(page) == expected, (number, pages)


# --- 4. Contact first ----------------------------------------------------------------------


def test_account_and_contact_form_show_every_number_to_click_and_the_email(officer):
    _call_ready()
    for url in ("/tenancies/EX-0002/", "/tenancies/EX-0002/contact/"):
        page = officer.get(url).content.decode()
        assert 'href="tel:07700900982">07700 900982</a>' in page, url
        assert 'href="tel:01632960001">01632 960001</a>' in page, url
        assert 'href="mailto:sam.patel@example.com"' in page, url


@pytest.mark.parametrize("query", [
    "07700 900982", "07700900982", "900982", "sam.patel@example", "NN11AA", "nn1 1aa",
    "nn11aa",
])
def test_search_finds_by_phone_email_and_postcode_however_spaced(officer, query):
    _call_ready()
    Tenant.objects.filter(person_ref="EX-0002-1").update(mobile="07700900982")
    page = officer.get("/search/", {"q": query}).content.decode()
    assert "/tenancies/EX-0002/" in page, query


def test_search_by_a_number_finds_only_its_tenancy(officer):
    _call_ready()
    page = officer.get("/search/", {"q": "01632 960001"}).content.decode()
    assert "/tenancies/EX-0002/" in page and "/tenancies/EX-0001/" not in page


def test_vulnerabilities_are_chosen_from_a_list_with_an_other_note(officer):
    page = officer.get("/tenancies/EX-0002/details/").content.decode()
    assert 'type="checkbox" value="mental_health"' in page and "Mental health condition" in page
    response = officer.post("/tenancies/EX-0002/details/", {
        "vulnerabilities": ["hearing", "other"], "vulnerability_note": "Uses a wheelchair",
        "why": "Told us on the phone"})
    assert response.status_code == 302
    tenant = Tenant.objects.get(person_ref="EX-0002-1")
    assert tenant.vulnerabilities == "hearing;other"
    assert tenant.vulnerability_note == "Uses a wheelchair"
    event = AuditEvent.objects.filter(action="tenant_details_changed").latest("pk")
    assert "Uses a wheelchair" not in str(event.details)  # which fields only


def test_editing_details_keeps_vulnerability_codes_the_list_does_not_offer(officer):
    Tenant.objects.filter(person_ref="EX-0002-1").update(vulnerabilities="sight;housebound")
    officer.post("/tenancies/EX-0002/details/", {"vulnerabilities": ["hearing"],
                                                 "why": "Update"})
    assert Tenant.objects.get(person_ref="EX-0002-1").vulnerabilities == "hearing;housebound"


def test_the_banner_names_vulnerabilities_in_words_on_every_page_of_the_tenancy(officer):
    Tenant.objects.filter(person_ref="EX-0002-1").update(
        vulnerabilities="hearing;other", vulnerability_note="Uses a wheelchair")
    for suffix in ("", "contact/", "action/", "pause/", "benefit/", "details/"):
        page = officer.get(f"/tenancies/EX-0002/{suffix}").content.decode()
        banner = page.split('class="govuk-warning-text oi-vulnerability"')[1].split("</div>")[0]
        assert "Deaf or hard of hearing" in banner and "other: Uses a wheelchair" in banner
        assert "hearing;other" not in banner, suffix


def _pause_today(officer):
    today = timezone.localdate()
    officer.post("/tenancies/EX-0002/pause/", {
        "reason": "hospital", "start_date": (today - datetime.timedelta(days=3)).isoformat(),
        "note": "In hospital"})
    return Pause.objects.get(tenancy__tenancy_ref="EX-0002", reason="hospital")


def test_an_active_pause_can_be_lifted_early_with_a_reason_audited_and_reclassified(
        officer, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    run_nightly(today)
    with django_capture_on_commit_callbacks(execute=True):
        pause = _pause_today(officer)
    assert WorklistEntry.objects.get(run__as_of=today,
                                     tenancy__tenancy_ref="EX-0002").action == "paused"
    account = officer.get("/tenancies/EX-0002/").content.decode()
    lift = f"/tenancies/EX-0002/pauses/{pause.pk}/lift/"
    assert f'href="{lift}"' in account and "Lift the pause early" in account
    refused = officer.post(lift, {"why": ""})
    assert refused.status_code == 400 and "Say why you are lifting the pause" in \
        refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post(lift, {"why": "Home from hospital, happy to talk"}).status_code == 302
    pause.refresh_from_db()
    assert pause.end_date == today - datetime.timedelta(days=1)
    event = AuditEvent.objects.filter(action="pause_lifted").latest("pk")
    assert event.why == "Home from hospital, happy to talk"
    assert WorklistEntry.objects.get(run__as_of=today,
                                     tenancy__tenancy_ref="EX-0002").action != "paused"
    assert "Lift the pause early" not in officer.get("/tenancies/EX-0002/").content.decode()


def test_a_pause_that_has_ended_cannot_be_lifted(officer):
    old = Pause.objects.get(tenancy__tenancy_ref="EX-0001")  # March to April 2026
    response = officer.post(f"/tenancies/EX-0001/pauses/{old.pk}/lift/", {"why": "x"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.end_date == datetime.date(2026, 4, 20)
    assert not AuditEvent.objects.filter(action="pause_lifted").exists()


def test_finance_cannot_lift_a_pause(finance, officer):
    pause = _pause_today(officer)
    assert finance.post(f"/tenancies/EX-0002/pauses/{pause.pk}/lift/",
                        {"why": "x"}).status_code == 403


# --- 6. A date without a stored worklist -------------------------------------------------------


def test_officer_without_a_run_sees_their_cases_classified_on_the_fly(officer):
    page = officer.get(WORKLIST, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "There is no worklist for 23 November 2026 yet" in page
    assert "classified just now" in page
    assert "/tenancies/EX-0002/" in page  # on EAST and needing action
    assert "/tenancies/EX-0003/" not in page  # on WEST
    assert "ask your team leader to build it" in page
    assert "Build the worklist" not in page
    assert not WorklistRun.objects.exists()  # nothing stored


def test_team_leader_without_a_run_can_build_it_or_see_a_patch_on_the_fly(leader):
    page = leader.get(WORKLIST, {"as_of": AS_OF.isoformat(), "patch": "EAST"}).content.decode()
    assert "Build the worklist for 23 November 2026" in page
    assert "/tenancies/EX-0002/" in page
    whole = leader.get(WORKLIST, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "Build the worklist for 23 November 2026" in whole  # every patch: build it
