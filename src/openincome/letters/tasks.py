"""The letters app's background tasks (Django's tasks framework, database backend): a worker
started with `openincome manage db_worker` (and by `openincome serve`) runs them."""

from __future__ import annotations

from django_tasks import task


@task()
def send_job(job_id: int) -> dict:
    """Run one bulk send queued from the worklist; an error stops it, is recorded on the job
    (its progress page shows it) and is raised again, so the task's result says so too."""
    from .bulk import job_failed, run_send_job

    try:
        job = run_send_job(job_id)
    except Exception as exc:
        job_failed(job_id, exc)
        raise
    return {"done": job.done, "total": job.total}
