"""`openincome court STEP CASE_REF`: what an officer records of a court case after the claim
(the hearing, the pack, the order, a PPO's possession date, a tenant's N244, the warrant, the
eviction) and the documents of a case, each through one `legal.actions_court` action."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError

from openincome.ledger.cli_args import iso_date, ref
from openincome.ledger.vocab import FREQUENCIES
from openincome.legal import actions_court as court
from openincome.legal.models import CourtCase

from .common import acting_user, add_user_option, pence

# The steps that record something (each needs --user); the others only read.
RECORDING = ("hearing", "prepare", "outcome", "possession-date", "n244", "warrant-issued",
             "eviction", "evicted")
READING = ("claim-data", "bundle")
STEPS = RECORDING + READING


def add_parsers(sub) -> None:
    """The case half's subcommands, each taking CASE_REF."""
    hearing = sub.add_parser("hearing", help="record (or restore) the hearing")
    hearing.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    hearing.add_argument("--court", required=True, help="for example, County Court at Exeter")
    hearing.add_argument("--place", default="", help="where in the court, or its time")
    prepare = sub.add_parser("prepare", help="send the notice of hearing and make the "
                             "hearing pack (written to --pack FILE if given)")
    prepare.add_argument("--pack", metavar="FILE", help="where to write the pack's PDF")
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
    fixed = sub.add_parser("possession-date", help="record the possession date the court "
                           "fixed under a postponed possession order (on the landlord's N244)")
    fixed.add_argument("--date", required=True, type=iso_date, metavar="DATE",
                       help="the possession date")
    fixed.add_argument("--fixed-on", required=True, type=iso_date, metavar="DATE",
                       help="the day the court fixed it")
    n244 = sub.add_parser("n244", help="record a tenant's application (N244), usually to "
                          "suspend a warrant; --note says what they applied for")
    n244.add_argument("--date", required=True, type=iso_date, metavar="DATE",
                      help="the day the application was received")
    n244.add_argument("--hearing", type=iso_date, metavar="DATE",
                      help="the hearing date of the application, if listed")
    warrant = sub.add_parser("warrant-issued", help="record the warrant of possession")
    warrant.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    eviction = sub.add_parser("eviction", help="record the eviction date (bailiffs)")
    eviction.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    evicted = sub.add_parser("evicted", help="record the eviction: the tenancy ends")
    evicted.add_argument("--date", required=True, type=iso_date, metavar="DATE")
    for p in (hearing, prepare, outcome, fixed, n244, warrant, eviction, evicted):
        p.add_argument("case_ref", type=ref, metavar="CASE_REF")
        add_user_option(p, "who records it (an officer, team leader or manager)")
        p.add_argument("--note", default="")
    claim = sub.add_parser("claim-data", help="print the claim's particulars for PCOL")
    claim.add_argument("case_ref", type=ref, metavar="CASE_REF")
    claim.add_argument("--format", choices=("csv", "warrant"), default="csv",
                       help="csv: the claim (PD 55A); warrant: the N325 data, as of today")
    bundle = sub.add_parser("bundle", help="write the court bundle PDF of the case's tenancy")
    bundle.add_argument("case_ref", type=ref, metavar="CASE_REF")
    bundle.add_argument("--out", required=True, metavar="FILE")
    bundle.add_argument("--as-of", type=iso_date, metavar="DATE", help="default: today")


def run(output, action: str, case_ref: str, **options) -> None:
    """Run one case step, writing what was done to `output`; exit 2 with nothing saved when the
    case, the user or the step's action refuses."""
    case = CourtCase.objects.select_related("tenancy").filter(case_ref=case_ref).first()
    if case is None:
        raise CommandError(f"no court case with reference '{case_ref}'", returncode=2)
    if action == "bundle":
        _bundle(output, case, options["out"], options["as_of"] or datetime.date.today())
    elif action == "claim-data":
        _claim_data(output, case, options["format"])
    else:
        _record(output, action, case, **options)


def _bundle(output, case: CourtCase, path: str, as_of: datetime.date) -> None:
    from openincome.legal.documents import bundle_pdf

    pdf = bundle_pdf(case.tenancy, as_of)
    try:
        with open(path, "wb") as file:
            file.write(pdf)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}", returncode=2) from None
    output.write(f"{case.case_ref}: court bundle written to {path}")


def _claim_data(output, case: CourtCase, format: str) -> None:
    from openincome.legal.pcol import claim_csv, warrant_csv

    output.write(claim_csv(case) if format == "csv" else warrant_csv(case, datetime.date.today()),
              ending="")


def _record(output, action: str, case: CourtCase, *, user: str, note: str, **options) -> None:
    account = acting_user(user, "legal.record_court_step", "record court steps")
    today = datetime.date.today()
    day = options.get("date") or today
    try:
        if action == "prepare":
            event = court.prepare_for_hearing(case, account, as_of=today)
            if options["pack"]:
                with open(options["pack"], "wb") as file:
                    file.write(bytes(event.pdf))
            output.write(f"{case.case_ref}: {event.summary}"
                      + (f" ({event.note})" if event.note else ""))
            return
        _RECORDERS[action](case, account, day, note, today, options)
    except court.CourtStepRefused as exc:
        raise CommandError(f"nothing saved: {exc}", returncode=2) from None
    output.write(f"{case.case_ref} ({case.tenancy.tenancy_ref}): {action} recorded on {day}")


# action -> (case, user, the step's --date, note, today, the other options): one action call.
_RECORDERS = {
    "hearing": lambda case, user, day, note, today, o: court.record_hearing(
        case, user, hearing_date=day, court=o["court"], place=o["place"], note=note,
        as_of=today),
    "outcome": lambda case, user, day, note, today, o: court.record_outcome(
        case, user, outcome=o["outcome"], outcome_date=day, as_of=today, note=note,
        possession_date=o["possession_date"], instalment=o["instalment"],
        frequency=o["frequency"], next_hearing=o["next_hearing"]),
    "possession-date": lambda case, user, day, note, today, o: court.fix_possession_date(
        case, user, possession_date=day, fixed_on=o["fixed_on"], note=note, as_of=today),
    "n244": lambda case, user, day, note, today, o: court.record_n244(
        case, user, received=day, hearing_date=o["hearing"], note=note, as_of=today),
    "warrant-issued": lambda case, user, day, note, today, o: court.record_warrant_issued(
        case, user, issued=day, note=note, as_of=today),
    "eviction": lambda case, user, day, note, today, o: court.record_eviction_date(
        case, user, eviction_date=day, note=note, as_of=today),
    "evicted": lambda case, user, day, note, today, o: court.record_evicted(
        case, user, evicted_on=day, note=note, as_of=today),
}
