"""openincome manage letters_worker [--once]: run queued bulk sends (when the web server is
set not to run them itself: OPENINCOME_LETTERS_JOB_RUNNER=worker)."""

import time

from django.core.management.base import BaseCommand

from openincome.letters.bulk import run_send_job
from openincome.letters.models import SendJob


class Command(BaseCommand):
    help = "Run queued bulk sends of letters and messages."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then stop")

    def handle(self, *args, once, **options):
        while True:
            ids = list(SendJob.objects.exclude(status="finished").order_by("pk")
                       .values_list("pk", flat=True))
            for job_id in ids:
                job = run_send_job(job_id)
                self.stdout.write(f"job {job.pk}: {job.done} of {job.total} done")
            if once:
                return
            time.sleep(2)
