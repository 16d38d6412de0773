"""The money figures of a case, named and explained once for every page, CSV and table.

The worklist, its CSV (web and command line) and the account page all use these words, so
"arrears" means the same figure wherever an officer reads it (POLICY.md §1 and §2).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """A figure's column name (as the CSV and JSON carry it), its label and its meaning."""

    key: str
    label: str
    help: str


FIGURES = {
    f.key: f
    for f in (
        Figure("balance", "Balance",
               "Every charge less every payment to date. A minus figure is money in credit."),
        Figure("arrears", "Arrears",
               "The balance less this rent period's charge that is not yet due for payment."),
        Figure("technical_arrears", "Technical arrears",
               "The part of the arrears that an expected Housing Benefit or Universal Credit "
               "payment will clear. Not chased."),
        Figure("actionable_arrears", "Actionable arrears",
               "Arrears less technical arrears: the amount the recovery steps act on."),
        Figure("weeks_owed", "Weeks owed",
               "Actionable arrears divided by the weekly charge."),
    )
}


def label(key: str) -> str:
    """The label of a figure ("Actionable arrears" for actionable_arrears)."""
    return FIGURES[key].label
