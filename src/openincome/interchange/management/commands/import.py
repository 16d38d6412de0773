"""`openincome import DIR [--update]`: import an interchange folder (INTERCHANGE.md)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openincome.cases.models import WorklistRun
from openincome.interchange.api import ImportFailed, WriteConflict, import_folder
from openincome.interchange.errors import report_lines


def os_user() -> str:
    """The operating-system user running the command, for the audit trail."""
    try:
        return getpass.getuser() or "cli"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "cli"


class Command(BaseCommand):
    help = (
        "Import an interchange folder. Every file is checked before anything is written; "
        "any problem means exit code 2 and nothing imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", help="the interchange folder")
        parser.add_argument(
            "--update",
            action="store_true",
            help="update rows whose ref exists with different content (audited); "
            "transactions are never updated",
        )

    def handle(self, *args, **options) -> None:
        folder = Path(options["folder"])
        try:
            result = import_folder(
                folder,
                update=options["update"],
                actor=os_user(),
                progress=sys.stderr.isatty(),
            )
        except ImportFailed as exc:
            for line in report_lines(exc.errors):
                self.stderr.write(line)
            raise CommandError(
                f"nothing imported: {len(exc.errors):,} problem"
                f"{'s' if len(exc.errors) != 1 else ''} in {folder}",
                returncode=2,
            ) from None
        except WriteConflict as exc:
            raise CommandError(str(exc)) from None
        for line in result.summary_lines():
            self.stdout.write(line)
        if result.touched and WorklistRun.objects.exists():
            self.stdout.write(f"stored worklist: {result.touched:,} "
                              f"{'tenancy' if result.touched == 1 else 'tenancies'} "
                              "classified again")
