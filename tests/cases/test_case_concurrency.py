"""Officers and the nightly run at the same time, on a scratch database of their own.

A holder connection in the test keeps the database busy at the racy moment, so the race is
met every time rather than once in eight.
"""

import json

from tests.scratch import AS_OF, POSTGRES

TENANCY = "EX-0002"
ENTRY = (
    "SELECT e.inputs_version, e.balance, COALESCE(s.version, 0) FROM cases_worklistentry e "
    "JOIN cases_worklistrun r ON r.id = e.run_id JOIN ledger_tenancy t ON t.id = e.tenancy_id "
    "LEFT JOIN ledger_tenancystamp s ON s.tenancy_id = t.id "
    "WHERE r.as_of = ? AND t.tenancy_ref = ?"
)

CONTACTS = f"""
import datetime, json, threading
from django.contrib.auth import get_user_model
from django.db import connection
from openincome.cases.actions import record_contact
from openincome.ledger.models import Tenancy

results = []
# A call that moves the ladder (its recorded action bumps the tenancy's input version) and a
# message that does not: neither waits for the other before re-scoring the case.
KINDS = [dict(direction="outbound", outcome="no_answer"),
         dict(direction="inbound", outcome="message_received")]

def contact(n):
    try:
        record_contact(
            Tenancy.objects.get(tenancy_ref={TENANCY!r}),
            get_user_model().objects.get(username="officer1"),
            date=datetime.date(2026, 4, 1), channel="phone", note=f"call {{n}}",
            as_of=datetime.date.fromisoformat({AS_OF!r}), **KINDS[n],
        )
        results.append("ok")
    except Exception as exc:
        results.append(f"{{type(exc).__name__}}: {{exc}}")
    finally:
        connection.close()

threads = [threading.Thread(target=contact, args=(n,)) for n in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("RESULTS", json.dumps(results))
"""


def test_two_contacts_at_once_on_one_tenancy_are_both_saved_and_scored(scratch, tmp_path):
    holder = scratch.connect()
    if POSTGRES:
        # Hold the tenancy's stored worklist row, as a first officer's re-score would.
        holder.execute("BEGIN")
        holder.execute(
            "SELECT e.id FROM cases_worklistentry e JOIN ledger_tenancy t "
            "ON t.id = e.tenancy_id WHERE t.tenancy_ref = %s FOR UPDATE", (TENANCY,))
    else:
        holder.execute("BEGIN IMMEDIATE")
    log = tmp_path / "contacts.log"
    proc = scratch.start_script(CONTACTS, log)
    scratch.wait_until_blocked(2 if POSTGRES else 0, [log], "", timeout=10)
    holder.execute("COMMIT")
    assert proc.wait(timeout=120) == 0, log.read_text()
    results = json.loads(log.read_text().split("RESULTS", 1)[1])
    assert results == ["ok", "ok"]
    (contacts,) = scratch.query("SELECT count(*) FROM cases_contact")[0]
    assert contacts == 2
    rows = scratch.query(ENTRY, (AS_OF, TENANCY))
    assert len(rows) == 1
    stored, _, current = rows[0]
    assert stored == current  # scored from both contacts


def test_a_change_committed_while_nightly_runs_is_in_its_worklist(scratch, tmp_path):
    """An import commits a payment after nightly read the inputs and before it stores."""
    ((_, balance_before, _),) = scratch.query(ENTRY, (AS_OF, TENANCY))
    holder = scratch.connect()
    holder.execute("BEGIN" if POSTGRES else "BEGIN IMMEDIATE")
    if POSTGRES:
        # Nightly stores its run after reading; this makes it wait there.
        holder.execute("LOCK TABLE cases_worklistrun IN SHARE MODE")
    holder.execute(
        "INSERT INTO ledger_transaction (transaction_ref, tenancy_id, date, type, amount, "
        "description, created_at) SELECT 'RACE-PAY', id, '2026-04-01', 'payment_dd', -5000, "
        f"'', '2026-04-01 12:00:00' FROM ledger_tenancy WHERE tenancy_ref = '{TENANCY}'")
    log = tmp_path / "nightly.log"
    proc = scratch.start("nightly", "--as-of", AS_OF, log=log)
    scratch.wait_until_blocked(1, [log], "classifying", timeout=30)
    holder.execute("COMMIT")
    assert proc.wait(timeout=120) == 0, log.read_text()
    ((stored, balance, current),) = scratch.query(ENTRY, (AS_OF, TENANCY))
    assert (stored, balance) == (current, balance_before - 5000)
