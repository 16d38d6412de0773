"""`openincome court claim|warrant`: through the actions, gates first; exit 2 and nothing
saved when a gate refuses, with the gate's words."""

import datetime
import functools

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases.models import Pause
from openincome.ledger.models import Tenancy
from openincome.legal.models import CourtCase, Notice

from .conftest import make_ready


@pytest.fixture
def run(command):
    return functools.partial(command, "court")


def today() -> datetime.date:
    return datetime.date.today()


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


def notice():
    served = today() - datetime.timedelta(days=60)
    Notice.objects.create(notice_ref="NTC-C", tenancy=ex1(), kind="nosp_secure",
                          served_date=served, method="hand", deemed_service_date=served,
                          earliest_proceedings_date=served + datetime.timedelta(days=30),
                          expiry_date=served + datetime.timedelta(days=400))


def test_a_claim_is_recorded(officer, leader, run):
    notice()
    make_ready("EX-0001", "apply_for_court", today(), officer, leader)
    code, out, err = run("claim", "EX-0001", "--date", today().isoformat(), "--user",
                         "officer1", "--claim-number", "K99ZZ001")
    assert code == 0, err
    assert "K99ZZ001" in out and CourtCase.objects.get().case_ref == "K99ZZ001"


def test_a_claim_during_a_breathing_space_exits_2_and_saves_nothing(officer, leader, run):
    notice()
    make_ready("EX-0001", "apply_for_court", today(), officer, leader)
    Pause.objects.create(tenancy=ex1(), reason="breathing_space_mental_health",
                         start_date=today() - datetime.timedelta(days=1))
    code, _, err = run("claim", "EX-0001", "--date", today().isoformat(), "--user", "officer1")
    assert code == 2
    assert "nothing saved: No notice, claim or warrant while a Breathing Space runs" in err
    assert not CourtCase.objects.exists()
    assert not AuditEvent.objects.filter(action="claim_issued").exists()


@pytest.mark.parametrize("argv,message", [
    (("claim", "EX-0001", "--user", "officer1"), "--date"),
    (("claim", "EX-0001", "--date", "2026-13-01", "--user", "officer1"), "date"),
    (("claim", "EX-9999", "--date", "2026-11-02", "--user", "officer1"), "no tenancy"),
    (("claim", "EX-0001", "--date", "2026-11-02", "--user", "finance1"), "may not record"),
    (("claim", "EX-0001", "--date", "2026-11-02", "--user", "officer1"),
     "No claim without a valid notice"),
    (("warrant", "EX-0001", "--date", "2026-11-02", "--user", "officer1"),
     "No warrant without a breached possession order: there is no court case"),
])
def test_bad_input_and_gates_exit_2(officer, finance, run, argv, message):
    code, _, err = run(*argv)
    assert code == 2 and message in err
    assert not CourtCase.objects.exists()


def test_a_warrant_is_recorded_on_the_case(officer, leader, run):
    CourtCase.objects.create(case_ref="K-CLI", tenancy=ex1(),
                             claim_date=today() - datetime.timedelta(days=120),
                             outcome="outright",
                             outcome_date=today() - datetime.timedelta(days=60),
                             possession_date=today() - datetime.timedelta(days=30))
    make_ready("EX-0001", "apply_for_warrant", today(), officer, leader, checklist=False)
    code, out, err = run("warrant", "EX-0001", "--date", today().isoformat(), "--user",
                         "officer1")
    assert code == 0, err
    assert CourtCase.objects.get().warrant_date == today() and "K-CLI" in out
