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
    assert "AG-EX-0002-1" in out and "breached by £490.35 since 2026-11-23" in out
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
    pytest.param(["cancel", "AG-EX-0002-1", "--reason", "x", "--on", "1999-01-01"],
                 "before the agreement started", id="cancel-before-the-start"),
    pytest.param(["cancel", "AG-EX-0002-1", "--reason", "x", "--on", "2199-01-01"],
                 "in the future", id="cancel-in-the-future"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_exits_2_and_saves_nothing(landlord, capsys, args, message):
    assert main(["agreement", "add", "EX-0002", "--instalment", "20.00", "--frequency",
                 "weekly", "--start", "2026-11-23"]) == 0
    before = saved()
    assert main(["agreement", *args]) == 2
    assert message in capsys.readouterr().err
    assert saved() == before


def test_guidelines_load_a_dated_table_and_bad_files_save_nothing(db, tmp_path, capsys):
    import datetime

    from openincome.agreements.models import GuidelineTable
    from openincome.agreements.queries import guideline_table, guidelines

    good = tmp_path / "good.csv"
    good.write_text("category,adults,children,monthly\nfood,1,0,310.00\nfood,2,0,480.50\n"
                    "travel,1,0,90\n")
    assert main(["agreement", "guidelines", str(good), "--from", "2027-04-05",
                 "--name", "Our 2027 figures"]) == 0
    assert "loaded 3 guidelines from 2027-04-05" in capsys.readouterr().out
    table = guideline_table(datetime.date(2027, 4, 5))
    assert (table.name, table.is_example) == ("Our 2027 figures", False)
    assert guidelines(table, 3, 2) == {"food": 48_050, "travel": 9_000}
    # Before its date the shipped EXAMPLE table still applies.
    assert guideline_table(datetime.date(2027, 4, 4)).is_example
    tables = GuidelineTable.objects.count()
    for text, message in [
        ("category,adults,children,monthly\nsweets,1,0,10.00\n", "Unknown categories: sweets"),
        ("category,adults,children,monthly\nfood,one,0,10.00\n", "line 2"),
        ("category,adults,children,monthly\nfood,1,0,ten\n", "line 2"),
        ("category,adults,children,monthly\nfood,0,0,10.00\n", "adults ≥ 1"),
        ("category,adults,children,monthly\nfood,1,0,1\nfood,1,0,2\n", "appears twice"),
        ("cat,adults,children,monthly\nfood,1,0,1\n", "the header must be"),
    ]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        assert main(["agreement", "guidelines", str(bad), "--from", "2028-04-03",
                     "--name", "x"]) == 2, text
        assert message in capsys.readouterr().err
        assert GuidelineTable.objects.count() == tables
    assert main(["agreement", "guidelines", str(good), "--from", "2027-04-05",
                 "--name", "again"]) == 2
    assert "already starts on 2027-04-05" in capsys.readouterr().err
    assert main(["agreement", "guidelines", str(tmp_path / "none.csv"), "--from", "2028-04-03",
                 "--name", "x"]) == 2


def test_agency_list_is_the_landlords(db, capsys):
    from openincome.agreements.models import Agency

    assert main(["agreement", "agency", "Riverside debt advice"]) == 0
    assert Agency.objects.get(name="Riverside debt advice").active
    assert main(["agreement", "agency", "Riverside debt advice", "--retire"]) == 0
    assert not Agency.objects.get(name="Riverside debt advice").active
    assert main(["agreement", "agency", "  "]) == 2
    assert "Give the agency's name" in capsys.readouterr().err
