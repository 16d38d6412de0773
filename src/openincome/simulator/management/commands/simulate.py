"""`openincome simulate --tenancies N --years Y --seed S --out DIR [--start DATE] [--report]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openincome.ledger.cli_args import iso_date


class Command(BaseCommand):
    help = (
        "Write a synthetic landlord as an interchange folder (INTERCHANGE.md) with its ground "
        "truth in DIR/truth/truth.csv. The same arguments always write the same bytes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tenancies",
            type=int,
            required=True,
            metavar="N",
            help="homes (and garages) let; each has a tenancy at the end",
        )
        parser.add_argument(
            "--years", type=int, required=True, metavar="Y", help="years of history"
        )
        parser.add_argument(
            "--seed", type=int, required=True, metavar="S", help="random seed (0 or more)"
        )
        parser.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar="DIR",
            help="a new or empty directory to write into",
        )
        parser.add_argument(
            "--start",
            type=iso_date,
            metavar="DATE",
            help="first day of the history (default: Y years ending 2026-11-22)",
        )
        parser.add_argument(
            "--report", action="store_true", help="print the realism report afterwards"
        )

    def handle(self, *args, **options) -> None:
        # Imported here: the command module must load without NumPy work at Django start-up.
        from openincome.simulator import simulate
        from openincome.simulator.report import realism_report

        try:
            summary = simulate(
                options["tenancies"],
                options["years"],
                options["seed"],
                options["out"],
                start=options["start"],
                progress=sys.stderr.isatty(),
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(summary.describe())
        if options["report"]:
            self.stdout.write(realism_report(summary.out).format())
