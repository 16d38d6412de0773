"""The "Serve a notice" page: dates shown first, then recorded; gates refused on the page."""

import datetime

import pytest
from django.test import Client

from openincome.cases.models import Pause
from openincome.ledger.models import Tenancy
from openincome.legal.models import Notice

from .conftest import make_ready

URL = "/tenancies/EX-0001/notice/"


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="legal-test-password")
    return client


def posted(served: datetime.date, step: str, kind="nosp_secure", method="post") -> dict:
    """The form as posted; Record carries what was checked, as the page's hidden fields do."""
    return {"kind": kind, "method": method, "served-day": served.day,
            "served-month": served.month, "served-year": served.year, "step": step,
            "checked": f"{kind}|{served.isoformat()}|{method}"}


@pytest.fixture
def client(officer) -> Client:
    return signed_in("officer1")


def test_the_account_page_links_to_it(client):
    page = client.get("/tenancies/EX-0001/").content.decode()
    assert f'href="{URL}"' in page


def test_the_form_offers_the_tenure_s_notice(client):
    page = client.get(URL).content.decode()
    assert "Serve a notice" in page
    assert 'value="nosp_secure" checked' in page
    assert 'value="section_8" checked' not in page
    assert "Record the notice as served" not in page


def test_check_shows_the_dates_and_saves_nothing(client):
    served = datetime.date.today() - datetime.timedelta(days=7)
    response = client.post(URL, posted(served, "check"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deemed served" in page and "Earliest proceedings" in page and "Expires" in page
    assert "the landlord&#x27;s arrears policy" in page and "POLICY.md" not in page
    assert "Record the notice as served" in page
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_serve_records_it_and_returns_to_the_account(client, officer, leader):
    served = datetime.date.today() - datetime.timedelta(days=7)
    make_ready("EX-0001", "serve_notice", served, officer, leader)
    response = client.post(URL, posted(served, "serve", method="hand"))
    assert response.status_code == 302 and response["Location"] == "/tenancies/EX-0001/"
    notice = Notice.objects.get(tenancy__tenancy_ref="EX-0001")
    assert (notice.method, notice.deemed_service_date) == ("hand", served)


def test_a_gate_refuses_on_the_page_with_the_error_summary(client):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    served = datetime.date.today() - datetime.timedelta(days=7)
    Pause.objects.create(tenancy=t, reason="breathing_space_mental_health",
                         start_date=served - datetime.timedelta(days=30))
    for step in ("check", "serve"):
        response = client.post(URL, posted(served, step))
        page = response.content.decode()
        assert response.status_code == 400
        assert "There is a problem" in page
        assert "No notice, claim or warrant while a Breathing Space runs" in page
    assert not Notice.objects.filter(tenancy=t).exists()


def test_a_date_in_the_future_is_refused(client):
    response = client.post(URL, posted(datetime.date.today() + datetime.timedelta(days=2),
                                       "serve"))
    assert response.status_code == 400
    assert "No notice whose dates would be invalid" in response.content.decode()
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_finance_may_not_serve(finance):
    client = signed_in("finance1")
    assert client.get(URL).status_code == 403
    served = datetime.date.today() - datetime.timedelta(days=7)
    assert client.post(URL, posted(served, "serve")).status_code == 403
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()
    assert "Serve a notice" not in client.get("/tenancies/EX-0001/").content.decode()


def test_the_post_needs_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="officer1", password="legal-test-password")
    served = datetime.date.today() - datetime.timedelta(days=7)
    assert client.post(URL, posted(served, "serve")).status_code == 403
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_the_page_shows_what_serving_needs_and_a_missing_approval_refuses(client):
    served = datetime.date.today() - datetime.timedelta(days=1)
    page = client.get(URL).content.decode()
    assert "What serving needs today" in page
    assert "No notice or claim without a complete pre-action checklist" in page
    response = client.post(URL, posted(served, "serve", method="hand"))
    assert response.status_code == 400
    assert "No notice or claim without a complete pre-action checklist" in (
        response.content.decode())
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_check_runs_the_gates_as_recording_would_on_the_day_served(client, officer, leader):
    # The checklist, assessment and approval are all dated today: a notice served a week ago
    # cannot rely on them, so the page must say so before the officer records it.
    today = datetime.date.today()
    served = today - datetime.timedelta(days=7)
    make_ready("EX-0001", "serve_notice", today, officer, leader)
    page = client.post(URL, posted(served, "check")).content.decode()
    assert "What serving on " in page and "What serving needs today" not in page
    assert "Not met" in page and "Met</strong>\n    No notice or claim without" not in page
    response = client.post(URL, posted(served, "serve"))
    assert response.status_code == 400
    assert "No notice or claim without a complete pre-action checklist" in (
        response.content.decode())


def test_after_check_record_carries_exactly_the_checked_notice(client, officer, leader):
    served = datetime.date.today() - datetime.timedelta(days=7)
    page = client.post(URL, posted(served, "check")).content.decode()
    assert f'type="hidden" name="served-day" value="{served.day}"' in page
    assert 'name="served-day" type="text"' not in page and "govuk-date-input" not in page
    assert "Change the notice, date or method" in page
    make_ready("EX-0001", "serve_notice", served - datetime.timedelta(days=3), officer, leader)
    changed = posted(served - datetime.timedelta(days=3), "serve")
    changed["checked"] = posted(served, "serve")["checked"]  # the dates shown were for another day
    response = client.post(URL, changed)
    assert response.status_code == 400
    assert "changed after the dates were checked" in response.content.decode()
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_the_draft_pdf_asked_for_by_url_before_any_check_is_marked_not_served(client):
    from openincome.letters.pdf import pdf_text

    served = datetime.date.today() - datetime.timedelta(days=7)
    response = client.get("/tenancies/EX-0001/legal/document/notice-draft/", {
        "kind": "nosp_secure", "served": served.isoformat(), "method": "hand"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "DRAFT – NOT SERVED" in " ".join(pdf_text(response.content).split())
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()
