"""Writing a checked plan: bulk inserts (COPY for transactions on PostgreSQL), audited updates.

The caller holds the transaction; nothing here commits. Rows go in file by file, parents first,
so each file can map its refs to the ids just written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import models
from django.utils import timezone

from openincome.audit.log import record
from openincome.ledger.models import Landlord, Patch
from openincome.ledger.vocab import CREDIT_TYPES
from openincome.staff.actions import add_officers_named_in_import

from .bulk import fetch_by, insert_frame
from .existing import existing_refs, id_frame
from .plan import FilePlan
from .schema import Column, FileSpec, format_value

CHANGE_REASON = "interchange import"


@dataclass
class FileCounts:
    """What one file did: rows added, rows already there, rows updated (--update)."""

    new: int = 0
    unchanged: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        """Plain dict for the audit trail."""
        return {"new": self.new, "unchanged": self.unchanged, "updated": self.updated}


@dataclass
class Writer:
    """Writes plans in order, remembering counts; `step` advances a progress bar."""

    actor: object
    why: str
    step: Callable[[int], object] = lambda n: None
    counts: dict[str, FileCounts] = field(default_factory=dict)

    def write(self, plan: FilePlan) -> None:
        """Write one file's new rows and (with --update) its changed rows."""
        spec = plan.spec
        counts = FileCounts(unchanged=plan.unchanged)
        if spec.identity == "singleton":
            self._manifest(plan, counts)
        else:
            self._insert(spec, plan.checked.present, self._with_ids(spec, plan.new))
            counts.new = plan.new.height
            counts.updated = self._update(plan) if plan.changed.height else 0
        self.counts[spec.name] = counts

    def _with_ids(self, spec: FileSpec, frame: pl.DataFrame) -> pl.DataFrame:
        """Add `<field>_id` for each foreign-key column, creating patches as needed."""
        for col in spec.columns:
            if col.fk is None or col.name not in frame.columns:
                continue
            refs = frame[col.name].unique().to_list()
            if col.name == "patch":
                _create_patches(refs)
            elif col.name == "officer":
                add_officers_named_in_import(refs, self.actor, self.why)
            ids = id_frame(col.fk[0], col.fk[1], refs).rename(
                {"_ref": col.name, "_id": f"{col.model_field}_id"}
            )
            frame = frame.join(ids, on=col.name, how="left", maintain_order="left")
        return frame

    def _insert(self, spec: FileSpec, present: list[Column], frame: pl.DataFrame) -> None:
        """Insert new rows in bulk, with their first simple-history record where kept."""
        model = spec.model
        data = frame.select(
            pl.col(_attname(c)) if c.fk else pl.col(c.name).alias(c.model_field) for c in present
        )
        if spec.name == "transactions.csv":
            # The interchange gives the sign by the type; the ledger stores signed pence.
            credit = pl.col("type").is_in(list(CREDIT_TYPES))
            data = data.with_columns(
                pl.when(credit).then(-pl.col("amount")).otherwise(pl.col("amount"))
            )
        # One stamp for the rows' auto_now(_add) fields and their first history records.
        stamp = timezone.now()
        auto = {f.attname: stamp for f in model._meta.concrete_fields
                if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)}
        insert_frame(model, data, fixed=auto, step=self.step)
        if hasattr(model, "history"):
            keys = [_attname(spec.column(k)) for k in spec.key]
            _insert_history(model, data, keys, multiset=spec.identity == "multiset", fixed=auto)

    def _update(self, plan: FilePlan) -> int:
        """Apply changed rows one by one (few, and each is audited with old and new values)."""
        spec, model = plan.spec, plan.spec.model
        changed = self._with_ids(spec, plan.changed)
        for row in changed.iter_rows(named=True):
            lookup = {spec.column(k).lookup: row[k] for k in spec.key}
            obj = model.objects.get(**lookup)
            changes = {}
            for name in plan.compared:
                if not row[f"_diff_{name}"]:
                    continue
                col = spec.column(name)
                setattr(obj, _attname(col), row[_attname(col)] if col.fk else row[name])
                changes[name] = {
                    "old": format_value(col.kind, row[f"{name}_db"]),
                    "new": format_value(col.kind, row[name]),
                }
            obj._change_reason = CHANGE_REASON
            obj.save()
            record(
                "import_update",
                actor=self.actor,
                object_type=model._meta.model_name,
                object_ref="/".join(format_value("", row[k]) for k in spec.key),
                why=self.why,
                details={"file": spec.name, "line": row["_line"], "changes": changes},
            )
        self.step(changed.height)
        return changed.height

    def _manifest(self, plan: FilePlan, counts: FileCounts) -> None:
        """The manifest is the single Landlord row: name compared, exported_at kept as given."""
        row = plan.new.row(0, named=True)
        name, exported = row.get("landlord_name"), row.get("exported_at")
        landlord = Landlord.objects.order_by("pk").first()
        if landlord is None:
            Landlord.objects.create(name=name or "", exported_at=exported or "")
            counts.new = 1
            self.step(1)
            return
        changes = {}
        if name and name != landlord.name:
            changes["landlord_name"] = {"old": landlord.name, "new": name}
            landlord.name = name
        # exported_at says which export the data came from: provenance, never a conflict.
        stamp_changed = exported is not None and exported != landlord.exported_at
        if stamp_changed:
            landlord.exported_at = exported
        if changes or stamp_changed:
            landlord._change_reason = CHANGE_REASON
            landlord.save()
        if changes:
            record(
                "import_update",
                actor=self.actor,
                object_type="landlord",
                object_ref=str(landlord.pk),
                why=self.why,
                details={"file": "manifest.csv", "line": row["_line"], "changes": changes},
            )
        counts.updated, counts.unchanged = (1, 0) if changes else (0, 1)
        self.step(1)


def _attname(col: Column) -> str:
    return f"{col.model_field}_id" if col.fk else col.model_field


def _create_patches(codes: list[str]) -> None:
    have = existing_refs("ledger.Patch", "code", codes)
    missing = pl.DataFrame({"code": sorted(set(codes) - have)}, schema={"code": pl.String})
    insert_frame(Patch, missing)
    _insert_history(Patch, missing, ["code"])


def _insert_history(model: type[models.Model], data: pl.DataFrame, keys: list[str],
                    multiset: bool = False, fixed: dict | None = None) -> None:
    """Each new row's first simple-history record ("+"), so its history starts at the import."""
    if data.height == 0:
        return
    ids = fetch_by(model, ["id", *keys], keys[0], data[keys[0]].unique().to_list())
    if multiset:
        # Whole rows are the key and may repeat (two unanswered calls on one day): the k rows
        # just inserted for a key are its k highest ids, the same row k times over.
        new = data.group_by(keys).agg(pl.len().alias("_new"))
        ids = (ids.join(new, on=keys, how="inner", nulls_equal=True)
               .filter(pl.col("id").rank("ordinal").over(keys)
                       > pl.len().over(keys) - pl.col("_new"))
               .drop("_new"))
        data = data.unique(keys)
    rows = data.join(ids, on=keys, how="inner", nulls_equal=True)
    fixed = {
        **(fixed or {}),
        "history_date": timezone.now(),
        "history_type": "+",
        "history_change_reason": CHANGE_REASON,
    }
    insert_frame(model.history.model, rows, fixed)
