"""Sending one communication to many tenancies: every case whose stored worklist row
recommends an action (the command line), or the rows an officer picked from the worklist (a
SendJob, run in the background by a task of Django's tasks framework: `openincome manage
db_worker` runs it, and `openincome serve` starts one). Each tenancy is its own transaction."""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from openincome.audit.log import record
from openincome.cases.nightly import ensure_run
from openincome.cases.queries import WorklistFilter, worklist
from openincome.ledger.locks import begin_writing
from openincome.ledger.models import Tenancy

from .actions import NothingToSend, dispatch, send_communication, store_communication
from .models import SendJob
from .notifiers import get_notifier
from .queries import breathing_space_running, recipients, template_for_action


@dataclass
class BulkResult:
    """What a bulk send sent (or would send), per template and channel, and what it skipped."""

    code: str
    sent: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    tenancies: int = 0


def selected(as_of: datetime.date, engine_action: str, patches: list[str]) -> list[Tenancy]:
    """The tenancies whose stored row for `as_of` recommends this action (the run is made
    first when there is none)."""
    run = ensure_run(as_of, actor="cli")
    flt = WorklistFilter(as_of=as_of, tab="every", patches=patches)
    ids = list(worklist(run, flt).filter(action=engine_action).values_list("tenancy_id",
                                                                          flat=True))
    return list(Tenancy.objects.filter(pk__in=ids).select_related("property")
                .order_by("tenancy_ref"))


def send_for_action(
    as_of: datetime.date, engine_action: str, *, patches: list[str], dry_run: bool, user=None,
    progress: Callable[[int], None] = lambda n: None, notifier=None,
) -> BulkResult:
    """Send the action's communication to every tenancy the worklist recommends it for (or,
    with dry_run, count what would go and save nothing)."""
    code = template_for_action(engine_action)
    if code is None:
        raise ValueError(f"'{engine_action}' is not an action a letter or message carries out")
    result = BulkResult(code=code)
    for tenancy in selected(as_of, engine_action, patches):
        result.tenancies += 1
        if dry_run:
            if breathing_space_running(tenancy, as_of):
                result.skipped.append((tenancy.tenancy_ref, "a Breathing Space is running"))
            else:
                people = recipients(code, tenancy)
                result.sent.update((p.template.name, p.channel) for p in people)
                if not people:
                    result.skipped.append((tenancy.tenancy_ref, "no named tenant"))
        else:
            try:
                items = send_communication(tenancy, user, code=code, as_of=as_of,
                                           notifier=notifier)
            except NothingToSend as refused:
                result.skipped.append((tenancy.tenancy_ref, str(refused)))
            else:
                result.sent.update((i.version.template.name, i.channel) for i in items)
        progress(1)
    return result


log = logging.getLogger(__name__)


def queue_send_job(user, *, as_of: datetime.date, code: str, tenancy_ids: list[int]) -> SendJob:
    """Queue a bulk send of one communication to these tenancies, audited, and hand it to the
    background worker (a task of Django's tasks framework, `letters.tasks.send_job`)."""
    if not tenancy_ids:
        raise ValueError("Select at least one case")
    with transaction.atomic(durable=True):
        job = SendJob.objects.create(created_by=user if getattr(user, "pk", None) else None,
                                     as_of=as_of, code=code, tenancy_ids=list(tenancy_ids),
                                     total=len(tenancy_ids))
        record("bulk_send_queued", actor=user, object_type="send_job", object_ref=str(job.pk),
               why=code, details={"code": code, "tenancies": len(tenancy_ids),
                                  "as_of": as_of.isoformat()})
    # Enqueued once the job has committed, so a worker never looks for a job not yet there.
    job.task_id = enqueue_send_job(job.pk)
    return job


def enqueue_send_job(job_id: int) -> str:
    """Hand a job to the background worker (again, for the rest of a job whose worker
    stopped); the task's id, kept on the job. A failure to enqueue finishes the job with it."""
    from .tasks import send_job

    try:
        result = send_job.enqueue(job_id)
    except Exception as exc:
        job_failed(job_id, exc)
        raise
    SendJob.objects.filter(pk=job_id).update(task_id=str(result.id))
    return str(result.id)


