"""Reading and checking a whole folder, then deciding what each row will do: new, unchanged,
changed (an update with --update, an error without), all before anything is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from tqdm import tqdm

from openincome.ledger.limits import REF_PATTERN
from openincome.ledger.models import Landlord

from .errors import NO_COLUMN, Error, Problems
from .existing import db_rows, existing_refs
from .read import read_table
from .schema import BY_NAME, CREATED_AS_NEEDED, FILES, ORDER, Column, FileSpec, format_expr
from .validate import Checked, check_table

TRANSACTIONS = "transactions.csv"
FOLDER_ORDER = -1  # problems with the folder itself come first


@dataclass
class FilePlan:
    """What importing one file will do."""

    checked: Checked
    new: pl.DataFrame
    changed: pl.DataFrame = field(default_factory=pl.DataFrame)
    # Names of the compared columns; `changed` has `<name>_db` and `_diff_<name>` for each.
    compared: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def spec(self) -> FileSpec:
        """The file's spec."""
        return self.checked.spec


def prepare(
    folder: Path, update: bool = False, progress: bool = False
) -> tuple[list[FilePlan], list[Error]]:
    """Read, check and plan every file of the folder; the plans are only usable without errors."""
    problems = Problems()
    if not folder.is_dir():
        problems.add(FOLDER_ORDER, str(folder), 0, NO_COLUMN, "not a folder")
        return [], problems.errors()
    paths = _folder_files(folder, problems)
    checked: dict[str, Checked] = {}
    clean: set[str] = set()
    size = sum(p.stat().st_size for p in paths.values())
    with tqdm(
        total=size, unit="B", unit_scale=True, desc="checking", disable=not progress, leave=False
    ) as bar:
        for spec in FILES:
            path = paths.get(spec.name)
            if path is None:
                continue
            before = problems.count()
            table = read_table(path, ORDER[spec.name], problems)
            if table is not None:
                checked[spec.name] = check_table(spec, table, ORDER[spec.name], problems)
            if problems.count() == before:
                clean.add(spec.name)
            bar.update(path.stat().st_size)
    _check_references(checked, problems)
    plans = []
    for name, item in checked.items():
        if name in clean and problems.count_for(ORDER[name]) == 0:
            plans.append(_plan(item, update, problems))
    return plans, problems.errors()


def _folder_files(folder: Path, problems: Problems) -> dict[str, Path]:
    """The interchange files at the top of the folder; subfolders (like truth/) are ignored."""
    paths: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        if path.name in BY_NAME:
            paths[path.name] = path
        elif path.suffix.lower() == ".csv":
            close = difflib.get_close_matches(path.name, list(BY_NAME), n=1)
            hint = f"did you mean {close[0]}?" if close else f"expected: {', '.join(BY_NAME)}"
            problems.add(FOLDER_ORDER, path.name, 0, NO_COLUMN, f"unknown file; {hint}")
    for spec in FILES:
        if spec.required and spec.name not in paths:
            problems.add(ORDER[spec.name], spec.name, 0, NO_COLUMN, "required file is missing")
    return paths


def _check_references(checked: dict[str, Checked], problems: Problems) -> None:
    """Every tenancy's property and every other row's tenancy exists in the folder or the DB."""
    for name, item in checked.items():
        for col in item.present:
            if col.fk is None or col.name in CREATED_AS_NEEDED:
                continue  # patches and officers are created as needed
            # The file of the rows referred to (a claim's steps and work refer to benefits.csv).
            parent = next((s.name for s in FILES if s.model_label == col.fk[0]),
                          "tenancies.csv")
            known = set()
            if parent in checked and checked[parent].has(col.name):
                known = set(checked[parent].raw[col.name].to_list())
            # Only well-formed refs are looked up (a NUL would fail PostgreSQL's query); the
            # others are already reported.
            valid = (pl.col(col.name) != "") & pl.col(col.name).str.contains(REF_PATTERN)
            mentioned = item.raw.filter(valid)[col.name].unique().to_list()
            missing = [ref for ref in mentioned if ref not in known]
            missing_set = set(missing) - existing_refs(col.fk[0], col.fk[1], missing)
            if not missing_set:
                continue
            what = {"property_ref": "property", "claim_ref": "claim"}.get(col.name, "tenancy")
            bad = item.raw.filter(pl.col(col.name).is_in(list(missing_set)))
            problems.add_frame(
                ORDER[name],
                name,
                bad,
                col.name,
                f"unknown {what} (not in {parent} or the database)",
                pl.col(col.name),
                item.positions[col.name],
            )


