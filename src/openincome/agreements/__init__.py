"""Repayment agreements: income and expenditure (SFS-shaped, sfs.py), affordability
(affordability.py, limits in the policy), the plan's arithmetic and terms in words (plan.py),
the lifecycle (actions.py: make, replace, cancel, complete when the balance is cleared) and
support referrals. The engine monitors a live agreement (POLICY.md §4, §3.9); breached is read
from its result, never stored (queries.py).

Terms for letters: `queries.terms(agreement, weekly_charge)`.
"""
