"""Plain-English labels for the engine's actions (POLICY.md §8), kept in the ledger's registry."""

from openincome.ledger.vocab import ENGINE_ACTION_LABELS as ACTION_LABELS
from openincome.ledger.vocab import label

__all__ = ["ACTION_LABELS", "action_label"]


def action_label(code: str) -> str:
    """The label of an action code (words, never the code, when unknown)."""
    return label(code)
