"""What the database benchmarks share: a scratch folder and an empty, migrated database
(a scratch SQLite file unless --db names one), and a timer of wall and CPU seconds."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def empty_database(db: str | None, prefix: str) -> Path:
    """Set Django up on `db` (or a scratch SQLite file), migrate it, and return the scratch
    folder; exit 2 when the database already holds transactions."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["OPENINCOME_DATABASE_URL"] = db or f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openincome.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from openincome.ledger.models import Transaction

    call_command("migrate", interactive=False, verbosity=0)
    if Transaction.objects.exists():
        sys.stderr.write("the database already holds transactions; use an empty one\n")
        sys.exit(2)
    return scratch


class Timer:
    """Wall and CPU (this process) seconds of a `with` block: `.seconds`, `.cpu`."""

    def __enter__(self) -> Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
