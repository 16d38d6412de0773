"""The Benefits area and the benefits work forms on an account, through the web client: the
tabs count what is due on a date, forms save whole or show their errors, the account shows the
work known on its date, and a fraud referral's detail only to managers and finance."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from openincome.benefits import actions
from openincome.benefits.models import DHPApplication, Verification
from openincome.interchange import import_folder
from openincome.ledger.models import Tenancy
from openincome.staff.actions import add_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def landlord(example_folder):
    import_folder(example_folder, actor="test")


def _client(role: str = "officer") -> Client:
    add_user(f"ben_{role}", role, "benefits-test-password", ["EAST"], actor="test")
    client = Client()
    assert client.login(username=f"ben_{role}", password="benefits-test-password")
    return client


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_a_verification_recorded_on_the_account_is_due_on_the_benefits_area(landlord):
    client = _client()
    response = client.post("/tenancies/EX-0002/benefits/verification/", {
        "claim_ref": "UC-77", **_date("received_date", TODAY),
        **_date("due_date", TODAY + 7 * DAY), "note": ""})
    assert response.status_code == 302 and Verification.objects.count() == 1
    page = client.get("/benefits/").content.decode()
    assert "Verifications due (1)" in page and "EX-0002" in page
    assert "Verifications due (0)" in client.get(
        "/benefits/", {"as_of": str(TODAY - DAY)}).content.decode()


def test_a_form_with_dates_out_of_order_shows_the_error_and_saves_nothing(landlord):
    response = _client().post("/tenancies/EX-0002/benefits/verification/", {
        "claim_ref": "UC-77", **_date("received_date", TODAY),
        **_date("due_date", TODAY - DAY), "note": "kept"})
    text = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in text
    assert "The due date cannot be before the request was received" in text
    assert "kept" in text and not Verification.objects.exists()


def test_an_amount_that_is_not_money_is_refused(landlord):
    response = _client().post("/tenancies/EX-0002/benefits/dhp/", {
        **_date("applied_date", TODAY), "amount_asked": "lots", "reason": "Cap",
        "evidence": ""})
    assert response.status_code == 400 and "Enter the amount in pounds" in \
        response.content.decode()
    assert not DHPApplication.objects.exists()


def test_a_dhp_award_shows_on_the_account_and_its_timeline_from_its_date(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    app = actions.apply_dhp(tenancy, None, applied=TODAY - 10 * DAY, amount_asked=30_000,
                            reason="Bedroom tax shortfall", evidence="", as_of=TODAY)
    actions.decide_dhp(app, None, decision="award", date=TODAY - 2 * DAY, award_amount=25_000,
                       period_start=TODAY, period_end=TODAY + 90 * DAY, as_of=TODAY)
    client = _client()
    page = client.get("/tenancies/EX-0002/").content.decode()
    assert "DHP application" in page and "Awarded" in page and "£250.00" in page
    earlier = client.get("/tenancies/EX-0002/", {"as_of": str(TODAY - 5 * DAY)}).content.decode()
    assert "Awaiting a decision" in earlier and "DHP awarded" not in earlier


@pytest.mark.parametrize(("role", "sees"), [("officer", False), ("manager", True),
                                            ("finance", True)])
def test_a_fraud_referrals_detail_is_shown_only_to_managers_and_finance(landlord, role, sees):
    actions.refer_fraud(Tenancy.objects.get(tenancy_ref="EX-0002"), None, referred_to="dwp",
                        date=TODAY, detail="Undeclared earnings suspected", as_of=TODAY)
    page = _client(role).get("/tenancies/EX-0002/").content.decode()
    assert "Suspected-fraud referral" in page
    assert ("Undeclared earnings" in page) is sees


def test_circumstances_in_force_are_offered_on_the_income_and_expenditure_page(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    actions.record_circumstance(tenancy, None, kind="under_occupancy", start=TODAY - DAY,
                                end=None, amount=8_000, bedrooms=1, note="", as_of=TODAY)
    actions.record_circumstance(tenancy, None, kind="sanction", start=TODAY - 90 * DAY,
                                end=TODAY - 30 * DAY, amount=None, bedrooms=None, note="",
                                as_of=TODAY)
    page = _client().get("/tenancies/EX-0002/income-expenditure/").content.decode()
    assert "Under-occupancy deduction (spare bedrooms) from" in page
    assert "£80.00 a month less" in page and "(1 spare bedroom)" in page
    assert "Sanction" not in page  # ended
