import datetime

from django.core.management.base import BaseCommand, CommandError

from openincome.cases.nightly import ensure_run
from openincome.cases.queries import WorklistFilter, row_object, worklist
from openincome.cases.worklist_output import (
    CALL_LIST,
    as_csv,
    as_json,
    as_table,
    call_list_columns,
    call_values,
)
from openincome.ledger.cli_args import code, iso_date
from openincome.ledger.models import Patch


class Command(BaseCommand):
    help = "Print the stored worklist for DATE (running nightly first if there is none)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, metavar="DATE", help="default today")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--patch", type=code, metavar="P", help="only this patch")
        parser.add_argument("--all", action="store_true",
                            help="every tenancy, not only those whose action is not none")

    def handle(self, *args, as_of, format, patch, all, **options):
        as_of = as_of or datetime.date.today()
        if patch and not Patch.objects.filter(code=patch).exists():
            raise CommandError(f"no patch called '{patch}'", returncode=2)
        run = ensure_run(as_of, actor="cli")
        flt = WorklistFilter(as_of=as_of, tab="every" if all else "listed",
                             patches=[patch] if patch else [])
        entries = list(worklist(run, flt).select_related("run").annotate(**call_list_columns()))
        objects = [row_object(e) for e in entries]
        if format == "csv":
            # The CSV is a call list too (name, address, numbers); JSON keeps the §7 contract.
            text = as_csv(objects, {e.tenancy.tenancy_ref: dict(zip(CALL_LIST, call_values(e),
                                                                    strict=True))
                                    for e in entries})
        else:
            text = {"json": as_json, "table": as_table}[format](objects)
        self.stdout.write(text, ending="" if format != "json" else "\n")
