"""Sending from the worklist: select cases, check the first and the counts, send as a job
with progress; the worker command; nothing during a Breathing Space."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from openincome.cases.models import Pause, WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.ledger.models import RecordedAction, Transaction
from openincome.letters.bulk import queue_send_job
from openincome.letters.models import Communication, SendJob
from tests.web.conftest import _client

pytestmark = pytest.mark.django_db
ACTIONS = ("send_letter_1", "send_reminder", "send_letter_2")


@pytest.fixture
def day(simulated, monkeypatch, settings):
    """The simulated landlord's last day as 'today', with its worklist stored."""
    as_of = Transaction.objects.aggregate(d=Max("date"))["d"]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: as_of)
    settings.LETTERS_JOB_RUNNER = "inline"
    run_nightly(as_of)
    return as_of


def _action(as_of: datetime.date) -> tuple[str, list[WorklistEntry]]:
    rows = WorklistEntry.objects.filter(run__as_of=as_of, action__in=ACTIONS)
    action = next(a for a in ACTIONS if rows.filter(action=a).exists())
    return action, list(rows.filter(action=action).select_related("tenancy"))


def test_officer_selects_checks_and_sends_from_the_worklist(day):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    listed = client.get("/letters/bulk/", {"action": action}).content.decode()
    for row in rows:
        assert row.tenancy.tenancy_ref in listed
    picked = [str(r.tenancy_id) for r in rows[:2]]
    check = client.post("/letters/bulk/", {"action": action, "tenancy": picked})
    text = check.content.decode()
    assert "Check before sending" in text and "The first one" in text
    assert f"<dd class=\"govuk-summary-list__value\">{len(picked)}</dd>" in text
    assert not Communication.objects.exists()  # checking sends nothing
    done = client.post("/letters/bulk/", {"action": action, "tenancy": picked,
                                          "confirm": "yes"})
    job = SendJob.objects.get()
    assert done["Location"].endswith(f"?job={job.pk}")
    assert (job.status, job.done, job.total) == ("finished", len(picked), len(picked))
    assert sum(job.counts.values()) == Communication.objects.count() >= len(picked)
    assert set(Communication.objects.values_list("tenancy_id", flat=True)) == {
        int(i) for i in picked}
    page = client.get(done["Location"]).content.decode()
    assert f"Finished: {len(picked)} of {len(picked)} cases done" in page
    assert "hx-trigger" not in page  # a finished job stops polling


def test_nothing_selected_is_an_error_and_a_breathing_space_holds_its_case(day):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    refused = client.post("/letters/bulk/", {"action": action})
    assert refused.status_code == 400 and b"Select at least one case" in refused.content
    held = rows[0].tenancy
    Pause.objects.create(tenancy=held, reason="breathing_space_standard", start_date=day)
    client.post("/letters/bulk/", {"action": action, "tenancy": [str(held.pk)],
                                   "confirm": "yes"})
    job = SendJob.objects.get()
    assert job.skipped == [[held.tenancy_ref, "A Breathing Space is running: nothing about "
                                              "the debt may be sent"]]
    assert not Communication.objects.filter(tenancy=held).exists()


def test_the_worker_command_runs_queued_jobs(day, settings, capsys):
    action, rows = _action(day)
    from openincome.letters.queries import template_for_action

    job = queue_send_job(None, as_of=day, code=template_for_action(action),
                         tenancy_ids=[rows[0].tenancy_id])
    assert job.status == "queued"
    call_command("letters_worker", "--once")  # what `openincome manage letters_worker` runs
    assert "1 of 1 done" in capsys.readouterr().out
    job.refresh_from_db()
    assert (job.status, job.done) == ("finished", 1)
    assert RecordedAction.objects.filter(tenancy_id=rows[0].tenancy_id, date=day).exists()
