import datetime

from django.core.management.base import BaseCommand, CommandError

from openincome.cases.models import WorklistEntry
from openincome.cases.nightly import ensure_run
from openincome.cases.worklist_output import (
    CALL_LIST,
    as_csv,
    as_json,
    as_table,
    call_list_columns,
    call_values,
    entry_object,
)
from openincome.ledger.management.commands._args import code, iso_date
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
        entries = (WorklistEntry.objects.filter(run=run)
                   .select_related("tenancy", "tenancy__property", "run")
                   .annotate(**call_list_columns()))
        if patch:
            entries = entries.filter(patch=patch)
        if not all:
            entries = entries.exclude(action="none")
        entries = list(entries.order_by("-priority", "tenancy__tenancy_ref"))
        objects = [entry_object(e) for e in entries]
        if format == "csv":
            # The CSV is a call list too (name, address, numbers); JSON keeps the §7 contract.
            text = as_csv(objects, {e.tenancy.tenancy_ref: dict(zip(CALL_LIST, call_values(e),
                                                                    strict=True))
                                    for e in entries})
        else:
            text = {"json": as_json, "table": as_table}[format](objects)
        self.stdout.write(text, ending="" if format != "json" else "\n")
