"""Sending from the worklist: select cases, check the first and the counts, send as a
background task (Django's tasks framework, database backend) with progress; a worker pass
runs it; a job stopped part way resumes without sending twice; a failure shows on the page;
nothing during a Breathing Space."""

import datetime
import re
import signal

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from openincome.audit.models import AuditEvent
from openincome.cases.models import Pause, WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.ledger.models import RecordedAction, Tenancy, Transaction
from openincome.letters import bulk
from openincome.letters.bulk import queue_send_job, run_send_job
from openincome.letters.models import Communication, SendJob
from openincome.letters.queries import breathing_space_running, template_for_action
from tests.web.conftest import _client

pytestmark = pytest.mark.django_db
ACTIONS = ("send_letter_1", "send_reminder", "send_letter_2")


@pytest.fixture
def day(simulated, monkeypatch):
    """The simulated landlord's last day as 'today', with its worklist stored."""
    as_of = Transaction.objects.aggregate(d=Max("date"))["d"]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: as_of)
    run_nightly(as_of)
    return as_of


@pytest.fixture
def work(monkeypatch):
    """Run the real database worker until the queue is empty (`openincome manage db_worker
    --batch`), in this process."""
    from django_tasks_db.management.commands import db_worker

    # The worker drops a connection not in autocommit; the test's own transaction is one.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM,
                                                     signal.SIGQUIT)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                         "--queue-name", "*", verbosity=0)
        finally:  # the worker takes over the signals; the test run keeps its own
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run


def _action(as_of: datetime.date) -> tuple[str, list[WorklistEntry]]:
    rows = WorklistEntry.objects.filter(run__as_of=as_of, action__in=ACTIONS)
    action = next(a for a in ACTIONS if rows.filter(action=a).exists())
    return action, list(rows.filter(action=action).select_related("tenancy"))


def _two(as_of: datetime.date) -> list[int]:
    """Two tenancies letter 1 may be sent to (no Breathing Space running)."""
    return [t.pk for t in Tenancy.objects.order_by("pk")
            if not breathing_space_running(t, as_of)][:2]


def test_officer_selects_checks_and_sends_from_the_worklist_through_the_worker(day, work):
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
    # Queued as a task in the database; nothing sent until a worker runs it.
    task = DBTaskResult.objects.get()
    assert (str(task.id), task.status) == (job.task_id, TaskResultStatus.READY)
    assert task.task_path == "openincome.letters.tasks.send_job"
    assert (job.status, job.done) == ("queued", 0) and not Communication.objects.exists()
    waiting = client.get(done["Location"]).content.decode()
    assert f"Waiting to start: 0 of {len(picked)} cases done" in waiting
    assert "hx-trigger" in waiting  # the bar follows the job
    assert "No background worker" not in waiting
    assert AuditEvent.objects.filter(action="bulk_send_queued", object_ref=str(job.pk),
                                     actor_name="leader1").exists()
    work()
    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == {"done": len(picked), "total": len(picked)}
    assert (job.status, job.done, job.total) == ("finished", len(picked), len(picked))
    assert sum(job.counts.values()) == Communication.objects.count() >= len(picked)
    assert set(Communication.objects.values_list("tenancy_id", flat=True)) == {
        int(i) for i in picked}
    page = client.get(done["Location"]).content.decode()
    assert f"Finished: {len(picked)} of {len(picked)} cases done" in page
    assert "hx-trigger" not in page  # a finished job stops polling


def test_a_job_no_worker_picks_up_says_so(day):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    job = queue_send_job(None, as_of=day, code=template_for_action(action),
                         tenancy_ids=[rows[0].tenancy_id])
    SendJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5))
    page = client.get("/letters/bulk/progress/", {"job": job.pk}).content.decode()
    assert "No background worker has started this send yet" in page
    assert "openincome manage db_worker" in page


def test_nothing_selected_is_an_error_and_a_breathing_space_holds_its_case(day, work):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    refused = client.post("/letters/bulk/", {"action": action})
    assert refused.status_code == 400 and b"Select at least one case" in refused.content
    assert not SendJob.objects.exists() and not DBTaskResult.objects.exists()
    held = rows[0].tenancy
    Pause.objects.create(tenancy=held, reason="breathing_space_standard", start_date=day)
    client.post("/letters/bulk/", {"action": action, "tenancy": [str(held.pk)],
                                   "confirm": "yes"})
    work()
    job = SendJob.objects.get()
    assert job.status == "finished"
    assert job.skipped == [[held.tenancy_ref, "A Breathing Space is running: nothing about "
                                              "the debt may be sent"]]
    assert not Communication.objects.filter(tenancy=held).exists()


