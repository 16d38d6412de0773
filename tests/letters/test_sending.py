"""Sending: channel choice, what is stored and recorded, the notifiers, Breathing Space and
delivery reports."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases.models import Contact, Pause
from openincome.cases.nightly import classify_as_of, run_nightly
from openincome.cases.queries import stored_row
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.letters.actions import (
    NothingToSend,
    close_failure_task,
    record_delivery_status,
    send_communication,
)
from openincome.letters.models import Communication, OutboxItem
from openincome.letters.notifiers import NotifyNotifier, RecordingNotifier
from openincome.letters.pdf import pdf_text
from openincome.letters.queries import open_failures

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


def _ex(ref: str) -> Tenancy:
    return Tenancy.objects.get(tenancy_ref=ref)


def test_a_letter_is_stored_recorded_audited_and_in_the_outbox(
        landlord, django_capture_on_commit_callbacks):
    tenancy = _ex("EX-0001")
    run_nightly(AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        [item] = send_communication(tenancy, "test", code="letter_1", as_of=AS_OF)
    item.refresh_from_db()
    assert (item.channel, item.status, item.tenant.full_name) == ("letter", "sending",
                                                                   "Sam Hughes")
    text = pdf_text(bytes(item.pdf))
    assert "Sam Hughes" in text and "PAY000001" in text
    assert OutboxItem.objects.get(reference=item.reference).provider_id == item.provider_id
    action = RecordedAction.objects.get(tenancy=tenancy, code="letter_1_sent")
    assert (action.date, action.channel) == (AS_OF, "letter")
    contact = Contact.objects.get(tenancy=tenancy)
    assert (contact.direction, contact.channel, contact.officer.username) == (
        "outbound", "letter", "openincome-system")
    event = AuditEvent.objects.get(action="communication_sent")
    assert event.details["references"] == [item.reference]
    assert event.details["ladder_code"] == "letter_1_sent"
    # The freshness hook ran: the stored row is current and is what the engine says now.
    row = stored_row(tenancy, AS_OF)
    assert row is not None
    assert row["action"] == classify_as_of(AS_OF, [tenancy.pk]).row(0, named=True)["action"]


def test_preferred_channel_with_fallback_to_letter(landlord):
    tenancy = _ex("EX-0001")
    tenancy.preferred_channel = "sms"
    tenancy.save()
    [item] = send_communication(tenancy, "test", code="reminder", as_of=AS_OF)
    assert item.channel == "letter"  # no mobile number: no text message
    tenancy.tenants.update(mobile="07700 900123")
    [item] = send_communication(tenancy, "test", code="reminder", as_of=AS_OF,
                                again="The letter went to the wrong address")
    assert (item.channel, item.recipient) == ("sms", "07700 900123")
    assert OutboxItem.objects.get(reference=item.reference).text == item.text
    # Letter 2 has no text message template: a letter.
    [item] = send_communication(tenancy, "test", code="letter_2", as_of=AS_OF)
    assert item.channel == "letter"


def test_each_named_tenant_gets_their_own_letter(landlord):
    tenancy = _ex("EX-0002")
    tenancy.tenants.create(person_ref="EX-0002-2", first_name="Alex", last_name="Patel")
    items = send_communication(tenancy, "test", code="pre_action", as_of=AS_OF)
    assert sorted(i.tenant.full_name for i in items) == ["Alex Patel", "Sam Patel"]
    assert "Dear Alex Patel" in pdf_text(bytes(items[0].pdf) if items[0].tenant.first_name ==
                                         "Alex" else bytes(items[1].pdf))
    assert Contact.objects.filter(tenancy=tenancy).count() == 1


def test_nothing_is_sent_during_a_breathing_space(landlord):
    tenancy = _ex("EX-0001")
    Pause.objects.create(tenancy=tenancy, reason="breathing_space_standard",
                         start_date=AS_OF - datetime.timedelta(days=3))
    with pytest.raises(NothingToSend, match="Breathing Space"):
        send_communication(tenancy, "test", code="letter_1", as_of=AS_OF)
    assert not Communication.objects.exists() and not OutboxItem.objects.exists()
    assert not RecordedAction.objects.filter(tenancy=tenancy, code="letter_1_sent").exists()


class FakeNotifyClient:
    def __init__(self):
        self.calls = []

    def send_sms_notification(self, **kw):
        self.calls.append(("sms", kw))
        return {"id": "n-sms"}

    def send_email_notification(self, **kw):
        self.calls.append(("email", kw))
        return {"id": "n-email"}

    def send_precompiled_letter_notification(self, reference, pdf_file, postage=None):
        self.calls.append(("letter", {"reference": reference, "pdf": pdf_file.read(),
                                      "postage": postage}))
        return {"id": "n-letter"}


def test_the_notify_notifier_calls_the_client_as_notify_expects(landlord, monkeypatch):
    monkeypatch.setenv("OPENINCOME_NOTIFY_SMS_TEMPLATE_ID", "tpl-sms")
    client = FakeNotifyClient()
    tenancy = _ex("EX-0001")
    [letter] = send_communication(tenancy, "test", code="letter_1", as_of=AS_OF,
                                  notifier=NotifyNotifier(client))
    kind, call = client.calls[0]
    assert kind == "letter" and call["pdf"].startswith(b"%PDF")
    assert call["reference"] == letter.reference and letter.provider_id == "n-letter"
    tenancy.preferred_channel = "sms"
    tenancy.save()
    tenancy.tenants.update(mobile="07700900123")
    [sms] = send_communication(tenancy, "test", code="reminder", as_of=AS_OF,
                               notifier=NotifyNotifier(client))
    assert client.calls[1] == ("sms", {"phone_number": "07700900123", "template_id": "tpl-sms",
                                       "personalisation": {"body": sms.text},
                                       "reference": sms.reference})


def test_a_provider_refusal_is_a_task_not_silence(landlord):
    class Broken(RecordingNotifier):
        def send_letter(self, pdf, reference):
            raise RuntimeError("service down")

    [item] = send_communication(_ex("EX-0001"), "test", code="letter_1", as_of=AS_OF,
                                notifier=Broken())
    item.refresh_from_db()
    assert item.status == "failed" and "service down" in item.task_note
    assert list(open_failures()) == [item]


def test_delivery_reports_update_the_record_and_a_failure_opens_a_task(landlord):
    [item] = send_communication(_ex("EX-0001"), "test", code="letter_1", as_of=AS_OF)
    record_delivery_status(provider_id=item.provider_id, reference="", status="delivered",
                           as_of=AS_OF)
    item.refresh_from_db()
    assert item.status == "delivered" and not open_failures().exists()
    record_delivery_status(provider_id="", reference=item.reference,
                           status="permanent-failure", as_of=AS_OF)
    assert list(open_failures()) == [item]
    close_failure_task(item, "test", note="Checked the address", as_of=AS_OF)
    assert not open_failures().exists()
    assert record_delivery_status(provider_id="unknown", reference="", status="delivered",
                                  as_of=AS_OF) is None
    with pytest.raises(ValueError):
        record_delivery_status(provider_id=item.provider_id, reference="", status="nonsense",
                               as_of=AS_OF)


@pytest.mark.parametrize("as_of, quarter", [
    (datetime.date(2026, 12, 4), "2026Q3"),
    (datetime.date(2026, 10, 1), "2026Q3"),
    (datetime.date(2026, 9, 30), "2026Q2"),
    (datetime.date(2027, 2, 10), "2026Q4"),
])
def test_the_last_complete_quarter_is_the_calendar_quarter_that_ended_before(as_of, quarter):
    from openincome.letters.context import last_complete_quarter
    from openincome.letters.statements import quarter_bounds

    assert last_complete_quarter(as_of) == (quarter, *quarter_bounds(quarter))


def test_a_quarterly_statement_from_the_account_covers_the_last_calendar_quarter(landlord):
    from openincome.letters.actions import statement_note

    tenancy = _ex("EX-0001")
    day = datetime.date(2026, 12, 4)
    [item] = send_communication(tenancy, "test", code="quarterly_statement", as_of=day)
    text = " ".join(pdf_text(bytes(item.pdf)).split())
    assert "from 1 July 2026 to 30 September 2026" in text
    # Recorded as the quarterly run records it: that run does not issue it again.
    action = RecordedAction.objects.get(tenancy=tenancy, code="statement_sent", date=day)
    assert action.note == statement_note("2026Q3")


def test_preparing_for_the_same_hearing_again_does_not_resend_its_notice(landlord):
    from django.contrib.auth import get_user_model

    from openincome.legal.actions_court import prepare_for_hearing, record_hearing
    from openincome.legal.models import CourtCase

    officer = get_user_model().objects.create(username="officer-hearing")
    case = CourtCase.objects.create(case_ref="CC-L-1", tenancy=_ex("EX-0001"),
                                    claim_date=datetime.date(2026, 9, 1))
    hearing = AS_OF + datetime.timedelta(days=10)
    record_hearing(case, officer, hearing_date=hearing, court="County Court at Exeter",
                   place="Court 2", as_of=AS_OF)
    prepare_for_hearing(case, officer, as_of=AS_OF)
    later = AS_OF + datetime.timedelta(days=2)
    event = prepare_for_hearing(case, officer, as_of=later)
    notices = case.tenancy.communications.filter(version__template__code="hearing_notice")
    assert notices.count() == 1
    assert "no notice of hearing sent" in event.summary
    assert "already sent" in event.note
