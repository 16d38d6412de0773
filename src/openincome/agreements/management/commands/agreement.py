"""openincome agreement add|cancel|list: repayment agreements on the command line."""

import argparse
import csv
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openincome.agreements import plan
from openincome.agreements.actions import (
    AgreementError,
    cancel_agreement,
    load_guidelines,
    make_agreement,
    save_agency,
)
from openincome.agreements.models import Agreement
from openincome.agreements.queries import (
    EngineViews,
    agreements_of,
    breached_since,
    monitoring,
)
from openincome.ledger.cli_args import iso_date, ref
from openincome.ledger.limits import amount_problem, printable, text_problem
from openincome.ledger.models import Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import FREQUENCIES


def money(value: str) -> int:
    """An argparse type for pounds (20.00) as integer pence, or exit 2."""
    try:
        pence = plan.pence(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{printable(value)}' is not an amount in pounds: use, for example, 20.00") from None
    if problem := amount_problem(pence):
        raise argparse.ArgumentTypeError(problem)
    return pence


def reason(value: str) -> str:
    """An argparse type for a reason: plain text within the note limit."""
    if problem := text_problem(value):
        raise argparse.ArgumentTypeError(f"the reason {problem}")
    return value


class Command(BaseCommand):
    help = "Repayment agreements: agreement add|cancel|list|guidelines|agency"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True,
                                    metavar="add|cancel|list|guidelines|agency")
        add = sub.add_parser("add", help="make an agreement (ends the live one, with --reason)")
        add.add_argument("tenancy_ref", type=ref)
        add.add_argument("--instalment", type=money, required=True, metavar="POUNDS",
                         help="paid each period on top of the charge, for example 20.00")
        add.add_argument("--frequency", required=True, choices=FREQUENCIES)
        add.add_argument("--start", type=iso_date, metavar="DATE", help="default today")
        add.add_argument("--starting-balance", type=money, metavar="POUNDS",
                         help="the arrears to repay (default: the arrears today)")
        add.add_argument("--lump-sum", type=money, metavar="POUNDS",
                         help="a first payment on the start date")
        add.add_argument("--reason", type=reason, default="",
                         help="why (required when it replaces a live agreement)")
        cancel = sub.add_parser("cancel", help="cancel a live agreement")
        cancel.add_argument("agreement_ref", type=ref)
        cancel.add_argument("--reason", type=reason, required=True)
        cancel.add_argument("--on", type=iso_date, metavar="DATE", help="default today")
        load = sub.add_parser("guidelines", help="load a dated table of spending guidelines")
        load.add_argument("file", type=Path,
                          help="CSV: category,adults,children,monthly (pounds a month)")
        load.add_argument("--from", dest="effective_from", type=iso_date, required=True,
                          metavar="DATE", help="the date the table takes effect")
        load.add_argument("--name", type=reason, required=True, help="what the table is")
        agency = sub.add_parser("agency", help="add an agency to the referral list, or retire one")
        agency.add_argument("name", type=reason)
        agency.add_argument("--retire", action="store_true", help="take it off the list")
        listing = sub.add_parser("list", help="list agreements (of one tenancy)")
        listing.add_argument("tenancy_ref", type=ref, nargs="?")
        listing.add_argument("--as-of", type=iso_date, metavar="DATE", help="default today")

    def handle(self, *args, action, **options):
        today = datetime.date.today()
        try:
            getattr(self, f"_{action}")(today, **options)
        except AgreementError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _tenancy(self, tenancy_ref: str) -> Tenancy:
        tenancy = Tenancy.objects.filter(tenancy_ref=tenancy_ref).first()
        if tenancy is None:
            raise CommandError(f"no tenancy with reference '{tenancy_ref}'", returncode=2)
        return tenancy

    def _add(self, today, *, tenancy_ref, instalment, frequency, start, starting_balance,
             lump_sum, reason, **options):
        agreement = make_agreement(
            self._tenancy(tenancy_ref), "cli", instalment=instalment, frequency=frequency,
            start=start or today, as_of=today, starting_balance=starting_balance,
            lump_sum=lump_sum, reason=reason)
        self.stdout.write(
            f"made {agreement.agreement_ref}: {pounds(agreement.instalment)} "
            f"{frequency.replace('_', '-')} from {agreement.start_date} towards "
            f"{pounds(agreement.starting_balance)}")

    def _cancel(self, today, *, agreement_ref, reason, on, **options):
        agreement = Agreement.objects.filter(agreement_ref=agreement_ref).first()
        if agreement is None:
            raise CommandError(f"no agreement with reference '{agreement_ref}'", returncode=2)
        cancel_agreement(agreement, "cli", reason=reason, on=on or today, as_of=today)
        self.stdout.write(f"cancelled {agreement_ref}")

    def _guidelines(self, today, *, file, effective_from, name, **options):
        rows = []
        try:
            with open(file, newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                if reader.fieldnames != ["category", "adults", "children", "monthly"]:
                    raise CommandError("the header must be category,adults,children,monthly",
                                       returncode=2)
                for line, row in enumerate(reader, start=2):
                    try:
                        rows.append((row["category"], int(row["adults"]), int(row["children"]),
                                     plan.pence(row["monthly"])))
                    except (TypeError, ValueError):
                        raise CommandError(f"line {line}: adults and children must be whole "
                                           "numbers and monthly pounds, like 250.00",
                                           returncode=2) from None
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from None
        table = load_guidelines(name, effective_from, rows, "cli")
        self.stdout.write(f"loaded {len(rows)} guidelines from {table.effective_from}")

    def _agency(self, today, *, name, retire, **options):
        agency = save_agency(name, active=not retire, actor="cli")
        self.stdout.write(f"{'retired' if retire else 'listed'} {agency.name}")

    def _list(self, today, *, tenancy_ref, as_of, **options):
        as_of = as_of or today
        if tenancy_ref:
            tenancies = [self._tenancy(tenancy_ref)]
        else:
            tenancies = list(Tenancy.objects.filter(agreements__isnull=False).distinct()
                             .order_by("tenancy_ref"))
        self.stdout.write(f"{'agreement':<20} {'tenancy':<14} {'start':<10} {'balance':>11} "
                          f"{'instalment':>11} {'frequency':<11} state")
        for tenancy in tenancies:
            agreements = list(agreements_of(tenancy))
            # The engine is asked once per tenancy, and only when one is live (a few times
            # more to date a breach).
            views = EngineViews(tenancy)
            view = views(as_of) if any(a.status == "live" for a in agreements) else None
            for agreement in agreements:
                state = monitoring(agreement, as_of, view)
                extra = ""
                if state.state == "breached":
                    since = breached_since(agreement, as_of, views)
                    extra = f" by {pounds(state.breached_by)} since {since}"
                elif agreement.end_date:
                    extra = f" on {agreement.end_date}"
                self.stdout.write(
                    f"{agreement.agreement_ref:<20} {tenancy.tenancy_ref:<14} "
                    f"{agreement.start_date!s:<10} {pounds(agreement.starting_balance):>11} "
                    f"{pounds(agreement.instalment):>11} {agreement.frequency:<11} "
                    f"{state.state}{extra}")
