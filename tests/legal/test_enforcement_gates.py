"""Enforcement steps after an order (warrant issued, eviction date, eviction) are bound by the
warrant application's gates and the Breathing Space moratorium, are recorded once, and refuse
dates that cannot be right; each refusal writes nothing."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases.models import Pause
from openincome.ledger.models import Tenancy
from openincome.legal import actions
from openincome.legal.actions_court import (
    EVICTION_DATE_MAX_AHEAD_DAYS,
    CourtStepRefused,
    record_evicted,
    record_eviction_date,
    record_n244,
    record_warrant_issued,
)
from openincome.legal.models import Approval, CourtCase, CourtEvent

from .conftest import make_ready

date = datetime.date
ON = date(2026, 11, 20)


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


@pytest.fixture
def order(officer):
    """An outright order on EX-0001 whose possession date has passed: a warrant may follow
    once its application's gates are met."""
    return CourtCase.objects.create(
        case_ref="K-E", tenancy=ex1(), claim_date=date(2026, 6, 1), hearing_date=date(2026, 8, 3),
        outcome="outright", outcome_date=date(2026, 8, 3), possession_date=date(2026, 10, 1))


def written():
    return (CourtEvent.objects.count(), AuditEvent.objects.count(),
            list(CourtCase.objects.values_list("warrant_date", "eviction_date")),
            list(Approval.objects.values_list("status", flat=True)),
            Tenancy.objects.get(tenancy_ref="EX-0001").end_date)


def breathing_space(start=ON - datetime.timedelta(days=10)):
    Pause.objects.create(tenancy=ex1(), reason="breathing_space_standard", start_date=start)


def test_a_warrant_issued_without_an_application_needs_the_applications_gates(order, officer):
    before = written()
    with pytest.raises(actions.GateRefused) as refused:
        record_warrant_issued(order, officer, issued=ON, as_of=ON)
    assert refused.value.gate == "proportionality"
    assert str(refused.value).startswith(actions.GATES["proportionality"])
    assert isinstance(refused.value, CourtStepRefused)  # the forms and commands show it
    assert written() == before


def test_a_warrant_issued_on_a_kept_to_suspended_order_is_refused_by_the_order_gate(
        order, officer, leader):
    CourtCase.objects.filter(pk=order.pk).update(outcome="spo", possession_date=None,
                                                 terms_instalment=1, terms_frequency="weekly")
    from openincome.ledger.models import Transaction

    Transaction.objects.create(transaction_ref="TEST-E-PAID", tenancy=ex1(),
                               date=date(2026, 8, 10), type="payment_dd", amount=-9840)
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    order.refresh_from_db()
    with pytest.raises(actions.GateRefused) as refused:
        record_warrant_issued(order, officer, issued=ON, as_of=ON)
    assert refused.value.gate == "order"


def test_a_warrant_issued_with_its_gates_met_uses_the_approval(order, officer, leader):
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    record_warrant_issued(order, officer, issued=ON, as_of=ON)
    order.refresh_from_db()
    assert order.warrant_date == ON
    assert Approval.objects.get(escalation="apply_for_warrant").used_for == "K-E"


def test_a_warrant_issued_after_its_application_keeps_the_application_date(
        order, officer, leader):
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    actions.apply_for_warrant(ex1(), officer, applied=ON, as_of=ON)
    order.refresh_from_db()
    with pytest.raises(CourtStepRefused, match="before it was applied for"):
        record_warrant_issued(order, officer, issued=ON - datetime.timedelta(days=1), as_of=ON)
    record_warrant_issued(order, officer, issued=ON, as_of=ON)
    order.refresh_from_db()
    assert order.warrant_date == ON


def test_a_warrant_is_recorded_issued_once_never_overwritten(order, officer, leader):
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    record_warrant_issued(order, officer, issued=ON, as_of=ON)
    before = written()
    with pytest.raises(CourtStepRefused, match="already recorded as issued on 20 Nov 2026"):
        record_warrant_issued(order, officer, issued=ON + datetime.timedelta(days=2),
                              as_of=ON + datetime.timedelta(days=2))
    assert written() == before


@pytest.fixture
def warrant(order, officer, leader):
    make_ready("EX-0001", "apply_for_warrant", date(2026, 11, 2), officer, leader,
               checklist=False)
    record_warrant_issued(order, officer, issued=date(2026, 11, 2), as_of=date(2026, 11, 2))
    order.refresh_from_db()
    return order


STEPS = {
    "warrant issued": lambda case, officer: record_warrant_issued(case, officer, issued=ON,
                                                                  as_of=ON),
    "eviction date": lambda case, officer: record_eviction_date(
        case, officer, eviction_date=ON + datetime.timedelta(days=14), as_of=ON),
    "evicted": lambda case, officer: record_evicted(case, officer, evicted_on=ON, as_of=ON),
}


