"""A small scenario language for engine tests: one tenancy's story in a few chained calls.

    T().rent(10_000).owes(41_250, on=ago(30)).action("letter_1_sent", ago(20)).row()

D is Wednesday 4 March 2026 unless a test says otherwise; `ago(n)` is D − n days. `rent()`
adds a charge and, by default, posts its debits each period and a payment of the same
amount on the same day (so the rent itself never makes arrears), up to two weeks after D
(rows after D must be ignored). Amounts are pence.
"""

from __future__ import annotations

import datetime
from typing import Any

import polars as pl

from openincome.engine import EngineInputs, classify
from openincome.engine.schemas import INPUT_SCHEMAS
from openincome.policy.defaults import DEFAULT_POLICY
from openincome.policy.params import PolicyParams

D = datetime.date(2026, 3, 4)  # a Wednesday
START = datetime.date(2025, 1, 6)  # a Monday
DAY = datetime.timedelta(days=1)


def ago(n: int, as_of: datetime.date = D) -> datetime.date:
    """D − n days (negative n: after D)."""
    return as_of - datetime.timedelta(days=n)


def add_months(d: datetime.date, months: int) -> datetime.date:
    """Plain-Python N months after (day kept, clamped to the month's end)."""
    import calendar

    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def period_starts(
    frequency: str, anchor: datetime.date, through: datetime.date, rent_week_day: int = 0
):
    """Every rent period start from the anchor's period to `through` (plain Python)."""
    if frequency == "monthly":
        d = anchor.replace(day=1)
        while d <= through:
            yield d
            d = add_months(d, 1)
        return
    step = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}[frequency]
    d = anchor - datetime.timedelta(days=(anchor.weekday() - rent_week_day) % 7)
    while d <= through:
        yield d
        d += datetime.timedelta(days=step)


