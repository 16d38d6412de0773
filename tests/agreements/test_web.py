"""The agreement pages: income and expenditure (draft, complete, live totals), a plan from the
proposal or overridden with a reason, cancelling, and the breached agreement's review. Bad
input shows the GOV.UK error summary, keeps what was typed and saves nothing."""

import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from openincome.agreements.models import Agreement, IncomeExpenditure
from openincome.audit.models import AuditEvent
from openincome.ledger.models import RecordedAction
from openincome.staff.actions import add_user
from openincome.web.dates import uk_date

from .conftest import tenancy

pytestmark = pytest.mark.django_db
BASE = "/tenancies/EX-0002/"
# A household with £1,400 coming in and £1,100 going out: £300 a month disposable.
STATEMENT = {"adults": "1", "children": "0", "vehicles": "0", "wages": "1,200.00",
             "uc_standard": "200", "rent": "525.00", "council_tax": "100.00", "energy": "75",
             "food": "300.00", "travel": "100.00", "note": "Works part time"}


@pytest.fixture
def officer(landlord) -> Client:
    add_user("ag_officer", "officer", "ag-test-password", ["EAST"], actor="test")
    client = Client()
    client.login(username="ag_officer", password="ag-test-password")
    return client


def saved():
    return (Agreement.objects.count(), IncomeExpenditure.objects.count(),
            AuditEvent.objects.count(), RecordedAction.objects.count())


def dmy(name, day):
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}


def test_statement_draft_then_complete(officer):
    response = officer.post(f"{BASE}income-expenditure/", {**STATEMENT, "draft": "1"})
    assert response.status_code == 302
    draft = IncomeExpenditure.objects.get()
    assert (draft.status, draft.amounts["wages"], draft.amounts["uc_standard"]) == (
        "draft", 120_000, 20_000)
    page = officer.get(f"{BASE}income-expenditure/").content.decode()
    assert 'value="1200.00"' in page and "carries on the draft" in page
    response = officer.post(f"{BASE}income-expenditure/", {**STATEMENT, "complete": "1"})
    assert response.status_code == 302 and response["Location"].startswith(
        f"{BASE}agreements/new/")
    done = IncomeExpenditure.objects.get()  # the draft became the completed statement
    assert (done.status, done.completed_date) == ("completed", timezone.localdate())
    assert done.guideline_table.is_example
    assert AuditEvent.objects.filter(action="ie_completed").count() == 1
    account = officer.get(BASE).content.decode()
    assert "disposable £300.00 a month" in account
    # The kept statement, line by line, judged against the table it was completed under.
    url = f"{BASE}income-expenditure/{done.pk}/"
    assert f'href="{url}"' in account
    page = html.unescape(officer.get(url).content.decode())
    assert f"Completed {uk_date(done.completed_date, long=True)} by ag_officer" in page
    assert "1 adult, 0 children, 0 vehicles" in page and "Works part time" in page
    assert re.search(r"Wages or salary[^<]*</dt><dd[^>]*>£1,200.00 a month<", page)
    assert re.search(r'id="ie-disposable"><strong>£300.00<', page)
    assert "Childcare" not in page  # lines not given are not listed
    assert officer.get(f"{BASE}income-expenditure/999999/").status_code == 404
    # Another tenancy's statement is not found through this one.
    assert officer.get(f"/tenancies/EX-0001/income-expenditure/{done.pk}/").status_code == 404


