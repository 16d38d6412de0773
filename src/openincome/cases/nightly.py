"""The adapter around the engine: load frames, classify, store the worklist snapshot."""

from __future__ import annotations

import datetime
import io
import logging
import time
from collections.abc import Callable

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from openincome.audit.log import record
from openincome.engine import EngineInputs, classify
from openincome.engine.reasons import explain_all
from openincome.ledger.locks import begin_writing, lock_tenancies
from openincome.ledger.models import Landlord
from openincome.ledger.stamps import versions
from openincome.policy.store import params_in_force, version_in_force

from . import checkpoints
from .frames import load_frames
from .models import WorklistEntry, WorklistRun

log = logging.getLogger(__name__)


def classify_as_of(as_of: datetime.date, tenancy_ids: list[int] | None = None) -> pl.DataFrame:
    """The engine's result rows for every tenancy (or some) as of a date, not stored."""
    frames = load_frames(as_of, tenancy_ids)
    return classify(
        EngineInputs(**frames), params_in_force(as_of), as_of,
        rent_week_day=Landlord.current().rent_week_day,
    )


def with_sentences(result: pl.DataFrame, policy) -> pl.DataFrame:
    """The result with its reasons and blocked_by codes in words (explanations and
    block_explanations), as they are stored."""
    return result.with_columns(
        explanations=explain_all(result, "reasons", policy),
        block_explanations=explain_all(result, "blocked_by", policy),
    )


def _entry_values(row: dict, now, stamps=None) -> dict:
    """A stored worklist row's field values (by attribute name, bar the run) from a result row
    with its sentences (`with_sentences`)."""
    weeks = row["weeks_owed"]
    reasons = list(row["reasons"] or [])
    blocks = list(row["blocked_by"] or [])
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
        explanations=list(row["explanations"]),
        blocked_by=blocks,
        block_explanations=list(row["block_explanations"]),
        last_payment_date=row["last_payment_date"],
        inputs_version=(stamps or {}).get(row["tenancy_id"], 0),
        pause_reason=row["pause_reason"] or "",
        pause_until=row["pause_until"],
        priority=row["priority"],
        vulnerable=bool(row["vulnerable"]),
        updated_at=now,
    )


def _entry(run: WorklistRun, row: dict, now, stamps=None) -> WorklistEntry:
    return WorklistEntry(run=run, **_entry_values(row, now, stamps))


def _json_lists(column: str) -> pl.Expr:
    """A list column as JSON text (escaped by Polars' JSON encoder)."""
    prefix = len(f'{{"{column}":')
    encoded = pl.struct(pl.col(column).fill_null([])).struct.json_encode()
    return encoded.str.slice(prefix, encoded.str.len_chars() - prefix - 1)


def _store_entries(run: WorklistRun, result: pl.DataFrame, now, policy, stamps) -> None:
    """Write the run's rows: on PostgreSQL one CSV COPY built column by column in Polars,
    bulk_create elsewhere; the same values."""
    if connection.vendor != "postgresql":
        WorklistEntry.objects.bulk_create(
            (_entry(run, row, now, stamps)
             for row in with_sentences(result, policy).iter_rows(named=True)),
            batch_size=5000,
        )
        return
    if result.height == 0:
        return
    version = pl.DataFrame(
        {"tenancy_id": list(stamps), "inputs_version": list(stamps.values())},
        schema={"tenancy_id": pl.Int64, "inputs_version": pl.Int64},
    )
    fields = [f for f in WorklistEntry._meta.concrete_fields if not f.primary_key]
    rows = result.join(version, on="tenancy_id", how="left")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {WorklistEntry._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv)"
    from psycopg.copy import QueuedLibpqWriter  # PostgreSQL only

    # A slice at a time: the queued writer sends one slice (PostgreSQL storing it) while this
    # thread words the next one's sentences (each made once per distinct figures in a slice).
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            for part in rows.iter_slices(_STORE_SLICE):
                copy.write(_csv_rows(with_sentences(part, policy), run, now, fields))


_STORE_SLICE = 16_384


