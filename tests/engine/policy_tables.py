"""Both policy tables' scenarios, each with the policy it is written for."""

from __future__ import annotations

from test_engine_policy_table import CASES as V1_CASES
from test_engine_policy_v2_table import CASES as V2_CASES


def all_cases() -> list[tuple[str, object, object, int]]:
    """(id, build, policy, rent_week_day) of every row of the version 1 and version 2 tables."""
    rows = [(c.id, *c.values[:3]) for c in V1_CASES]
    rows += [(c.id, c.values[0], c.values[1], 0) for c in V2_CASES]
    return rows
