import datetime
import time
from collections import Counter

from django.core.management.base import BaseCommand

from openincome.cases.nightly import run_nightly
from openincome.ledger.cli_args import iso_date


class Command(BaseCommand):
    help = ("Classify every tenancy as of DATE and store the result (the worklist), then make "
            "the sends the policy automates.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, metavar="DATE", help="default today")

    def handle(self, *args, as_of, **options):
        as_of = as_of or datetime.date.today()
        started = time.perf_counter()

        def progress(step: str) -> None:
            if options["verbosity"] > 0:
                self.stderr.write(f"[{time.perf_counter() - started:5.1f}s] {step}…")

        run = run_nightly(as_of, actor="cli", progress=progress, after_run=True)
        actions = Counter(run.entries.values_list("action", flat=True))
        needing = sum(n for a, n in actions.items() if a not in ("none", "paused"))
        self.stdout.write(
            f"classified {run.tenancies:,} tenancies as of {as_of} in {run.seconds:.1f}s "
            f"(policy: {run.policy_name}); {needing:,} need action"
        )
        for action, count in sorted(actions.items(), key=lambda x: (-x[1], x[0])):
            self.stdout.write(f"  {action:<32} {count:>8,}")
