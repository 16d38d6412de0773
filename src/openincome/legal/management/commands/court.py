"""`openincome court claim|warrant`: record a possession claim or a warrant application through
the same actions as the web pages, gates and approvals included (exit 2, nothing saved, when a
gate refuses, with the gate and the reason)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.cli_args import code, iso_date, ref
from openincome.ledger.models import Tenancy
from openincome.legal.actions import GateRefused, LegalError, apply_for_court, apply_for_warrant


class Command(BaseCommand):
    help = "Record a possession claim issued, or a warrant of possession applied for."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="claim|warrant")
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

    def handle(self, *args, action, tenancy_ref, date, user, **options):
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
