import argparse
import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.models import Tenancy

DEMO_USERS = [
    # username, role label, role, how many patches the user works (None: not patch-based)
    ("officer", "income officer", "officer", 2),
    ("leader", "team leader", "team_leader", None),
    ("manager", "manager", "manager", None),
    ("finance", "finance", "finance", None),
    ("admin", "administrator", "admin", None),
]


# The demo's policy sends reminders itself after each nightly run (a new landlord sends none).
DEMO_AUTO_SEND = {"send_reminder": ["*"]}


def demo_policy(today: datetime.date) -> None:
    """Date the demo's policy version from today: the default with reminders sent
    automatically (audited like any policy change)."""
    from openincome.policy.actions import add_version
    from openincome.policy.store import params_in_force

    params = params_in_force(today)
    if params.to_dict()["auto_send"] != DEMO_AUTO_SEND:
        add_version(params.replace(auto_send=DEMO_AUTO_SEND), today, actor="demo",
                    note="The demo sends reminders automatically")


class Command(BaseCommand):
    help = "Create a demo landlord from the simulator (if the database is empty), then serve."

    def add_arguments(self, parser):
        parser.add_argument("--tenancies", type=int, default=2000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="build the data only")
        # Internal: the child process that builds the landlord (see handle()).
        parser.add_argument("--build-here", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, tenancies, years, seed, host, port, no_serve, build_here, **options):
        password = os.environ.get("OPENINCOME_DEMO_PASSWORD", "demo-password-2026")
        if build_here:
            self.build(tenancies, years, seed, password)
            return
        if Tenancy.objects.exists():
            self.stdout.write("The database already holds a landlord: serving it as it is.")
        else:
            self.build_in_child(tenancies, years, seed)
        self.stdout.write("")
        self.stdout.write(f"Sign in at http://{host}:{port}/login/")
        width = max(len(label) for _, label, _, _ in DEMO_USERS) + 1
        for username, label, _, _ in DEMO_USERS:
            self.stdout.write(f"  {(label + ':').ljust(width)} {username} / {password}")
        self.stdout.write("")
        self.stdout.flush()
        if not no_serve:
            os.environ["OPENINCOME_DEMO_MODE"] = "1"  # a local demo may use the built-in key
            call_command("serve", host=host, port=port)

    def build_in_child(self, tenancies: int, years: int, seed: int) -> None:
        """Build the landlord in a child process, so this one never starts Polars' threads.

        The web workers are forked from this process; a fork of a process whose Polars (or
        any) thread pool has run hangs the first time the child uses Polars (re-scoring a case
        after a contact), holding the database's write lock.
        """
        self.stdout.flush()
        done = subprocess.run(
            [sys.executable, "-m", "openincome", "demo", "--build-here",
             "--tenancies", str(tenancies), "--years", str(years), "--seed", str(seed)],
            env=os.environ.copy(),
        )
        if done.returncode != 0:
            raise CommandError("building the demo landlord failed (see above)", returncode=1)

    def build(self, tenancies: int, years: int, seed: int, password: str) -> None:
        """Simulate a landlord ending today, import it, classify it and add demo users."""
        from openincome.agreements.samples import add_sample_statements
        from openincome.interchange import import_folder
        from openincome.ledger.models import Patch
        from openincome.simulator import simulate
        from openincome.staff.actions import add_user

        today = datetime.date.today()
        start = today.replace(year=today.year - years) + datetime.timedelta(days=1)
        self.stdout.write(f"Building a demo landlord: {tenancies:,} tenancies, {years} years...")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "landlord"
            simulate(tenancies=tenancies, years=years, seed=seed, out=out, start=start,
                     progress=True)
            result = import_folder(out, actor="demo", progress=True)
            self.stdout.write(str(result))
        # The simulated agreements with the income and expenditure they were agreed on.
        made = add_sample_statements(seed=seed)
        self.stdout.write(f"{made:,} example income and expenditure statements")
        demo_policy(today)
        try:
            call_command("nightly", as_of=today)
        except Exception as exc:  # noqa: BLE001 - the demo still serves without a worklist
            self.stderr.write(f"(worklist not built: {exc})")
        patches = list(Patch.objects.values_list("code", flat=True))
        for username, _, role, count in DEMO_USERS:
            add_user(username, role, password, patches[:count] if count else [], actor="demo")
        self.direct_debits()

    def direct_debits(self) -> None:
        """The EXAMPLE modulus weights and Bacs details, so officers can try Direct Debits
        (a real landlord loads Pay.UK's table and its own service user number)."""
        from openincome.payments.actions import load_modulus_table, save_originator

        table = (Path(__file__).resolve().parents[5] / "docs" / "payments"
                 / "modulus-weights-EXAMPLE.txt")
        if table.is_file():
            load_modulus_table(table, "demo")
            save_originator("demo", service_user_number="123456", name="DEMO HOMES",
                            sort_code="089999", account_number="12345678")

