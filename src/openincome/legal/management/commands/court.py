"""`openincome court`: the legal steps on the command line, through the same actions as the web
pages. Two halves: steps on a tenancy (`claim` and `warrant` through the protocol's gates and
approvals; `extension`, the s125A notice) and steps on a court case (hearing, pack, outcome,
possession date, N244, warrant issued, eviction; claim data and bundle). Bad input, or a gate
that refuses, exits 2 with nothing saved and says why."""

from django.core.management.base import BaseCommand

from openincome.legal.cli import court_cases, court_tenancies


class Command(BaseCommand):
    help = ("The legal steps: claim and warrant (gated and approved) and the s125A trial "
            "extension, by TENANCY_REF; then the court stage by CASE_REF: hearing, prepare, "
            "outcome, possession-date, n244, warrant-issued, eviction, evicted, claim-data, "
            "bundle (each audited; bad input exits 2 with nothing saved).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True,
            metavar="|".join(court_tenancies.STEPS + court_cases.STEPS))
        court_cases.add_parsers(sub)
        court_tenancies.add_parsers(sub)

    def handle(self, *args, action, **options):
        if action in court_tenancies.STEPS:
            court_tenancies.run(self.stdout, action, **options)
        else:
            court_cases.run(self.stdout, action, **options)
