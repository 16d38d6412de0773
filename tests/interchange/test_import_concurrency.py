"""Imports at the same time: real `openincome import` processes on a database of their own.

A holder connection keeps the database busy (SQLite's write lock; on PostgreSQL a table lock
on the actions) until both imports are waiting, so they always meet at the racy moment.
"""

import shutil

import pytest

from tests.scratch import POSTGRES

EXTRA_ACTIONS = [
    "EX-0001,2026-03-16,letter_1_sent,letter,",
    "EX-0001,2026-03-23,contact_attempted,phone,",
    "EX-0001,2026-03-23,contact_attempted,phone,",  # a second, identical row: a multiset
]


def folder_with_more_actions(example_folder, tmp_path):
    folder = tmp_path / "more"
    shutil.copytree(example_folder, folder)
    with (folder / "actions.csv").open("a", newline="") as f:
        f.write("".join(f"{line}\r\n" for line in EXTRA_ACTIONS))
    return folder


def hold(scratch):
    """A connection keeping the imports from writing until it commits."""
    conn = scratch.connect()
    if POSTGRES:
        conn.execute("BEGIN")
        conn.execute("LOCK TABLE ledger_recordedaction IN SHARE MODE")
    else:
        conn.execute("BEGIN IMMEDIATE")
    return conn


def test_two_imports_of_the_same_actions_at_once_store_each_row_once(
    scratch, example_folder, tmp_path
):
    folder = folder_with_more_actions(example_folder, tmp_path)
    (before,) = scratch.query("SELECT count(*) FROM ledger_recordedaction")[0]
    holder = hold(scratch)
    logs = [tmp_path / "import-1.log", tmp_path / "import-2.log"]
    procs = [scratch.start("import", str(folder), log=log) for log in logs]
    scratch.wait_until_blocked(2, logs, "waiting for another writer")
    holder.execute("COMMIT")
    codes = [p.wait(timeout=120) for p in procs]
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs
    (after,) = scratch.query("SELECT count(*) FROM ledger_recordedaction")[0]
    assert after - before == len(EXTRA_ACTIONS)
    lines = sorted(next(x for x in o.splitlines() if x.startswith("actions.csv")) for o in outputs)
    assert lines[0].startswith("actions.csv: 0 new")
    assert lines[1].startswith(f"actions.csv: {len(EXTRA_ACTIONS)} new")


# SQLite: the import takes the write lock before reading, so it waits for the other
# writer and then sees its row: there is no clash to lose.
@pytest.mark.skipif(not POSTGRES, reason="only PostgreSQL lets two writers clash")
def test_the_loser_of_a_clash_with_another_writer_is_told_and_exits_1(
    scratch, example_folder, tmp_path
):
    """Another writer (an officer saving a claim) adds the claim ref this import adds."""
    folder = tmp_path / "claim"
    shutil.copytree(example_folder, folder)
    with (folder / "benefits.csv").open("a", newline="") as f:
        f.write("UC-RACE,EX-0001,uc,claimed,2026-03-02,,,\r\n")
    header = (folder / "benefits.csv").read_text().splitlines()[0]
    assert header.count(",") == 7, header
    (tenancy,) = scratch.query(
        "SELECT id FROM ledger_tenancy WHERE tenancy_ref = 'EX-0001'")[0]
    holder = scratch.connect()
    holder.execute("BEGIN")
    holder.execute(
        "INSERT INTO ledger_benefitclaim (claim_ref, tenancy_id, benefit, status, status_date, "
        "frequency) VALUES ('UC-RACE', %s, 'uc', 'claimed', '2026-03-02', '')", (tenancy,))
    log = tmp_path / "import.log"
    proc = scratch.start("import", str(folder), log=log)
    scratch.wait_until_blocked(1, [log], "")
    holder.execute("COMMIT")
    code = proc.wait(timeout=120)
    output = log.read_text()
    assert code == 1, output
    assert "another writer added some of the same rows" in output
    assert "Run it again" in output
    assert "Traceback" not in output and "UniqueViolation" not in output
