"""Delegated authority as policy data: legal_approval_limits (role -> step -> the most arrears
in pence that role may approve; null for no limit), validated, and read by role."""

import datetime

import pytest

from openincome.legal.actions import approval_limit
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1
from openincome.staff.actions import add_user
from openincome.staff.roles import role_group

ON = datetime.date(2026, 11, 20)
AS_OF = datetime.date(2026, 11, 23)  # a Monday: the rent week's charge is not yet due


@pytest.mark.parametrize("limits,message", [
    ({"team_leader": {"evict": 100}}, "must map escalations"),
    ({"team_leader": {"serve_notice": -1}}, "whole number of pence"),
    ({"team_leader": {"serve_notice": "lots"}}, "whole number of pence"),
    ({"team_leader": {"serve_notice": True}}, "whole number of pence"),
    ({"team_leader": ["serve_notice"]}, "must map escalations"),
])
def test_bad_limits_are_refused(limits, message):
    with pytest.raises(ValueError, match=message):
        DEFAULT_POLICY.replace(legal_approval_limits=limits)


def test_the_limits_survive_a_round_trip_and_version_1_keeps_them():
    again = type(DEFAULT_POLICY).from_dict(DEFAULT_POLICY.to_dict())
    assert again.legal_approval_limits == DEFAULT_POLICY.legal_approval_limits
    assert POLICY_V1.legal_approval_limits == DEFAULT_POLICY.legal_approval_limits


LIMITS = [
    # (roles, step, may approve, the most arrears in pence)
    (("officer",), "serve_notice", False, None),
    (("finance",), "apply_for_court", False, None),
    (("team_leader",), "serve_notice", True, 500_000),
    (("team_leader",), "apply_for_court", True, 500_000),
    (("team_leader",), "apply_for_warrant", True, 250_000),
    (("manager",), "apply_for_warrant", True, None),
    # A user holding two roles has the wider authority of the two.
    (("team_leader", "manager"), "apply_for_warrant", True, None),
]


@pytest.mark.parametrize(("roles", "step", "may", "limit"), LIMITS)
def test_each_role_s_delegated_limit(db, roles, step, may, limit):
    user = add_user("limits1", roles[0], "legal-test-password", actor="test")
    for role in roles[1:]:
        user.groups.add(role_group(role))
    user = type(user).objects.get(pk=user.pk)  # the roles are cached on the object
    assert approval_limit(user, step, ON) == (may, limit)


@pytest.fixture
def asked(officer, leader):
    """A request to serve a notice on EX-0001 on a rent day, when the week's rent is charged
    but not yet due: the balance is more than the arrears."""
    from openincome.ledger.models import Tenancy, Transaction
    from openincome.legal.actions import request_approval

    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    Transaction.objects.create(transaction_ref="TEST-L-RENT", tenancy=t, date=AS_OF,
                               type="rent", amount=9500)
    return request_approval(t, officer, escalation="serve_notice", note="", as_of=AS_OF)


def test_an_approval_carries_the_arrears_as_the_engine_defines_them_not_the_balance(asked):
    from openincome.cases.queries import recommendation
    from openincome.ledger.balances import balance

    row = recommendation(asked.tenancy, AS_OF)
    assert balance(asked.tenancy, AS_OF) > row["arrears"]  # this week's rent is not yet due
    assert asked.arrears == row["arrears"]


def test_the_delegated_limit_is_compared_with_those_arrears(asked, leader, monkeypatch):
    from openincome.legal import actions

    # A limit of exactly the arrears (less than the balance) allows the approval.
    monkeypatch.setattr(actions, "approval_limit", lambda user, step, on: (True, asked.arrears))
    decided = actions.decide_approval(asked, leader, approve=True, reason="Within my limit",
                                      as_of=AS_OF)
    assert decided.status == "approved"
