"""`openincome approvals list|approve|refuse`: the queue with counts, and decisions through the
same action as the web page; self-approval, a decision above one's delegated limit and bad
input exit 2 with nothing written."""

import datetime
import functools
import json

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import COMMANDS
from openincome.ledger.models import Tenancy
from openincome.legal import actions
from openincome.legal.models import Approval
from openincome.staff.actions import add_user


@pytest.fixture
def run(command):
    return functools.partial(command, "approvals")


def today() -> datetime.date:
    return datetime.date.today()


@pytest.fixture
def waiting(officer) -> Approval:
    """A request from officer1 to serve a notice on EX-0001."""
    return actions.request_approval(Tenancy.objects.get(tenancy_ref="EX-0001"), officer,
                                    escalation="serve_notice", note="Eight weeks owed",
                                    as_of=today())


def snapshot(approval: Approval):
    approval = Approval.objects.get(pk=approval.pk)
    return (approval.status, approval.decided_by_id, approval.decision_reason,
            AuditEvent.objects.count())


def test_approvals_is_a_listed_command():
    assert "approvals" in COMMANDS


def test_the_queue_lists_waiting_requests_with_counts(waiting, run):
    code, out, err = run("list")
    assert code == 0, err
    first, head, row = out.splitlines()[:3]
    assert first == "Waiting for a decision: 1; Approved: 0; Refused: 0; Used: 0"
    assert head.split()[:3] == ["id", "requested", "tenancy"]
    assert str(waiting.pk) in row and "EX-0001" in row and "Serve a notice" in row
    assert "officer1" in row and "£" in row


def test_the_queue_as_json_keeps_codes_beside_labels(waiting, run):
    code, out, err = run("list", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"] == {"pending": 1, "approved": 0, "refused": 0, "used": 0}
    (item,) = data["requests"]
    assert item == {**item, "id": waiting.pk, "tenancy_ref": "EX-0001",
                    "escalation": "serve_notice", "escalation_label": "Serve a notice",
                    "status": "pending", "requested_by": "officer1", "decided_by": None,
                    "requested_date": today().isoformat()}
    assert isinstance(item["arrears_pence"], int)


def test_the_queue_filters_by_status_and_step(waiting, run):
    assert "(no requests to show)" in run("list", "--status", "approved")[1]
    assert "(no requests to show)" in run("list", "--step", "apply_for_court")[1]
    assert "EX-0001" in run("list", "--status", "all", "--step", "serve_notice")[1]


def test_a_team_leader_approves_a_request(waiting, leader, run):
    code, out, err = run("approve", str(waiting.pk), "--user", "leader1", "--reason",
                         "Protocol followed")
    assert code == 0, err
    assert f"approval {waiting.pk} (EX-0001, serve a notice at £" in out
    assert "approved by leader1" in out
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by, waiting.decision_reason) == (
        "approved", leader, "Protocol followed")
    assert AuditEvent.objects.filter(action="approval_decided").count() == 1
    assert "Approved: 1" in run("list")[1]


def test_a_team_leader_refuses_a_request(waiting, leader, run):
    code, out, err = run("refuse", str(waiting.pk), "--user", "leader1", "--reason",
                         "Try an agreement first")
    assert code == 0, err
    assert "refused by leader1" in out
    assert Approval.objects.get(pk=waiting.pk).status == "refused"


def test_nobody_decides_their_own_request(landlord, run):
    asker = add_user("leader2", "team_leader", "legal-test-password", actor="test")
    mine = actions.request_approval(Tenancy.objects.get(tenancy_ref="EX-0001"), asker,
                                    escalation="serve_notice", note="", as_of=today())
    before = snapshot(mine)
    code, _, err = run("approve", str(mine.pk), "--user", "leader2", "--reason", "Fine")
    assert code == 2
    assert "nothing saved: you cannot decide your own request" in err
    assert snapshot(mine) == before


def test_an_approval_above_the_delegated_limit_is_refused(officer, leader, run):
    # A team leader may approve a warrant up to £2,500 of arrears (the default policy).
    big = Approval.objects.create(tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
                                  escalation="apply_for_warrant", arrears=300_000,
                                  requested_by=officer, requested_date=today())
    before = snapshot(big)
    code, _, err = run("approve", str(big.pk), "--user", "leader1", "--reason", "Fine")
    assert code == 2
    assert "above your delegated limit of £2,500.00: a manager must approve" in err
    assert snapshot(big) == before
    # Refusing is not limited: the limit binds approvals only.
    assert run("refuse", str(big.pk), "--user", "leader1", "--reason", "No")[0] == 0


@pytest.mark.parametrize(("argv", "message"), [
    (("approve", "{id}", "--user", "officer1", "--reason", "Fine"),
     "officer1 may not decide approvals"),
    (("approve", "{id}", "--user", "nobody", "--reason", "Fine"), "no active user 'nobody'"),
    (("approve", "{id}", "--user", "leader1", "--reason", "  "),
     "give the reason for the decision"),
    (("approve", "{id}", "--user", "leader1"), "--reason"),
    (("approve", "99999", "--user", "leader1", "--reason", "Fine"), "no approval request 99999"),
    (("approve", "twelve", "--user", "leader1", "--reason", "Fine"), "not a request number"),
    (("refuse", "0", "--user", "leader1", "--reason", "Fine"), "not a request number"),
    (("list", "--status", "maybe"), "invalid choice: 'maybe'"),
    (("list", "--step", "evict"), "invalid choice: 'evict'"),
])
def test_bad_input_exits_2_and_writes_nothing(waiting, leader, run, argv, message):
    before = snapshot(waiting)
    code, _, err = run(*(a.replace("{id}", str(waiting.pk)) for a in argv))
    assert code == 2 and message in err
    assert snapshot(waiting) == before


def test_a_decided_request_cannot_be_decided_again(waiting, leader, run):
    run("refuse", str(waiting.pk), "--user", "leader1", "--reason", "No")
    before = snapshot(waiting)
    code, _, err = run("approve", str(waiting.pk), "--user", "leader1", "--reason", "Yes")
    assert code == 2 and "already been decided" in err
    assert snapshot(waiting) == before
