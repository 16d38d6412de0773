"""The read side of agreements: a tenancy's agreements, the live one, and its state at a date.

Breached is never stored: it is what the engine finds at the date (POLICY.md §4, §3.9), read
here from the engine's own result row so every page, letter and command says the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from openincome.ledger.models import Tenancy
from openincome.policy.store import params_in_force

from . import plan
from .models import Agreement


def agreements_of(tenancy: Tenancy) -> QuerySet[Agreement]:
    """A tenancy's agreements, the latest start first."""
    return tenancy.agreements.order_by("-start_date", "-pk")


def live_agreement(tenancy: Tenancy) -> Agreement | None:
    """The tenancy's live agreement (the latest start, should imported data hold several)."""
    return agreements_of(tenancy).filter(status="live").first()


@dataclass(frozen=True)
class Monitoring:
    """An agreement's state at a date: live, breached (derived), completed or cancelled, and
    for the one the engine monitors, its expected balance against the arrears it compares."""

    agreement: Agreement
    state: str
    expected: int | None = None
    compared: int | None = None

    @property
    def breached_by(self) -> int:
        """How far the compared arrears are above the expected balance (0 when kept)."""
        if self.expected is None or self.compared is None:
            return 0
        return max(0, self.compared - self.expected)


def engine_view(tenancy: Tenancy, as_of: datetime.date) -> dict:
    """The engine's agreement figures for a tenancy at a date (classified now, not stored):
    the monitored agreement's ref, its expected balance and the arrears §4 compares."""
    from openincome.cases.nightly import classify_as_of

    row = classify_as_of(as_of, [tenancy.pk]).row(0, named=True)
    compares = params_in_force(as_of).breach_compares
    return {"agreement_ref": row["agreement_ref"], "expected": row["agreement_expected"],
            "compared": row[compares], "breach_letter_date": row["breach_letter_date"]}


def monitoring(agreement: Agreement, as_of: datetime.date,
               view: dict | None = None) -> Monitoring:
    """The agreement's state at a date (`view`: engine_view of its tenancy, when at hand)."""
    if agreement.status != "live":
        return Monitoring(agreement, agreement.status)
    view = view if view is not None else engine_view(agreement.tenancy, as_of)
    if view["agreement_ref"] != agreement.agreement_ref or view["expected"] is None:
        # Not started by the date, or an older live one the engine does not monitor.
        return Monitoring(agreement, "live")
    breached = (view["compared"] or 0) > view["expected"]
    return Monitoring(agreement, "breached" if breached else "live", view["expected"],
                      view["compared"])


def terms(agreement: Agreement, weekly_charge: int) -> str:
    """The agreement's terms in words, for letters and pages (plan.terms_in_words)."""
    return plan.terms_in_words(
        start=agreement.start_date, balance=agreement.starting_balance,
        instalment=agreement.instalment, frequency=agreement.frequency,
        weekly_charge=weekly_charge, lump_sum=agreement.lump_sum,
        period_days=params_in_force(agreement.start_date).agreement_period_days,
    )
