"""Promises to pay in the app: recorded, audited, holding the ladder, shown pending, kept or
broken on the account page (POLICY.md §3.10)."""

import datetime

import pytest
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.cases.models import WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.cases.promises import BROKEN, KEPT, PENDING, promise_states
from openincome.cases.tenure import tenure_sentence
from openincome.ledger.models import Promise, Tenancy, Transaction
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1

pytestmark = pytest.mark.django_db
BASE = "/tenancies/EX-0002/"
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def _promise(officer, amount="150.00", due=None, made=None, note="Card payment on Friday"):
    return officer.post(BASE + "promise/", {
        "amount": amount, "due_date": (due or today() + 3 * DAY).isoformat(),
        "made_date": (made or today()).isoformat(), "note": note,
    })


def test_a_promise_is_recorded_audited_and_holds_the_ladder(
        officer, django_capture_on_commit_callbacks):
    run_nightly(today())
    before = WorklistEntry.objects.get(run__as_of=today(), tenancy__tenancy_ref="EX-0002")
    assert before.action == "send_court_warning"
    with django_capture_on_commit_callbacks(execute=True):
        response = _promise(officer)
    assert response.status_code == 302
    promise = Promise.objects.get(tenancy__tenancy_ref="EX-0002")
    assert (promise.amount, promise.due_date) == (15_000, today() + 3 * DAY)
    event = AuditEvent.objects.get(action="promise_recorded", object_ref="EX-0002")
    assert event.details["amount_pence"] == 15_000
    after = WorklistEntry.objects.get(run__as_of=today(), tenancy__tenancy_ref="EX-0002")
    assert (after.action, after.reasons[0]) == ("none", "promise_pending")
    page = officer.get(BASE).content.decode()
    assert "Promises to pay" in page and "Pending" in page and "£150.00" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "lots"}, "Enter the amount in pounds, like 45.00"),
    ({"amount": "0.00"}, "The amount must be more than £0.00"),
    ({"amount": ""}, "Enter the amount promised"),
    ({"amount": "1000000.01"}, "The amount must be £1,000,000.00 or less"),
    ({"due": "before"}, "must be on or after the date the promise was made"),
    ({"made": "tomorrow"}, "The date must be today or in the past"),
])
def test_a_bad_promise_shows_an_error_summary_and_saves_nothing(officer, data, message):
    due = today() - 2 * DAY if data.get("due") == "before" else None
    made = today() + DAY if data.get("made") == "tomorrow" else None
    response = _promise(officer, amount=data.get("amount", "150.00"), due=due, made=made)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert 'value="Card payment on Friday"' in page or "Card payment on Friday" in page
    assert not Promise.objects.exists()


def test_a_contact_where_the_tenant_promised_leads_to_the_promise_form(officer):
    response = officer.post(BASE + "contact/", {
        "date": today().isoformat(), "channel": "phone", "direction": "outbound",
        "outcome": "promised_to_pay", "note": "Will pay £150 on Friday",
    })
    assert response.status_code == 302
    assert response["Location"] == BASE + "promise/"


def _pay(amount: int, on: datetime.date) -> None:
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    Transaction.objects.create(transaction_ref=f"PAY-{amount}-{on}", tenancy=tenancy, date=on,
                               type="payment_card", amount=-amount)


@pytest.mark.parametrize(("paid", "at", "as_of", "state"), [
    # A promise of £100.00 made on 2 Nov, due 6 Nov: grace until 8 Nov (version 2).
    (None, None, datetime.date(2026, 11, 8), PENDING),
    (None, None, datetime.date(2026, 11, 9), BROKEN),
    (9_999, datetime.date(2026, 11, 3), datetime.date(2026, 11, 9), BROKEN),
    (10_000, datetime.date(2026, 11, 8), datetime.date(2026, 11, 20), KEPT),
    (10_000, datetime.date(2026, 11, 9), datetime.date(2026, 11, 20), BROKEN),
    (10_000, datetime.date(2026, 11, 1), datetime.date(2026, 11, 20), BROKEN),
    (10_000, datetime.date(2026, 11, 2), datetime.date(2026, 11, 4), KEPT),
])
def test_a_promise_is_pending_kept_or_broken(landlord, paid, at, as_of, state):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    Promise.objects.create(promise_ref="PR-T", tenancy=tenancy, amount=10_000,
                           made_date=datetime.date(2026, 11, 2),
                           due_date=datetime.date(2026, 11, 6))
    if paid:
        _pay(paid, at)
    [got] = promise_states(tenancy, as_of, DEFAULT_POLICY)
    assert got.state == state


