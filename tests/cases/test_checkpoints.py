"""Balance checkpoints: a run that starts from one stores exactly what a full read would.

Run on SQLite and PostgreSQL on a small simulated landlord. Each test compares the worklist
rows of a run that used a checkpoint with the rows of a plain full read of the same data.
"""

import datetime

import polars as pl
import pytest

from openincome.cases import checkpoints
from openincome.cases.models import Checkpoint, Opening, WorklistEntry, WorklistRun
from openincome.cases.nightly import classify_as_of, run_nightly
from openincome.cases.queries import stored_row
from openincome.engine.openings import checkpoint_lag
from openincome.ledger.models import Tenancy, Transaction
from openincome.policy.defaults import DEFAULT_POLICY
from openincome.policy.store import params_in_force

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 11, 22)
DAY = datetime.timedelta(days=1)
LAG = checkpoint_lag(DEFAULT_POLICY)
# Compared without the stored row's bookkeeping (ids, run, time written, input version).
SKIP = {"id", "run_id", "updated_at", "inputs_version"}


def stored(as_of: datetime.date) -> list[tuple]:
    fields = [f.attname for f in WorklistEntry._meta.concrete_fields if f.attname not in SKIP]
    return sorted(WorklistEntry.objects.filter(run__as_of=as_of).values_list(*fields))


def full_read_rows(as_of: datetime.date) -> list[tuple]:
    """The rows a run stores with no checkpoint at all (then put the checkpoints back)."""
    kept = list(Checkpoint.objects.values_list("pk", flat=True))
    Checkpoint.objects.filter(pk__in=kept).update(policy_key="set aside")
    try:
        run = run_nightly(as_of)
        assert run.checkpoint_as_at is None
        return stored(as_of)
    finally:
        Checkpoint.objects.filter(policy_key="set aside").update(
            policy_key=checkpoints.policy_key(params_in_force(as_of)))


def post(tenancy: Tenancy, on: datetime.date, amount: int, ref: str) -> None:
    tx_type = "adjustment_debit" if amount > 0 else "adjustment_credit"
    Transaction.objects.create(transaction_ref=ref, tenancy=tenancy, date=on, type=tx_type,
                               amount=amount)


def test_the_first_run_reads_everything_and_takes_a_checkpoint(simulated):
    run = run_nightly(D)
    assert run.checkpoint_as_at is None
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.as_at == D - LAG * DAY
    assert checkpoint.high_water == Transaction.objects.order_by("-id").first().id
    # One opening per tenancy with a transaction on or before the checkpoint date.
    with_rows = Tenancy.objects.filter(transactions__date__lte=checkpoint.as_at).distinct()
    assert Opening.objects.filter(checkpoint=checkpoint).count() == with_rows.count() > 0


def test_a_run_from_the_checkpoint_stores_what_a_full_read_stores(simulated):
    run_nightly(D)
    tenancy = Tenancy.objects.order_by("pk")[3]
    post(tenancy, D + DAY, 12_345, "NEXT-DAY-1")
    run = run_nightly(D + DAY)
    assert run.checkpoint_as_at == D - LAG * DAY
    from_checkpoint = stored(D + DAY)
    assert from_checkpoint == full_read_rows(D + DAY)
    assert len(from_checkpoint) == Tenancy.objects.count()


def test_a_backdated_correction_sends_its_tenancy_back_to_a_full_read(simulated):
    run_nightly(D)
    checkpoint = Checkpoint.objects.get()
    tenancy = Tenancy.objects.filter(
        transactions__date__lte=checkpoint.as_at).distinct().order_by("pk")[2]
    # Dated well before the checkpoint, added after it was taken.
    post(tenancy, checkpoint.as_at - 100 * DAY, 50_000, "BACKDATED-1")
    assert checkpoints.late_tenancies(checkpoint) == [tenancy.pk]
    done = checkpoints.classify_all(D + DAY, params_in_force(D + DAY), 0)
    assert tenancy.pk in done.read_in_full
    run_nightly(D + DAY)
    assert stored(D + DAY) == full_read_rows(D + DAY)


def test_tenancies_the_engine_asks_history_for_are_read_in_full(simulated, monkeypatch):
    """Even when history_needed misses one, the engine says so and the run reads it in full."""
    run_nightly(D)
    monkeypatch.setattr(checkpoints, "history_needed", lambda *args: [])
    # Every tenancy whose moratorium debt needs a balance from before the checkpoint.
    checkpoint = Checkpoint.objects.get()
    tenancy = Tenancy.objects.order_by("pk")[5]
    tenancy.pauses.create(reason="breathing_space_standard",
                          start_date=checkpoint.as_at - 10 * DAY)
    done = checkpoints.classify_all(D + DAY, params_in_force(D + DAY), 0)
    assert tenancy.pk in done.read_in_full
    expected = classify_as_of(D + DAY)
    assert done.result.equals(expected)