def _csv_rows(part: pl.DataFrame, run: WorklistRun, now, fields) -> bytes:
    """CSV of stored rows (in `fields` order) for a slice of result rows with their versions."""
    c = pl.col
    values = {
        "run_id": pl.lit(run.pk, dtype=pl.Int64),
        "tenancy_id": c("tenancy_id"),
        "patch": c("patch").fill_null(""),
        "tenure": c("tenure").fill_null(""),
        "balance": c("balance"),
        "arrears": c("arrears"),
        "technical_arrears": c("technical_arrears"),
        "actionable_arrears": c("actionable_arrears"),
        "weekly_charge": c("weekly_charge"),
        "weeks_owed_x100": (c("weeks_owed") * 100).round(0).cast(pl.Int64),
        "days_in_arrears": c("days_in_arrears"),
        "days_since_last_payment": c("days_since_last_payment"),
        "episode_start": c("episode_start"),
        "action": c("action"),
        "notice_kind": c("notice_kind").fill_null(""),
        "reasons": _json_lists("reasons"),
        "reason": c("reasons").list.first().fill_null(""),
        "explanations": _json_lists("explanations"),
        "blocked_by": _json_lists("blocked_by"),
        "pause_reason": c("pause_reason").fill_null(""),
        "pause_until": c("pause_until"),
        "priority": c("priority"),
        "vulnerable": c("vulnerable").fill_null(False),
        "updated_at": pl.lit(now.isoformat()),
        "last_payment_date": c("last_payment_date"),
        "block_explanations": _json_lists("block_explanations"),
        "inputs_version": c("inputs_version").fill_null(0),
    }
    if sorted(values) != sorted(f.attname for f in fields):
        raise RuntimeError("the worklist COPY does not name every stored field")
    buf = io.BytesIO()
    # Empty strings are written quoted and nulls as nothing, which COPY reads back as such.
    part.select(**{f.attname: values[f.attname] for f in fields}).write_csv(
        buf, include_header=False)
    return buf.getvalue()


AfterRun = Callable[[WorklistRun, Callable[[str], None]], None]
_after_run: list[AfterRun] = []


def add_after_run(hook: AfterRun) -> None:
    """Run `hook(run, progress)` after each nightly run is stored (an app above cases, such as
    letters' automatic sends, registers one when Django starts; cases imports none of them)."""
    if hook not in _after_run:
        _after_run.append(hook)


def _run_after(run: WorklistRun, progress: Callable[[str], None]) -> None:
    """The registered hooks, each on its own: the stored run stands whatever one does, and a
    failure is logged and reported, never silent."""
    for hook in _after_run:
        try:
            hook(run, progress)
        except Exception as exc:  # noqa: BLE001 - the run is stored; the failure is reported
            log.exception("after the nightly run of %s: %s failed", run.as_of,
                          getattr(hook, "__qualname__", hook))
            progress(f"after the run: {type(exc).__name__}: {exc}")
            record("nightly_after_run_failed", object_type="worklist",
                   object_ref=str(run.as_of), why=f"{type(exc).__name__}: {exc}"[:300],
                   details={"hook": getattr(hook, "__qualname__", str(hook))})


