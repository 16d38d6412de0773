"""`openincome court`: the legal steps on the command line, through the same actions as the web
pages. `claim` and `warrant` go through the protocol's gates and approvals; the court-stage
subcommands record a case's hearing, outcome, warrant and eviction. Bad input, or a gate that
refuses, exits 2 with nothing saved and says why."""

import argparse
import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from openincome.interchange.schema import parse_pounds
from openincome.ledger.cli_args import code, iso_date, ref
from openincome.ledger.limits import amount_problem, printable
from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import FREQUENCIES
from openincome.legal import actions_court as court
from openincome.legal.actions import GateRefused, LegalError, apply_for_court, apply_for_warrant
from openincome.legal.models import CourtCase


def pence(value: str) -> int:
    """An argparse type for pounds (5.00) as integer pence, or exit 2."""
    try:
        amount = parse_pounds(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{printable(value)}' is not an amount in pounds: use, for example, 5.00") from None
    if problem := amount_problem(amount):
        raise argparse.ArgumentTypeError(problem)
    return amount


class Command(BaseCommand):
    help = ("The legal steps: claim and warrant (gated and approved), then the court stage: "
            "hearing, outcome, warrant-issued, eviction, evicted (each audited; bad input exits 2 "
            "with nothing saved).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True,
            metavar="claim|warrant|hearing|prepare|outcome|warrant-issued|eviction|evicted|claim-data|bundle")
        hearing = sub.add_parser("hearing", help="record (or restore) the hearing")
        hearing.add_argument("--date", required=True, type=iso_date, metavar="DATE")
        hearing.add_argument("--court", required=True, help="for example, County Court at Exeter")
        hearing.add_argument("--place", default="", help="where in the court, or its time")
        outcome = sub.add_parser("outcome", help="record what the court decided")
        outcome.add_argument("--outcome", required=True, choices=list(court.OUTCOMES),
                             help="; ".join(f"{k}: {o.label.lower()}"
                                            for k, o in court.OUTCOMES.items()))
        outcome.add_argument("--date", required=True, type=iso_date, metavar="DATE",
                             help="the date of the decision")
        outcome.add_argument("--instalment", type=pence, metavar="POUNDS",
                             help="orders and adjournments on terms: towards the arrears")
        outcome.add_argument("--frequency", choices=FREQUENCIES, default="")
        outcome.add_argument("--possession-date", type=iso_date, metavar="DATE")
        outcome.add_argument("--next-hearing", type=iso_date, metavar="DATE",
                             help="adjourned: the new hearing date")
        warrant = sub.add_parser("warrant-issued", help="record the warrant of possession")
        warrant.add_argument("--date", required=True, type=iso_date, metavar="DATE")
        eviction = sub.add_parser("eviction", help="record the eviction date (bailiffs)")
        eviction.add_argument("--date", required=True, type=iso_date, metavar="DATE")
        evicted = sub.add_parser("evicted", help="record the eviction: the tenancy ends")
        evicted.add_argument("--date", required=True, type=iso_date, metavar="DATE")
        prepare = sub.add_parser("prepare", help="send the notice of hearing and make the "
                                 "hearing pack (written to --pack FILE if given)")
        prepare.add_argument("--pack", metavar="FILE", help="where to write the pack's PDF")
        claim = sub.add_parser("claim-data", help="print the claim's particulars for PCOL")
        claim.add_argument("case_ref", type=ref, metavar="CASE_REF")
        claim.add_argument("--format", choices=("csv", "warrant"), default="csv",
                           help="csv: the claim (PD 55A); warrant: the N325 data, as of today")
        bundle = sub.add_parser("bundle", help="write the court bundle PDF of the case's tenancy")
        bundle.add_argument("case_ref", type=ref, metavar="CASE_REF")
        bundle.add_argument("--out", required=True, metavar="FILE")
        bundle.add_argument("--as-of", type=iso_date, metavar="DATE", help="default: today")
        for p in (hearing, prepare, outcome, warrant, eviction, evicted):
            p.add_argument("case_ref", type=ref, metavar="CASE_REF")
            p.add_argument("--user", required=True, type=code, metavar="USERNAME",
                           help="who records it (an officer, team leader or manager)")
            p.add_argument("--note", default="")
        claim = sub.add_parser("claim", help="record a claim issued (needs a valid notice past "
                               "its proceedings date, the checklist, a proportionality "
                               "assessment and an approval; no Breathing Space)")
        warrant = sub.add_parser("warrant", help="record a warrant applied for (needs a "
                                 "breached order, a proportionality assessment and an "
                                 "approval; no Breathing Space)")
        for p in (claim, warrant):
            p.add_argument("tenancy_ref", type=ref, metavar="TENANCY_REF")
            p.add_argument("--date", required=True, type=iso_date, metavar="DATE",
                           help="the day the claim was issued or the warrant applied for")
            p.add_argument("--user", required=True, type=code, metavar="USERNAME",
                           help="who records it (an officer, team leader or manager)")
        claim.add_argument("--claim-number", default="", metavar="NUMBER",
                           help="the court's claim number (a reference is made if absent)")

    def handle(self, *args, action, **options):
        if action in ("claim", "warrant"):
            return self._protocol_step(action, **options)
        return self._court_step(action, **options)

    def _court_step(self, action, case_ref, **options):
        case = CourtCase.objects.select_related("tenancy").filter(case_ref=case_ref).first()
        if case is None:
            raise CommandError(f"no court case with reference '{case_ref}'", returncode=2)
        if action == "bundle":
            from openincome.legal.documents import bundle_pdf

            pdf = bundle_pdf(case.tenancy, options["as_of"] or datetime.date.today())
            try:
                with open(options["out"], "wb") as out:
                    out.write(pdf)
            except OSError as exc:
                raise CommandError(f"cannot write {options['out']}: {exc.strerror}",
                                   returncode=2) from None
            self.stdout.write(f"{case.case_ref}: court bundle written to {options['out']}")
            return
        if action == "claim-data":
            from openincome.legal.pcol import claim_csv, warrant_csv

            self.stdout.write(claim_csv(case) if options["format"] == "csv"
                              else warrant_csv(case, datetime.date.today()), ending="")
            return
        user, note = options["user"], options["note"]
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"no active user '{user}'", returncode=2)
        if not account.has_perm("legal.record_court_step"):
            raise CommandError(f"nothing saved: {user} may not record court steps",
                               returncode=2)
        today = datetime.date.today()
        day = options.get("date") or today
        try:
            if action == "prepare":
                event = court.prepare_for_hearing(case, account, as_of=today)
                if options["pack"]:
                    with open(options["pack"], "wb") as out:
                        out.write(bytes(event.pdf))
                self.stdout.write(f"{case.case_ref}: {event.summary}"
                                  + (f" ({event.note})" if event.note else ""))
                return
            if action == "hearing":
                court.record_hearing(case, account, hearing_date=day, court=options["court"],
                                     place=options["place"], note=note, as_of=today)
            elif action == "outcome":
                court.record_outcome(case, account, outcome=options["outcome"],
                                     outcome_date=day, as_of=today, note=note,
                                     possession_date=options["possession_date"],
                                     instalment=options["instalment"],
                                     frequency=options["frequency"],
                                     next_hearing=options["next_hearing"])
            elif action == "warrant-issued":
                court.record_warrant_issued(case, account, issued=day, note=note, as_of=today)
            elif action == "eviction":
                court.record_eviction_date(case, account, eviction_date=day, note=note,
                                           as_of=today)
            else:
                court.record_evicted(case, account, evicted_on=day, note=note, as_of=today)
        except court.CourtStepRefused as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        case.refresh_from_db()
        self.stdout.write(f"{case.case_ref} ({case.tenancy.tenancy_ref}): {action} recorded"
                          f" on {day}")

    def _protocol_step(self, action, tenancy_ref, date, user, **options):
        tenancy = Tenancy.objects.filter(tenancy_ref=tenancy_ref).first()
        if tenancy is None:
            raise CommandError(f"no tenancy with reference '{tenancy_ref}'", returncode=2)
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"no active user '{user}'", returncode=2)
        if not account.has_perm("legal.protocol"):
            raise CommandError(f"nothing saved: {user} may not record legal steps", returncode=2)
        today = datetime.date.today()
        try:
            if action == "claim":
                case = apply_for_court(tenancy, account, claim_date=date,
                                       claim_number=options["claim_number"], as_of=today)
                done = f"possession claim {case.case_ref} recorded, issued on {date}"
            else:
                case = apply_for_warrant(tenancy, account, applied=date, as_of=today)
                done = f"warrant applied for on {date} recorded on court case {case.case_ref}"
        except (GateRefused, LegalError) as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        self.stdout.write(f"{tenancy.tenancy_ref}: {done}")
