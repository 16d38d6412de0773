"""Rent postings at the same time: real `openincome post-rent` processes on a scratch database.

A holder connection keeps the database busy until the postings wait, so they always meet.
"""

import pytest

from tests.scratch import POSTGRES, scratch_copy

THROUGH = "2026-06-30"
POSTED = "SELECT count(*) FROM ledger_transaction WHERE transaction_ref LIKE 'POST-%'"


def test_two_postings_at_once_post_each_period_once(scratch, tmp_path):
    holder = scratch.connect()
    if POSTGRES:
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE ledger_transaction IN SHARE MODE")
    else:
        holder.execute("BEGIN IMMEDIATE")
    logs = [tmp_path / "post-1.log", tmp_path / "post-2.log"]
    procs = [scratch.start("post-rent", "--through", THROUGH, log=log) for log in logs]
    scratch.wait_until_blocked(2, logs, "waiting for another writer")
    holder.execute("COMMIT")
    codes = [p.wait(timeout=120) for p in procs]
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs
    (posted,) = scratch.query(POSTED)[0]
    assert posted > 0
    said = sorted(o.split("posted ")[1].split(" ")[0] for o in outputs)
    assert said == ["0", str(posted)], outputs


# SQLite: the posting takes the write lock before reading, so it waits for the other
# writer and then sees its row: there is no clash to lose.
@pytest.mark.skipif(not POSTGRES, reason="only PostgreSQL lets two writers clash")
def test_a_posting_that_loses_a_clash_is_told_and_exits_1(scratch, scratch_template, tmp_path):
    """Another writer commits one of the debits this posting is writing, first."""
    # The debits a posting would write, from a run on a copy of the same database.
    with scratch_copy(scratch_template, tmp_path / "other") as other:
        other.start("post-rent", "--through", THROUGH, log=tmp_path / "other.log").wait(120)
        (row,) = other.query(
            "SELECT transaction_ref, t.tenancy_ref, date, type, amount FROM ledger_transaction "
            "JOIN ledger_tenancy t ON t.id = tenancy_id "
            "WHERE transaction_ref LIKE 'POST-%' ORDER BY transaction_ref LIMIT 1")
    ref, tenancy_ref, date, tx_type, amount = row
    holder = scratch.connect()
    holder.execute("BEGIN")
    holder.execute(
        "INSERT INTO ledger_transaction (transaction_ref, tenancy_id, date, type, amount, "
        "description, created_at) SELECT %s, id, %s, %s, %s, '', now() FROM ledger_tenancy "
        "WHERE tenancy_ref = %s", (ref, date, tx_type, amount, tenancy_ref))
    log = tmp_path / "post.log"
    proc = scratch.start("post-rent", "--through", THROUGH, log=log)
    scratch.wait_until_blocked(1, [log], "")
    holder.execute("COMMIT")
    code = proc.wait(timeout=120)
    output = log.read_text()
    assert code == 1, output
    assert "another writer added some of the same rows while this rent posting ran" in output
    assert "Traceback" not in output and "UniqueViolation" not in output
    (posted,) = scratch.query(POSTED)[0]
    assert posted == 1  # the other writer's only: nothing of the losing run