def test_a_job_stopped_part_way_resumes_and_sends_nobody_twice(day, work, monkeypatch):
    ids = _two(day)
    job = queue_send_job(None, as_of=day, code=template_for_action("send_letter_1"),
                         tenancy_ids=ids)
    real = bulk.store_communication

    def stop_at_the_second(tenancy, *args, **kwargs):
        if tenancy.pk == ids[1]:
            raise KeyboardInterrupt  # the worker stopped (not an error in the job)
        return real(tenancy, *args, **kwargs)

    monkeypatch.setattr(bulk, "store_communication", stop_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        run_send_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done) == ("running", 1)
    first = Communication.objects.filter(tenancy_id=ids[0]).count()
    assert first >= 1 and not Communication.objects.filter(tenancy_id=ids[1]).exists()
    monkeypatch.setattr(bulk, "store_communication", real)
    assert run_send_job(job.pk).status == "finished"
    job.refresh_from_db()
    assert job.done == 2 and sum(job.counts.values()) == Communication.objects.count()
    assert Communication.objects.filter(tenancy_id=ids[0]).count() == first
    assert Communication.objects.filter(tenancy_id=ids[1]).exists()
    assert RecordedAction.objects.filter(tenancy_id__in=ids, date=day).count() >= 2
    sent = Communication.objects.count()
    # The task runs it once more (the queued one): a finished job is left as it is.
    work()
    assert run_send_job(job.pk).done == 2 and Communication.objects.count() == sent


def test_a_worker_asked_to_stop_hands_the_rest_of_the_job_on(day, work, monkeypatch):
    import os

    ids = _two(day)
    job = queue_send_job(None, as_of=day, code=template_for_action("send_letter_1"),
                         tenancy_ids=ids)
    first_task = job.task_id
    real = bulk.store_communication

    def stop_during_the_first(tenancy, *args, **kwargs):
        if tenancy.pk == ids[0]:
            os.kill(os.getpid(), signal.SIGTERM)  # as `serve` stopping does
        return real(tenancy, *args, **kwargs)

    monkeypatch.setattr(bulk, "store_communication", stop_during_the_first)
    work()  # the worker finishes the case in hand, then stops
    job.refresh_from_db()
    assert (job.status, job.done) == ("running", 1)
    assert Communication.objects.filter(tenancy_id=ids[0]).exists()
    assert not Communication.objects.filter(tenancy_id=ids[1]).exists()
    assert DBTaskResult.objects.get(id=first_task).return_value == {
        "done": 1, "total": 2, "handed_on": True}
    handed_on = DBTaskResult.objects.get(id=job.task_id)
    assert job.task_id != first_task and handed_on.status == TaskResultStatus.READY
    sent = Communication.objects.filter(tenancy_id=ids[0]).count()
    work()  # the next worker sends the rest
    job.refresh_from_db()
    assert (job.status, job.done) == ("finished", 2)
    assert Communication.objects.filter(tenancy_id=ids[0]).count() == sent
    assert Communication.objects.filter(tenancy_id=ids[1]).exists()


