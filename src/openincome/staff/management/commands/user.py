import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.cli_args import code
from openincome.staff.actions import UserError, add_user
from openincome.staff.roles import ROLES


class Command(BaseCommand):
    help = "Manage users: user add USERNAME --role ROLE [--patch P]..."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="add")
        add = sub.add_parser("add", help="create a user")
        add.add_argument("username", type=code)
        add.add_argument("--role", required=True, choices=list(ROLES))
        add.add_argument("--patch", action="append", default=[], type=code, metavar="P",
                         help="a patch the user works (repeat for several)")

    def handle(self, *args, action, username, role, patch, **options):
        password = os.environ.get("OPENINCOME_PASSWORD")
        if not password:
            password = getpass.getpass(f"Password for {username}: ")
        try:
            add_user(username, role, password, patch, actor="cli")
        except UserError as exc:
            raise CommandError(str(exc), returncode=2) from None
        where = f" on {', '.join(patch)}" if patch else ""
        self.stdout.write(f"created {ROLES[role].lower()} {username}{where}")
