"""The letters app's background tasks (Django's tasks framework, database backend): a worker
started with `openincome manage db_worker` (and by `openincome serve`) runs them."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

from django_tasks import task

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def stop_requested() -> Iterator[Callable[[], bool]]:
    """While a task runs: a function saying whether the worker has been asked to stop
    (SIGTERM or SIGINT), the worker's own handlers still called (it then exits after this
    task). Outside the main thread, where signals cannot be caught, it always says no."""
    asked: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}

    def note(signum, frame) -> None:
        asked.append(signum)
        if callable(previous[signum]):
            previous[signum](signum, frame)

    for sig in STOP_SIGNALS:
        signal.signal(sig, note)
    try:
        yield lambda: bool(asked)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@task()
def send_job(job_id: int) -> dict:
    """Run one bulk send queued from the worklist. An error stops it, is recorded on the job
    (its progress page shows it) and is raised again, so the task's result says so too. A
    worker asked to stop stops between cases and queues the rest as a task of its own."""
    from .bulk import enqueue_send_job, job_failed, run_send_job

    with stop_requested() as stopping:
        try:
            job = run_send_job(job_id, should_stop=stopping)
        except Exception as exc:
            job_failed(job_id, exc)
            raise
    if job.status != "finished":
        enqueue_send_job(job_id)
        return {"done": job.done, "total": job.total, "handed_on": True}
    return {"done": job.done, "total": job.total}
