"""Writing the database out as an interchange folder (import -> export -> import is lossless).

Output is deterministic: every file of INTERCHANGE.md with its columns in the documented
order, rows sorted by ref or natural key, money in pounds with two decimals, UTF-8 with CRLF
line endings (as the csv module and the example folder write them), empty cells for nothing.
The manifest's exported_at is the stored one (the export the data came from) unless given,
so the same database always exports to the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from openincome.ledger.models import Landlord

from .existing import stream_rows
from .schema import FILES, FORMAT_VERSION, FileSpec, format_expr

LINE_END = "\r\n"


class ExportRefused(Exception):
    """The target folder is not empty (and force was not given) or is not a folder."""


# Optional files added to the format since INTERCHANGE.md v1 (see docs/interchange.md).
OPTIONAL_EXTENSIONS = {"rent_free_weeks.csv", "contacts.csv", "benefit_events.csv",
                       "verifications.csv", "payment_requests.csv", "dhp_applications.csv",
                       "hb_overpayments.csv"}


def export_folder(
    path: str | Path, force: bool = False, exported_at: str | None = None
) -> dict[str, int]:
    """Write every interchange file into the folder; returns the rows written per file.

    The folder is created if missing; an existing non-empty folder is refused unless `force`,
    which overwrites the interchange files and leaves anything else there alone.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ExportRefused(f"{folder} is not a folder")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise ExportRefused(f"{folder} is not empty; use --force to overwrite its files")
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for spec in FILES:
        if spec.name in OPTIONAL_EXTENSIONS and not spec.model.objects.exists():
            continue  # files beyond INTERCHANGE.md v1 are written only when they hold rows
        if spec.identity == "singleton":
            frames: Iterable[pl.DataFrame] = [_manifest(exported_at)]
        elif spec.identity == "multiset":
            # Same tenancy (or claim), same day: the order the rows were recorded in.
            frames = stream_rows(spec, [*(spec.export_order or ("tenancy_ref", "date")), "_pk"])
        else:
            frames = stream_rows(spec, [*(spec.export_order or spec.key), "_pk"])
        written[spec.name] = _write(folder / spec.name, spec, frames)
    return written


def _manifest(exported_at: str | None) -> pl.DataFrame:
    landlord = Landlord.objects.order_by("pk").first()
    name = landlord.name if landlord else ""
    stamp = exported_at if exported_at is not None else (landlord.exported_at if landlord else "")
    return pl.DataFrame(
        {"format_version": [FORMAT_VERSION], "landlord_name": [name], "exported_at": [stamp]}
    )


def _header(spec: FileSpec) -> pl.DataFrame:
    return pl.DataFrame(schema=dict.fromkeys(spec.names, pl.String))


def _write(path: Path, spec: FileSpec, frames: Iterable[pl.DataFrame]) -> int:
    """Write the header, then each frame's rows formatted as interchange text; the row count."""
    count = 0
    with path.open("wb") as out:
        out.write(_csv(_header(spec), header=True))
        for frame in frames:
            text = frame.select(
                format_expr(c.kind, pl.col(c.name)).alias(c.name) for c in spec.columns
            )
            out.write(_csv(text, header=False))
            count += frame.height
    return count


def _csv(frame: pl.DataFrame, header: bool) -> bytes:
    """CSV bytes with empty cells (not `""`) for empty strings and nulls."""
    frame = frame.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns
    )
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=header, null_value="", line_terminator=LINE_END)
    return buffer.getvalue()
