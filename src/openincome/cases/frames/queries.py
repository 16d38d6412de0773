"""The SQL of the engine's input frames, built from the input registry and the engine's schemas.

Each frame is a SELECT of its schema's columns (`engine.schemas.INPUT_SCHEMAS`) from its table
in the registry (`ledger.inputs`); the few that need more (a join, a history, a sign) are
written out below. Both backends (`postgres`, `sqlite`) read these same queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import polars as pl

from openincome.engine.schemas import INPUT_SCHEMAS
from openincome.ledger import inputs
from openincome.ledger.vocab import TRANSACTION_TYPES


@dataclass(frozen=True)
class FrameQuery:
    """One frame's SELECT: `{where}` stands wherever its rows are filtered (each needs its own
    copy of the filter's parameters), on the tenancy id column `id_column`."""

    frame: str
    sql: str
    id_column: str = "tenancy_id"

    @property
    def schema(self) -> dict[str, pl.DataType]:
        return INPUT_SCHEMAS[self.frame]

    def filtered(self, where: str, params: list) -> tuple[str, list]:
        """The SELECT with `where` in each filtered place, and its parameters."""
        return self.sql.format(where=where), list(params) * self.sql.count("{where}")


# Frames that are not a plain SELECT of their columns from their one table.
_WRITTEN_OUT = {
    "tenancies": FrameQuery(
        "tenancies",
        # EXISTS is a boolean on PostgreSQL (its COPY says t or f; 1 or 0 read as unknown).
        """SELECT t.id, t.tenancy_ref, p.code, t.tenure, t.start_date, t.end_date,
                  EXISTS (SELECT 1 FROM ledger_tenant x WHERE x.tenancy_id = t.id
                          AND x.vulnerabilities <> ''),
                  t.trial_end_date
           FROM ledger_tenancy t
           JOIN ledger_property pr ON pr.id = t.property_id
           JOIN ledger_patch p ON p.id = pr.patch_id
           WHERE {where}""",
        id_column="t.id",
    ),
    # Amounts are stored signed; the engine takes them unsigned with the sign in the type.
    # The caller filters the dates too (≤ the run's date, maybe > a checkpoint's). Ordered as
    # the engine groups them, which saves it a sort. (PostgreSQL reads them its own way:
    # postgres.read_transactions.)
    "transactions": FrameQuery(
        "transactions",
        """SELECT tenancy_id, date, type, ABS(amount) FROM ledger_transaction WHERE {where}
           ORDER BY tenancy_id, date""",
    ),
    # The claim's status history: simple-history rows plus the current row (bulk imports write
    # no history rows), and the claim's story (its steps, some told late, dated before the
    # latest, with the claim's other columns), so the engine can take the latest status known
    # at a date.
    "benefits": FrameQuery(
        "benefits",
        """SELECT tenancy_id, claim_ref, benefit, status, status_date, direct_to_landlord,
                  expected_amount, frequency FROM ledger_benefitclaim WHERE {where}
           UNION
           SELECT tenancy_id, claim_ref, benefit, status, status_date, direct_to_landlord,
                  expected_amount, frequency FROM ledger_historicalbenefitclaim
           WHERE history_type <> '-' AND {where}
           UNION
           SELECT tenancy_id, claim_ref, benefit, e.status, e.date, direct_to_landlord,
                  expected_amount, frequency
           FROM benefits_claimevent e JOIN ledger_benefitclaim c ON c.id = e.claim_id
           WHERE {where}""",
    ),
}


def _plain(frame: str) -> FrameQuery:
    (table,) = inputs.tables(frame=frame)
    return FrameQuery(frame, f"SELECT {', '.join(INPUT_SCHEMAS[frame])} FROM {table} "
                             "WHERE {where}")


QUERIES: dict[str, FrameQuery] = {
    frame: _WRITTEN_OUT.get(frame) or _plain(frame) for frame in inputs.frames()
}


def dated(as_of: datetime.date, after: datetime.date | None = None) -> tuple[str, list]:
    """The condition on transaction dates: on or before as_of (and after `after`)."""
    if after is None:
        return "date <= %s", [as_of]
    return "date <= %s AND date > %s", [as_of, after]


# Type names travel from PostgreSQL as their index in TRANSACTION_TYPES (-1 for any other
# name: the engine counts those as unknown, exactly as it would the name itself).
TYPE_CODE = "CASE type {} ELSE -1 END::int2".format(
    " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(TRANSACTION_TYPES))
)
_TYPES = pl.Series(TRANSACTION_TYPES, dtype=pl.Categorical)


def transactions_frame(tenancy_ids, days, codes, amounts) -> pl.DataFrame:
    """The engine's transactions frame from arrays: ids, days since 1970-01-01, type codes
    (index in TRANSACTION_TYPES, -1 for any other name) and unsigned pence."""
    code = pl.Series(codes, dtype=pl.Int16)
    return pl.DataFrame({
        "tenancy_id": pl.Series(tenancy_ids, dtype=pl.Int64),
        "date": pl.Series(days, dtype=pl.Int32).cast(pl.Date),
    }).with_columns(
        type=pl.lit(_TYPES).gather(pl.when(code >= 0).then(code)),
        amount=pl.Series(amounts, dtype=pl.Int64),
    )


def blanks_to_nulls(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty strings in the text columns become nulls, as the engine expects."""
    blanks = [pl.when(pl.col(k) == "").then(None).otherwise(pl.col(k)).alias(k)
              for k, v in frame.schema.items() if v == pl.String]
    return frame.with_columns(blanks) if blanks else frame