class T:
    """One tenancy and everything recorded about it."""

    _next_id = 1

    def __init__(
        self,
        tenure: str = "secure",
        start: datetime.date = START,
        end: datetime.date | None = None,
        vulnerable: bool = False,
        as_of: datetime.date = D,
        ref: str | None = None,
        tenancy_id: int | None = None,
        trial_end: datetime.date | None = None,
    ) -> None:
        if tenancy_id is None:
            tenancy_id = T._next_id
            T._next_id += 1
        self.id = tenancy_id
        self.as_of = as_of
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in INPUT_SCHEMAS}
        self.rows["tenancies"].append(
            {
                "tenancy_id": tenancy_id,
                "tenancy_ref": ref or f"T{tenancy_id:05d}",
                "patch": "EAST",
                "tenure": tenure,
                "start_date": start,
                "end_date": end,
                "vulnerable": vulnerable,
                "trial_end_date": trial_end,
            }
        )
        self.start = start

    def _add(self, frame: str, /, **row: Any) -> T:
        self.rows[frame].append({"tenancy_id": self.id, **row})
        return self

    # --- money ---------------------------------------------------------------------------
    def charge(
        self,
        amount: int,
        frequency: str = "weekly",
        start: datetime.date | None = None,
        end: datetime.date | None = None,
        code: str = "rent",
    ) -> T:
        """A charge row only (no debits posted)."""
        return self._add(
            "charges",
            charge_code=code,
            amount=amount,
            frequency=frequency,
            effective_from=start or self.start,
            effective_to=end,
        )

    def rent(
        self,
        amount: int,
        frequency: str = "weekly",
        start: datetime.date | None = None,
        end: datetime.date | None = None,
        post: bool = True,
        pay: bool = True,
        through: datetime.date | None = None,
        rent_week_day: int = 0,
    ) -> T:
        """A rent charge, its debits each period and (pay=True) same-day payments of each."""
        start = start or self.start
        self.charge(amount, frequency, start, end, "rent")
        last = min(end or datetime.date.max, through or self.as_of + 14 * DAY)
        if post:
            for day in period_starts(frequency, start, last, rent_week_day):
                if day >= start:
                    self.tx(day, "rent", amount)
                    if pay:
                        self.tx(day, "payment_dd", amount)
        return self

    def tx(self, on: datetime.date, type: str, amount: int) -> T:
        """One transaction."""
        return self._add("transactions", date=on, type=type, amount=amount)

    def owes(self, amount: int, on: datetime.date) -> T:
        """A debit that is not a charge (so never grace): an adjustment."""
        return self.tx(on, "adjustment_debit", amount)

    def pay(self, amount: int, on: datetime.date, type: str = "payment_dd") -> T:
        """A payment."""
        return self.tx(on, type, amount)

    # --- records ---------------------------------------------------------------------------
    def action(self, code: str, on: datetime.date) -> T:
        """A recorded action."""
        return self._add("actions", date=on, code=code)

    def contact_done(self, on: datetime.date) -> T:
        """Letters 1 and 2 sent and the tenant reached, ending on `on`."""
        return (
            self.action("letter_1_sent", on - 30 * DAY)
            .action("letter_2_sent", on - 10 * DAY)
            .action("contact_made", on)
        )

    def notice(
        self,
        kind: str,
        served: datetime.date,
        epd: datetime.date | None = None,
        expiry: datetime.date | None = None,
        ref: str | None = None,
    ) -> T:
        """A notice."""
        n = len(self.rows["notices"]) + 1
        return self._add(
            "notices",
            notice_ref=ref or f"N{self.id}-{n}",
            kind=kind,
            served_date=served,
            earliest_proceedings_date=epd,
            expiry_date=expiry,
        )

    def case(self, claim: datetime.date, ref: str | None = None, **fields: Any) -> T:
        """A court case: hearing_date, outcome, outcome_date, possession_date,
        terms_instalment, terms_frequency, warrant_date, eviction_date."""
        n = len(self.rows["court_cases"]) + 1
        return self._add("court_cases", case_ref=ref or f"C{self.id}-{n}", claim_date=claim,
                         **fields)

    def agreement(
        self,
        start: datetime.date,
        starting_balance: int,
        instalment: int,
        frequency: str = "weekly",
        status: str = "live",
        ref: str | None = None,
    ) -> T:
        """An informal agreement."""
        n = len(self.rows["agreements"]) + 1
        return self._add(
            "agreements",
            agreement_ref=ref or f"A{self.id}-{n}",
            kind="informal",
            start_date=start,
            starting_balance=starting_balance,
            instalment=instalment,
            frequency=frequency,
            status=status,
        )

    def promise(
        self, amount: int, made: datetime.date, due: datetime.date, ref: str | None = None
    ) -> T:
        """A promise to pay `amount` by `due`, made on `made`."""
        n = len(self.rows["promises"]) + 1
        return self._add("promises", promise_ref=ref or f"P{self.id}-{n}", made_date=made,
                         due_date=due, amount=amount)

    def pause(self, reason: str, start: datetime.date, end: datetime.date | None = None) -> T:
        """A pause (breathing space or officer pause)."""
        return self._add("pauses", reason=reason, start_date=start, end_date=end, note=None)

    def benefit(
        self,
        benefit: str,
        status: str,
        on: datetime.date,
        direct: bool | None = None,
        expected: int | None = None,
        frequency: str | None = None,
        claim_ref: str | None = None,
    ) -> T:
        """One status row of a benefit claim."""
        return self._add(
            "benefits",
            claim_ref=claim_ref or f"B{self.id}-{benefit}",
            benefit=benefit,
            status=status,
            status_date=on,
            direct_to_landlord=direct,
            expected_amount=expected,
            frequency=frequency,
        )

    # --- running -------------------------------------------------------------------------
    def inputs(self) -> EngineInputs:
        """The engine's input frames for this tenancy."""
        return combine([self])

    def row(
        self, policy: PolicyParams = DEFAULT_POLICY, rent_week_day: int = 0,
        as_of: datetime.date | None = None,
    ) -> dict[str, Any]:
        """Classify at D; the tenancy's output row."""
        out = classify(self.inputs(), policy, as_of or self.as_of, rent_week_day)
        assert out.height == 1
        return out.row(0, named=True)


def combine(tenancies: list[T]) -> EngineInputs:
    """Input frames holding every row of several scenarios."""
    frames = {}
    for name, schema in INPUT_SCHEMAS.items():
        rows = [r for t in tenancies for r in t.rows[name]]
        frames[name] = pl.DataFrame(rows, schema=schema) if rows else None
    return EngineInputs(
        **{k: v if v is not None else pl.DataFrame(schema=INPUT_SCHEMAS[k])
           for k, v in frames.items()}
    )
