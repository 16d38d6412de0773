"""The command line refuses what every edge refuses: bad refs, dates out of range, far postings.

Each refusal is exit code 2 with a message, and nothing written; no control character from
an argument or the database reaches the terminal raw.
"""

import datetime

import pytest

from openincome.cli import main
from openincome.ledger.limits import DATE_RULE, POSTING_HORIZON_DAYS, REF_RULE

DATE_COMMANDS = [
    ["account", "AC1", "--as-of"],
    ["nightly", "--as-of"],
    ["worklist", "--as-of"],
    ["policy", "show", "--as-of"],
    ["post-rent", "--through"],
    ["post-rent", "--through", "2026-04-13", "--since"],
]


@pytest.mark.django_db
@pytest.mark.parametrize("command", DATE_COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_a_date_outside_1900_to_2199_exits_2_with_the_rule(capsys, command, date):
    assert main([*command, date]) == 2
    assert f"{date} {DATE_RULE}" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["1900-01-01", "2199-12-31"])
def test_the_first_and_last_allowed_dates_are_accepted(capsys, date):
    assert main(["policy", "show", "--as-of", date]) == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["account", "EX/0001"], "'EX/0001'"),
        (["account", "EX-0001\x07"], "'EX-0001\\x07'"),
        (["account", "\ufeffEX-0001"], "'\\ufeffEX-0001'"),
        (["account", "\x1b[2J"], "'\\x1b[2J'"),
        (["worklist", "--patch", "EA/ST"], "'EA/ST'"),
        (["worklist", "--patch", "EAST\u200b"], "'EAST\\u200b'"),
    ],
)
def test_a_reference_outside_the_pattern_exits_2_escaped(capsys, args, shown):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{shown} is not a valid reference: {REF_RULE}" in err
    assert "\x1b" not in err and "\x07" not in err and "\ufeff" not in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "sam/x", "--role", "officer"], "'sam/x' is not a valid reference"),
        (["user", "add", "sam@example.org", "--role", "officer"],
         "'sam@example.org' is not a valid reference"),
        (["user", "add", "add", "--role", "officer"], "'add' is reserved"),
        (["user", "add", "sam", "--role", "officer", "--patch", "EA/ST"],
         "'EA/ST' is not a valid reference"),
    ],
)
def test_user_add_refuses_names_and_patches_outside_the_pattern(capsys, monkeypatch, args,
                                                                 message):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("OPENINCOME_PASSWORD", "a-long-password")
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert not get_user_model().objects.exists()


def _weekly_rent():
    from openincome.ledger.models import Charge

    from ..ledger.factories import make_tenancy

    today = datetime.date.today()
    tenancy = make_tenancy("PR1", start=today - datetime.timedelta(days=14))
    Charge.objects.create(tenancy=tenancy, charge_code="rent", amount=10000, frequency="weekly",
                          effective_from=tenancy.start_date)


@pytest.mark.django_db
def test_post_rent_far_past_today_needs_force_and_posts_nothing_without_it(capsys):
    from openincome.ledger.models import Transaction

    _weekly_rent()
    today = datetime.date.today()
    too_far = today + datetime.timedelta(days=POSTING_HORIZON_DAYS + 1)
    assert main(["post-rent", "--through", too_far.isoformat()]) == 2
    err = capsys.readouterr().err
    assert f"--through {too_far} is more than {POSTING_HORIZON_DAYS} days after today" in err
    assert "use --force" in err
    assert not Transaction.objects.exists()
    assert main(["post-rent", "--through", too_far.isoformat(), "--force"]) == 0
    assert Transaction.objects.exists()


@pytest.mark.django_db
def test_post_rent_within_the_horizon_needs_no_force(capsys):
    _weekly_rent()
    latest = datetime.date.today() + datetime.timedelta(days=POSTING_HORIZON_DAYS)
    assert main(["post-rent", "--through", latest.isoformat()]) == 0


@pytest.mark.django_db
def test_account_output_shows_stored_control_characters_as_escapes(capsys):
    from ..ledger.factories import make_tenancy

    tenancy = make_tenancy("AC2")
    tenancy.property.address_line_1 = "1 Test\x1b[2J Street"
    tenancy.property.save()
    assert main(["account", "AC2", "--as-of", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "1 Test\\x1b[2J Street" in out


def test_an_unknown_command_is_echoed_escaped(capsys):
    assert main(["\x1b[2Jfrob"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "'\\x1b[2Jfrob'" in err


FORMULA_CELLS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)"]


@pytest.mark.parametrize("cell", FORMULA_CELLS)
def test_worklist_csv_prefixes_a_cell_a_spreadsheet_would_run(cell):
    import csv
    import io

    from openincome.cases.worklist_output import FIELDS, as_csv

    obj = dict.fromkeys(FIELDS, "")
    obj.update(tenancy_ref=cell, balance="-12.34", arrears="0.00", reasons=[cell],
               blocked_by=[], pause=None, priority=3)
    row = next(csv.DictReader(io.StringIO(as_csv([obj]))))
    assert row["tenancy_ref"] == "'" + cell
    assert row["reasons"] == "'" + cell
    assert row["balance"] == "-12.34"  # a negative amount is a number, not a formula
    assert row["priority"] == "3"


@pytest.mark.django_db
def test_worklist_command_csv_prefixes_formula_cells(capsys):
    from openincome.cases.models import WorklistEntry
    from openincome.cases.nightly import run_nightly

    from ..ledger.factories import make_tenancy

    make_tenancy("WL1")
    run = run_nightly(datetime.date(2026, 11, 23))
    WorklistEntry.objects.filter(run=run).update(patch="=1+2")
    assert main(["worklist", "--as-of", "2026-11-23", "--all", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split(",")[2] == "'=1+2"
