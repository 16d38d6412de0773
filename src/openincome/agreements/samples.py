"""Example income and expenditure statements for the demo, so an account with an agreement
shows the statement it was agreed on. Synthetic households only, marked as examples.

Each tenancy with an agreement gets one completed statement, dated the day its latest
agreement started, whose disposable income makes that agreement's instalment the share the
policy offers (affordability), give or take a few pounds.
"""

from __future__ import annotations

import random

from openincome.policy.store import params_in_force

from .actions import save_statement
from .models import Agreement, IncomeExpenditure

NOTE = "EXAMPLE statement made by the demo (synthetic figures, not a real household)"


def _monthly(instalment: int, frequency: str, period_days: dict[str, int]) -> int:
    """An instalment as a monthly amount (affordability.per_period read backwards, rounded up)."""
    if frequency not in period_days:
        return instalment
    return -(-instalment * 364 // (12 * period_days[frequency]))


def household(rng: random.Random, disposable: int) -> tuple[int, int, int, dict[str, int]]:
    """(adults, children, vehicles, monthly pence by line) of a made-up household whose income
    exceeds its costs and priority debts by `disposable`."""
    adults, children = rng.choice((1, 1, 2)), rng.choice((0, 0, 1, 2, 3))

    def pounds(low: int, high: int) -> int:
        return rng.randint(low, high) * 100  # whole pounds, as people say them
    costs = {
        "rent": pounds(380, 620), "council_tax": pounds(90, 160), "energy": pounds(90, 190),
        "water": pounds(25, 45), "communications": pounds(25, 60),
        "food": pounds(220, 320) + children * pounds(70, 110), "personal": pounds(25, 60),
        "travel": pounds(30, 110),
    }
    if rng.random() < 0.3:
        costs["council_tax_arrears"] = pounds(15, 40)
    needed = sum(costs.values()) + max(0, disposable)
    income: dict[str, int] = {}
    if rng.random() < 0.5:  # in work
        income["wages"] = needed
    else:  # on Universal Credit, its housing element paying the rent
        income["uc_housing"] = costs["rent"]
        income["uc_children"] = min(children * pounds(280, 300), needed - costs["rent"])
        income["uc_standard"] = needed - income["uc_housing"] - income["uc_children"]
    if children and rng.random() < 0.7:
        income["other_benefits"] = children * pounds(80, 100)  # Child Benefit ...
        costs["childcare"] = income["other_benefits"]  # ... spent on the children
    return adults, children, rng.choice((0, 0, 1)), {**income, **costs}


def add_sample_statements(*, seed: int = 2026, actor: str = "demo") -> int:
    """Give every tenancy with an agreement and no completed statement an example one;
    how many were made (none the second time)."""
    rng = random.Random(seed)
    done = set(IncomeExpenditure.objects.filter(status="completed")
               .values_list("tenancy_id", flat=True))
    latest: dict[int, Agreement] = {}
    for agreement in (Agreement.objects.select_related("tenancy")
                      .order_by("tenancy_id", "-start_date", "-pk")):
        latest.setdefault(agreement.tenancy_id, agreement)
    made = 0
    for tenancy_id, agreement in sorted(latest.items()):
        if tenancy_id in done:
            continue
        policy = params_in_force(agreement.start_date)
        monthly = _monthly(agreement.instalment, agreement.frequency,
                           dict(policy.agreement_period_days))
        share = max(1, policy.affordability_income_share_percent)
        disposable = -(-monthly * 100 // share) + rng.randint(0, 20) * 100
        adults, children, vehicles, amounts = household(rng, disposable)
        save_statement(agreement.tenancy, actor, adults=adults, children=children,
                       vehicles=vehicles, amounts=amounts, note=NOTE, complete=True,
                       on=agreement.start_date)
        made += 1
    return made
