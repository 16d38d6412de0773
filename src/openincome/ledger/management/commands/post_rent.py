import datetime

from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.actions import post_rent
from openincome.ledger.cli_args import iso_date
from openincome.ledger.limits import posting_problem
from openincome.ledger.locks import WriteConflict
from openincome.ledger.pence import pounds


class Command(BaseCommand):
    help = "Post charge debits for every rent period up to DATE that has none yet (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--through", required=True, type=iso_date, metavar="DATE",
                            help="post every period starting on or before this date")
        parser.add_argument("--since", type=iso_date, metavar="DATE",
                            help="only consider periods from this date (faster on big ledgers)")
        parser.add_argument("--force", action="store_true",
                            help="post even when DATE is far past today (the ledger is "
                                 "append-only: debits posted cannot be taken back)")

    def handle(self, *args, through, since, force, **options):
        # A slip in the year (2199 for 2029) would write years of debits for good.
        problem = posting_problem(through, datetime.date.today())
        if problem and not force:
            raise CommandError(f"--through {through} {problem}", returncode=2)
        try:
            result = post_rent(through, actor="cli", since=since)
        except WriteConflict as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"posted {result.posted:,} charge debits totalling {pounds(result.amount)}; "
            f"{result.already_posted:,} periods were already posted"
        )
