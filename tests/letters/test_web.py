"""The letters pages: send from an account with a preview, the communications list, the
delivery callback, failed deliveries, template editing and the outbox."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from openincome.ledger.models import RecordedAction, Tenancy
from openincome.letters.models import Communication, OutboxItem, Template
from openincome.letters.pdf import pdf_text
from tests.web.conftest import _client

pytestmark = pytest.mark.django_db
CALLBACK = "/letters/notify/callback/"


@pytest.fixture
def officer(landlord) -> Client:
    return _client("officer1", "officer", ["EAST"])


@pytest.fixture
def admin(landlord) -> Client:
    return _client("admin1", "admin")


def test_officer_previews_then_sends_letter_1(officer):
    url = "/tenancies/EX-0001/send/"
    page = officer.get(url)
    assert page.status_code == 200 and b"Letter 1" in page.content
    preview = officer.get(url, {"template": "letter_1"})
    text = preview.content.decode()
    assert "Check letter 1 before sending" in text and "Sam Hughes" in text
    assert "/send/preview/?template=letter_1" in text
    assert not Communication.objects.exists()  # a preview saves nothing
    pdf = officer.get("/tenancies/EX-0001/send/preview/", {
        "template": "letter_1",
        "tenant": Tenancy.objects.get(tenancy_ref="EX-0001").tenants.get().pk})
    assert pdf["Content-Type"] == "application/pdf" and "PAY000001" in pdf_text(pdf.content)
    done = officer.post(url, {"template": "letter_1", "confirm": "yes"}, follow=True)
    item = Communication.objects.get()
    assert item.sent_by.username == "officer1" and item.date == timezone.localdate()
    assert RecordedAction.objects.filter(code="letter_1_sent",
                                         tenancy__tenancy_ref="EX-0001").exists()
    account = done.content.decode()
    assert "Letter 1 sent (1 copy)" in account and "Letters and messages" in account
    assert f"?ref={item.reference}" in account
    shown = officer.get("/tenancies/EX-0001/communications/", {"ref": item.reference})
    assert shown.status_code == 200 and "Sam Hughes" in shown.content.decode()
    as_pdf = officer.get("/tenancies/EX-0001/communications/",
                         {"ref": item.reference, "format": "pdf"})
    assert as_pdf.content == bytes(item.pdf)


def test_an_unknown_template_is_an_error_and_sends_nothing(officer):
    page = officer.get("/tenancies/EX-0001/send/", {"template": "nonsense"})
    assert page.status_code == 400 and b"There is a problem" in page.content
    officer.post("/tenancies/EX-0001/send/", {"template": "nonsense", "confirm": "yes"})
    assert not Communication.objects.exists() and not OutboxItem.objects.exists()


def test_another_accounts_communication_is_not_shown(officer):
    from openincome.letters.actions import send_communication

    [item] = send_communication(Tenancy.objects.get(tenancy_ref="EX-0002"), "test",
                                code="letter_1", as_of=timezone.localdate())
    assert officer.get("/tenancies/EX-0001/communications/",
                       {"ref": item.reference}).status_code == 404


def test_the_callback_needs_its_token_and_updates_the_status(officer, monkeypatch):
    from openincome.letters.actions import send_communication

    monkeypatch.setenv("OPENINCOME_NOTIFY_CALLBACK_TOKEN", "s3cret-token")
    [item] = send_communication(Tenancy.objects.get(tenancy_ref="EX-0001"), "test",
                                code="letter_1", as_of=timezone.localdate())
    body = json.dumps({"id": item.provider_id, "reference": item.reference,
                       "status": "permanent-failure"})
    anonymous = Client()
    assert anonymous.post(CALLBACK, body, content_type="application/json").status_code == 403
    assert anonymous.post(CALLBACK, body, content_type="application/json",
                          HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    # A signed-in officer is not the delivery service either.
    assert officer.post(CALLBACK, body, content_type="application/json").status_code == 403
    item.refresh_from_db()
    assert item.status == "sending"
    ok = anonymous.post(CALLBACK, body, content_type="application/json",
                        HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200
    item.refresh_from_db()
    assert item.status == "permanent-failure"
    # The failure is the officer's task: on the account page and on the failures list.
    account = officer.get("/tenancies/EX-0001/").content.decode()
    assert "1 communication was not delivered" in account and "Not delivered" in account
    failures = officer.get("/letters/failures/").content.decode()
    assert "EX-0001" in failures
    refused = officer.post("/letters/failures/", {"reference": item.reference, "note": ""})
    assert refused.status_code == 400
    officer.post("/letters/failures/", {"reference": item.reference,
                                        "note": "Phoned the tenant instead"})
    item.refresh_from_db()
    assert item.task_closed_at is not None
    assert "Every letter and message was delivered" in officer.get(
        "/letters/failures/").content.decode()
    bad = anonymous.post(CALLBACK, "not json", content_type="application/json",
                         HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert bad.status_code == 400


def test_without_a_configured_token_the_callback_refuses_everyone(landlord):
    assert Client().post(CALLBACK, "{}", content_type="application/json",
                         HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_admin_edits_a_template_with_preview_and_versions(admin):
    url = "/admin/templates/edit/?template=letter_1&channel=letter"
    page = admin.get(url + "&account=EX-0002")
    text = page.content.decode()
    assert page.status_code == 200 and "As EX-0002 would get it today" in text
    assert "Sam Patel" in text and "(in use)" in text
    bad = admin.post(url, {"subject": "x", "body": "{% include 'x' %}", "note": "n"})
    assert bad.status_code == 400 and b"cannot be used" in bad.content
    missing = admin.post(url, {"subject": "x", "body": "You owe {{ arrears }}.", "note": ""})
    assert missing.status_code == 400 and b"Say what you changed" in missing.content
    template = Template.objects.get(code="letter_1", channel="letter")
    assert template.versions.count() == 1
    admin.post(url, {"subject": "Rent owed", "body": "You owe {{ arrears }}.",
                     "note": "Shorter wording"})
    assert template.current().number == 2 and template.current().created_by.username == "admin1"
    history = admin.get(url).content.decode()
    assert "Shorter wording" in history and "The default wording" in history
    assert admin.get("/admin/templates/").status_code == 200


def test_the_outbox_shows_what_the_recording_notifier_kept(admin):
    from openincome.letters.actions import send_communication

    [item] = send_communication(Tenancy.objects.get(tenancy_ref="EX-0001"), "test",
                                code="letter_1", as_of=timezone.localdate())
    page = admin.get("/admin/outbox/").content.decode()
    assert item.reference in page
    kept = OutboxItem.objects.get(reference=item.reference)
    assert admin.get("/admin/outbox/", {"pdf": kept.pk}).content == bytes(item.pdf)


def test_admin_changes_the_landlords_details_on_letters(admin):
    from openincome.audit.models import AuditEvent
    from openincome.letters.models import LetterDetails

    page = admin.get("/admin/letter-details/")
    assert page.status_code == 200 and b"Ways to pay" in page.content
    refused = admin.post("/admin/letter-details/", {"address": "1 Town Hall", "why": ""})
    assert refused.status_code == 400 and b"Enter at least one way to pay" in refused.content
    admin.post("/admin/letter-details/", {
        "address": "1 Town Hall\r\nNorthtown\r\nNN1 9ZZ", "phone": "0300 123 4567",
        "email": "", "payment_methods": "Pay online\r\nPay at the Town Hall",
        "signature": "Rents Team", "why": "New office"})
    details = LetterDetails.current()
    assert details.address == "1 Town Hall\nNorthtown\nNN1 9ZZ"
    assert AuditEvent.objects.get(action="letter_details_changed").why == "New office"
    preview = admin.get("/admin/templates/edit/?template=reminder&channel=sms&account=EX-0001")
    assert "0300 123 4567" in preview.content.decode()
    pdf = admin.get("/tenancies/EX-0001/send/preview/")  # admins do not send letters
    assert pdf.status_code == 403


def test_an_undelivered_letter_warns_on_the_account_and_flags_the_worklist_row(
        officer, django_capture_on_commit_callbacks):
    from openincome.cases.models import Contact
    from openincome.cases.nightly import run_nightly
    from openincome.letters.actions import close_failure_task, record_delivery_status

    today = timezone.localdate()
    run_nightly(today)
    officer.post("/tenancies/EX-0001/send/", {"template": "letter_1", "confirm": "yes"})
    item = Communication.objects.get()
    # The send is logged as a contact whose outcome reads in words.
    assert Contact.objects.get(tenancy__tenancy_ref="EX-0001").outcome == "sent"
    account = officer.get("/tenancies/EX-0001/").content.decode()
    assert 'id="undelivered"' not in account and "Sent by Open Income" in account
    worklist = officer.get("/worklist/", {"tab": "arrears", "patch": "EAST"}).content.decode()
    assert "Not delivered" not in worklist
    record_delivery_status(provider_id=item.provider_id, reference="",
                           status="permanent-failure", as_of=today)
    account = officer.get("/tenancies/EX-0001/").content.decode()
    assert 'id="undelivered"' in account
    assert "Not delivered: Letter 1 to Sam Hughes" in account
    worklist = officer.get("/worklist/", {"tab": "arrears", "patch": "EAST"}).content.decode()
    assert worklist.count("Not delivered") == 1
    close_failure_task(item, "test", note="Address checked", as_of=today)
    assert 'id="undelivered"' not in officer.get("/tenancies/EX-0001/").content.decode()
    assert "Not delivered" not in officer.get(
        "/worklist/", {"tab": "arrears", "patch": "EAST"}).content.decode()


def test_an_officer_cannot_log_a_contact_as_sent_by_open_income(officer):
    page = officer.get("/tenancies/EX-0001/contact/").content.decode()
    assert 'value="spoke_to_tenant"' in page and 'value="sent"' not in page


UNTRUE = [  # (template, why it is refused for EX-0001, a current tenant in arrears)
    ("hearing_notice", "no hearing to come"),
    ("former_tenant_arrears", "has not ended"),
    ("refund_of_credit", "not in credit"),
    ("agreement_confirmation", "no live agreement"),
    ("order_breach", "no court order"),
]


@pytest.mark.parametrize("code, why", UNTRUE)
def test_a_letter_whose_facts_do_not_exist_is_refused_on_every_path(officer, code, why,
                                                                     capsys):
    from openincome.letters.actions import NothingToSend, send_communication

    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    with pytest.raises(NothingToSend, match=why):
        send_communication(tenancy, "test", code=code, as_of=timezone.localdate())
    page = officer.get("/tenancies/EX-0001/send/")
    text = page.content.decode()
    assert f'value="{code}"' not in text and why in text  # not offered, and why
    done = officer.post("/tenancies/EX-0001/send/", {"template": code, "confirm": "yes"},
                        follow=True)
    assert why in done.content.decode()
    assert not Communication.objects.exists()


def test_the_same_letter_twice_in_a_day_needs_send_again_with_a_reason(officer):
    from openincome.audit.models import AuditEvent

    url = "/tenancies/EX-0001/send/"
    officer.post(url, {"template": "letter_1", "confirm": "yes"})
    assert Communication.objects.count() == 1
    # The form posted again (a reload, a second click): refused.
    again = officer.post(url, {"template": "letter_1", "confirm": "yes"}, follow=True)
    assert "Already sent for this date" in again.content.decode()
    assert Communication.objects.count() == 1
    preview = officer.get(url, {"template": "letter_1"}).content.decode()
    assert "Already sent for this date" in preview and 'name="again"' in preview
    # Ticked without a reason: an error, nothing sent.
    bad = officer.post(url, {"template": "letter_1", "confirm": "yes", "again": "on"})
    assert bad.status_code == 400 and "Say why it needs to go again" in bad.content.decode()
    assert Communication.objects.count() == 1
    officer.post(url, {"template": "letter_1", "confirm": "yes", "again": "on",
                       "reason": "Returned: wrong flat number"})
    assert Communication.objects.count() == 2
    event = AuditEvent.objects.filter(action="communication_sent").latest("pk")
    assert event.details["sent_again"] == "Returned: wrong flat number"


@pytest.mark.parametrize("body, why", [
    ("Dear {{ nosuchfield }}", "There is no field {{ nosuchfield }}"),
    ("Key {{ settings.SECRET_KEY }}", "There is no field {{ settings.SECRET_KEY }}"),
    ("You owe {{ arrears", "not closed"),
    ("{{ landlord.password }}", "There is no field {{ landlord.password }}"),
])
def test_a_template_with_a_mistake_or_an_unknown_field_is_refused_keeping_the_text(
        admin, body, why):
    url = "/admin/templates/edit/?template=letter_1&channel=letter"
    page = admin.post(url, {"subject": "Rent owed", "body": body, "note": "Try"})
    text = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in text
    assert why in text.replace("&#x27;", "'").replace("&quot;", '"')
    assert body.replace("{", "&#x7B;")[:5] in text or body[:5] in text  # the typed text kept
    assert Template.objects.get(code="letter_1", channel="letter").versions.count() == 1


def test_preview_shows_the_draft_and_an_old_version_can_be_viewed_and_restored(admin):
    from openincome.audit.models import AuditEvent

    url = "/admin/templates/edit/?template=letter_1&channel=letter"
    template = Template.objects.get(code="letter_1", channel="letter")
    draft = admin.post(url, {"subject": "Rent owed", "body": "A DRAFT: you owe {{ arrears }}.",
                             "note": "", "account": "EX-0001", "preview": "yes"})
    text = draft.content.decode()
    assert draft.status_code == 200 and "A DRAFT: you owe £" in text
    assert "As EX-0001 would get it today (the wording above, not saved)" in text
    assert template.versions.count() == 1
    admin.post(url, {"subject": "Rent owed", "body": "New: you owe {{ arrears }}.",
                     "note": "Shorter"})
    old = admin.get(url + "&version=1").content.decode()
    assert "Version 1" in old and "Restore version 1 as a new version" in old
    admin.post(url + "&version=1", {"restore": "1"})
    current = template.current()
    assert current.number == 3 and current.body == template.versions.get(number=1).body
    event = AuditEvent.objects.filter(action="template_edited").latest("pk")
    assert event.details["restored_from"] == 1 and event.details["version"] == 3


def test_failed_deliveries_are_in_the_menu_filtered_to_the_officers_patches_and_paged(officer):
    from openincome.ledger.models import Patch, Property

    west = Patch.objects.create(code="ZNORTH")
    other = Tenancy.objects.get(tenancy_ref="EX-0002")
    Property.objects.filter(pk=other.property_id).update(patch=west)
    mine = Tenancy.objects.get(tenancy_ref="EX-0001")
    version = Template.objects.get(code="letter_1", channel="letter").current()
    for i, tenancy in enumerate([mine] * 55 + [other]):
        Communication.objects.create(
            tenancy=tenancy, tenant=tenancy.tenants.first(), version=version, channel="letter",
            recipient="x", date=timezone.localdate(), as_of=timezone.localdate(), text="x",
            reference=f"OI-F{i:04d}", status="permanent-failure")
    home = officer.get("/worklist/", follow=True).content.decode()
    assert 'href="/letters/failures/"' in home and "Delivery failures" in home
    page = officer.get("/letters/failures/").content.decode()
    assert "55 to deal with" in page and "Page 1 of 2" in page and "EX-0002" not in page
    assert "Showing your patches (EAST)" in page
    assert "OI-F0054" not in page or "OI-F0000" not in page
    second = officer.get("/letters/failures/", {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and second.count("Mark as dealt with") == 5
    every = officer.get("/letters/failures/", {"patches": "all"}).content.decode()
    assert "56 to deal with" in every and "Showing every patch" in every


def test_letter_1_by_email_carries_the_help_paragraphs_and_the_full_statement_reads_well(
        landlord):
    from openincome.letters.queries import compose

    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    today = timezone.localdate()
    email = compose(Template.objects.get(code="letter_1", channel="email").current(),
                    tenancy, today, tenancy.tenants.first()).text
    assert "Discretionary Housing Payment" in email and "StepChange" in email
    full = compose(Template.objects.get(code="full_statement", channel="letter").current(),
                   tenancy, today, tenancy.tenants.first()).text
    assert " owed owed" not in full and "You owed £" not in full
    assert "your balance was £" in full


def test_a_sent_letter_shows_as_the_tenant_reads_it_not_as_markup(officer):
    officer.post("/tenancies/EX-0001/send/", {"template": "letter_1", "confirm": "yes"})
    item = Communication.objects.get()
    page = officer.get("/tenancies/EX-0001/communications/",
                       {"ref": item.reference}).content.decode()
    assert "# You owe" not in page and "<h2>You owe £" in page


def test_the_send_page_flags_a_vulnerable_tenant(officer):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    assert "is vulnerable" not in officer.get("/tenancies/EX-0001/send/").content.decode()
    tenancy.tenants.update(vulnerabilities="mental_health")
    page = officer.get("/tenancies/EX-0001/send/", {"template": "letter_1"}).content.decode()
    assert "A tenant on this account is vulnerable" in page


def test_the_outbox_names_the_tenancy_and_filters_by_channel_template_and_status(admin):
    from openincome.letters.actions import send_communication

    today = timezone.localdate()
    one = Tenancy.objects.get(tenancy_ref="EX-0001")
    two = Tenancy.objects.get(tenancy_ref="EX-0002")
    [letter] = send_communication(one, "test", code="letter_1", as_of=today)
    two.preferred_channel = "sms"
    two.save()
    two.tenants.update(mobile="07700 900123")
    [text] = send_communication(two, "test", code="reminder", as_of=today)
    page = admin.get("/admin/outbox/").content.decode()
    assert 'href="/tenancies/EX-0001/"' in page and 'href="/tenancies/EX-0002/"' in page
    assert "Letter 1" in page and "Reminder" in page
    sms = admin.get("/admin/outbox/", {"channel": "sms"}).content.decode()
    assert text.reference in sms and letter.reference not in sms
    by_template = admin.get("/admin/outbox/", {"template": "letter_1"}).content.decode()
    assert letter.reference in by_template and text.reference not in by_template
    Communication.objects.filter(pk=letter.pk).update(status="permanent-failure")
    failed = admin.get("/admin/outbox/", {"status": "permanent-failure"}).content.decode()
    assert letter.reference in failed and text.reference not in failed
    oldest = admin.get("/admin/outbox/", {"sort": "oldest"}).content.decode()
    assert oldest.index(letter.reference) < oldest.index(text.reference)
    newest = admin.get("/admin/outbox/").content.decode()
    assert newest.index(text.reference) < newest.index(letter.reference)
