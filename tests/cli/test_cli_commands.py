"""The `openincome` command line: help, unknown commands, users and accounts."""

import datetime
import re

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import COMMANDS, main

INTERCHANGE_COMMANDS = [
    "demo", "serve", "import", "export", "simulate", "post-rent", "nightly", "worklist",
    "account", "statements", "user", "manage",
]


def test_help_lists_every_command_of_the_contract(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in INTERCHANGE_COMMANDS:
        assert re.search(rf"^  {re.escape(name)} ", out, re.MULTILINE), name
    assert set(INTERCHANGE_COMMANDS) <= set(COMMANDS)


def test_unknown_command_exits_2_with_help(capsys):
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


@pytest.mark.django_db
def test_statements_refuses_a_bad_quarter_with_exit_2(capsys, tmp_path):
    assert main(["statements", "--quarter", "2026Q5", "--out", str(tmp_path)]) == 2
    assert "is not a quarter" in capsys.readouterr().err


@pytest.mark.django_db
def test_user_add_creates_an_officer_on_a_patch_and_audits_it(capsys, monkeypatch):
    from django.contrib.auth import get_user_model

    from openincome.ledger.models import Patch

    Patch.objects.create(code="EAST")
    monkeypatch.setenv("OPENINCOME_PASSWORD", "a-long-password")
    assert main(["user", "add", "sam", "--role", "officer", "--patch", "EAST"]) == 0
    user = get_user_model().objects.get(username="sam")
    assert user.check_password("a-long-password")
    assert list(user.groups.values_list("name", flat=True)) == ["officer"]
    assert list(user.patch_allocations.values_list("patch__code", flat=True)) == ["EAST"]
    assert AuditEvent.objects.filter(action="user_added", object_ref="sam").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "wizard"], "invalid choice: 'wizard'"),
        (["--role", "officer", "--patch", "NOWHERE"], "unknown patch NOWHERE"),
    ],
)
def test_user_add_rejects_bad_input_and_creates_nobody(capsys, monkeypatch, args, message):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("OPENINCOME_PASSWORD", "a-long-password")
    assert main(["user", "add", "sam", *args]) == 2
    assert message in capsys.readouterr().err
    assert not get_user_model().objects.filter(username="sam").exists()


@pytest.mark.django_db
def test_user_add_rejects_a_short_password(capsys, monkeypatch):
    monkeypatch.setenv("OPENINCOME_PASSWORD", "short")
    assert main(["user", "add", "sam", "--role", "admin"]) == 2
    assert "too short" in capsys.readouterr().err


@pytest.mark.django_db
def test_account_prints_balance_and_latest_transactions(capsys):
    from openincome.ledger.models import Transaction

    from ..ledger.factories import make_tenancy

    tenancy = make_tenancy("AC1")
    Transaction.objects.create(transaction_ref="a1", tenancy=tenancy,
                               date=datetime.date(2026, 11, 2), type="rent", amount=12345)
    Transaction.objects.create(transaction_ref="a2", tenancy=tenancy,
                               date=datetime.date(2026, 11, 6), type="payment_dd", amount=-2345)
    assert main(["account", "AC1", "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "balance at end of 2026-11-23: £100.00" in out
    assert "payment_dd" in out and "£23.45" in out


@pytest.mark.django_db
def test_account_for_an_unknown_reference_exits_2(capsys):
    assert main(["account", "NOPE"]) == 2
    assert "no tenancy with reference 'NOPE'" in capsys.readouterr().err
