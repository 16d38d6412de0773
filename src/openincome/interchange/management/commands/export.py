"""`openincome export DIR [--force]`: write the database out as an interchange folder."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openincome.interchange.export import ExportRefused, export_folder


class Command(BaseCommand):
    help = (
        "Write every interchange file (INTERCHANGE.md) from the database into DIR, created if "
        "missing. A non-empty DIR is refused unless --force, which overwrites the interchange "
        "files and leaves other files alone. Output is deterministic: the same database "
        "always gives the same bytes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", help="the folder to write")
        parser.add_argument(
            "--force", action="store_true", help="overwrite the interchange files in DIR"
        )
        parser.add_argument(
            "--exported-at",
            metavar="TEXT",
            help="exported_at for the manifest (default: the one stored by the last import)",
        )

    def handle(self, *args, **options) -> None:
        try:
            written = export_folder(
                options["folder"], force=options["force"], exported_at=options["exported_at"]
            )
        except ExportRefused as exc:
            raise CommandError(str(exc), returncode=2) from None
        for name, count in written.items():
            self.stdout.write(f"{name}: {count:,} row{'s' if count != 1 else ''}")
