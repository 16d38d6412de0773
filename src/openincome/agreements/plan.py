"""A repayment plan's arithmetic: instalment dates, how many, when it ends, and its terms in
words for letters. Pure Python (money in integer pence, explicit dates), so it is cheap to test.

The dates here are the ones the tenant is told: instalments fall due on the start date and then
every period. POLICY.md §4 monitors the same plan with its tolerance (the first instalment is
looked for from S + T); that check lives in the engine, not here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from openincome.ledger.pence import pounds
from openincome.ledger.rent_calendar import add_months

# How each frequency is said in the terms ("£5.00 a week").
PER = {"weekly": "a week", "fortnightly": "a fortnight", "four_weekly": "every four weeks",
       "monthly": "a month"}
# Weekly charge to one period's charge: weekly ×1, fortnightly ×2, four-weekly ×4; monthly is
# ×52/12 (POLICY.md §1's weekly equivalent read backwards), rounded half-up once.
_WEEKS_PER = {"weekly": (1, 1), "fortnightly": (2, 1), "four_weekly": (4, 1), "monthly": (52, 12)}


def pence(text: str) -> int:
    """Integer pence from pounds typed on the command line ("20", "20.5", "£1,020.00"); a
    ValueError unless it is a plain amount with at most two decimals (no floats).

    (The interchange's parser sits above this app in the layers, so the command has its own.)
    """
    text = text.strip().lstrip("£").replace(",", "")
    if not re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,2})?", text):
        raise ValueError(f"not an amount in pounds: {text!r}")
    whole, _, part = text.partition(".")
    return int(whole) * 100 + int(part.ljust(2, "0") or 0)


def nth_due_date(start: datetime.date, frequency: str, n: int,
                 period_days: Mapping[str, int]) -> datetime.date:
    """The date the n-th instalment (1 = the first) falls due, the first on the start date."""
    if n < 1:
        raise ValueError("instalments are counted from 1")
    if frequency in period_days:
        return start + datetime.timedelta(days=period_days[frequency] * (n - 1))
    return add_months(start, n - 1)


def instalments_needed(balance: int, instalment: int, lump_sum: int | None = None) -> int:
    """How many instalments clear `balance` after the lump sum (0 when the lump clears it)."""
    if instalment <= 0:
        raise ValueError("the instalment must be more than zero")
    rest = max(0, balance - (lump_sum or 0))
    return -(-rest // instalment)


@dataclass(frozen=True)
class Schedule:
    """A plan's shape: how many instalments, the last one's date and what is paid in all."""

    instalments: int
    last_due: datetime.date
    total: int


def schedule(start: datetime.date, balance: int, instalment: int, frequency: str,
             period_days: Mapping[str, int], lump_sum: int | None = None) -> Schedule:
    """The plan clearing `balance`: the last instalment's date (the start when the lump sum
    clears it) and the total paid (the lump sum and instalments, the last one smaller)."""
    n = instalments_needed(balance, instalment, lump_sum)
    last = nth_due_date(start, frequency, n, period_days) if n else start
    return Schedule(instalments=n, last_due=last, total=max(balance, lump_sum or 0))


def charge_per_period(weekly_charge: int, frequency: str) -> int:
    """The charge for one instalment period from the weekly charge (pence, rounded half-up)."""
    times, per = _WEEKS_PER[frequency]
    return (2 * weekly_charge * times + per) // (2 * per)


def long_date(day: datetime.date) -> str:
    """Monday 7 December 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def terms_in_words(*, start: datetime.date, balance: int, instalment: int, frequency: str,
                   weekly_charge: int, period_days: Mapping[str, int],
                   lump_sum: int | None = None) -> str:
    """The terms as a letter states them: rent plus the instalment, from when, cleared by when."""
    charge = charge_per_period(weekly_charge, frequency)
    per = PER[frequency]
    plan = schedule(start, balance, instalment, frequency, period_days, lump_sum)
    words = []
    if lump_sum:
        words.append(f"a first payment of {pounds(lump_sum)} on {long_date(start)}, then")
    if charge:
        words.append(f"the rent of {pounds(charge)} plus {pounds(instalment)} towards the "
                     f"arrears, {pounds(charge + instalment)} {per} from {long_date(start)}")
    else:
        words.append(f"{pounds(instalment)} {per} towards the arrears from {long_date(start)}")
    words.append(f"clearing the arrears of {pounds(balance)} by {long_date(plan.last_due)}")
    text = ", ".join(words).replace("then, ", "then ")
    return text[0].upper() + text[1:] + "."