def test_a_send_whose_worker_was_killed_offers_to_send_the_rest(day, work, monkeypatch):
    client = _client("leader1", "team_leader")
    ids = _two(day)
    job = queue_send_job(None, as_of=day, code=template_for_action("send_letter_1"),
                         tenancy_ids=ids)
    real = bulk.store_communication

    def killed_at_the_second(tenancy, *args, **kwargs):
        if tenancy.pk == ids[1]:
            raise KeyboardInterrupt  # stands in for SIGKILL: the task never ends
        return real(tenancy, *args, **kwargs)

    monkeypatch.setattr(bulk, "store_communication", killed_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        run_send_job(job.pk)
    monkeypatch.setattr(bulk, "store_communication", real)
    sent_first = Communication.objects.filter(tenancy_id=ids[0]).count()
    url = f"/letters/bulk/progress/?job={job.pk}"
    moving = client.get(url).content.decode()
    assert "Send the rest" not in moving and "hx-trigger" in moving  # not stuck yet
    assert client.post("/letters/bulk/resume/", {"job": job.pk}, follow=True).status_code == 200
    assert not AuditEvent.objects.filter(action="bulk_send_resumed").exists()
    SendJob.objects.filter(pk=job.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(minutes=6))
    stuck = client.get(url).content.decode()
    assert "has not moved for 5 minutes" in stuck and "Send the rest" in stuck
    assert "hx-trigger" not in stuck  # the button stays put while it is read
    first_task = SendJob.objects.get(pk=job.pk).task_id
    page = client.post("/letters/bulk/resume/", {"job": job.pk}, follow=True).content.decode()
    assert "The rest of the send is queued" in page
    job.refresh_from_db()
    assert job.task_id != first_task
    assert AuditEvent.objects.filter(action="bulk_send_resumed", object_ref=str(job.pk),
                                     actor_name="leader1").exists()
    work()
    job.refresh_from_db()
    assert (job.status, job.done) == ("finished", 2)
    assert Communication.objects.filter(tenancy_id=ids[0]).count() == sent_first
    assert Communication.objects.filter(tenancy_id=ids[1]).exists()


def test_a_failing_task_finishes_the_job_with_the_error_on_its_page(day, work, monkeypatch):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    client.post("/letters/bulk/", {"action": action, "tenancy": [str(rows[0].tenancy_id)],
                                   "confirm": "yes"})

    def broken(*args, **kwargs):
        raise RuntimeError("the letter printer is on fire")

    monkeypatch.setattr(bulk, "store_communication", broken)
    work()
    job = SendJob.objects.get()
    assert job.status == "finished"
    assert job.error == "RuntimeError: the letter printer is on fire"
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    page = client.get("/letters/bulk/progress/", {"job": job.pk}).content.decode()
    assert "Stopped: 0 of 1 cases done" in page
    assert "The run stopped: RuntimeError: the letter printer is on fire" in page
    assert "hx-trigger" not in page
    assert AuditEvent.objects.filter(action="bulk_send_failed", object_ref=str(job.pk)).exists()
    assert not Communication.objects.exists()


def test_a_task_that_could_not_record_its_failure_still_shows_it(day, work, monkeypatch):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    client.post("/letters/bulk/", {"action": action, "tenancy": [str(rows[0].tenancy_id)],
                                   "confirm": "yes"})

    def broken(*args, **kwargs):
        raise RuntimeError("the letter printer is on fire")

    def unrecorded(job_id, exc):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(bulk, "store_communication", broken)
    monkeypatch.setattr(bulk, "job_failed", unrecorded)
    work()
    job = SendJob.objects.get()
    assert job.status == "running" and not job.error  # the task could not say so itself
    page = client.get("/letters/bulk/progress/", {"job": job.pk}).content.decode()
    assert "The run stopped: ConnectionError: the database went away" in page
    assert "hx-trigger" not in page


def test_the_bulk_form_explains_keeps_the_selection_counts_copies_and_flags_the_vulnerable(day):
    client = _client("leader1", "team_leader")
    nothing = client.get("/letters/bulk/", {"choose": "1"})
    assert nothing.status_code == 400
    assert "There is a problem" in nothing.content.decode()
    action, rows = _action(day)
    WorklistEntry.objects.filter(pk=rows[0].pk).update(vulnerable=True)
    picked = [str(r.tenancy_id) for r in rows[:2]]
    check = client.post("/letters/bulk/", {"action": action, "tenancy": picked}).content.decode()
    n = len(picked)
    sent = re.search(rf"Send to {n} cases? \((\d+) letters? (and|or) messages?\)", check)
    assert sent and int(sent[1]) >= n  # a copy to each named tenant
    assert "Vulnerable" in check and rows[0].tenancy.tenancy_ref in check
    back = re.search(r'href="(/letters/bulk/\?action=[^"]+)"', check)[1].replace("&amp;", "&")
    again = client.get(back).content.decode()
    ticked = set(re.findall(r'value="(\d+)" checked', again))
    assert ticked == set(picked)
    assert "Vulnerable" in again
    job = SendJob.objects.create(as_of=day, code="letter_1", tenancy_ids=[], total=0)
    progress = client.get("/letters/bulk/progress/", {"job": job.pk}).content.decode()
    # The region the bar is swapped into stays: each step is announced.
    assert re.search(r'<div aria-live="polite" id="job-live">\s*<div id="job-progress"',
                     progress)


def test_a_job_left_until_another_day_stops_and_sends_nothing(day, work, monkeypatch):
    client = _client("leader1", "team_leader")
    action, rows = _action(day)
    client.post("/letters/bulk/", {"action": action, "tenancy": [str(rows[0].tenancy_id)],
                                   "confirm": "yes"})
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day + datetime.timedelta(days=1))
    work()
    job = SendJob.objects.get()
    assert job.status == "finished" and "did not run that day" in job.error
    assert not Communication.objects.exists()
