"""The protocol gates' date windows, by hypothesis: a checklist, an assessment and an approval
count for a step on day D exactly when dated on or before D and no more than the policy's days
before it (pre_action_checklist_valid_days, proportionality_valid_days,
legal_approval_valid_days)."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openincome.ledger.models import Tenancy
from openincome.legal import gates
from openincome.legal.models import Approval, Assessment, Checklist
from openincome.policy.defaults import DEFAULT_POLICY

ON = datetime.date(2026, 11, 20)
offsets = st.integers(min_value=-5, max_value=120)  # days before ON (negative: after it)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(checklist=offsets, assessment=offsets, approval=offsets, proportionate=st.booleans())
def test_each_record_counts_only_inside_its_window(officer, checklist, assessment, approval,
                                                   proportionate):
    # Examples share one rolled-back transaction: start each from no records.
    Checklist.objects.all().delete()
    Assessment.objects.all().delete()
    Approval.objects.all().delete()
    t = Tenancy.objects.get(tenancy_ref="EX-0001")

    def day(n: int) -> datetime.date:
        return ON - datetime.timedelta(days=n)

    Checklist.objects.create(tenancy=t, completed_date=day(checklist), completed_by=officer)
    Assessment.objects.create(tenancy=t, escalation="serve_notice", assessed_date=day(assessment),
                              vulnerability="-", effect="-", alternatives="-", reasoning="-",
                              proportionate=proportionate, assessed_by=officer)
    Approval.objects.create(tenancy=t, escalation="serve_notice", status="approved", arrears=0,
                            requested_by=officer, requested_date=day(approval),
                            decided_by=officer, decided_date=day(approval))
    p = DEFAULT_POLICY
    assert (gates.checklist_complete(t, ON) is None) == (
        0 <= checklist <= p.pre_action_checklist_valid_days)
    assert (gates.proportionality_assessed(t, "serve_notice", ON) is None) == (
        0 <= assessment <= p.proportionality_valid_days and proportionate)
    assert (gates.approved(t, "serve_notice", ON) is None) == (
        0 <= approval <= p.legal_approval_valid_days)
    # Another step's gates never count these records.
    assert gates.proportionality_assessed(t, "apply_for_court", ON) is not None
    assert gates.approved(t, "apply_for_court", ON) is not None
