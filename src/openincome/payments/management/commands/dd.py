"""`openincome dd ...`: Direct Debit files and mandates. Thin: each subcommand calls one action
and prints what it did; bad input exits 2 with nothing saved."""

from __future__ import annotations

import datetime
import importlib
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openincome.interchange.errors import ImportFailed, report_lines
from openincome.ledger.locks import WriteConflict
from openincome.ledger.pence import pounds
from openincome.payments import actions, queries
from openincome.payments.models import DirectDebitMandate

FREQUENCIES = ("weekly", "fortnightly", "four_weekly", "monthly")


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}", returncode=2) from None


def _pence(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,7}(\.[0-9]{1,2})?", text):
        raise CommandError("an amount is pounds, for example 98.40", returncode=2)
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int(frac.ljust(2, "0"))


class Command(BaseCommand):
    help = ("Direct Debit: the landlord's Bacs details, AUDDIS lodgements, Standard 18 "
            "collection files, changing and cancelling mandates, ARUDD and ADDACS reports.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        origin = sub.add_parser("originator", help="save the landlord's Bacs service user "
                                "number and collection account")
        origin.add_argument("--sun", required=True, help="the 6-digit service user number")
        origin.add_argument("--name", required=True, help="the name the bank knows (18 "
                            "characters)")
        origin.add_argument("--sort-code", required=True)
        origin.add_argument("--account", required=True)
        lodge = sub.add_parser("lodge", help="write the AUDDIS lodgement (0N new, 0C "
                               "cancelled) for a processing day")
        lodge.add_argument("--date", required=True, type=str, help="processing day, "
                           "YYYY-MM-DD (a Bacs working day)")
        lodge.add_argument("--out", required=True, metavar="FILE")
        collect = sub.add_parser("collect", help="write the Standard 18 collection file for "
                                 "the day money is taken")
        collect.add_argument("--date", required=True, type=str, help="collection day, "
                             "YYYY-MM-DD (a Bacs working day)")
        collect.add_argument("--out", required=True, metavar="FILE")
        cancel = sub.add_parser("cancel", help="cancel a mandate (lodged as 0C next time)")
        cancel.add_argument("reference", metavar="MANDATE_REF")
        cancel.add_argument("--why", required=True)
        cancel.add_argument("--on", type=str, default=None, help="YYYY-MM-DD (default today)")
        change = sub.add_parser("change", help="change a mandate's amount, frequency or day, "
                                "with advance notice to the payer")
        change.add_argument("reference", metavar="MANDATE_REF")
        change.add_argument("--amount", help="pounds per collection, e.g. 98.40")
        change.add_argument("--frequency", choices=FREQUENCIES)
        change.add_argument("--day", type=int, help="monthly: 1-28; otherwise weekday 0 "
                            "(Monday) to 6 (Sunday)")
        change.add_argument("--from", dest="effective_from", type=str, default=None,
                            help="first collection on the new terms, YYYY-MM-DD (default "
                            "the earliest the notice period allows)")
        change.add_argument("--why", required=True)
        change.add_argument("--as-of", type=str, default=None, help="the day the notice goes "
                            "(default today)")
        recalc = sub.add_parser("recalculate", help="bring every mandate that follows the "
                                "account into line with the charge and agreement (the April "
                                "rent change), sending the notices")
        recalc.add_argument("--as-of", type=str, default=None, help="YYYY-MM-DD (default "
                            "today)")
        report = sub.add_parser("report", help="import a Bacs report: arudd (unpaid "
                                "collections) or addacs (mandates cancelled or amended)")
        report.add_argument("kind", choices=("arudd", "addacs"))
        report.add_argument("file", metavar="FILE")
        sub.add_parser("tasks", help="list the open Direct Debit tasks")

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, "_" + options["subcommand"])(options)
        except (actions.DirectDebitError, ValueError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        except WriteConflict as exc:
            raise CommandError(str(exc)) from None

    def _actor(self) -> str:
        return importlib.import_module(
            "openincome.interchange.management.commands.import").os_user()

    def _mandate(self, reference: str) -> DirectDebitMandate:
        mandate = queries.mandate_by_reference(reference)
        if mandate is None:
            raise CommandError(f"no mandate {reference}", returncode=2)
        return mandate

    def _originator(self, options) -> None:
        origin = actions.save_originator(
            self._actor(), service_user_number=options["sun"], name=options["name"],
            sort_code=options["sort_code"], account_number=options["account"])
        self.stdout.write(f"Bacs details saved: {origin.name}, service user number "
                          f"{origin.service_user_number}")

    def _write(self, path: str, text: str) -> None:
        out = Path(path)
        if not out.parent.is_dir():
            raise CommandError(f"no such folder: {out.parent}", returncode=2)
        out.write_text(text, encoding="ascii", newline="")

    def _lodge(self, options) -> None:
        made = actions.lodge_instructions(_date(options["date"]), self._actor())
        self._write(options["out"], made.content)
        self.stdout.write(f"AUDDIS lodgement for {made.date:%d %b %Y}: {made.items:,} "
                          f"instruction{'s' if made.items != 1 else ''}, written to "
                          f"{options['out']}")

    def _collect(self, options) -> None:
        run = actions.collect_direct_debits(_date(options["date"]), self._actor())
        made = run.file
        self._write(options["out"], made.content)
        again = " (written before; the same file again, nothing posted)" \
            if run.written_before else ""
        self.stdout.write(f"collection file for {made.date:%d %b %Y} (processing day "
                          f"{made.processing_date:%d %b %Y}): {made.items:,} collections, "
                          f"{pounds(made.total)}, written to {options['out']}{again}")
        for reference, due, why in run.held:
            self.stdout.write(f"  held back: {reference} due {due:%d %b %Y}: {why}")

    def _cancel(self, options) -> None:
        on = _date(options["on"]) if options["on"] else timezone.localdate()
        mandate = actions.cancel_mandate(self._mandate(options["reference"]), self._actor(),
                                         on=on, why=options["why"])
        self.stdout.write(f"mandate {mandate.reference} cancelled from {on:%d %b %Y}")

    def _change(self, options) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        mandate = actions.change_mandate(
            self._mandate(options["reference"]), self._actor(), as_of=as_of,
            why=options["why"],
            amount=_pence(options["amount"]) if options["amount"] else None,
            frequency=options["frequency"], day=options["day"],
            effective_from=_date(options["effective_from"]) if options["effective_from"]
            else None)
        self.stdout.write(f"mandate {mandate.reference}: {pounds(mandate.pending_amount)} "
                          f"from {mandate.pending_from:%d %b %Y}; advance notice sent")

    def _recalculate(self, options) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        changed = actions.recalculate_mandates(as_of, self._actor())
        for m in changed:
            self.stdout.write(f"{m.reference}: {pounds(m.pending_amount)} from "
                              f"{m.pending_from:%d %b %Y}")
        self.stdout.write(f"{len(changed):,} mandate{'s' if len(changed) != 1 else ''} "
                          "changed, advance notices sent")

    def _report(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        try:
            lines = actions.import_bacs_report(path, options["kind"], self._actor())
        except ImportFailed as exc:
            for line in report_lines(exc.errors):
                self.stderr.write(line)
            raise CommandError(f"nothing changed: {len(exc.errors):,} problem"
                               f"{'s' if len(exc.errors) != 1 else ''} in {path.name}",
                               returncode=2) from None
        for line in lines:
            self.stdout.write(line)

    def _tasks(self, options) -> None:
        rows = list(queries.open_dd_tasks())
        for t in rows:
            self.stdout.write(f"{t.pk}\t{t.on:%d %b %Y}\t{t.tenancy.tenancy_ref}\t"
                              f"{t.get_kind_display()}: {t.detail}")
        self.stdout.write(f"{len(rows):,} open Direct Debit task{'s' if len(rows) != 1 else ''}")