@pytest.mark.parametrize("step", STEPS)
def test_no_enforcement_step_while_a_breathing_space_runs(order, officer, leader, step,
                                                         request):
    if step == "warrant issued":
        make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    else:
        order = request.getfixturevalue("warrant")
    breathing_space()
    before = written()
    with pytest.raises(actions.GateRefused) as refused:
        STEPS[step](order, officer)
    assert refused.value.gate == "breathing_space"
    assert written() == before


def test_an_eviction_date_inside_a_breathing_space_that_starts_later_is_refused(
        warrant, officer):
    breathing_space(start=ON + datetime.timedelta(days=7))
    with pytest.raises(actions.GateRefused, match="Breathing Space"):
        record_eviction_date(warrant, officer, eviction_date=ON + datetime.timedelta(days=14),
                             as_of=ON)


def test_a_second_eviction_is_refused_and_the_tenancy_end_stays(warrant, officer):
    record_evicted(warrant, officer, evicted_on=ON, as_of=ON)
    before = written()
    for day in (ON - datetime.timedelta(days=5), ON + datetime.timedelta(days=1)):
        with pytest.raises(CourtStepRefused, match="already recorded on 20 Nov 2026"):
            record_evicted(warrant, officer, evicted_on=day, as_of=ON + datetime.timedelta(days=1))
    with pytest.raises(CourtStepRefused, match="already been recorded"):
        record_eviction_date(warrant, officer, eviction_date=ON, as_of=ON)
    assert written() == before


@pytest.mark.parametrize(("eviction", "message"), [
    (date(2099, 1, 1), "more than a year ahead"),
    (date(2199, 1, 1), "more than a year ahead"),
    (ON + datetime.timedelta(days=EVICTION_DATE_MAX_AHEAD_DAYS + 1), "more than a year ahead"),
    (date(2026, 11, 1), "before the warrant (2 Nov 2026)"),
])
def test_an_eviction_date_far_ahead_or_before_the_warrant_is_refused(warrant, officer,
                                                                     eviction, message):
    before = written()
    with pytest.raises(CourtStepRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        record_eviction_date(warrant, officer, eviction_date=eviction, as_of=ON)
    assert written() == before


def test_an_eviction_date_within_the_bound_is_recorded(warrant, officer):
    day = ON + datetime.timedelta(days=EVICTION_DATE_MAX_AHEAD_DAYS)
    record_eviction_date(warrant, officer, eviction_date=day, as_of=ON)
    warrant.refresh_from_db()
    assert warrant.eviction_date == day


@pytest.mark.parametrize(("received", "hearing", "message"), [
    (date(2026, 11, 10), date(2026, 11, 9), "on or after the day it was received"),
    (date(2026, 11, 10), date(2026, 5, 1), "after the claim"),
    (date(2026, 5, 1), None, "received before the claim"),
])
def test_an_n244_hearing_before_it_was_received_or_the_claim_is_refused(
        order, officer, received, hearing, message):
    before = written()
    with pytest.raises(CourtStepRefused, match=message):
        record_n244(order, officer, received=received, hearing_date=hearing,
                    note="To suspend the warrant", as_of=ON)
    assert written() == before


def test_the_command_line_is_bound_by_the_same_gates(order, capsys):
    from openincome.cli import main

    before = written()
    code = main(["court", "warrant-issued", "K-E", "--date", ON.isoformat(), "--user",
                 "officer1"])
    err = capsys.readouterr().err
    assert code == 2 and "nothing saved" in err
    assert actions.GATES["proportionality"] in err
    assert written() == before


def test_the_web_step_is_bound_by_the_same_gates(order):
    from django.test import Client

    client = Client()
    assert client.login(username="officer1", password="legal-test-password")
    before = written()
    response = client.post("/tenancies/EX-0001/legal/step/warrant/", {
        "issued-day": ON.day, "issued-month": ON.month, "issued-year": ON.year})
    assert response.status_code == 400
    assert actions.GATES["proportionality"] in response.content.decode()
    assert written() == before


def test_the_tab_tells_a_warrant_applied_for_from_one_issued(order, officer, leader):
    from django.test import Client

    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    actions.apply_for_warrant(ex1(), officer, applied=ON, as_of=ON)
    client = Client()
    assert client.login(username="officer1", password="legal-test-password")
    page = client.get("/tenancies/EX-0001/legal/").content.decode()
    assert "Applied for 20 November 2026" in page and "Record the warrant issued" in page
    order.refresh_from_db()
    record_warrant_issued(order, officer, issued=ON + datetime.timedelta(days=3),
                          as_of=ON + datetime.timedelta(days=3))
    page = client.get("/tenancies/EX-0001/legal/").content.decode()
    assert "Issued 23 November 2026" in page and "Record the warrant issued" not in page
