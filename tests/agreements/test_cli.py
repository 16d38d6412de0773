"""`openincome agreement add|cancel|list`: exit 0 and a line on success; exit 2, a clear
message and nothing saved on bad input."""

import pytest

from openincome.agreements.models import Agreement
from openincome.audit.models import AuditEvent
from openincome.cli import COMMANDS, main

pytestmark = pytest.mark.django_db


def saved():
    return (list(Agreement.objects.values_list("agreement_ref", "status").order_by("pk")),
            AuditEvent.objects.filter(action__startswith="agreement_").count())


def test_agreement_is_a_listed_command():
    assert "agreement" in COMMANDS


def test_add_list_cancel(landlord, capsys):
    assert main(["agreement", "add", "EX-0002", "--instalment", "20.00", "--frequency",
                 "weekly", "--start", "2026-11-23", "--starting-balance", "600.00",
                 "--reason", "Agreed at the office"]) == 0
    assert "made AG-EX-0002-1: £20.00 weekly from 2026-11-23 towards £600.00" in (
        capsys.readouterr().out)
    agreement = Agreement.objects.get()
    assert (agreement.instalment, agreement.starting_balance, agreement.note) == (
        2_000, 60_000, "Agreed at the office")
    assert main(["agreement", "list", "EX-0002", "--as-of", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    # £600.00 agreed while £1,090.35 is owed: breached from the start.
    assert "AG-EX-0002-1" in out and "breached by £490.35" in out
    assert main(["agreement", "cancel", "AG-EX-0002-1", "--reason", "Tenant asked"]) == 0
    assert Agreement.objects.get().status == "cancelled"
    assert main(["agreement", "list"]) == 0
    assert "cancelled on" in capsys.readouterr().out


def test_add_replacing_a_live_one_needs_a_reason(landlord, capsys):
    args = ["agreement", "add", "EX-0002", "--instalment", "20.00", "--frequency", "weekly",
            "--start", "2026-11-23"]
    assert main(args) == 0
    before = saved()
    assert main(args) == 2
    assert "already a live agreement (AG-EX-0002-1)" in capsys.readouterr().err
    assert saved() == before
    assert main([*args, "--reason", "New job"]) == 0
    assert [s for _, s in saved()[0]] == ["cancelled", "live"]


BAD = [
    pytest.param(["add", "EX-0002", "--instalment", "0.00", "--frequency", "weekly"],
                 "more than £0.00", id="zero"),
    pytest.param(["add", "EX-0002", "--instalment", "-5", "--frequency", "weekly"],
                 "instalment", id="negative"),
    pytest.param(["add", "EX-0002", "--instalment", "ten", "--frequency", "weekly"],
                 "not an amount in pounds", id="not-money"),
    pytest.param(["add", "EX-0002", "--instalment", "10.001", "--frequency", "weekly"],
                 "not an amount in pounds", id="three-decimals"),
    pytest.param(["add", "EX-0002", "--instalment", "10", "--frequency", "daily"],
                 "invalid choice", id="frequency"),
    pytest.param(["add", "EX-0002", "--instalment", "10", "--frequency", "weekly",
                  "--start", "2020-01-01"], "before the tenancy started", id="early-start"),
    pytest.param(["add", "EX-0002", "--instalment", "10", "--frequency", "weekly",
                  "--start", "2026-13-01"], "is not a date", id="bad-date"),
    pytest.param(["add", "NOPE", "--instalment", "10", "--frequency", "weekly"],
                 "no tenancy with reference 'NOPE'", id="unknown-tenancy"),
    pytest.param(["add", "EX-0002", "--instalment", "10"], "--frequency", id="missing"),
    pytest.param(["cancel", "AG-NONE", "--reason", "x"], "no agreement", id="unknown-agreement"),
    pytest.param(["cancel", "AG-NONE"], "--reason", id="cancel-without-reason"),
    pytest.param(["list", "NOPE"], "no tenancy", id="list-unknown"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_exits_2_and_saves_nothing(landlord, capsys, args, message):
    before = saved()
    assert main(["agreement", *args]) == 2
    assert message in capsys.readouterr().err
    assert saved() == before
