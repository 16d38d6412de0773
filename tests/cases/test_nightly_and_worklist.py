"""The engine adapter: nightly stores a snapshot, worklist prints it, reclassify agrees."""

import datetime
import json

import pytest

from openincome.cases.models import WorklistEntry, WorklistRun
from openincome.cases.nightly import classify_as_of, refresh, run_nightly
from openincome.cli import main
from openincome.interchange import import_folder
from openincome.ledger.models import Tenancy

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 23)


@pytest.fixture
def simulated(tmp_path):
    """A small simulated landlord, imported."""
    from openincome.simulator import simulate

    out = tmp_path / "landlord"
    simulate(tenancies=60, years=2, seed=5, out=out)
    import_folder(out, actor="test")
    return out


def test_an_empty_database_gives_an_empty_worklist(capsys):
    assert main(["worklist", "--as-of", "2026-11-23", "--all", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert WorklistRun.objects.get(as_of=AS_OF).tenancies == 0


def test_worklist_all_json_gives_every_tenancy_a_row_sorted_by_priority(simulated, capsys):
    assert main(["worklist", "--as-of", "2026-11-22", "--all", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["tenancy_ref"] for r in rows} == set(
        Tenancy.objects.values_list("tenancy_ref", flat=True))
    priorities = [r["priority"] for r in rows]
    assert priorities == sorted(priorities, reverse=True)
    row = rows[0]
    assert set(row) == {
        "tenancy_ref", "as_of", "patch", "tenure", "balance", "arrears", "technical_arrears",
        "actionable_arrears", "weekly_charge", "weeks_owed", "days_in_arrears",
        "days_since_last_payment", "episode_start", "action", "notice_kind", "reasons",
        "blocked_by", "pause", "priority"}
    for key in ("balance", "arrears", "technical_arrears", "actionable_arrears",
                "weekly_charge"):
        assert isinstance(row[key], str) and "." in row[key], key


def test_worklist_without_all_leaves_out_no_action_rows(simulated, capsys):
    main(["worklist", "--as-of", "2026-11-22", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["action"] != "none" for r in rows)


def test_worklist_filters_by_patch_and_refuses_an_unknown_one(simulated, capsys):
    patch = Tenancy.objects.select_related("property__patch").first().property.patch.code
    main(["worklist", "--as-of", "2026-11-22", "--all", "--patch", patch, "--format", "csv"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("tenancy_ref,as_of,patch")
    assert all(line.split(",")[2] == patch for line in lines[1:])
    assert main(["worklist", "--patch", "NOWHERE"]) == 2
    assert "no patch called 'NOWHERE'" in capsys.readouterr().err


def test_worklist_table_lines_up_long_patch_codes_and_says_when_empty(simulated, capsys):
    main(["worklist", "--as-of", "2026-11-22"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["priority", "tenancy", "patch"]
    # The figure is actionable arrears, and its header says so (cases.figures).
    arrears_end = lines[0].index("actionable") + len("actionable")
    assert len(lines) > 1
    assert all(line[arrears_end - 1] != " " and line[arrears_end] == " " for line in lines[1:])
    from openincome.cases.worklist_output import as_table

    assert "no tenancies to show" in as_table([])


def test_nightly_again_replaces_the_snapshot_for_that_date(simulated):
    first = run_nightly(datetime.date(2026, 11, 22))
    second = run_nightly(datetime.date(2026, 11, 22))
    assert WorklistRun.objects.filter(as_of=datetime.date(2026, 11, 22)).count() == 1
    assert second.tenancies == first.tenancies
    assert WorklistEntry.objects.filter(run=second).count() == second.tenancies


def test_classifying_some_tenancies_gives_their_rows_of_the_full_classification(simulated):
    as_of = datetime.date(2026, 11, 22)
    full = classify_as_of(as_of)
    for tenancy in Tenancy.objects.order_by("?")[:8]:
        one = classify_as_of(as_of, [tenancy.pk]).row(0, named=True)
        expected = full.filter(full["tenancy_id"] == tenancy.pk).row(0, named=True)
        assert one == expected


def test_refreshing_tenancies_stores_what_the_nightly_run_would_for_them(simulated):
    from openincome.ledger.models import RecordedAction

    as_of = datetime.date(2026, 11, 22)
    run = run_nightly(as_of)
    tenancies = list(Tenancy.objects.order_by("pk")[:9])
    changed, untouched = tenancies[:8], tenancies[8]
    for tenancy in changed:
        RecordedAction.objects.create(tenancy=tenancy, date=as_of, code="letter_1_sent")
    kept = WorklistEntry.objects.get(run=run, tenancy=untouched).pk
    shown = ("tenancy_id", "action", "reasons", "explanations", "balance", "inputs_version")

    refresh([t.pk for t in changed], as_of)

    refreshed = list(WorklistEntry.objects.filter(run=run, tenancy__in=changed)
                     .order_by("tenancy_id").values(*shown))
    assert WorklistEntry.objects.filter(pk=kept).exists()  # a row not named is left alone
    again = run_nightly(as_of)
    assert refreshed == list(WorklistEntry.objects.filter(run=again, tenancy__in=changed)
                             .order_by("tenancy_id").values(*shown))


def test_nightly_command_prints_a_summary_and_its_steps_as_it_goes(simulated, capsys):
    assert main(["nightly", "--as-of", "2026-11-22"]) == 0
    printed = capsys.readouterr()
    assert "classified" in printed.out and "need action" in printed.out
    steps = printed.err.splitlines()
    assert "reading every transaction (no balance checkpoint yet)" in steps[0]
    assert f"classifying {Tenancy.objects.count():,} tenancies" in steps[1]
    assert "storing" in steps[2] and "balance checkpoint" in steps[2]
    # The next day reads from the checkpoint just taken; -v 0 keeps quiet.
    assert main(["nightly", "--as-of", "2026-12-20"]) == 0
    assert "reading from the balance checkpoint at" in capsys.readouterr().err
    assert main(["nightly", "--as-of", "2026-12-21", "-v", "0"]) == 0
    assert capsys.readouterr().err == ""


def test_policy_show_prints_the_version_in_force_and_a_dated_version_takes_over(capsys):
    assert main(["policy", "show", "--as-of", "2026-11-23"]) == 0
    assert "policy in force on 2026-11-23: default" in capsys.readouterr().out
    assert main(["policy", "add", "--from", "2030-01-01", "--preset", "renters_rights_social",
                 "--note", "RRA for social tenancies"]) == 0
    capsys.readouterr()
    main(["policy", "show", "--as-of", "2030-06-01", "--format", "json"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["effective_from"] == "2030-01-01"
    main(["policy", "show", "--as-of", "2029-12-31", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["effective_from"] == "1900-01-01"
    assert main(["policy", "add", "--from", "2030-01-01", "--preset", "default"]) == 2


def test_nightly_classifies_again_only_the_tenancies_changed_while_it_ran(
    simulated, monkeypatch
):
    from openincome.cases import checkpoints
    from openincome.ledger.models import RecordedAction
    from openincome.ledger.stamps import versions

    as_of = datetime.date(2026, 11, 22)
    changed = Tenancy.objects.order_by("pk").first()
    classify_all = checkpoints.classify_all

    def classify_then_an_officer_acts(*args, **kwargs):
        done = classify_all(*args, **kwargs)
        RecordedAction.objects.create(tenancy=changed, date=as_of, code="letter_1_sent")
        return done

    monkeypatch.setattr(checkpoints, "classify_all", classify_then_an_officer_acts)
    steps = []
    run = run_nightly(as_of, progress=steps.append)
    assert steps[-1] == "classifying again 1 tenancy changed during the run"
    stored = dict(WorklistEntry.objects.filter(run=run).values_list("tenancy_id",
                                                                    "inputs_version"))
    assert stored[changed.pk] == versions([changed.pk])[changed.pk]
    entry = WorklistEntry.objects.get(run=run, tenancy=changed)
    assert entry.action == classify_as_of(as_of, [changed.pk]).row(0, named=True)["action"]

    monkeypatch.setattr(checkpoints, "classify_all", classify_all)
    steps.clear()
    run_nightly(as_of, progress=steps.append)
    assert not any("again" in step for step in steps)  # nothing changed: no second look
