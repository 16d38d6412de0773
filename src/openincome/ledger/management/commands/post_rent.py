from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.locks import WriteConflict
from openincome.ledger.posting import post_rent
from openincome.web.money import pounds

from ._args import iso_date


class Command(BaseCommand):
    help = "Post charge debits for every rent period up to DATE that has none yet (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--through", required=True, type=iso_date, metavar="DATE",
                            help="post every period starting on or before this date")
        parser.add_argument("--since", type=iso_date, metavar="DATE",
                            help="only consider periods from this date (faster on big ledgers)")

    def handle(self, *args, through, since, **options):
        try:
            result = post_rent(through, actor="cli", since=since)
        except WriteConflict as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"posted {result.posted:,} charge debits totalling {pounds(result.amount)}; "
            f"{result.already_posted:,} periods were already posted"
        )
