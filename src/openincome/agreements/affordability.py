"""Proposing an affordable instalment from disposable income and the landlord's policy.

Pure Python, integer pence. Disposable income is monthly, as the Standard Financial Statement
gives it. The proposal is the smallest instalment that clears the arrears within the policy's
maximum term, when the share of disposable income allows it; otherwise the most that share
allows (the plan then runs longer, and the officer must say why to accept it); never less
than the policy's minimum. The officer may always override with a reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from openincome.policy.params import PolicyParams

from .plan import Schedule, add_months, schedule


def per_period(monthly: int, frequency: str, period_days: Mapping[str, int]) -> int:
    """A monthly amount as the amount for one period, rounded down to the penny (a weekly
    period is 12/52 of a month; a period of p days, 12p/364; monthly, itself)."""
    if frequency not in period_days:
        return monthly
    return monthly * 12 * period_days[frequency] // 364


def periods_in_term(start: datetime.date, frequency: str, weeks: int,
                    period_days: Mapping[str, int]) -> int:
    """How many instalments fall due from the start to the end of a term of `weeks`."""
    end = term_end(start, weeks)
    if frequency in period_days:
        return (end - start).days // period_days[frequency] + 1
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (add_months(start, months) <= end)


def term_end(start: datetime.date, weeks: int) -> datetime.date:
    """The last day a plan may end on within the maximum term."""
    return start + datetime.timedelta(weeks=weeks)


def minimum_per_period(policy: PolicyParams, frequency: str) -> int:
    """The policy's weekly minimum for one period (monthly: ×52/12, rounded up)."""
    weekly = policy.affordability_min_weekly_instalment
    if frequency in policy.agreement_period_days:
        return -(-weekly * policy.agreement_period_days[frequency] // 7)
    return -(-weekly * 52 // 12)


@dataclass(frozen=True)
class Proposal:
    """A proposed plan and why it is what it is."""

    instalment: int
    frequency: str
    start: datetime.date
    arrears: int
    lump_sum: int | None
    affordable: int  # the share of disposable income, per period
    needed: int  # the instalment clearing the arrears within the maximum term
    minimum: int
    plan: Schedule
    within_term: bool
    above_share: bool  # the minimum is more than the share of disposable income

    @property
    def end(self) -> datetime.date:
        """The date of the last instalment."""
        return self.plan.last_due


def propose(*, disposable_monthly: int, arrears: int, frequency: str, start: datetime.date,
            policy: PolicyParams, lump_sum: int | None = None) -> Proposal:
    """The instalment the policy proposes for these arrears and this disposable income."""
    if arrears <= 0:
        raise ValueError("there are no arrears to propose a plan for")
    days = policy.agreement_period_days
    rest = max(0, arrears - (lump_sum or 0))
    share = max(0, disposable_monthly) * policy.affordability_income_share_percent // 100
    affordable = per_period(share, frequency, days)
    periods = periods_in_term(start, frequency, policy.affordability_max_term_weeks, days)
    needed = -(-rest // periods) if rest else 0
    minimum = minimum_per_period(policy, frequency)
    instalment = max(minimum, min(affordable, needed))
    # Never more than the whole of what is left to pay (a small debt is one instalment).
    instalment = max(1, min(instalment, rest)) if rest else max(1, minimum)
    plan = schedule(start, arrears, instalment, frequency, days, lump_sum)
    return Proposal(
        instalment=instalment, frequency=frequency, start=start, arrears=arrears,
        lump_sum=lump_sum, affordable=affordable, needed=needed, minimum=minimum, plan=plan,
        within_term=plan.last_due <= term_end(start, policy.affordability_max_term_weeks),
        above_share=instalment > affordable,
    )


def clears_within_term(*, start: datetime.date, arrears: int, instalment: int, frequency: str,
                       policy: PolicyParams, lump_sum: int | None = None) -> bool:
    """Whether these terms clear the arrears within the policy's maximum term."""
    plan = schedule(start, arrears, instalment, frequency, policy.agreement_period_days,
                    lump_sum)
    return plan.last_due <= term_end(start, policy.affordability_max_term_weeks)