def run_send_job(job_id: int, notifier=None,
                 should_stop: Callable[[], bool] = lambda: False) -> SendJob:
    """Work through a job from where it has got to: each case is sent and counted in one
    transaction, so a job run again (its worker stopped part way) sends nobody twice; a
    finished job comes back untouched. Between cases, `should_stop()` may end the run early
    (the job is then still "running", for another run to finish)."""
    job = SendJob.objects.get(pk=job_id)
    if job.status == "finished":
        return job
    if job.as_of != timezone.localdate():
        # A send is made as of the day it goes: a job left until another day stops.
        raise NothingToSend(f"This send was queued for {job.as_of:%-d %B %Y} and did not run "
                            "that day: choose the cases again from today's worklist")
    # Made before the first send: a notifier that is not set up stops the job with nothing
    # stored, instead of after a communication is saved but not handed over.
    notifier = notifier or get_notifier()
    SendJob.objects.filter(pk=job_id, status="queued").update(status="running",
                                                              progressed_at=timezone.now())
    user = job.created_by
    refs = dict(Tenancy.objects.filter(pk__in=job.tenancy_ids)
                .values_list("pk", "tenancy_ref"))
    while not should_stop():
        items: list = []
        with transaction.atomic(durable=True):
            begin_writing()
            # Locked while its next case is sent: two runs of one job take turns, not cases.
            job = SendJob.objects.select_for_update().get(pk=job_id)
            if job.status == "finished" or job.done >= len(job.tenancy_ids):
                break
            tenancy_id = job.tenancy_ids[job.done]
            tenancy = Tenancy.objects.filter(pk=tenancy_id).select_related("property").first()
            counts, skipped = dict(job.counts), list(job.skipped)
            ref = refs.get(tenancy_id, str(tenancy_id))
            try:
                if tenancy is None:
                    raise NothingToSend("The tenancy is no longer on the system")
                with transaction.atomic():  # a refusal leaves nothing of the case behind
                    # once: not twice on one date, whoever else sent it meanwhile.
                    items = store_communication(tenancy, user, code=job.code, as_of=job.as_of,
                                                once=True)
            except NothingToSend as refused:
                skipped.append([ref, str(refused)])
            else:
                for item in items:
                    key = f"{item.version.template.name} by {item.channel}"
                    counts[key] = counts.get(key, 0) + 1
            job.done, job.counts, job.skipped = job.done + 1, counts, skipped
            job.status, job.progressed_at = "running", timezone.now()
            job.save(update_fields=["done", "counts", "skipped", "status", "progressed_at"])
        dispatch(items, notifier)
    else:
        job.refresh_from_db()
        return job  # asked to stop: the rest is for the next run
    SendJob.objects.filter(pk=job_id).exclude(status="finished").update(
        status="finished", finished_at=timezone.now())
    job.refresh_from_db()
    return job


def resume_send_job(user, job: SendJob, *, now) -> SendJob:
    """Queue the rest of a running job that has stopped moving (its worker was killed), for
    the next worker, audited. Its cases are counted one at a time under the job's lock, so
    even if the first worker were still alive nobody would be sent a letter twice."""
    with transaction.atomic(durable=True):
        begin_writing()
        job = SendJob.objects.select_for_update().get(pk=job.pk)
        if not job.stalled(now):
            raise ValueError("This send is not stuck: it has finished or is still moving")
        # Moved on now, so a second press while the worker starts queues nothing more.
        SendJob.objects.filter(pk=job.pk).update(progressed_at=now)
        record("bulk_send_resumed", actor=user, object_type="send_job",
               object_ref=str(job.pk), why=job.code,
               details={"done": job.done, "total": job.total})
    job.task_id = enqueue_send_job(job.pk)
    job.refresh_from_db()
    return job


def job_failed(job_id: int, exc: BaseException) -> None:
    """Mark a job stopped by an error as finished with the error (its progress page shows
    it), audited."""
    why = f"{type(exc).__name__}: {exc}"[:300]
    log.error("send job %s failed: %s", job_id, why)
    with transaction.atomic(durable=True):
        SendJob.objects.filter(pk=job_id).update(status="finished", error=why,
                                                 finished_at=timezone.now())
        record("bulk_send_failed", actor="worker", object_type="send_job",
               object_ref=str(job_id), why=why, details={"error": why})


def task_problem(job: SendJob) -> str:
    """Why a job that is not finished never will be, from its background task's result (a
    failure the task could not record on the job itself), or ""."""
    from .tasks import send_job

    if job.status == "finished" or not job.task_id:
        return ""
    try:
        result = send_job.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return "Its background task is missing: queue the send again"
    if result.status != TaskResultStatus.FAILED:
        return ""
    error = result.errors[-1] if result.errors else None
    if error is None:
        return "Its background task failed"
    last = error.traceback.strip().splitlines()[-1] if error.traceback.strip() else ""
    return (last or error.exception_class_path)[:300]