def test_statement_bad_money_keeps_input_and_saves_nothing(officer):
    before = saved()
    response = officer.post(f"{BASE}income-expenditure/",
                            {**STATEMENT, "food": "lots", "adults": "0", "complete": "1"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    assert "enter the amount in pounds, like 250.00" in page
    assert "Adults must be 1 or more" in page
    assert 'value="lots"' in page and 'value="1,200.00"' in page
    assert saved() == before


def test_totals_update_as_typed_and_flag_spending_above_the_guideline(officer):
    response = officer.post(f"{BASE}income-expenditure/totals/",
                            {**STATEMENT, "food": "450.00", "personal": "oops"})
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    # £1,400 in; out: £700 fixed, £550 flexible (the bad box counts as nothing yet) -> £150.
    assert "<strong>£150.00</strong>" in text
    # The EXAMPLE guideline for one adult: food £300.00, so £150.00 above.
    assert "Food and housekeeping: £150.00 above" in text
    assert "example figures, not the Standard Financial Statement" in text
    assert officer.get(f"{BASE}income-expenditure/totals/").status_code == 405


def _complete(officer):
    officer.post(f"{BASE}income-expenditure/", {**STATEMENT, "complete": "1"})


def test_the_proposed_plan_is_made_without_a_reason(officer):
    _complete(officer)
    page = html.unescape(officer.get(f"{BASE}agreements/new/").content.decode())
    # £300 disposable, half offered = £34.61 a week; £1,090.35 in 105 weeks needs £10.39.
    assert "Proposed: £10.39 weekly" in page
    assert 'value="10.39"' in page and 'value="1090.35"' in page
    today = timezone.localdate()
    response = officer.post(f"{BASE}agreements/new/", {
        "instalment": "10.39", "frequency": "weekly", **dmy("start", today),
        "starting_balance": "1090.35", "lump_sum": "", "reason": ""})
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.instalment, agreement.status, agreement.start_date) == (1_039, "live",
                                                                              today)
    account = html.unescape(officer.get(BASE).content.decode())
    assert "AG-EX-0002-1" in account and "£10.39 towards the arrears" in account
    assert 'id="agreement-table"' in account


def test_another_frequency_is_proposed_and_other_arrears_need_a_reason(officer):
    _complete(officer)
    page = html.unescape(officer.get(f"{BASE}agreements/new/").content.decode())
    assert '?frequency=monthly">monthly</a>' in page
    monthly = html.unescape(officer.get(f"{BASE}agreements/new/?frequency=monthly")
                            .content.decode())
    proposed = re.search(r"Proposed: £([0-9.]+) monthly", monthly).group(1)
    assert 'value="monthly" checked' in monthly and f'value="{proposed}"' in monthly
    today = timezone.localdate()
    form = {"instalment": proposed, "frequency": "monthly", **dmy("start", today),
            "starting_balance": "1090.35", "lump_sum": "", "reason": ""}
    before = saved()
    response = officer.post(f"{BASE}agreements/new/", {**form, "starting_balance": "900.00"})
    assert response.status_code == 400 and saved() == before
    assert ("Give a reason: the arrears to repay are not today's arrears of £1,090.35"
            in html.unescape(response.content.decode()))
    assert officer.post(f"{BASE}agreements/new/", form).status_code == 302
    made = Agreement.objects.get()
    assert (made.frequency, made.note) == ("monthly",
                                           "The proposed plan, from the income and expenditure")


def test_an_override_needs_a_reason_and_bad_terms_save_nothing(officer):
    _complete(officer)
    today = timezone.localdate()
    form = {"instalment": "15.00", "frequency": "weekly", **dmy("start", today),
            "starting_balance": "1090.35", "lump_sum": "", "reason": ""}
    before = saved()
    for change, message in [
        ({}, "Give a reason: the instalment is not the proposed one"),
        ({"instalment": "0"}, "The instalment must be more than £0.00"),
        ({"instalment": "-3"}, "Enter the amount in pounds, like 20.00"),
        ({"reason": "Tenant asked", "start-year": "2020"},
         "The agreement cannot start before the tenancy started"),
        ({"reason": "Tenant asked", "lump_sum": "2000.00"},
         "A first payment must be more than £0.00 and less than the arrears"),
        ({"reason": "Tenant asked", "lump_sum": "ten"}, "Enter the amount in pounds"),
    ]:
        response = officer.post(f"{BASE}agreements/new/", {**form, **change})
        assert response.status_code == 400, change
        page = html.unescape(response.content.decode())
        assert "There is a problem" in page and message in page, change
        assert saved() == before
    assert officer.post(f"{BASE}agreements/new/", {**form, "reason": "Tenant asked"}
                        ).status_code == 302


def test_cancel_and_review(officer):
    agreement = Agreement.objects.create(
        agreement_ref="AG-W-1", tenancy=tenancy(), kind="informal",
        start_date=timezone.localdate().replace(day=1), starting_balance=50_000,
        instalment=1_000, frequency="weekly", status="live")
    page = html.unescape(officer.get(f"{BASE}agreements/review/").content.decode())
    # £1,090.35 owed against at most £500.00 expected: breached.
    assert "Breached by" in page and "Record that the breach letter was sent" in page
    # Owing more than £500.00 from the day it started: breached since then, as the engine sees.
    since = f"since {uk_date(agreement.start_date)}"
    assert since in page
    account = html.unescape(officer.get(BASE).content.decode())
    assert "Breached by" in account and since in account and f"{BASE}agreements/review/" in account
    response = officer.post(f"{BASE}agreements/review/", {"choice": "breach_letter"})
    assert response.status_code == 302
    assert RecordedAction.objects.filter(code="breach_letter_sent",
                                         tenancy=agreement.tenancy).count() == 1
    before = saved()
    response = officer.post(f"{BASE}agreements/AG-W-1/cancel/", {"reason": ""})
    assert response.status_code == 400 and saved() == before
    assert officer.post(f"{BASE}agreements/AG-W-1/cancel/", {"reason": "Moved away"}
                        ).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason) == ("cancelled", "Moved away")
    assert "no live agreement" in officer.get(f"{BASE}agreements/review/").content.decode()
    assert officer.get(f"{BASE}agreements/NOPE/cancel/").status_code == 404


