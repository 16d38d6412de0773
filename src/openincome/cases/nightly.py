"""The adapter around the engine: load frames, classify, store the worklist snapshot."""

from __future__ import annotations

import datetime
import json
import time

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from openincome.audit.log import record
from openincome.engine import EngineInputs, classify
from openincome.engine.reasons import explain
from openincome.ledger.models import Landlord, Tenancy
from openincome.policy.store import params_in_force, version_in_force

from .frames import load_frames
from .models import WorklistEntry, WorklistRun


def classify_as_of(as_of: datetime.date, tenancy_ids: list[int] | None = None) -> pl.DataFrame:
    """The engine's result rows for every tenancy (or some) as of a date, not stored."""
    frames = load_frames(as_of, tenancy_ids)
    return classify(
        EngineInputs(**frames), params_in_force(as_of), as_of,
        rent_week_day=Landlord.current().rent_week_day,
    )


def _entry_values(row: dict, now, policy=None) -> dict:
    """A stored worklist row's field values (by attribute name, bar the run) from a result row."""
    weeks = row["weeks_owed"]
    reasons = list(row["reasons"] or [])
    return dict(
        tenancy_id=row["tenancy_id"],
        patch=row["patch"] or "",
        tenure=row["tenure"] or "",
        balance=row["balance"],
        arrears=row["arrears"],
        technical_arrears=row["technical_arrears"],
        actionable_arrears=row["actionable_arrears"],
        weekly_charge=row["weekly_charge"],
        weeks_owed_x100=None if weeks is None else round(weeks * 100),
        days_in_arrears=row["days_in_arrears"],
        days_since_last_payment=row["days_since_last_payment"],
        episode_start=row["episode_start"],
        action=row["action"],
        notice_kind=row["notice_kind"] or "",
        reasons=reasons,
        reason=reasons[0] if reasons else "",
        explanations=[explain(code, row, policy) for code in reasons],
        blocked_by=list(row["blocked_by"] or []),
        pause_reason=row["pause_reason"] or "",
        pause_until=row["pause_until"],
        priority=row["priority"],
        vulnerable=bool(row["vulnerable"]),
        updated_at=now,
    )


def _entry(run: WorklistRun, row: dict, now, policy=None) -> WorklistEntry:
    return WorklistEntry(run=run, **_entry_values(row, now, policy))


def _store_entries(run: WorklistRun, result: pl.DataFrame, now, policy) -> None:
    """Write the run's rows: COPY on PostgreSQL (the same values, without the ORM's per-field
    preparation, which cost most of the nightly's storing time), bulk_create elsewhere."""
    rows = result.iter_rows(named=True)
    if connection.vendor != "postgresql":
        WorklistEntry.objects.bulk_create(
            (_entry(run, row, now, policy) for row in rows), batch_size=5000
        )
        return
    fields = [f for f in WorklistEntry._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields if f.attname != "run_id"]
    # JSONField stores json.dumps(value) (no encoder is set on these fields).
    as_json = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields
                        if f.attname != "run_id")
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {WorklistEntry._meta.db_table} (run_id, {columns}) FROM STDIN"
    ) as copy:
        for row in rows:
            values = _entry_values(row, now, policy)
            copy.write_row([run.pk, *(json.dumps(values[n]) if n in as_json else values[n]
                                      for n in names)])


def run_nightly(as_of: datetime.date, actor=None) -> WorklistRun:
    """Classify every tenancy as of a date and store the snapshot (replacing that date's)."""
    started = time.perf_counter()
    result = classify_as_of(as_of)
    policy = version_in_force(as_of)
    params = params_in_force(as_of)
    now = timezone.now()
    with transaction.atomic():
        WorklistRun.objects.filter(as_of=as_of).delete()
        run = WorklistRun.objects.create(as_of=as_of, policy_name=policy.name)
        _store_entries(run, result, now, params)
        run.tenancies = result.height
        run.seconds = round(time.perf_counter() - started, 3)
        run.finished_at = timezone.now()
        run.save()
        record("nightly_run", actor=actor, object_type="worklist", object_ref=str(as_of),
               details={"tenancies": run.tenancies, "seconds": run.seconds,
                        "policy": policy.name})
    return run


def reclassify(tenancy: Tenancy, as_of: datetime.date) -> dict:
    """Classify one tenancy now (after an officer acts) and update its stored worklist row.

    The result is the row the nightly run would give for this tenancy as of the same date.
    """
    result = classify_as_of(as_of, [tenancy.pk])
    row = result.row(0, named=True)
    run = WorklistRun.objects.filter(as_of=as_of).first()
    if run is not None:
        with transaction.atomic():
            WorklistEntry.objects.filter(run=run, tenancy=tenancy).delete()
            _entry(run, row, timezone.now(), params_in_force(as_of)).save()
    return row


def ensure_run(as_of: datetime.date, actor=None) -> WorklistRun:
    """The stored run for a date, running the classification first when there is none."""
    return WorklistRun.objects.filter(as_of=as_of).first() or run_nightly(as_of, actor)