@pytest.mark.parametrize(("tenure", "start", "trial_end", "as_of", "policy", "said"), [
    ("introductory", datetime.date(2025, 4, 7), None, datetime.date(2026, 12, 3),
     DEFAULT_POLICY, "Introductory until 7 Apr 2026, now secure"),
    ("introductory", datetime.date(2025, 4, 7), datetime.date(2026, 10, 7),
     datetime.date(2026, 6, 1), DEFAULT_POLICY, "Introductory until 7 Oct 2026"),
    ("starter", datetime.date(2025, 12, 3), None, datetime.date(2026, 12, 3),
     DEFAULT_POLICY, "Starter until 3 Dec 2026, now assured"),
    ("introductory", datetime.date(2025, 4, 7), None, datetime.date(2026, 12, 3),
     POLICY_V1, "Introductory"),
    ("secure", datetime.date(2025, 4, 7), None, datetime.date(2026, 12, 3),
     DEFAULT_POLICY, "Secure"),
])
def test_the_account_names_the_tenure_at_the_date(tenure, start, trial_end, as_of, policy,
                                                   said):
    tenancy = Tenancy(tenancy_ref="X", tenure=tenure, start_date=start, trial_end_date=trial_end)
    assert tenure_sentence(tenancy, as_of, policy) == said


def test_an_officer_extends_a_trial_and_the_change_is_audited(officer):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    tenancy.tenure = "introductory"
    tenancy.save()
    page = officer.get("/tenancies/EX-0001/", {"as_of": "2026-12-03"}).content.decode()
    assert "Introductory until 2 Jun 2026, now secure" in page
    response = officer.post("/tenancies/EX-0001/trial/", {"trial_end_date": "2026-12-02",
                                                          "why": ""})
    assert response.status_code == 400 and "Give the reason for the change" in (
        response.content.decode())
    response = officer.post("/tenancies/EX-0001/trial/", {"trial_end_date": "2025-01-01",
                                                          "why": "typo"})
    assert "The trial cannot end before the tenancy starts" in response.content.decode()
    response = officer.post("/tenancies/EX-0001/trial/", {"trial_end_date": "2026-12-31",
                                                          "why": "Extended after a review"})
    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert tenancy.trial_end_date == datetime.date(2026, 12, 31)
    event = AuditEvent.objects.get(action="trial_end_changed", object_ref="EX-0001")
    assert event.details == {"old": None, "new": "2026-12-31"}
    page = officer.get("/tenancies/EX-0001/", {"as_of": "2026-12-03"}).content.decode()
    assert "Introductory until 31 Dec 2026" in page


def test_a_secure_tenancy_has_no_trial_to_change(officer):
    response = officer.get("/tenancies/EX-0001/trial/")
    assert response.status_code == 302 and response["Location"] == "/tenancies/EX-0001/"
    page = officer.get(response["Location"]).content.decode()
    # Told in a neutral banner: it is information, not a success.
    assert "Only introductory and starter tenancies have a trial." in page
    assert "Important" in page and "govuk-notification-banner--success" not in page


def test_the_worklist_flags_each_cases_promise_pending_kept_or_broken(officer):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    run_nightly(today())
    episode = WorklistEntry.objects.get(run__as_of=today(), tenancy=tenancy).episode_start
    Promise.objects.create(promise_ref="PR-OLD", tenancy=tenancy, amount=5_000,
                           made_date=max(episode, today() - 20 * DAY),
                           due_date=today() - 10 * DAY)
    run_nightly(today())
    page = officer.get("/worklist/", {"tab": "arrears"}).content.decode()
    assert "Promise broken" in page
    _promise(officer)  # a new promise, due in 3 days: the latest decides
    run_nightly(today())
    page = officer.get("/worklist/", {"tab": "arrears"}).content.decode()
    assert "Promise pending" in page and "Promise broken" not in page
