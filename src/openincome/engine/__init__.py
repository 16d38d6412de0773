"""The arrears engine: pure functions over Polars frames (no Django).

`classify(inputs, policy, as_of)` returns one row per tenancy with the action POLICY.md
recommends at `as_of`, its reasons and its priority.
"""

from openincome.engine.classify import classify
from openincome.engine.schemas import OUTPUT, EngineInputs

__all__ = ["OUTPUT", "EngineInputs", "classify"]