def run_nightly(as_of: datetime.date, actor=None,
                progress: Callable[[str], None] = lambda _: None, *,
                after_run: bool = False) -> WorklistRun:
    """Classify every tenancy as of a date and store the snapshot (replacing that date's).

    Reads from the latest balance checkpoint when one is usable, and moves it forward;
    `progress` hears each step as it starts. With `after_run` (the scheduled nightly), the
    registered after-run hooks follow (automatic sends); a run made only to be read does not.
    """
    started = time.perf_counter()
    policy = version_in_force(as_of)
    params = params_in_force(as_of)
    rent_week_day = Landlord.current().rent_week_day
    # Input versions first: a change committed after this read bumps past what is stored.
    stamps = versions()
    done = checkpoints.classify_all(as_of, params, rent_week_day, progress)
    result = done.result
    now = timezone.now()
    with transaction.atomic():
        begin_writing()
        if connection.vendor == "postgresql":
            # The snapshot can always be made again: no need to wait for its WAL to reach disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        replaced = list(WorklistRun.objects.filter(as_of=as_of).values_list("pk", flat=True))
        WorklistRun.objects.filter(as_of=as_of).delete()
        run = WorklistRun.objects.create(
            as_of=as_of, policy_name=policy.name, policy_version=policy,
            rent_week_day=rent_week_day,
            checkpoint_as_at=done.checkpoint.as_at if done.checkpoint else None,
        )
        progress(f"storing {result.height:,} worklist rows"
                 + (" and a new balance checkpoint" if done.openings is not None else ""))
        _store_entries(run, result, now, params, stamps)
        if done.openings is not None:
            checkpoints.store(done.opening_as_at, done.mark, params, done.openings,
                              done.histories)
        run.tenancies = result.height
        run.seconds = round(time.perf_counter() - started, 3)
        run.finished_at = timezone.now()
        run.save()
        record("nightly_run", actor=actor, object_type="worklist", object_ref=str(as_of),
               details={"tenancies": run.tenancies, "seconds": run.seconds,
                        "policy": policy.name,
                        "checkpoint": str(run.checkpoint_as_at or "none (full read)"),
                        "read_in_full": len(done.read_in_full)})
    if replaced:
        # An officer's re-score that waited on the old rows may have written into the old run.
        WorklistEntry.objects.filter(run_id__in=replaced).delete()
    _recheck(run, stamps, progress)
    if after_run:
        _run_after(run, progress)
    return run


_RECHECK_ROUNDS = 3


def _recheck(run: WorklistRun, stamps: dict[int, int],
             progress: Callable[[str], None]) -> None:
    """Classify again the tenancies whose inputs changed while the run read and stored them
    (an import or an officer's action committed meanwhile), until none did (a few rounds)."""
    for _ in range(_RECHECK_ROUNDS):
        now = versions()
        changed = sorted(pk for pk, v in now.items() if stamps.get(pk, 0) != v)
        if not changed:
            return
        progress(f"classifying again {len(changed):,} "
                 f"{'tenancy' if len(changed) == 1 else 'tenancies'} changed during the run")
        _reclassify_chunks(run, changed)
        stamps = now


# Every stored field but the key (run, tenancy) and the id.
_UPSERTED = [f.name for f in WorklistEntry._meta.concrete_fields
             if not f.primary_key and f.name not in ("run", "tenancy")]


_REFRESH_CHUNK = 5000


def _reclassify_chunks(run: WorklistRun, tenancy_ids: list[int]) -> None:
    """Classify these tenancies again and replace their rows in the run, a chunk at a time.

    Each chunk holds its tenancies' locks while it reads and writes, as an officer's action
    does, so the two wait for each other instead of storing a row twice or an older one last.
    """
    params = params_in_force(run.as_of)
    for start in range(0, len(tenancy_ids), _REFRESH_CHUNK):
        ids = tenancy_ids[start : start + _REFRESH_CHUNK]
        with transaction.atomic():
            lock_tenancies(ids)
            stamps = versions(ids)  # before the inputs, as in run_nightly
            result = classify_as_of(run.as_of, ids)
            WorklistEntry.objects.filter(run=run, tenancy_id__in=ids).delete()
            _store_entries(run, result, timezone.now(), params, stamps)


def refresh(tenancy_ids: list[int], as_of: datetime.date | None = None) -> None:
    """Classify these tenancies again in the stored run as of `as_of` (when there is one) and
    in the latest run: the freshness hook's work once a change has committed."""
    runs = {run.pk: run for run in WorklistRun.objects.order_by("-as_of")[:1]}
    if as_of is not None:
        runs.update({run.pk: run for run in WorklistRun.objects.filter(as_of=as_of)})
    for run in runs.values():
        _reclassify_chunks(run, tenancy_ids)
        WorklistRun.objects.filter(pk=run.pk).update(tenancies=run.entries.count())
    if len(tenancy_ids) >= _REFRESH_CHUNK and runs:
        record("worklist_refreshed", object_type="worklist",
               object_ref=", ".join(str(run.as_of) for run in runs.values()),
               details={"tenancies": len(tenancy_ids)})


def ensure_run(as_of: datetime.date, actor=None) -> WorklistRun:
    """The stored run for a date, running the classification first when there is none."""
    return WorklistRun.objects.filter(as_of=as_of).first() or run_nightly(as_of, actor)
