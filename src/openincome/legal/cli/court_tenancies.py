"""`openincome court STEP TENANCY_REF`: the steps taken on a tenancy rather than a case: a
claim issued and a warrant applied for (through the protocol's gates and approvals, in
`legal.actions`), and the s125A notice extending an introductory tenancy's trial."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError

from openincome.ledger.cli_args import iso_date, ref
from openincome.ledger.models import Tenancy
from openincome.legal import actions_court as court
from openincome.legal.actions import GateRefused, LegalError, apply_for_court, apply_for_warrant

from .common import acting_user, add_user_option

STEPS = ("claim", "warrant", "extension")
WHO = "who records it (an officer, team leader or manager)"


def add_parsers(sub) -> None:
    """The tenancy half's subcommands, each taking TENANCY_REF."""
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
        add_user_option(p, WHO)
    claim.add_argument("--claim-number", default="", metavar="NUMBER",
                       help="the court's claim number (a reference is made if absent)")
    extension = sub.add_parser("extension", help="record the section 125A notice extending an "
                               "introductory tenancy's trial by the policy's months (served at "
                               "least the policy's weeks before the trial ends; once)")
    extension.add_argument("tenancy_ref", type=ref, metavar="TENANCY_REF")
    extension.add_argument("--served", required=True, type=iso_date, metavar="DATE",
                           help="the day the notice was served")
    extension.add_argument("--reason", required=True,
                           help="the reasons for extending the trial (the notice states them)")
    add_user_option(extension, WHO)


def run(output, action: str, tenancy_ref: str, *, user: str, **options) -> None:
    """Run one tenancy step, writing what was done to `output`; exit 2 with nothing saved when
    the tenancy, the user, a gate or the step's action refuses."""
    tenancy = Tenancy.objects.filter(tenancy_ref=tenancy_ref).first()
    if tenancy is None:
        raise CommandError(f"no tenancy with reference '{tenancy_ref}'", returncode=2)
    today = datetime.date.today()
    if action == "extension":
        account = acting_user(user, "legal.record_court_step", "record court steps")
        try:
            court.serve_trial_extension(tenancy, account, served=options["served"],
                                        reason=options["reason"], as_of=today)
        except court.CourtStepRefused as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        tenancy.refresh_from_db()
        output.write(f"{tenancy.tenancy_ref}: trial extended by the notice served on "
                  f"{options['served']}; it now ends on {tenancy.trial_end_date}")
        return
    account = acting_user(user, "legal.protocol", "record legal steps")
    date = options["date"]
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
    output.write(f"{tenancy.tenancy_ref}: {done}")
