"""The arrears engine: pure functions over Polars frames (no Django).

`classify(inputs, policy, as_of)` returns one row per tenancy with the action POLICY.md
recommends at `as_of`, its reasons and its priority. `classify_with_openings` also returns
balance checkpoints (openings) a later run can start from instead of the older transactions.
"""

from openincome.engine.classify import classify, classify_with_openings
from openincome.engine.ledger import HistoryNeeded
from openincome.engine.schemas import OPENINGS, OUTPUT, EngineInputs

__all__ = ["OPENINGS", "OUTPUT", "EngineInputs", "HistoryNeeded", "classify",
           "classify_with_openings"]
