"""Loading the engine's input frames from the database: one streamed query per table.

PostgreSQL streams each query with COPY (fast, and inside the caller's transaction); SQLite,
the small embedded default, reads through its cursor. Both run on Django's own connection, so
what is read is exactly what the caller's transaction sees.
"""

from __future__ import annotations

import datetime
import io

import polars as pl
from django.db import connection

TEXT, DATE, INT, BOOL = pl.Utf8, pl.Date, pl.Int64, pl.Boolean

# table name -> (SELECT returning these columns in this order, {column: type}).
QUERIES: dict[str, tuple[str, dict[str, pl.DataType]]] = {
    "tenancies": (
        """SELECT t.id, t.tenancy_ref, p.code, t.tenure, t.start_date, t.end_date,
                  CASE WHEN EXISTS (SELECT 1 FROM ledger_tenant x WHERE x.tenancy_id = t.id
                                    AND x.vulnerabilities <> '') THEN 1 ELSE 0 END
           FROM ledger_tenancy t
           JOIN ledger_property pr ON pr.id = t.property_id
           JOIN ledger_patch p ON p.id = pr.patch_id
           WHERE {where_t}""",
        {"tenancy_id": INT, "tenancy_ref": TEXT, "patch": TEXT, "tenure": TEXT,
         "start_date": DATE, "end_date": DATE, "vulnerable": BOOL},
    ),
    "transactions": (
        # Amounts are stored signed; the engine takes them unsigned with the sign in the type.
        # Ordered as the engine groups them, which saves it a sort of the largest frame.
        """SELECT tenancy_id, date, type, ABS(amount) FROM ledger_transaction
           WHERE date <= %s AND {where} ORDER BY tenancy_id, date""",
        {"tenancy_id": INT, "date": DATE, "type": TEXT, "amount": INT},
    ),
    "charges": (
        """SELECT tenancy_id, charge_code, amount, frequency, effective_from, effective_to
           FROM ledger_charge WHERE {where}""",
        {"tenancy_id": INT, "charge_code": TEXT, "amount": INT, "frequency": TEXT,
         "effective_from": DATE, "effective_to": DATE},
    ),
    "benefits": (
        # The claim's status history: simple-history rows plus the current row (bulk imports
        # write no history rows), so the engine can take the latest status known at D.
        """SELECT tenancy_id, claim_ref, benefit, status, status_date, direct_to_landlord,
                  expected_amount, frequency FROM ledger_benefitclaim WHERE {where}
           UNION
           SELECT tenancy_id, claim_ref, benefit, status, status_date, direct_to_landlord,
                  expected_amount, frequency FROM ledger_historicalbenefitclaim
           WHERE history_type <> '-' AND {where}""",
        {"tenancy_id": INT, "claim_ref": TEXT, "benefit": TEXT, "status": TEXT,
         "status_date": DATE, "direct_to_landlord": BOOL, "expected_amount": INT,
         "frequency": TEXT},
    ),
    "agreements": (
        """SELECT agreement_ref, tenancy_id, kind, start_date, starting_balance, instalment,
                  frequency, status FROM ledger_agreement WHERE {where}""",
        {"agreement_ref": TEXT, "tenancy_id": INT, "kind": TEXT, "start_date": DATE,
         "starting_balance": INT, "instalment": INT, "frequency": TEXT, "status": TEXT},
    ),
    "notices": (
        """SELECT notice_ref, tenancy_id, kind, served_date, earliest_proceedings_date,
                  expiry_date FROM ledger_notice WHERE {where}""",
        {"notice_ref": TEXT, "tenancy_id": INT, "kind": TEXT, "served_date": DATE,
         "earliest_proceedings_date": DATE, "expiry_date": DATE},
    ),
    "court_cases": (
        """SELECT case_ref, tenancy_id, claim_date, hearing_date, outcome, outcome_date,
                  possession_date, terms_instalment, terms_frequency, warrant_date,
                  eviction_date FROM ledger_courtcase WHERE {where}""",
        {"case_ref": TEXT, "tenancy_id": INT, "claim_date": DATE, "hearing_date": DATE,
         "outcome": TEXT, "outcome_date": DATE, "possession_date": DATE,
         "terms_instalment": INT, "terms_frequency": TEXT, "warrant_date": DATE,
         "eviction_date": DATE},
    ),
    "pauses": (
        "SELECT tenancy_id, reason, start_date, end_date, note FROM ledger_pause WHERE {where}",
        {"tenancy_id": INT, "reason": TEXT, "start_date": DATE, "end_date": DATE, "note": TEXT},
    ),
    "actions": (
        "SELECT tenancy_id, date, code FROM ledger_recordedaction WHERE {where}",
        {"tenancy_id": INT, "date": DATE, "code": TEXT},
    ),
}


def _read_postgres(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    buf = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                buf.write(chunk)
    if buf.tell() == 0:
        return pl.DataFrame(schema=schema)
    buf.seek(0)
    read_as = {k: (pl.Utf8 if v == BOOL else v) for k, v in schema.items()}
    frame = pl.read_csv(buf, has_header=False, new_columns=list(schema), schema=read_as)
    bools = [pl.col(k).replace_strict({"t": True, "f": False}, default=None, return_dtype=BOOL)
             for k, v in schema.items() if v == BOOL]
    return frame.with_columns(bools) if bools else frame


def _read_cursor(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite gives dates as date objects for declared columns but as text out of a UNION, and
    # booleans as 0/1: normalise the date columns, then let Polars cast the rest.
    dated = [i for i, v in enumerate(schema.values()) if v == DATE]
    if dated and rows:
        fromiso = datetime.date.fromisoformat
        rows = [
            tuple(fromiso(v) if i in dated and isinstance(v, str) else v
                  for i, v in enumerate(row))
            for row in rows
        ]
    loose = {k: (INT if v == BOOL else v) for k, v in schema.items()}
    frame = pl.DataFrame(rows, schema=loose, orient="row")
    bools = [pl.col(k).cast(BOOL) for k, v in schema.items() if v == BOOL]
    return frame.with_columns(bools) if bools else frame


def read_table(name: str, as_of: datetime.date, tenancy_ids: list[int] | None = None):
    """One input frame, optionally only for some tenancies; empty strings become nulls."""
    sql, schema = QUERIES[name]
    params: list = []
    if tenancy_ids is None:
        where, where_t = "1 = 1", "1 = 1"
    else:
        marks = ", ".join(["%s"] * len(tenancy_ids))
        where, where_t = f"tenancy_id IN ({marks})", f"t.id IN ({marks})"
    sql = sql.format(where=where, where_t=where_t)
    if name == "transactions":
        params.append(as_of)
    # Each {where} placeholder in the query needs its own copy of the ids.
    params += (tenancy_ids or []) * (sql.count("tenancy_id IN (") + sql.count("t.id IN ("))
    reader = _read_postgres if connection.vendor == "postgresql" else _read_cursor
    frame = reader(sql, params, schema)
    blanks = [pl.when(pl.col(k) == "").then(None).otherwise(pl.col(k)).alias(k)
              for k, v in schema.items() if v == TEXT]
    frame = frame.with_columns(blanks) if blanks else frame
    if name == "transactions":
        # A handful of type names over millions of rows: categorical is far smaller.
        frame = frame.with_columns(pl.col("type").cast(pl.Categorical))
    return frame


def load_frames(as_of: datetime.date, tenancy_ids: list[int] | None = None) -> dict:
    """Every input frame the engine needs for as_of, keyed by the EngineInputs field name."""
    return {name: read_table(name, as_of, tenancy_ids) for name in QUERIES}
