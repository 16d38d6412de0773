"""The demo's example statements: every tenancy with an agreement gets one completed statement
on the day its latest agreement started, whose disposable income affords that instalment."""

import datetime

import pytest

from openincome.agreements import actions
from openincome.agreements.affordability import per_period
from openincome.agreements.models import IncomeExpenditure
from openincome.agreements.samples import add_sample_statements
from openincome.agreements.sfs import LINES, totals
from openincome.audit.models import AuditEvent
from openincome.policy.store import params_in_force

from .conftest import D, tenancy

pytestmark = pytest.mark.django_db


def test_each_agreed_tenancy_gets_an_affordable_example_statement_once(landlord):
    actions.make_agreement(tenancy(), None, instalment=1_500, frequency="weekly", start=D,
                           as_of=D, reason="Phone call")
    latest = actions.make_agreement(tenancy(), None, instalment=4_000, frequency="monthly",
                                    start=D + datetime.timedelta(days=3), as_of=D,
                                    reason="Renegotiated")
    other = actions.make_agreement(tenancy("EX-0001"), None, instalment=700,
                                   frequency="four_weekly", start=D, as_of=D, reason="Visit")
    assert add_sample_statements(seed=1) == 2
    policy = params_in_force(D)
    for agreement in (latest, other):
        statement = IncomeExpenditure.objects.get(tenancy=agreement.tenancy)
        assert (statement.status, statement.completed_date) == ("completed",
                                                                agreement.start_date)
        assert set(statement.amounts) <= set(LINES) and statement.note.startswith("EXAMPLE")
        share = (totals(statement.amounts).disposable
                 * policy.affordability_income_share_percent // 100)
        affordable = per_period(share, agreement.frequency, policy.agreement_period_days)
        # The instalment fits the share of disposable income, within £20 a month over it.
        assert agreement.instalment <= affordable
        assert share - (agreement.instalment if agreement.frequency == "monthly" else
                        agreement.instalment * 13 // 12) <= 2_100
    assert AuditEvent.objects.filter(action="ie_completed").count() == 2
    assert add_sample_statements(seed=1) == 0


def test_the_same_seed_makes_the_same_households(landlord):
    actions.make_agreement(tenancy(), None, instalment=1_500, frequency="weekly", start=D,
                           as_of=D, reason="Phone call")
    add_sample_statements(seed=7)
    first = IncomeExpenditure.objects.values_list("adults", "children", "amounts").get()
    IncomeExpenditure.objects.all().delete()
    add_sample_statements(seed=7)
    assert IncomeExpenditure.objects.values_list("adults", "children", "amounts").get() == first
