"""`openincome court possession-date|n244 CASE_REF` and `court extension TENANCY_REF`: the steps
the web had alone, through the same actions; bad input exits 2 with nothing written."""

import datetime
import functools

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import main
from openincome.ledger.models import Tenancy
from openincome.legal.models import CourtCase, CourtEvent


@pytest.fixture
def run(command):
    return functools.partial(command, "court")


def days_ago(n: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def ppo(officer) -> CourtCase:
    """A postponed possession order made 30 days ago, its date not yet fixed."""
    day = datetime.date.today() - datetime.timedelta(days=30)
    return CourtCase.objects.create(
        case_ref="CC-PPO-1", tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
        claim_date=day - datetime.timedelta(days=60), hearing_date=day, outcome="ppo",
        outcome_date=day, terms_instalment=500, terms_frequency="weekly")


@pytest.fixture
def introductory(officer) -> Tenancy:
    """EX-0001 as an introductory tenancy whose one-year trial ends in about five months."""
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    Tenancy.objects.filter(pk=t.pk).update(
        tenure="introductory", start_date=datetime.date.today() - datetime.timedelta(days=200))
    t.refresh_from_db()
    return t


def written() -> tuple[int, int]:
    return AuditEvent.objects.count(), CourtEvent.objects.count()


def test_the_possession_date_of_a_ppo_is_recorded(ppo, run):
    code, out, err = run("possession-date", "CC-PPO-1", "--date", days_ago(-14), "--fixed-on",
                         days_ago(1), "--user", "officer1", "--note", "Terms broken")
    assert code == 0, err
    assert "CC-PPO-1 (EX-0001): possession-date recorded" in out
    ppo.refresh_from_db()
    assert ppo.possession_date == datetime.date.fromisoformat(days_ago(-14))
    event = CourtEvent.objects.get(case=ppo)
    assert (event.kind, event.date, event.note) == (
        "possession_date_fixed", datetime.date.fromisoformat(days_ago(1)), "Terms broken")
    # With the date fixed, a warrant waits for it (the warrant's order gate), not for a date.
    code, _, err = run("warrant-issued", "CC-PPO-1", "--date", days_ago(0), "--user", "officer1")
    assert code == 2 and "possession date is" in err and "fixed possession date" not in err


def test_a_tenant_s_n244_is_recorded_with_its_hearing(ppo, run):
    code, out, err = run("n244", "CC-PPO-1", "--date", days_ago(2), "--hearing", days_ago(-10),
                         "--note", "To suspend the warrant", "--user", "officer1")
    assert code == 0, err
    assert "n244 recorded" in out
    event = CourtEvent.objects.get(case=ppo, kind="n244")
    assert event.note == "To suspend the warrant" and "heard on" in event.summary


def test_an_s125a_extension_sets_the_trial_end(introductory, run):
    ends = introductory.start_date.replace(year=introductory.start_date.year + 1)
    code, out, err = run("extension", "EX-0001", "--served", days_ago(0), "--reason",
                         "Arrears have grown", "--user", "officer1")
    assert code == 0, err
    introductory.refresh_from_db()
    assert introductory.trial_end_date is not None and introductory.trial_end_date > ends
    assert f"it now ends on {introductory.trial_end_date}" in out
    assert CourtEvent.objects.get(tenancy=introductory).kind == "s125a_extension"
    assert AuditEvent.objects.filter(action="trial_extended").count() == 1


@pytest.mark.parametrize(("argv", "message"), [
    (("possession-date", "CC-PPO-1", "--date", days_ago(-14), "--user", "officer1"),
     "--fixed-on"),
    (("possession-date", "CC-PPO-1", "--date", days_ago(5), "--fixed-on", days_ago(1),
      "--user", "officer1"), "cannot be before the day it was fixed"),
    (("possession-date", "CC-PPO-1", "--date", days_ago(-14), "--fixed-on", days_ago(-1),
      "--user", "officer1"), "after today"),
    (("possession-date", "CC-PPO-1", "--date", "2026-02-30", "--fixed-on", days_ago(1),
      "--user", "officer1"), "not a date"),
    (("possession-date", "CC-NONE", "--date", days_ago(-14), "--fixed-on", days_ago(1),
      "--user", "officer1"), "no court case"),
    (("possession-date", "CC-PPO-1", "--date", days_ago(-14), "--fixed-on", days_ago(1),
      "--user", "finance1"), "finance1 may not record court steps"),
    (("n244", "CC-PPO-1", "--date", days_ago(2), "--user", "officer1"),
     "Say what the tenant applied for"),
    (("n244", "CC-PPO-1", "--date", days_ago(-2), "--note", "Suspend", "--user", "officer1"),
     "after today"),
    (("n244", "CC-PPO-1", "--date", days_ago(2), "--note", "Suspend", "--user", "nobody"),
     "no active user"),
    (("extension", "EX-0001", "--served", days_ago(0), "--user", "officer1"), "--reason"),
    (("extension", "EX-0001", "--served", days_ago(0), "--reason", " ", "--user", "officer1"),
     "Give the reasons"),
    (("extension", "EX-0002", "--served", days_ago(0), "--reason", "Arrears", "--user",
      "officer1"), "Only an introductory tenancy"),
    (("extension", "EX-NONE", "--served", days_ago(0), "--reason", "Arrears", "--user",
      "officer1"), "no tenancy"),
    (("extension", "EX-0001", "--served", days_ago(-1), "--reason", "Arrears", "--user",
      "officer1"), "after today"),
    (("extension", "EX-0001", "--served", days_ago(0), "--reason", "Arrears", "--user",
      "finance1"), "finance1 may not record court steps"),
])
def test_bad_input_exits_2_and_writes_nothing(ppo, introductory, finance, run, argv, message):
    before = written(), CourtCase.objects.get(pk=ppo.pk).possession_date
    trial = Tenancy.objects.get(pk=introductory.pk).trial_end_date
    code, _, err = run(*argv)
    assert code == 2 and message in err, err
    assert (written(), CourtCase.objects.get(pk=ppo.pk).possession_date) == before
    assert Tenancy.objects.get(pk=introductory.pk).trial_end_date == trial


def test_possession_date_is_for_a_postponed_order_only(officer, run):
    CourtCase.objects.create(case_ref="CC-OUT", tenancy=Tenancy.objects.get(tenancy_ref="EX-0002"),
                             claim_date=datetime.date(2026, 9, 1), outcome="spo")
    before = written()
    code, _, err = run("possession-date", "CC-OUT", "--date", days_ago(-14), "--fixed-on",
                       days_ago(1), "--user", "officer1")
    assert code == 2 and "Only a postponed possession order" in err
    assert written() == before


def test_the_trial_is_extended_once_only(introductory, run):
    argv = ("extension", "EX-0001", "--served", days_ago(0), "--reason", "Arrears",
            "--user", "officer1")
    assert run(*argv)[0] == 0
    before = written(), Tenancy.objects.get(pk=introductory.pk).trial_end_date
    code, _, err = run(*argv)
    assert code == 2 and "extended already" in err
    assert (written(), Tenancy.objects.get(pk=introductory.pk).trial_end_date) == before


def test_the_help_lists_both_halves(capsys):
    assert main(["court", "--help"]) == 0
    out = capsys.readouterr().out
    for step in ("claim", "warrant", "extension", "hearing", "possession-date", "n244",
                 "claim-data", "bundle"):
        assert step in out