def _plan(item: Checked, update: bool, problems: Problems) -> FilePlan:
    spec = item.spec
    if spec.identity == "singleton":
        _check_landlord(item, update, problems)
        return FilePlan(item, new=item.typed)  # the manifest is written by the Writer
    if spec.identity == "multiset":
        return _plan_multiset(item)
    keys = list(spec.key)
    compared = [c for c in item.present if c.name not in keys]
    db = db_rows(spec, [spec.column(k) for k in keys] + compared, item.typed)
    if db.height == 0:
        return FilePlan(item, new=item.typed)
    joined = item.typed.join(
        db.with_columns(pl.lit(True).alias("_exists")),
        on=keys,
        how="left",
        suffix="_db",
        maintain_order="left",
    )
    diffs = [
        pl.col(c.name).ne_missing(pl.col(f"{c.name}_db")).alias(f"_diff_{c.name}") for c in compared
    ]
    exists = joined.filter(pl.col("_exists").is_not_null())
    if diffs:
        exists = exists.with_columns(diffs)
        changed = exists.filter(pl.any_horizontal([f"_diff_{c.name}" for c in compared]))
    else:
        changed = exists.clear()
    plan = FilePlan(
        item,
        new=joined.filter(pl.col("_exists").is_null()).select(item.typed.columns),
        changed=changed,
        compared=[c.name for c in compared],
        unchanged=exists.height - changed.height,
    )
    if changed.height and (not update or spec.name == TRANSACTIONS):
        _report_changes(plan, compared, problems)
    return plan


def _check_landlord(item: Checked, update: bool, problems: Problems) -> None:
    """A different landlord name is a change like any other (an empty one is filled in)."""
    landlord = Landlord.objects.order_by("pk").first()
    if update or landlord is None or not landlord.name or not item.has("landlord_name"):
        return
    name = item.raw["landlord_name"][0]
    if name and name != landlord.name:
        problems.add(
            ORDER[item.spec.name],
            item.spec.name,
            int(item.raw["_line"][0]),
            "landlord_name",
            f"the database has {landlord.name}; use --update to change it",
            name,
            item.positions["landlord_name"],
        )


def _plan_multiset(item: Checked) -> FilePlan:
    """Rows are their own key: k copies in the file and m in the database make k - m new."""
    spec = item.spec
    keys = [k for k in spec.key if item.has(k)]
    db = db_rows(spec, [spec.column(k) for k in keys], item.typed)
    typed = item.typed.with_columns(pl.int_range(pl.len()).over(keys).alias("_occurrence"))
    counts = db.group_by(keys).agg(pl.len().alias("_have"))
    # Whole rows are the key: an empty cell matches an empty cell.
    joined = typed.join(counts, on=keys, how="left", maintain_order="left", nulls_equal=True)
    new = joined.filter(pl.col("_occurrence") >= pl.col("_have").fill_null(0))
    return FilePlan(item, new=new.select(item.typed.columns), unchanged=typed.height - new.height)


def _report_changes(plan: FilePlan, compared: list[Column], problems: Problems) -> None:
    """One error per differing cell of an existing row."""
    spec, item = plan.spec, plan.checked
    order = ORDER[spec.name]
    ident = pl.concat_str([pl.col(k).cast(pl.String) for k in spec.key], separator="/")
    lines = plan.changed.select(
        "_line",
        ident.alias("_ident"),
        *[pl.col(f"_diff_{c.name}") for c in compared],
        *[
            format_expr(c.kind, pl.col(f"{c.name}_db")).fill_null("").alias(f"_was_{c.name}")
            for c in compared
        ],
    )
    raw = item.raw.join(lines, on="_line", how="inner", maintain_order="left")
    for col in compared:
        bad = raw.filter(pl.col(f"_diff_{col.name}"))
        if col.personal:
            was = pl.lit("a different value")
        else:
            was = (
                pl.when(pl.col(f"_was_{col.name}") == "")
                .then(pl.lit("it empty"))
                .otherwise(pl.col(f"_was_{col.name}"))
            )
        if spec.name == TRANSACTIONS:
            message = pl.format(
                "{} already exists with {}; transactions are never updated or deleted: "
                "a correction is a new transaction",
                pl.col("_ident"),
                was,
            )
        else:
            message = pl.format(
                "{} has {} in the database; use --update to change it", pl.col("_ident"), was
            )
        value = None if col.personal else pl.col(col.name).replace("", "empty")
        problems.add_frame(
            order, spec.name, bad, col.name, message, value, item.positions[col.name]
        )
