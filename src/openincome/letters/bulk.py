"""Sending one communication to many tenancies: every case whose stored worklist row
recommends an action (the command line), or the rows an officer picked from the worklist (a
job in the database, run by a thread of the web server or by `openincome manage
letters_worker`). Each tenancy is its own action and transaction."""

from __future__ import annotations

import datetime
import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from openincome.audit.log import record
from openincome.cases.nightly import ensure_run
from openincome.cases.queries import WorklistFilter, worklist
from openincome.ledger.models import Tenancy

from .actions import NothingToSend, send_communication
from .models import SendJob
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
    """Queue a bulk send of one communication to these tenancies, audited."""
    if not tenancy_ids:
        raise ValueError("Select at least one case")
    with transaction.atomic(durable=True):
        job = SendJob.objects.create(created_by=user if getattr(user, "pk", None) else None,
                                     as_of=as_of, code=code, tenancy_ids=list(tenancy_ids),
                                     total=len(tenancy_ids))
        record("bulk_send_queued", actor=user, object_type="send_job", object_ref=str(job.pk),
               why=code, details={"code": code, "tenancies": len(tenancy_ids),
                                  "as_of": as_of.isoformat()})
    return job


def run_send_job(job_id: int, notifier=None) -> SendJob:
    """Work through a job from where it stands (so a restarted worker carries on): each case
    sent in its own transaction, the progress saved after each."""
    with transaction.atomic(durable=True):
        job = SendJob.objects.select_for_update().get(pk=job_id)
        if job.status == "finished":
            return job
        job.status = "running"
        job.save(update_fields=["status"])
    user = job.created_by
    refs = dict(Tenancy.objects.filter(pk__in=job.tenancy_ids)
                .values_list("pk", "tenancy_ref"))
    for tenancy_id in job.tenancy_ids[job.done:]:
        tenancy = Tenancy.objects.filter(pk=tenancy_id).select_related("property").first()
        counts, skipped = dict(job.counts), list(job.skipped)
        try:
            items = send_communication(tenancy, user, code=job.code, as_of=job.as_of,
                                       notifier=notifier)
        except NothingToSend as refused:
            skipped.append([refs.get(tenancy_id, str(tenancy_id)), str(refused)])
        else:
            for item in items:
                key = f"{item.version.template.name} by {item.channel}"
                counts[key] = counts.get(key, 0) + 1
        SendJob.objects.filter(pk=job.pk).update(done=F("done") + 1, counts=counts,
                                                 skipped=skipped)
        job.refresh_from_db()
    SendJob.objects.filter(pk=job.pk).update(status="finished", finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _run_in_thread(job_id: int) -> None:
    try:
        run_send_job(job_id)
    except Exception as exc:  # noqa: BLE001 - the job shows the failure; the page says so
        log.exception("send job %s failed", job_id)
        SendJob.objects.filter(pk=job_id).update(status="finished", error=str(exc)[:300],
                                                 finished_at=timezone.now())
    finally:
        close_old_connections()


def start(job: SendJob) -> None:
    """Start a queued job as LETTERS_JOB_RUNNER says: "thread" (the web server runs it, the
    default), "inline" (now, before returning) or "worker" (`letters_worker` picks it up)."""
    runner = getattr(settings, "LETTERS_JOB_RUNNER", "thread")
    if runner == "inline":
        run_send_job(job.pk)
    elif runner == "thread":
        threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True,
                         name=f"send-job-{job.pk}").start()
