"""Selecting cases on the worklist itself: today's rows whose action is a letter or message
have a checkbox (for users who may send), "Send to the selected cases" leads to the bulk send's
check of the first letter and the counts (one part per action), and sending queues one
background send per action; nothing selected is an error; the worklist view is kept."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from openincome.cases.models import WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.letters.models import Communication, SendJob
from tests.web.conftest import PASSWORD, _client

pytestmark = pytest.mark.django_db
SELECTED = "/letters/bulk/selected/"


@pytest.fixture
def today(landlord):
    """Today's worklist of the example landlord: EX-0001 letter 1, EX-0002 court warning
    (both EAST), EX-0003 former tenant arrears letter (WEST)."""
    as_of = timezone.localdate()
    run_nightly(as_of)
    return as_of


def _id(ref: str) -> int:
    return WorklistEntry.objects.get(tenancy__tenancy_ref=ref).tenancy_id


def _checkboxes(html: str) -> set[str]:
    """The tenancy refs the page offers to select (by their accessible labels)."""
    return set(re.findall(r'<span class="govuk-visually-hidden">Select ([^<]+)</span>', html))


def test_only_rows_whose_action_is_a_communication_have_a_checkbox(today):
    WorklistEntry.objects.filter(tenancy__tenancy_ref="EX-0003").update(action="contact_tenant")
    client = _client("leader1", "team_leader")
    page = client.get("/worklist/", {"patch": "all", "tab": "every"}).content.decode()
    assert _checkboxes(page) == {"EX-0001", "EX-0002"}
    assert f'name="tenancy" type="checkbox" value="{_id("EX-0003")}"' not in page
    assert "Send to the selected cases" in page
    assert 'action="/letters/bulk/selected/"' in page and "csrfmiddlewaretoken" in page
    # Another day's worklist is not today's: the bulk send works on today's rows only.
    other = client.get("/worklist/", {"patch": "all", "as_of": "2026-01-05"}).content.decode()
    assert not _checkboxes(other) and "Send to the selected cases" not in other


def test_a_user_who_may_not_send_sees_no_checkboxes_and_may_not_post(today):
    client = _client("finance1", "finance")
    page = client.get("/worklist/", {"patch": "all", "tab": "every"})
    assert page.status_code == 200 and b"EX-0001" in page.content
    assert not _checkboxes(page.content.decode())
    assert b"Send to the selected cases" not in page.content
    refused = client.post(SELECTED, {"tenancy": [_id("EX-0001")], "confirm": "yes"})
    assert refused.status_code == 403 and not SendJob.objects.exists()


def test_a_selection_posted_without_the_csrf_token_is_refused(today):
    _client("leader1", "team_leader")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="leader1", password=PASSWORD)
    refused = client.post(SELECTED, {"tenancy": [_id("EX-0001")], "confirm": "yes"})
    assert refused.status_code == 403 and not SendJob.objects.exists()


def test_the_selected_rows_lead_to_the_check_of_the_first_letter_and_the_counts(today):
    client = _client("officer1", "officer", ["EAST"])
    page = client.post(SELECTED, {"tenancy": [_id("EX-0001")], "wl": "tab=every"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Check before sending to 1 selected case" in text
    assert "Letter 1: 1 case" in text and "Court warning" not in text
    assert "The first one: EX-0001, to Sam Hughes by letter" in text
    assert re.search(r"Letter 1 by letter</dt>\s*<dd[^>]*>1</dd>", text)
    assert "Send 1 letter 1" in text
    assert 'href="/worklist/?tab=every"' in text  # back to the same view
    assert not Communication.objects.exists() and not SendJob.objects.exists()


def test_rows_of_different_actions_are_checked_and_sent_one_run_per_action(today):
    client = _client("officer1", "officer", ["EAST"])
    ticked = [_id("EX-0001"), _id("EX-0002")]
    text = client.post(SELECTED, {"tenancy": ticked}).content.decode()
    assert "Check before sending to 2 selected cases" in text
    assert "Letter 1: 1 case" in text and "Court warning letter: 1 case" in text
    assert "The first one: EX-0001" in text and "The first one: EX-0002" in text
    assert "Send to all 2 cases" in text
    done = client.post(SELECTED, {"tenancy": ticked, "confirm": "yes"})
    jobs = {job.code: job for job in SendJob.objects.all()}
    assert set(jobs) == {"letter_1", "court_warning"}
    assert jobs["letter_1"].tenancy_ids == [ticked[0]]
    assert jobs["court_warning"].tenancy_ids == [ticked[1]]
    # The page follows the first run (in the order the check showed them: by name) and links
    # to the other.
    assert done["Location"] == f"/letters/bulk/progress/?job={jobs['court_warning'].pk}"
    progress = client.get(done["Location"]).content.decode()
    assert "Sending court warning letter" in progress
    assert "Also sending letter 1 to 1 case" in progress
    assert f'href="/letters/bulk/progress/?job={jobs["letter_1"].pk}"' in progress
    assert not Communication.objects.exists()  # the background worker sends them


def test_nothing_selected_is_an_error_on_the_same_worklist_view(today):
    client = _client("officer1", "officer", ["EAST"])
    refused = client.post(SELECTED, {"wl": "tab=every&sort=arrears"})
    assert refused.status_code == 302
    assert refused["Location"] == "/worklist/?tab=every&sort=arrears"
    page = client.get(refused["Location"]).content.decode()
    assert "govuk-error-summary" in page
    assert "Select at least one case to send a letter or message to" in page
    assert 'href="#select-cases"' in page and 'id="select-cases"' in page  # to the checkboxes
    # A case whose action is not a letter (or not on today's worklist) counts as nothing.
    WorklistEntry.objects.filter(tenancy__tenancy_ref="EX-0001").update(action="contact_tenant")
    client.post(SELECTED, {"tenancy": [_id("EX-0001"), "999999", "x"], "confirm": "yes"})
    assert not SendJob.objects.exists()
