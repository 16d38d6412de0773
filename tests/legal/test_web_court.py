"""The legal tab, its court-stage forms, the court documents and the hearing and eviction
lists, through the web client."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from openincome.ledger.models import Tenancy
from openincome.legal.models import CourtCase, CourtEvent, Notice
from openincome.letters.pdf import pdf_text

from .conftest import make_ready

TAB = "/tenancies/EX-0001/legal/"


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="legal-test-password")
    return client


def day_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@pytest.fixture
def case(officer):
    return CourtCase.objects.create(case_ref="CC-WEB-1", claim_date=datetime.date(2026, 9, 1),
                                    tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"))


@pytest.fixture
def client(officer) -> Client:
    return signed_in("officer1")


def test_the_account_links_to_the_legal_tab_and_it_shows_the_case(client, case):
    assert f'href="{TAB}"' in client.get("/tenancies/EX-0001/").content.decode()
    page = client.get(TAB).content.decode()
    assert "CC-WEB-1" in page and "Record a hearing" in page and "Not listed yet" in page


def test_a_hearing_recorded_on_the_form_shows_on_the_tab_and_the_hearing_list(client, case):
    soon = timezone.localdate() + datetime.timedelta(days=9)
    response = client.post(TAB + "step/hearing/", {
        **day_fields("hearing_date", soon), "court": "County Court at Exeter",
        "place": "Court 3, 10am"})
    assert response.status_code == 302 and response["Location"] == TAB
    page = client.get(TAB).content.decode()
    assert "County Court at Exeter" in page and "Hearing listed" in page
    listed = client.get("/court/hearings/?court=exeter").content.decode()
    assert "EX-0001" in listed and "Court 3, 10am" in listed
    assert "EX-0001" not in client.get("/court/hearings/?court=leeds").content.decode()


def test_a_bad_outcome_keeps_the_input_shows_the_error_summary_and_saves_nothing(client, case):
    case.hearing_date = datetime.date(2026, 10, 20)
    case.save()
    response = client.post(TAB + "step/outcome/", {
        "outcome": "spo", **day_fields("outcome_date", case.hearing_date),
        "instalment_spo": "5.00", "frequency_spo": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Select how often" in page
    assert 'value="5.00"' in page
    case.refresh_from_db()
    assert case.outcome == "" and not CourtEvent.objects.exists()


def test_an_spo_recorded_on_the_form_is_stored_in_pence(client, case):
    case.hearing_date = datetime.date(2026, 10, 20)
    case.save()
    client.post(TAB + "step/outcome/", {
        "outcome": "spo", **day_fields("outcome_date", case.hearing_date),
        "instalment_spo": "£5.50", "frequency_spo": "weekly",
        # another outcome's hidden fields do not count
        "instalment_ppo": "9.99", "frequency_ppo": "monthly"})
    case.refresh_from_db()
    assert (case.outcome, case.terms_instalment, case.terms_frequency) == ("spo", 550, "weekly")


def test_a_step_without_a_case_says_so(client):
    page = client.get(TAB + "step/warrant/").content.decode()
    assert "no court case on this account" in page


def test_finance_sees_the_tab_but_not_the_forms_or_documents(finance, case):
    other = signed_in("finance1")
    assert other.get(TAB).status_code == 200
    assert other.get(TAB + "step/hearing/").status_code == 403
    assert other.get(TAB + "document/bundle/").status_code == 403


def test_the_notice_pdf_carries_the_arrears_and_the_dates(client, case):
    notice = Notice.objects.get(notice_ref="NOT-1")  # EX-0002's imported section 8
    response = client.get(f"/tenancies/EX-0002/legal/document/notice/?ref={notice.notice_ref}")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())  # lines wrap in table cells
    assert "section 8" in text and "Rent arrears on the date of this notice" in text
    # (its arrears on the day served are below ground 8's threshold: grounds 10 and 11 only)
    assert "16 March 2026" in text and "Ground 10" in text and "Ground 8" not in text
    # Another account's notice is not served from this one.
    wrong = client.get(f"/tenancies/EX-0001/legal/document/notice/?ref={notice.notice_ref}")
    assert wrong.status_code == 302


def test_the_rent_schedule_csv_runs_with_a_balance(client, case):
    text = client.get(TAB + "document/schedule/").content.decode()
    lines = text.splitlines()
    assert lines[0] == "date,description,due,paid,balance"
    assert lines[1].split(",")[1] == "Balance brought forward"
    assert len(lines) > 2


def test_the_evictions_list_shows_a_warrant_waiting_for_a_date(client, case):
    CourtCase.objects.filter(pk=case.pk).update(outcome="outright", hearing_date=datetime.date(
        2026, 10, 1), possession_date=datetime.date(2026, 10, 29),
        warrant_date=datetime.date(2026, 11, 10))
    page = client.get("/court/evictions/").content.decode()
    assert "CC-WEB-1" in page and "Not set" in page


def test_the_timeline_holds_notices_claims_and_court_steps_latest_first(officer):
    client = signed_in("officer1")
    CourtCase.objects.create(case_ref="CC-TL", claim_date=datetime.date(2026, 9, 1),
                             tenancy=Tenancy.objects.get(tenancy_ref="EX-0002"))
    client.post("/tenancies/EX-0002/legal/step/hearing/", {
        **day_fields("hearing_date", datetime.date(2026, 10, 20)),
        "court": "County Court at Exeter"})
    page = client.get("/tenancies/EX-0002/legal/").content.decode()
    timeline = page[page.index('id="legal-timeline"'):]
    hearing, claim, notice = (timeline.index("Hearing listed"), timeline.index("Claim issued"),
                              timeline.index("Notice served"))
    assert hearing < claim < notice  # recorded today, claimed 1 Sep, served 16 Mar
    assert "officer1" in timeline and "NOT-1" in timeline and "CC-TL" in timeline


def test_the_tab_links_the_engine_s_court_step_to_its_form(client, case):
    CourtCase.objects.filter(pk=case.pk).update(hearing_date=datetime.date(2026, 10, 20))
    page = client.get(TAB).content.decode()
    recommended = page[page.index('id="legal-recommendation"'):]
    recommended = recommended[:recommended.index("</div>")]
    assert "Record the court outcome" in recommended  # §3.7: the hearing date has passed
    assert f'href="{TAB}step/outcome/"' in recommended


def test_the_hearing_list_pages_and_sorts(client):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    today = timezone.localdate()
    for i in range(30):
        CourtCase.objects.create(case_ref=f"CC-P{i:02d}", tenancy=tenancy,
                                 claim_date=datetime.date(2026, 9, 1),
                                 hearing_date=today + datetime.timedelta(days=i),
                                 court_name=f"Court {i:02d}")
    first = client.get("/court/hearings/").content.decode()
    assert "CC-P00" in first and "CC-P24" in first and "CC-P25" not in first
    second = client.get("/court/hearings/?page=2").content.decode()
    assert "CC-P25" in second and "CC-P29" in second and "CC-P00" not in second
    latest = client.get("/court/hearings/?sort=date&dir=desc").content.decode()
    assert latest.index("CC-P29") < latest.index("CC-P28")
    by_court = client.get("/court/hearings/?sort=court&dir=desc").content.decode()
    assert 'aria-sort="descending"' in by_court and by_court.index("Court 29") < \
        by_court.index("Court 10")


def test_the_serve_page_offers_the_notice_to_print_with_its_dates(client):
    page = client.post("/tenancies/EX-0001/notice/", {
        "kind": "nosp_secure", "method": "post", "step": "check",
        **day_fields("served", datetime.date(2026, 11, 20))}).content.decode()
    link = ("/tenancies/EX-0001/legal/document/notice-draft/?kind=nosp_secure&amp;"
            "served=2026-11-20&amp;method=post")
    assert link in page
    pdf = client.get(link.replace("&amp;", "&")).content
    text = " ".join(pdf_text(pdf).split())
    assert "Notice of seeking possession" in text and "section 83" in text
    # Posted Friday 20 Nov: deemed served Tuesday 24 Nov (the serve page's own dates).
    assert "24 November 2026" in text and "27 December 2026" in text
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()
    bad = client.get("/tenancies/EX-0001/legal/document/notice-draft/?kind=s21")
    assert bad.status_code == 302


def test_the_tab_shows_an_imported_notices_dates_from_the_policy(client):
    # NOT-1 (EX-0002's section 8 of 16 March 2026) came without its dates: proceedings from
    # 14 days after service, expiring 12 months after service (POLICY.md §6).
    page = client.get("/tenancies/EX-0002/legal/").content.decode()
    assert "NOT-1" in page and "30 Mar 2026" in page and "16 Mar 2027" in page
    assert Notice.objects.get(notice_ref="NOT-1").earliest_proceedings_date is None


@pytest.mark.parametrize("step", ["hearing", "prepare", "outcome", "possession-date", "n244",
                                  "warrant", "eviction-date", "evicted", "extension"])
def test_each_court_form_says_optional_once(client, case, step):
    # The field template adds "(optional)" to an optional field's label; a label must not
    # carry it too.
    page = client.get(f"{TAB}step/{step}/").content.decode()
    assert "(optional) (optional)" not in page
    if step == "hearing":
        assert "Where in the court (optional)" in page and "Note (optional)" in page
def test_a_step_form_starts_from_what_the_case_holds(client, case):
    case.hearing_date, case.court_name, case.hearing_place = (
        datetime.date(2026, 12, 10), "County Court at Exeter", "Court 3, 10am")
    case.save()
    page = client.get(TAB + "step/hearing/").content.decode()
    assert 'value="County Court at Exeter"' in page and 'value="Court 3, 10am"' in page
    assert 'value="10"' in page and 'value="2026"' in page


def test_optional_fields_say_optional_once(client, case):
    for step in ("hearing", "warrant", "n244"):
        page = client.get(TAB + f"step/{step}/").content.decode()
        assert "(optional) (optional)" not in page
    assert "Note (optional)" in client.get(TAB + "step/warrant/").content.decode()


def test_the_outcome_form_reveals_each_outcome_s_own_fields(client, case):
    page = client.get(TAB + "step/outcome/").content.decode()
    assert 'data-oi-reveal="conditional-outcome-spo"' in page
    assert 'id="conditional-outcome-spo"' in page
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden" ' \
           'id="conditional-outcome-outright"' in page
    spo = page[page.index('id="conditional-outcome-spo"'):]
    spo = spo[:spo.index("</div>\n      \n")] if "</div>\n      \n" in spo else spo[:3000]
    assert 'name="instalment_spo"' in spo and 'name="possession_date_spo' not in spo
    assert 'data-oi-reveal="conditional-outcome-dismissed"' not in page


def test_before_a_claim_the_tab_links_each_pre_claim_step_with_its_status(officer, leader):
    client = Client()
    assert client.login(username="officer1", password="legal-test-password")
    page = client.get(TAB).content.decode()
    section = page[page.index('id="pre-claim"'):]
    for url in ("checklist/", "assessment/?step=serve_notice", "approval/?step=serve_notice",
                "notice/", "claim/"):
        assert f'href="/tenancies/EX-0001/{url}"' in section, url
    assert "To do" in section and "No notice served" in section
    make_ready("EX-0001", "serve_notice", timezone.localdate(), officer, leader)
    section = client.get(TAB).content.decode()
    section = section[section.index('id="pre-claim"'):]
    assert "Completed" in section and "Approved, not yet used" in section


@pytest.mark.parametrize("query", [
    {"from-day": "31", "from-month": "2", "from-year": "2026"}, {"from": "not a date"}])
@pytest.mark.parametrize("url", ["/court/hearings/", "/court/evictions/"])
def test_a_bad_from_date_is_an_error_on_the_list_not_ignored(client, case, url, query):
    page = client.get(url, query).content.decode()
    assert "There is a problem" in page and "govuk-error-message" in page
    assert 'name="from-day"' in page  # the GOV.UK date input


@pytest.mark.parametrize("url", ["/court/hearings/", "/court/evictions/"])
def test_a_good_from_date_filters_the_list(client, case, url):
    page = client.get(url, {"from-day": "1", "from-month": "1", "from-year": "2026"}).content
    assert b"There is a problem" not in page and b'value="2026"' in page


def test_the_legal_lists_tables_scroll_in_a_focusable_region_on_small_screens(client, case):
    case.hearing_date = timezone.localdate() + datetime.timedelta(days=3)
    case.warrant_date = timezone.localdate()
    case.save()
    Notice.objects.create(notice_ref="NTC-W", tenancy=case.tenancy, kind="nosp_secure",
                          served_date=datetime.date(2026, 9, 1), method="hand")
    for url, table in ((TAB, "notices"), ("/court/hearings/", "hearings"),
                       ("/court/evictions/", "evictions")):
        page = client.get(url).content.decode()
        assert 'tabindex="0" role="region"' in page
        wrapped = page[:page.index(f'id="{table}"')]
        assert wrapped.rindex('class="oi-table-wrap"') > wrapped.rfind("</div>"), url


def test_a_warrant_recommendation_links_the_application_before_recording_it_issued(client,
                                                                                   case):
    # §3.8: an outright order whose possession date has passed, with arrears, asks for a
    # warrant; the tab sends the officer to apply (gates, approval) before recording it issued.
    CourtCase.objects.filter(pk=case.pk).update(
        hearing_date=datetime.date(2026, 10, 20), outcome="outright",
        outcome_date=datetime.date(2026, 10, 20), possession_date=datetime.date(2026, 11, 17))
    page = client.get(TAB).content.decode()
    recommended = page[page.index('id="legal-recommendation"'):]
    recommended = recommended[:recommended.index("</div>")]
    assert "Apply for a warrant" in recommended
    assert recommended.index('href="/tenancies/EX-0001/warrant/"') < recommended.index(
        f'href="{TAB}step/warrant/"')
