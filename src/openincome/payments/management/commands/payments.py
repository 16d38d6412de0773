"""`openincome payments ...`: import payment files, save a bank CSV mapping, work suspense and
possible duplicates, and move a misposted payment. Thin: each subcommand calls one action."""

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
from openincome.payments.models import DATE_FORMATS, BankCsvMapping
from openincome.payments.parsers import REGISTRY, SOURCE_NAMES


def _sources_help() -> str:
    return "; ".join(f"{name}: {REGISTRY[name].label}" for name in SOURCE_NAMES)


class Command(BaseCommand):
    help = ("Payment files and suspense. Sources: " + _sources_help() + ". Every file is "
            "checked whole first: any problem means exit code 2 and nothing posted.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        imp = sub.add_parser("import", help="import a payment file",
                             description="Import a payment file. Sources: "
                             + _sources_help() + ".")
        imp.add_argument("--source", required=True, choices=SOURCE_NAMES,
                         help="the file's source: " + ", ".join(SOURCE_NAMES))
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--mapping", help="the saved column mapping (bank-csv only)")
        mapping = sub.add_parser("mapping", help="save a bank statement CSV column mapping")
        mapping.add_argument("name", metavar="NAME")
        mapping.add_argument("--date", required=True, help="the date column's header")
        mapping.add_argument("--date-format", default="%d/%m/%Y", choices=DATE_FORMATS)
        money = mapping.add_mutually_exclusive_group(required=True)
        money.add_argument("--amount", help="a signed amount column (money in > 0)")
        money.add_argument("--credit", help="a money-in column (empty for money out)")
        mapping.add_argument("--reference", required=True, help="the payer reference column")
        mapping.add_argument("--id", default="", help="the bank's transaction id column")
        mapping.add_argument("--description", default="", help="a narrative column")
        sub.add_parser("suspense", help="list the payments waiting in suspense")
        alloc = sub.add_parser("allocate", help="allocate a suspense payment to a tenancy")
        alloc.add_argument("payment_id", type=int, metavar="PAYMENT_ID")
        alloc.add_argument("tenancy_ref", metavar="TENANCY_REF")
        alloc.add_argument("--note", default="")
        sub.add_parser("duplicates", help="list the payments held as possible duplicates")
        resolve = sub.add_parser("resolve", help="confirm or reject a held payment")
        resolve.add_argument("payment_id", type=int, metavar="PAYMENT_ID")
        resolve.add_argument("decision", choices=actions.DECISIONS)
        resolve.add_argument("--note", default="", help="why (required to reject)")
        move = sub.add_parser("transfer", help="move a misposted payment to another tenancy")
        move.add_argument("transaction_ref", metavar="TRANSACTION_REF")
        move.add_argument("tenancy_ref", metavar="TENANCY_REF")
        move.add_argument("--why", required=True)
        move.add_argument("--on", type=datetime.date.fromisoformat, default=None,
                          help="the date of the transfer, YYYY-MM-DD (default today)")

        modulus = sub.add_parser("modulus", help="the modulus weight table: load it, check an "
                                 "account")
        mod = modulus.add_subparsers(dest="modulus_action", required=True, metavar="ACTION")
        load = mod.add_parser("load", help="replace the weight table with valacdos.txt")
        load.add_argument("file", metavar="FILE")
        check = mod.add_parser("check", help="modulus check a sort code and account number")
        check.add_argument("sort_code", metavar="SORT_CODE")
        check.add_argument("account", metavar="ACCOUNT")
        mandate = sub.add_parser("mandate", help="set up a Direct Debit mandate")
        mandate.add_argument("tenancy_ref", metavar="TENANCY_REF")
        mandate.add_argument("--payer", required=True, help="the account holder's name")
        mandate.add_argument("--sort-code", required=True)
        mandate.add_argument("--account", required=True)
        mandate.add_argument("--frequency", required=True,
                             choices=("weekly", "fortnightly", "four_weekly", "monthly"))
        mandate.add_argument("--day", required=True, type=int,
                             help="monthly: 1-28; otherwise weekday 0 (Monday) to 6 (Sunday)")
        mandate.add_argument("--start", required=True, type=datetime.date.fromisoformat,
                             help="first collection, YYYY-MM-DD")
        mandate.add_argument("--amount", help="pounds per collection, e.g. 98.40; leave out to "
                             "follow the account (the charge plus any agreement instalment)")
        sub.add_parser("mandates", help="list the Direct Debit mandates (accounts masked)")

    def handle(self, *args, **options) -> None:
        getattr(self, "_" + options["subcommand"])(options)

    def _actor(self) -> str:
        # The interchange import's module is named `import`, a keyword: imported by name.
        return importlib.import_module(
            "openincome.interchange.management.commands.import").os_user()

    def _import(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        mapping = None
        if options["source"] == "bank-csv":
            mapping = self._saved_mapping(options.get("mapping"))
        try:
            summary = actions.import_payment_file(path, options["source"], actor=self._actor(),
                                                  mapping=mapping)
        except ImportFailed as exc:
            for line in report_lines(exc.errors):
                self.stderr.write(line)
            raise CommandError(f"nothing posted: {len(exc.errors):,} problem"
                               f"{'s' if len(exc.errors) != 1 else ''} in {path.name}",
                               returncode=2) from None
        except WriteConflict as exc:
            raise CommandError(str(exc)) from None
        for line in summary.summary_lines():
            self.stdout.write(line)

    def _saved_mapping(self, name: str | None) -> BankCsvMapping:
        saved = list(queries.mappings())
        if name:
            found = [m for m in saved if m.name == name]
            if not found:
                raise CommandError(f"no saved mapping {name!r}; save one with "
                                   "`openincome payments mapping`", returncode=2)
            return found[0]
        if len(saved) != 1:
            raise CommandError("a bank statement needs --mapping NAME (saved mappings: "
                               f"{', '.join(m.name for m in saved) or 'none'})", returncode=2)
        return saved[0]

    def _mapping(self, options) -> None:
        try:
            actions.save_bank_mapping(
                options["name"], self._actor(), date_column=options["date"],
                date_format=options["date_format"], amount_column=options["amount"] or "",
                credit_column=options["credit"] or "", reference_column=options["reference"],
                id_column=options["id"], description_column=options["description"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"mapping {options['name']} saved")

    def _suspense(self, options) -> None:
        rows = list(queries.suspense_items())
        for p in rows:
            self.stdout.write(f"{p.pk}\t{p.date}\t{pounds(p.amount)}\t{p.reference or '-'}\t"
                              f"{p.get_reason_display()}: {p.reason_detail}")
        self.stdout.write(f"{len(rows):,} in suspense, {pounds(queries.suspense_balance())}")

    def _allocate(self, options) -> None:
        tenancy = self._tenancy(options["tenancy_ref"])
        try:
            p = actions.allocate_suspense(options["payment_id"], tenancy, self._actor(),
                                          note=options["note"])
        except (actions.PaymentStateError, actions.Payment.DoesNotExist) as exc:
            raise CommandError(_said(exc, "no such payment"), returncode=2) from None
        self.stdout.write(f"{pounds(p.amount)} allocated to {tenancy.tenancy_ref} "
                          f"({p.transaction_ref})")

    def _duplicates(self, options) -> None:
        rows = list(queries.held_items())
        for p in rows:
            self.stdout.write(f"{p.pk}\t{p.date}\t{pounds(p.amount)}\t"
                              f"{p.tenancy.tenancy_ref if p.tenancy else '-'}\t{p.reason_detail}")
        self.stdout.write(f"{len(rows):,} held as possible duplicates")

    def _resolve(self, options) -> None:
        try:
            p = actions.resolve_duplicate(options["payment_id"], options["decision"],
                                          self._actor(), note=options["note"])
        except (ValueError, actions.PaymentStateError, actions.Payment.DoesNotExist) as exc:
            raise CommandError(_said(exc, "no such payment"), returncode=2) from None
        self.stdout.write(f"payment {p.pk}: {p.get_status_display().lower()}")

    def _transfer(self, options) -> None:
        tenancy = self._tenancy(options["tenancy_ref"])
        try:
            moved = actions.transfer_payment(options["transaction_ref"], tenancy, self._actor(),
                                             on=options["on"] or timezone.localdate(),
                                             why=options["why"])
        except (ValueError, actions.PaymentStateError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"{pounds(moved.amount)} moved to {tenancy.tenancy_ref}: "
                          f"{moved.reversal_ref} and {moved.new_ref}")

    def _modulus(self, options) -> None:
        if options["modulus_action"] == "load":
            try:
                rows = actions.load_modulus_table(options["file"], self._actor())
            except FileNotFoundError:
                raise CommandError(f"no such file: {options['file']}", returncode=2) from None
            except ImportFailed as exc:
                for line in report_lines(exc.errors):
                    self.stderr.write(line)
                raise CommandError("nothing loaded: the weight table has problems",
                                   returncode=2) from None
            self.stdout.write(f"modulus weight table loaded: {rows:,} rows")
            return
        result = queries.modulus_check(options["sort_code"], options["account"])
        verdict = {True: "valid", False: "NOT valid", None: "cannot be checked"}[result.valid]
        self.stdout.write(f"{verdict}: {result.reason}")
        if result.valid is not True:
            raise CommandError("the account did not pass the modulus check", returncode=2)

    def _mandate(self, options) -> None:
        amount = None
        if options["amount"] is not None:
            if not re.fullmatch(r"[0-9]{1,7}(\.[0-9]{1,2})?", options["amount"]):
                raise CommandError("--amount is pounds, for example 98.40", returncode=2)
            whole, _, frac = options["amount"].partition(".")
            amount = int(whole) * 100 + int(frac.ljust(2, "0"))
        tenancy = self._tenancy(options["tenancy_ref"])
        try:
            mandate = actions.set_up_mandate(
                tenancy, self._actor(), payer_name=options["payer"],
                sort_code=options["sort_code"], account_number=options["account"],
                frequency=options["frequency"], day=options["day"],
                start_date=options["start"], amount=amount)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"mandate {mandate.reference}: {pounds(mandate.amount)} "
                          f"{mandate.when} from {mandate.start_date}; advance notice sent; "
                          f"account "
                          f"{mandate.masked_account} sort code {mandate.shown_sort_code}")

    def _mandates(self, options) -> None:
        rows = list(queries.mandates())
        for m in rows:
            self.stdout.write(f"{m.reference}\t{m.tenancy.tenancy_ref}\t{pounds(m.amount)}\t"
                              f"{m.when}\t{m.masked_account}\t{m.get_status_display()}")
        self.stdout.write(f"{len(rows):,} mandate{'s' if len(rows) != 1 else ''}")

    def _tenancy(self, ref: str):
        tenancy = queries.tenancy_by_ref(ref)
        if tenancy is None:
            raise CommandError(f"no tenancy {ref}", returncode=2)
        return tenancy


def _said(exc: Exception, default: str) -> str:
    return default if isinstance(exc, actions.Payment.DoesNotExist) else str(exc)

