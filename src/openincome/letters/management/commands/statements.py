"""openincome statements --quarter 2026Q3 --out DIR [--processes N]"""

import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.models import RecordedAction
from openincome.letters.actions import record_statements_issued, statement_note
from openincome.letters.statements import (
    current_tenancies,
    held_by_breathing_space,
    quarter_bounds,
    write_all,
)


class Command(BaseCommand):
    help = ("Write the quarter's rent statement for every current tenancy as a PDF in DIR "
            "and record each as sent (once per tenancy and quarter).")

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, metavar="YYYYQn",
                            help="for example 2026Q3")
        parser.add_argument("--out", required=True, metavar="DIR",
                            help="the folder for the PDFs (made if missing)")
        parser.add_argument("--processes", type=int, default=0, metavar="N",
                            help="processes to draw with (default: one per core)")

    def handle(self, *args, quarter, out, processes, **options):
        try:
            start, end = quarter_bounds(quarter)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if processes < 0:
            raise CommandError("--processes cannot be negative", returncode=2)
        if os.path.exists(out) and not os.path.isdir(out):
            raise CommandError(f"{out} is a file, not a folder", returncode=2)
        os.makedirs(out, exist_ok=True)
        quarter = quarter.strip()
        ids = current_tenancies(end)
        held = held_by_breathing_space(ids, end)
        issued = set(RecordedAction.objects.filter(
            code="statement_sent", note=statement_note(quarter)).values_list("tenancy_id",
                                                                              flat=True))
        todo = [t for t in ids if t not in held and t not in issued]
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=len(todo), unit="statement", desc="statements", leave=False)
        began = time.monotonic()
        made = write_all(todo, quarter, out, processes=processes,
                         progress=bar.update if bar else (lambda n: None))
        if bar:
            bar.close()
        recorded = record_statements_issued(todo, "cli", quarter=quarter, on=end, as_of=end)
        self.stdout.write(
            f"Statements for {quarter} ({start.isoformat()} to {end.isoformat()}): "
            f"{made} written to {out} in {time.monotonic() - began:.1f} s, {len(recorded)} "
            f"recorded as sent; {len(issued & set(ids))} already issued; {len(held)} held by "
            f"a Breathing Space.")
