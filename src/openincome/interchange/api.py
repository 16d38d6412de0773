"""The public Python API of the interchange: validate, import and export a folder.

Behaviour beyond INTERCHANGE.md, decided here:

- Problems read `FILE:LINE: COLUMN: what is wrong (value given)`. LINE is the physical line
  (header = 1; a quoted value may span lines); 0 means the whole file (missing or unknown).
  COLUMN is `-` for a file or row problem. Values of personal columns (names, contact
  details, dates of birth, vulnerabilities, notes) are never echoed.
- Subfolders (the simulator's `truth/`) and files not ending `.csv` are ignored; any other
  top-level `.csv` file is an error, so a misspelt name is not silently dropped.
- Rows are identified by their ref; tenants by (tenancy_ref, person_ref), charges by
  (tenancy_ref, charge_code, effective_from), pauses by (tenancy_ref, reason, start_date);
  actions are a multiset of whole rows (k copies in the file, m in the database: k - m new).
- Only the columns a file has are compared or updated; an empty cell in a present column
  means "nothing" (so --update can clear a value). An import never deletes a row.
- The manifest is the single Landlord row: a different landlord_name is a change like any
  other (an empty one is filled in); exported_at is recorded as given, never a conflict.
- Each new row gets its first simple-history record, so a row's history starts at import.
- One import (or rent posting) writes at a time: a second waits for the first, then plans
  from what it committed (ledger.locks), so importing a folder twice at once stores it once.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from openincome.audit.log import record
from openincome.ledger.freshness import touched
from openincome.ledger.locks import WriteConflict, bulk_writer
from openincome.ledger.stamps import versions

from .errors import Error, ImportFailed
from .export import export_folder
from .load import FileCounts, Writer
from .plan import prepare

__all__ = [
    "Error",
    "ImportFailed",
    "ImportResult",
    "WriteConflict",
    "export_folder",
    "import_folder",
    "validate_folder",
]


@dataclass
class ImportResult:
    """What an import did, per file in load order."""

    folder: str
    files: dict[str, FileCounts] = field(default_factory=dict)
    # Tenancies whose engine inputs the import changed (their worklist rows are refreshed).
    touched: int = 0

    @property
    def total(self) -> FileCounts:
        """Counts summed over every file."""
        total = FileCounts()
        for counts in self.files.values():
            total.new += counts.new
            total.unchanged += counts.unchanged
            total.updated += counts.updated
        return total

    @property
    def wrote(self) -> bool:
        """Whether the import added or changed anything."""
        return bool(self.total.new or self.total.updated)

    def __str__(self) -> str:
        return "\n".join(self.summary_lines())

    def summary_lines(self) -> list[str]:
        """One line per file and a total, as the command prints them."""
        lines = [f"{name}: {_counts(c)}" for name, c in self.files.items()]
        return [*lines, f"total: {_counts(self.total)}"]


def _counts(c: FileCounts) -> str:
    text = f"{c.new:,} new, {c.unchanged:,} unchanged"
    return text + (f", {c.updated:,} updated" if c.updated else "")


def validate_folder(path: str | Path, update: bool = False) -> list[Error]:
    """Every problem importing this folder would report (nothing is written)."""
    return prepare(Path(path), update=update)[1]


# One import or rent posting at a time, planning under the lock: a second import of the same
# folder then finds the first's rows already there (no actions stored twice).
@bulk_writer("import")
def import_folder(
    path: str | Path, update: bool = False, actor: object = None, progress: bool = False
) -> ImportResult:
    """Import an interchange folder, all or nothing; raises ImportFailed listing every problem."""
    folder = Path(path)
    plans, errors = prepare(folder, update=update, progress=progress)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult(folder.resolve().name)
    why = f"import of interchange folder {result.folder}" + (" with --update" if update else "")
    work = sum(p.new.height + p.changed.height for p in plans)
    with (
        tqdm(
            total=work,
            unit="row",
            unit_scale=True,
            desc="writing",
            disable=not progress,
            leave=False,
            file=sys.stderr,
        ) as bar,
        transaction.atomic(),
    ):
        # The input versions say which tenancies' engine inputs the writes changed, whatever
        # file changed them (ledger.stamp_triggers).
        before = versions()
        writer = Writer(actor=actor, why=why, step=bar.update)
        for plan in plans:
            writer.write(plan)
        result.files = writer.counts
        if result.wrote:
            changed = [pk for pk, v in versions().items() if before.get(pk) != v]
            result.touched = len(changed)
            touched(changed)
            record(
                "import",
                actor=actor,
                object_type="interchange",
                object_ref=result.folder,
                why=why,
                details={name: c.as_dict() for name, c in result.files.items()},
            )
    return result
