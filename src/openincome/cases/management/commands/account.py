import datetime

from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.balances import statement
from openincome.ledger.cli_args import iso_date, ref
from openincome.ledger.models import Tenancy
from openincome.ledger.pence import pounds


class Command(BaseCommand):
    help = "Print one account: balance, recommendation and recent transactions."

    def add_arguments(self, parser):
        parser.add_argument("tenancy_ref", type=ref)
        parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                            help="show the account as of this date (default today)")
        parser.add_argument("--transactions", type=int, default=10, metavar="N",
                            help="how many recent transactions to list (default 10)")

    def handle(self, *args, tenancy_ref, as_of, transactions, **options):
        as_of = as_of or datetime.date.today()
        tenancy = (
            Tenancy.objects.select_related("property", "property__patch")
            .filter(tenancy_ref=tenancy_ref)
            .first()
        )
        if tenancy is None:
            raise CommandError(f"no tenancy with reference '{tenancy_ref}'", returncode=2)
        _, lines = statement(tenancy, as_of)
        balance = lines[-1].running_balance if lines else 0
        out = self.stdout
        out.write(f"{tenancy.tenancy_ref}  {tenancy.property.address}")
        out.write(
            f"tenure {tenancy.tenure}, patch {tenancy.property.patch.code}, "
            f"from {tenancy.start_date}" + (f" to {tenancy.end_date}" if tenancy.end_date else "")
        )
        state = " (in credit)" if balance < 0 else ""
        out.write(f"balance at end of {as_of}: {pounds(balance)}{state}")
        for line in self.recommendation_lines(tenancy, as_of):
            out.write(line)
        recent = lines[-transactions:] if transactions > 0 else []
        if not recent:
            out.write("no transactions")
            return
        out.write(f"latest {len(recent)} transactions:")
        out.write(f"  {'date':<10}  {'type':<18} {'debit':>11} {'credit':>11} {'balance':>12}")
        for line in recent:
            tx = line.transaction
            debit = pounds(tx.amount) if tx.amount >= 0 else ""
            credit = pounds(-tx.amount) if tx.amount < 0 else ""
            out.write(
                f"  {tx.date.isoformat():<10}  {tx.type:<18} {debit:>11} {credit:>11} "
                f"{pounds(line.running_balance):>12}"
            )

    def recommendation_lines(self, tenancy, as_of):
        """The engine's recommendation with every reason and block in plain English, as the
        account page and the nightly run give them (cases.queries.recommendation)."""
        from openincome.cases.queries import recommendation
        from openincome.ledger.vocab import label

        row = recommendation(tenancy, as_of)
        notice = f" ({label(row['notice_kind']).lower()})" if row["notice_kind"] else ""
        weeks = "" if row["weeks_owed"] is None else f", {row['weeks_owed']:.2f} weeks' charge"
        lines = [
            f"arrears {pounds(row['arrears'])} (technical {pounds(row['technical_arrears'])}, "
            f"actionable {pounds(row['actionable_arrears'])}{weeks}); weekly charge "
            f"{pounds(row['weekly_charge'])}",
            f"recommendation: {row['action_label']}{notice} [{row['action']}], "
            f"priority {row['priority']}",
        ]
        lines += [f"  because: {sentence}" for sentence in row["explanations"] or []]
        lines += [f"  held back by: {sentence}" for sentence in row["block_explanations"] or []]
        return lines