def _leader() -> Client:
    add_user("ag_leader", "team_leader", "ag-test-password", [], actor="test")
    client = Client()
    client.login(username="ag_leader", password="ag-test-password")
    return client


def test_referrals_record_the_ladder_action_show_open_and_close(officer):
    from openincome.agreements.models import Agency, Referral

    agency = Agency.objects.get(name="Local money advice service")
    today = timezone.localdate()
    before = saved()
    for change, message in [
        ({"kind": ""}, "Select what the referral is for"),
        ({"agency": "999999"}, "Select the agency"),
        ({"consent": "no"}, "Only a safeguarding referral may be made without"),
        ({"referred_date-year": str(today.year + 1)}, "must be today or in the past"),
    ]:
        form = {"kind": "money_advice", "agency": str(agency.pk), **dmy("referred_date", today),
                "consent": "yes", "note": "Debts with three lenders", **change}
        response = officer.post(f"{BASE}referrals/new/", form)
        assert response.status_code == 400, change
        assert message in html.unescape(response.content.decode()), change
        assert saved() == before
    response = officer.post(f"{BASE}referrals/new/", {
        "kind": "money_advice", "agency": str(agency.pk), **dmy("referred_date", today),
        "consent": "yes", "note": "Debts with three lenders"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert RecordedAction.objects.filter(code="money_advice_referral",
                                         tenancy=referral.tenancy, date=today).exists()
    # The team's list is for its leads: the officer sees the referral on the account instead.
    assert officer.get("/referrals/").status_code == 403
    leader = _leader()
    assert "Local money advice service" in leader.get("/referrals/").content.decode()
    account = html.unescape(officer.get(BASE).content.decode())
    assert "Money advice, Local money advice service" in account and "Open" in account
    url = f"{BASE}referrals/{referral.pk}/outcome/"
    assert officer.post(url, {"outcome": ""}).status_code == 400
    assert officer.post(url, {"outcome": "engaged", **dmy("outcome_date", today)}
                        ).status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_date) == ("engaged", today)
    assert "No referrals match" in leader.get("/referrals/").content.decode()
    assert "Local money advice service" in leader.get("/referrals/?status=closed").content.decode()


def test_a_safeguarding_referral_without_consent_records_no_money_advice(officer):
    from openincome.agreements.models import Agency, Referral

    agency = Agency.objects.get(name="Safeguarding team (adults or children)")
    response = officer.post(f"{BASE}referrals/new/", {
        "kind": "safeguarding", "agency": str(agency.pk),
        **dmy("referred_date", timezone.localdate()), "consent": "no", "note": ""})
    assert response.status_code == 302
    assert Referral.objects.get().consent is False
    assert not RecordedAction.objects.filter(code="money_advice_referral").exists()


def test_the_referrals_list_filters_sorts_pages_and_counts(landlord):
    import datetime

    from openincome.agreements.models import Agency, Referral

    money = Agency.objects.get(name="Local money advice service")
    safeguarding = Agency.objects.get(name="Safeguarding team (adults or children)")
    day = datetime.date(2026, 1, 1)
    refs = {"EX-0001": "EAST", "EX-0002": "EAST", "EX-0003": "WEST"}
    made = []
    for n in range(55):  # 55 open money advice referrals: two pages of 50
        made.append(Referral(tenancy=tenancy(list(refs)[n % 3]), kind="money_advice",
                             agency=money, consent=True,
                             referred_date=day + datetime.timedelta(days=n)))
    made.append(Referral(tenancy=tenancy("EX-0003"), kind="safeguarding", agency=safeguarding,
                         consent=False, referred_date=datetime.date(2025, 6, 1)))
    made.append(Referral(tenancy=tenancy("EX-0001"), kind="mental_health", agency=money,
                         consent=True, referred_date=day, outcome="engaged", outcome_date=day))
    Referral.objects.bulk_create(made)
    leader = _leader()

    def page(query=""):
        response = leader.get("/referrals/" + query)
        assert response.status_code == 200
        return html.unescape(response.content.decode())

    first = page()
    assert "56 referrals." in first and 'aria-label="Page 2 of 2"' in first
    # Counts by kind, the larger first, with the total; labels, never codes.
    counts = first[first.index('id="referral-counts"'):first.index("</table>",
                                                                  first.index("referral-counts"))]
    assert re.search(r"Money advice</a></th><td[^>]*>55<", counts)
    assert re.search(r"Safeguarding</a></th><td[^>]*>1<", counts)
    assert re.search(r"All</th><td[^>]*>56<", counts) and "safeguarding<" not in counts
    rows = first[first.index('id="referrals"'):]
    # The oldest first: the safeguarding referral of 1 June 2025 leads.
    assert rows.index("1 Jun 2025") < rows.index("1 Jan 2026")
    newest = page("?sort=referred&dir=desc")
    assert newest[newest.index('id="referrals"'):].index("24 Feb 2026") < \
        newest[newest.index('id="referrals"'):].index("1 Jan 2026")
    # Pages keep the sort: the oldest is on the second page only when the newest come first.
    assert "1 Jun 2025" not in page("?page=2")
    assert "1 Jun 2025" in page("?page=2&sort=referred&dir=desc")
    only = page("?kind=safeguarding")
    assert "1 referral for safeguarding." in only and "EX-0003" in only
    west = page("?patch=WEST")
    assert "19 referrals." in west and "EX-0002" not in west[west.index('id="referrals"'):]
    assert "1 referral." in page("?status=closed")
    assert "57 referrals." in page("?status=all&page=9")
    assert "No referrals match" in page("?agency=Nobody")


def test_the_menu_offers_referrals_to_those_who_may_read_them(officer):
    nav = 'class="govuk-service-navigation__link" href="/referrals/"'
    assert nav in _leader().get("/worklist/").content.decode()
    assert nav not in officer.get("/worklist/").content.decode()


AGREEMENT_VIEWS = "openincome.web.views.agreements"


def _agreement_urls():
    """Every URL the agreement pages answer, found from the URLconf (a new page is walked
    without editing this test), with EX-0002's agreement and referral filled in."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.callback.__module__ == AGREEMENT_VIEWS:
                yield "/" + prefix + str(entry.pattern)

    samples = {"<str:tenancy_ref>": "EX-0002", "<str:agreement_ref>": "AG-P-1",
               "<int:referral_id>": "{referral}", "<int:statement_id>": "{statement}"}
    urls = []
    for route in walk(get_resolver().url_patterns):
        for name, value in samples.items():
            route = route.replace(name, value)
        assert "<" not in route, f"add a sample for {route}"
        urls.append(route)
    return urls


@pytest.mark.parametrize("role", ["finance", "admin", None])
def test_every_agreement_page_refuses_a_role_without_the_permission(landlord, role):
    from openincome.agreements.models import Agency, Referral

    Agreement.objects.create(agreement_ref="AG-P-1", tenancy=tenancy(), kind="informal",
                             start_date=timezone.localdate(), starting_balance=50_000,
                             instalment=1_000, frequency="weekly", status="live")
    referral = Referral.objects.create(tenancy=tenancy(), kind="money_advice", consent=True,
                                       agency=Agency.objects.first(),
                                       referred_date=timezone.localdate())
    if role:
        add_user("ag_other", role, "ag-test-password", [], actor="test")
    else:
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_user("ag_other", password="ag-test-password")
    client = Client()
    client.login(username="ag_other", password="ag-test-password")
    statement = IncomeExpenditure.objects.create(tenancy=tenancy(), amounts={"wages": 1})
    urls = [url.format(referral=referral.pk, statement=statement.pk)
            for url in _agreement_urls()]
    assert len(urls) == 9 and "/referrals/" in urls
    before = (saved(), Referral.objects.count())
    for url in urls:
        # Refused (405 where a page takes POST only, before anyone's permission is read).
        assert client.get(url).status_code == (405 if url.endswith("/totals/") else 403), url
        # The filled-in form a permitted user would send is refused all the same.
        form = {**STATEMENT, "instalment": "10.00", "frequency": "weekly",
                **dmy("start", timezone.localdate()), "reason": "x", "choice": "breach_letter",
                "kind": "money_advice", "consent": "yes", "outcome": "engaged"}
        read_only = url == "/referrals/" or re.search(r"/income-expenditure/\d+/$", url)
        assert client.post(url, form).status_code == (405 if read_only else 403), url
    assert (saved(), Referral.objects.count()) == before


def test_every_agreement_form_needs_the_csrf_token(officer):
    from openincome.agreements.models import Agency, Referral

    Agreement.objects.create(agreement_ref="AG-P-1", tenancy=tenancy(), kind="informal",
                             start_date=timezone.localdate(), starting_balance=50_000,
                             instalment=1_000, frequency="weekly", status="live")
    referral = Referral.objects.create(tenancy=tenancy(), kind="money_advice", consent=True,
                                       agency=Agency.objects.first(),
                                       referred_date=timezone.localdate())
    client = Client(enforce_csrf_checks=True)
    client.login(username="ag_officer", password="ag-test-password")
    statement = IncomeExpenditure.objects.create(tenancy=tenancy(), amounts={"wages": 1})
    before = (saved(), Referral.objects.count())
    for url in [url.format(referral=referral.pk, statement=statement.pk)
                for url in _agreement_urls()]:
        response = client.post(url, {"reason": "x", "choice": "breach_letter"})
        assert response.status_code == 403, url
        assert b"Your form has expired" in response.content, url
    assert (saved(), Referral.objects.count()) == before
