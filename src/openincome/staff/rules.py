"""Who may do what: role predicates and permissions (django-rules), read by views and API."""

import rules

from .roles import ROLES


def _role(name: str):
    @rules.predicate(name=f"is_{name}")
    def has_role(user) -> bool:
        if not user or not user.is_authenticated:
            return False
        cached = getattr(user, "_openincome_roles", None)
        if cached is None:
            cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
            user._openincome_roles = cached
        return name in cached

    return has_role


is_officer = _role("officer")
is_team_leader = _role("team_leader")
is_manager = _role("manager")
is_finance = _role("finance")
is_admin = _role("admin")
has_any_role = is_officer | is_team_leader | is_manager | is_finance | is_admin

# Reading accounts and worklists: every role.
rules.add_perm("cases.view_cases", has_any_role)
# Recording contacts, actions, pauses, benefit updates and contact details: the income team.
rules.add_perm("cases.record", is_officer | is_team_leader | is_manager)
# Vulnerability detail (which needs, the notes): special-category data, for the people who
# talk to the tenant about the arrears. Everyone who reads accounts sees that a tenant is
# vulnerable (the flag), so nobody contacts one unawares; finance and administrators see no more.
rules.add_perm("cases.view_vulnerability", is_officer | is_team_leader | is_manager)
# Building a worklist for a date on demand: team leaders and managers (it runs the engine).
rules.add_perm("cases.run_worklist", is_team_leader | is_manager | is_admin)
# Users, patches and allocation: administrators.
rules.add_perm("cases.manage_users", is_admin)
# Payments: everyone who reads accounts sees payment files, suspense and held payments;
# finance imports files, allocates suspense, resolves possible duplicates and moves payments.
rules.add_perm("payments.view", has_any_role)
rules.add_perm("payments.import", is_finance)
rules.add_perm("payments.allocate", is_finance)
# Benefits: what a suspected-fraud referral says is for managers and finance; everyone who
# reads accounts sees only that one was made.
rules.add_perm("benefits.view_fraud_detail", is_manager | is_finance)
# Direct Debits and card payments: the income team and finance set up, change and cancel
# mandates, deal with failed collections and take card payments during a call.
rules.add_perm("payments.direct_debit", is_officer | is_team_leader | is_manager | is_finance)
rules.add_perm("payments.card", is_officer | is_team_leader | is_manager | is_finance)
# Suspense: the income team allocates a payment that matched no tenancy (the tenant rings with
# the receipt), as finance does.
rules.add_perm("payments.suspense", is_officer | is_team_leader | is_manager | is_finance)
