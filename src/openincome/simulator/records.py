"""Growable columnar buffers for what the weekly loop produces: transactions and case records."""

from __future__ import annotations

import numpy as np

from openincome.ledger.vocab import CREDIT_TYPES, DEBIT_TYPES

NULL = -(2**40)  # "not given" in int64 columns (day numbers before 1970 are negative)

# Transaction types of INTERCHANGE.md (the ledger's vocabulary); a type's code is its index.
TX_TYPES = DEBIT_TYPES + CREDIT_TYPES
TX = {name: code for code, name in enumerate(TX_TYPES)}
SIGN = np.array([1] * len(DEBIT_TYPES) + [-1] * len(CREDIT_TYPES), dtype=np.int64)
# Charge debits carry their rent week in period_start.
CHARGE_TX = np.zeros(len(TX_TYPES), dtype=bool)
CHARGE_TX[[TX["rent"], TX["service"], TX["water"], TX["heating"]]] = True
# Payments in POLICY.md's sense: they count towards "days since last payment".
PAYMENT_TX = np.zeros(len(TX_TYPES), dtype=bool)
PAYMENT_TX[[TX[t] for t in CREDIT_TYPES if t not in ("adjustment_credit", "write_off")]] = True

# Descriptions a housing system would show on the statement; code 0 is none.
DESCRIPTIONS = (
    "",
    "Balance brought forward",
    "Direct Debit returned unpaid",
    "Arrangement payment",
    "Court costs: possession claim",
    "Refund of credit balance",
    "Former tenant arrears written off",
    "Rechargeable repair",
    "Housing Benefit payment",
    "Universal Credit managed payment",
    "Third party deduction (rent arrears)",
    "Discretionary Housing Payment",
    "Deceased tenant: balance written off",
    "Direct Debit re-presented",
    "Housing Benefit overpayment recovered by the council",
)
(
    D_NONE,
    D_OPENING,
    D_DD_RETURNED,
    D_ARRANGEMENT,
    D_COURT_COSTS,
    D_REFUND,
    D_WRITE_OFF,
    D_RECHARGE,
    D_HB,
    D_UC,
    D_TPD,
    D_DHP,
    D_DECEASED,
    D_REPRESENTED,
    D_HB_OVERPAYMENT,
) = range(len(DESCRIPTIONS))


class EventLog:
    """Transactions of one chunk as column chunks: tenancy, day, type, amount, description."""

    def __init__(self) -> None:
        self.idx: list[np.ndarray] = []
        self.day: list[np.ndarray] = []
        self.typ: list[np.ndarray] = []
        self.amt: list[np.ndarray] = []
        self.desc: list[np.ndarray] = []
        self.enabled = True

    def add(
        self,
        idx: np.ndarray,
        day: np.ndarray | int,
        typ: np.ndarray | int,
        amt: np.ndarray,
        desc: int = D_NONE,
    ) -> None:
        """Record transactions (amounts in pence, > 0) for tenancies idx."""
        if not self.enabled or len(idx) == 0:
            return
        n = len(idx)
        self.idx.append(idx.astype(np.int32, copy=False))
        self.day.append(np.broadcast_to(np.asarray(day, dtype=np.int32), (n,)).copy())
        self.typ.append(np.broadcast_to(np.asarray(typ, dtype=np.int8), (n,)).copy())
        self.amt.append(amt.astype(np.int32))  # pence: up to £21m fits, half the memory
        self.desc.append(np.full(n, desc, dtype=np.int8))

    def columns(self) -> dict[str, np.ndarray]:
        """All recorded transactions as concatenated columns."""
        if not self.idx:
            return {
                "idx": np.zeros(0, np.int32),
                "day": np.zeros(0, np.int32),
                "typ": np.zeros(0, np.int8),
                "amt": np.zeros(0, np.int32),
                "desc": np.zeros(0, np.int8),
            }
        out = {}
        for name in ("idx", "day", "typ", "amt", "desc"):
            parts = getattr(self, name)
            out[name] = np.concatenate(parts)
            parts.clear()  # free the pieces as soon as they are joined
        return out


class Table:
    """A growable table of int64 columns whose rows can be updated by row id."""

    def __init__(self, *names: str) -> None:
        self.names = names
        self.n = 0
        self.cap = 1024
        self.cols = {c: np.full(self.cap, NULL, dtype=np.int64) for c in names}

    def append(self, **values: np.ndarray | int) -> np.ndarray:
        """Append rows (columns not given are NULL); returns their row ids."""
        sizes = [np.size(v) for v in values.values() if np.ndim(v) > 0]
        k = min(sizes) if sizes else 1
        if k == 0:
            return np.zeros(0, dtype=np.int64)
        while self.n + k > self.cap:
            self.cap *= 2
            for c in self.names:
                grown = np.full(self.cap, NULL, dtype=np.int64)
                grown[: self.n] = self.cols[c][: self.n]
                self.cols[c] = grown
        for c, v in values.items():
            self.cols[c][self.n : self.n + k] = v
        ids = np.arange(self.n, self.n + k)
        self.n += k
        return ids

    def set(self, col: str, ids: np.ndarray, values: np.ndarray | int) -> None:
        """Update one column of rows ids."""
        self.cols[col][ids] = values

    def get(self, col: str, ids: np.ndarray) -> np.ndarray:
        """Values of one column for rows ids."""
        return self.cols[col][ids]

    def data(self) -> dict[str, np.ndarray]:
        """The filled part of every column."""
        return {c: self.cols[c][: self.n] for c in self.names}
