"""Administrators choose the automatic sends: a dated policy version, audited, the rest of the
policy kept; errors the GOV.UK way with nothing saved; only administrators."""

import datetime

import pytest
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.policy.models import PolicyVersion
from openincome.policy.store import params_in_force
from tests.web.conftest import _client

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
URL = "/admin/automatic-sends/"
NEXT = AS_OF + datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AS_OF)


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month),
            f"{prefix}-year": str(day.year)}


def test_an_administrator_sends_letter_1_automatically_for_a_patch_from_a_date(landlord):
    admin = _client("admin1", "admin")
    page = admin.get(URL).content.decode()
    assert "Nothing: officers send every letter and message." in page
    assert "Letter 1: send automatically for" in page
    # Only communications that record a ladder step may go by themselves.
    assert "Former tenant" not in page
    saved = admin.post(URL, {"send_send_letter_1": ["EAST"], "send_send_reminder": ["*"],
                             **_date("effective_from", NEXT), "note": "Pilot on EAST"},
                       follow=True)
    text = saved.content.decode()
    assert saved.status_code == 200 and "Automatic sends saved: from 30 November 2026" in text
    assert params_in_force(NEXT).to_dict()["auto_send"] == {
        "send_letter_1": ["EAST"], "send_reminder": ["*"]}
    assert params_in_force(AS_OF).to_dict()["auto_send"] == {}  # not before its date
    version = PolicyVersion.objects.get(effective_from=NEXT)
    assert (version.note, version.created_by.username) == ("Pilot on EAST", "admin1")
    # The rest of the policy is as it was.
    before, after = params_in_force(AS_OF).to_dict(), params_in_force(NEXT).to_dict()
    assert {k for k in after if after[k] != before[k]} == {"auto_send"}
    event = AuditEvent.objects.get(action="policy_version_added", actor_name="admin1")
    assert event.why == "Pilot on EAST" and set(event.details["changed"]) == {"auto_send"}
    assert "Letter 1: Patch EAST" in text and "Reminder: Every patch" in text


@pytest.mark.parametrize(("post", "error"), [
    ({"note": "x"}, "Enter the date the change starts"),
    ({**_date("effective_from", NEXT)}, "Say why the automatic sends change"),
    ({**_date("effective_from", AS_OF - datetime.timedelta(days=1)), "note": "x",
      "send_send_letter_1": ["*"]}, "The date must be today or later"),
    ({**_date("effective_from", NEXT), "note": "x", "send_send_letter_1": ["*", "EAST"]},
     "Letter 1: choose every patch or some patches, not both"),
    ({**_date("effective_from", NEXT), "note": "x", "send_send_letter_1": ["NOWHERE"]},
     "Choose patches from the list"),
    ({**_date("effective_from", NEXT), "note": "x"},
     "That is what the policy already sends from that date"),
])
def test_a_mistake_is_shown_in_the_error_summary_and_nothing_is_saved(landlord, post, error):
    admin = _client("admin1", "admin")
    admin.get(URL)  # the default version stored, as any page does
    versions = PolicyVersion.objects.count()
    refused = admin.post(URL, post)
    text = refused.content.decode()
    assert refused.status_code == 400
    assert "govuk-error-summary" in text and error in text
    assert PolicyVersion.objects.count() == versions
    if "note" in post:
        assert 'value="x"' in text  # what was typed stays


def test_a_second_change_on_the_same_date_is_refused(landlord):
    admin = _client("admin1", "admin")
    admin.post(URL, {"send_send_letter_1": ["*"], **_date("effective_from", NEXT),
                     "note": "All patches"})
    refused = admin.post(URL, {"send_send_reminder": ["*"], **_date("effective_from", NEXT),
                               "note": "And reminders"})
    assert refused.status_code == 400
    assert "A policy version already starts on 30 November 2026" in refused.content.decode()


@pytest.mark.parametrize("role", ["officer", "team_leader", "manager", "finance"])
def test_only_administrators_choose_the_automatic_sends(landlord, role):
    client = _client("someone", role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"send_send_letter_1": ["*"], **_date("effective_from", NEXT),
                             "note": "x"}).status_code == 403
    assert params_in_force(NEXT).to_dict()["auto_send"] == {}