def test_the_checkpoint_moves_forward_weekly_and_only_the_latest_is_kept(simulated):
    run_nightly(D)
    first = Checkpoint.objects.get()
    for days in range(1, 7):
        run_nightly(D + days * DAY)
        assert Checkpoint.objects.get() == first
    run = run_nightly(D + 7 * DAY)
    assert run.checkpoint_as_at == first.as_at  # read from the old one, then moved it
    moved = Checkpoint.objects.get()
    assert moved.as_at == D + 7 * DAY - LAG * DAY
    run_nightly(D + 8 * DAY)
    assert stored(D + 8 * DAY) == full_read_rows(D + 8 * DAY)


def test_old_breathing_spaces_and_court_orders_keep_their_history_with_the_checkpoint(
    simulated,
):
    """Tenancies whose figures reach behind the checkpoint keep their older rows with it, and
    a run reading those kept rows stores what a full read stores."""
    from openincome.cases.models import OpeningHistory

    tenancy = Tenancy.objects.filter(transactions__date__lte=D - 200 * DAY).distinct()[4]
    tenancy.pauses.create(reason="breathing_space_mental_health", start_date=D - 120 * DAY)
    run_nightly(D)
    kept = OpeningHistory.objects.get(tenancy=tenancy)
    rows = tenancy.transactions.filter(date__lte=Checkpoint.objects.get().as_at).count()
    assert len(kept.days) // 4 == rows > 0
    done = checkpoints.classify_all(D + DAY, params_in_force(D + DAY), 0)
    assert tenancy.pk in done.read_in_full
    run_nightly(D + DAY)
    assert stored(D + DAY) == full_read_rows(D + DAY)


def test_a_run_for_an_earlier_date_reads_in_full_and_keeps_the_newer_checkpoint(simulated):
    run_nightly(D)
    checkpoint = Checkpoint.objects.get()
    run = run_nightly(D - 20 * DAY)
    assert run.checkpoint_as_at is None
    assert Checkpoint.objects.get() == checkpoint


def test_a_policy_that_counts_other_types_as_payments_does_not_use_the_checkpoint(simulated):
    run_nightly(D)
    other = DEFAULT_POLICY.replace(payment_types=tuple(DEFAULT_POLICY.payment_types)[:-1])
    assert checkpoints.usable(D + DAY, DEFAULT_POLICY) is not None
    assert checkpoints.usable(D + DAY, other) is None


def test_an_empty_database_runs_and_takes_an_empty_checkpoint():
    run = run_nightly(D)
    assert run.tenancies == 0
    assert WorklistRun.objects.count() == 1
    assert Opening.objects.count() == 0
    assert run_nightly(D + DAY).tenancies == 0


# --- the account page's stored row ----------------------------------------------------------


def test_the_stored_row_stands_while_nothing_changes_and_not_after(simulated):
    run_nightly(D)
    first, second = Tenancy.objects.order_by("pk")[:2]
    row = stored_row(first, D)
    live = classify_as_of(D, [first.pk]).row(0, named=True)
    assert row is not None
    for name in ("balance", "arrears", "action", "reasons", "blocked_by",
                 "last_payment_date", "days_since_last_payment", "weekly_charge"):
        assert row[name] == live[name], name
    post(first, D - 3 * DAY, 7_000, "CHANGE-1")
    assert stored_row(first, D) is None  # its inputs changed
    assert stored_row(second, D) is not None  # another tenancy's did not


def test_refreshing_after_an_action_makes_the_stored_row_current_again(simulated):
    from openincome.cases.nightly import refresh

    run_nightly(D)
    tenancy = Tenancy.objects.order_by("pk")[1]
    tenancy.actions.create(date=D, code="reminder_sent")
    assert stored_row(tenancy, D) is None
    refresh([tenancy.pk], D)
    live = classify_as_of(D, [tenancy.pk]).row(0, named=True)
    row = stored_row(tenancy, D)
    assert row is not None and row["action"] == live["action"]


def test_a_policy_version_taking_over_makes_stored_rows_stale(simulated):
    from openincome.policy.actions import add_version

    run_nightly(D)
    tenancy = Tenancy.objects.order_by("pk").first()
    assert stored_row(tenancy, D) is not None
    add_version(DEFAULT_POLICY, D - DAY, actor=None)
    assert stored_row(tenancy, D) is None


def test_rows_of_a_run_read_from_a_checkpoint_are_frames_equal_to_a_full_classification(
    simulated,
):
    run_nightly(D)
    done = checkpoints.classify_all(D + 3 * DAY, params_in_force(D + 3 * DAY), 0)
    assert done.checkpoint is not None
    assert done.result.equals(classify_as_of(D + 3 * DAY))
    assert isinstance(done.result, pl.DataFrame)


def test_refreshing_a_run_remakes_only_the_rows_of_the_tenancies_named(simulated):
    from openincome.cases.nightly import refresh

    run_nightly(D)
    changed, other = Tenancy.objects.order_by("pk")[:2]
    other_row = WorklistEntry.objects.get(run__as_of=D, tenancy=other)
    post(changed, D - 2 * DAY, 4_321, "DAYTIME-1")
    assert stored_row(changed, D) is None
    refresh([changed.pk], D)
    row = stored_row(changed, D)
    live = classify_as_of(D, [changed.pk]).row(0, named=True)
    assert row is not None and row["balance"] == live["balance"]
    assert WorklistEntry.objects.get(run__as_of=D, tenancy=other).pk == other_row.pk
    assert stored(D) == full_read_rows(D)
