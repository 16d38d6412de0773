"""openincome statements --quarter 2026Q3 [--patch P] [--out DIR] [--send] [--processes N]"""

import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openincome.ledger.cli_args import code
from openincome.ledger.models import Patch, RecordedAction
from openincome.letters.actions import (
    record_statements_issued,
    send_statements,
    statement_note,
)
from openincome.letters.statements import (
    current_tenancies,
    held_by_breathing_space,
    quarter_bounds,
    write_all,
)


class Command(BaseCommand):
    help = ("The quarter's rent statement for every current tenancy: written as PDFs to DIR, "
            "or sent through the notifier (--send: by letter, or by email to tenants who "
            "prefer it), and recorded as sent once per tenancy and quarter.")

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, metavar="YYYYQn",
                            help="for example 2026Q3")
        parser.add_argument("--patch", type=code, metavar="P", action="append", default=[],
                            help="only this patch (repeat for more)")
        parser.add_argument("--out", metavar="DIR",
                            help="the folder for the PDFs (made if missing)")
        parser.add_argument("--send", action="store_true",
                            help="send each statement through the notifier, by letter or "
                                 "by email to a tenant who prefers it (stored on the account, "
                                 "with --out written there too)")
        parser.add_argument("--processes", type=int, default=0, metavar="N",
                            help="processes to draw with (default: one per core)")

    def handle(self, *args, quarter, patch, out, send, processes, **options):
        try:
            start, end = quarter_bounds(quarter)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        today = timezone.localdate()
        if end >= today:
            # A statement for a quarter still running would be recorded as issued before
            # its last day, and the real run after the quarter would skip it.
            raise CommandError(
                f"{quarter.strip()} has not ended (it ends on {end.isoformat()}): statements "
                "are made for a quarter that has ended", returncode=2)
        if not out and not send:
            raise CommandError("say where the statements go: --out DIR, --send or both",
                               returncode=2)
        if processes < 0:
            raise CommandError("--processes cannot be negative", returncode=2)
        for p in patch:
            if not Patch.objects.filter(code=p).exists():
                raise CommandError(f"no patch called '{p}'", returncode=2)
        if out and os.path.exists(out) and not os.path.isdir(out):
            raise CommandError(f"{out} is a file, not a folder", returncode=2)
        if out:
            os.makedirs(out, exist_ok=True)
        quarter = quarter.strip()
        ids = current_tenancies(end, patch)
        # Held by a Breathing Space on the quarter's last day or on the day of the run,
        # whichever way the statements go.
        held = held_by_breathing_space(ids, end) | held_by_breathing_space(ids, today)
        issued = set(RecordedAction.objects.filter(
            code="statement_sent", note=statement_note(quarter)).values_list("tenancy_id",
                                                                              flat=True))
        todo = [t for t in ids if t not in held and t not in issued]
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=len(todo), unit="statement", desc="statements", leave=False)
        began = time.monotonic()
        step = bar.update if bar else (lambda n: None)
        if send:
            sent = send_statements(todo, "cli", quarter=quarter, on=today, out_dir=out,
                                   progress=step)
            made, recorded = len(sent), len(sent)
            failed = sum(1 for c in sent if c.status == "failed")
            emailed = sum(1 for c in sent if c.channel == "email")
            what = (f"{made} sent through the notifier ({made - emailed} by letter, "
                    f"{emailed} by email)"
                    + (f" ({failed} refused: see the failed deliveries)" if failed else "")
                    + (f" and written to {out}" if out else ""))
        else:
            made = write_all(todo, quarter, out, processes=processes, progress=step)
            recorded = len(record_statements_issued(todo, "cli", quarter=quarter, on=end,
                                                    as_of=end))
            what = f"{made} written to {out}"
        if bar:
            bar.close()
        self.stdout.write(
            f"Statements for {quarter} ({start.isoformat()} to {end.isoformat()}): "
            f"{what} in {time.monotonic() - began:.1f} s, {recorded} recorded as sent; "
            f"{len(issued & set(ids))} already issued; {len(held)} held by a Breathing "
            f"Space.")
