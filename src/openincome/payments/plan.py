"""Deciding what becomes of each payment in a file, read under the bulk writers' lock.

Vectorised over the whole file (Polars joins against what the database holds):

- a row whose source ref was imported before with the same date, amount and reference is
  already imported: skipped (so a re-exported or overlapping file posts nothing twice);
- a source ref seen before with other details, or twice in the file, is held for finance;
- otherwise the row is matched to a tenancy by payment reference, then by claim reference;
  matched rows are posted unless the tenancy already has a payment of the same amount on the
  same day from another channel (then held); unmatched rows go to suspense.
"""

from __future__ import annotations

import polars as pl

from openincome.benefits.models import BenefitClaim
from openincome.interchange.bulk import fetch, in_clause, value_chunks
from openincome.ledger.vocab import label

# Ledger credits that are money received (an adjustment or write-off is not a payment).
PAYMENT_TYPES = ("payment_dd", "payment_card", "payment_cash", "payment_bank",
                 "payment_allpay", "payment_other", "hb", "uc_direct", "tpd", "dhp")


def normalised(expr: pl.Expr) -> pl.Expr:
    """A reference as matched: upper case, without spaces."""
    return expr.fill_null("").str.to_uppercase().str.replace_all(r"\s+", "")


def _reference_index() -> pl.DataFrame:
    """Payment reference -> tenancy (null where several tenancies share it), and how many."""
    rows = fetch("SELECT id, payment_reference FROM ledger_tenancy WHERE payment_reference <> ''",
                 [], {"id": pl.Int64, "payment_reference": pl.String})
    return (rows.with_columns(normalised(pl.col("payment_reference")).alias("key"))
            .group_by("key").agg(pl.col("id").first().alias("by_ref"),
                                 pl.len().alias("ref_matches")))


def _claim_index() -> pl.DataFrame:
    rows = BenefitClaim.objects.values_list("claim_ref", "tenancy_id")
    claims = pl.DataFrame(list(rows), schema={"claim_ref": pl.String, "tenancy_id": pl.Int64},
                          orient="row")
    return (claims.with_columns(normalised(pl.col("claim_ref")).alias("claim_key"))
            .group_by("claim_key").agg(pl.col("tenancy_id").first().alias("by_claim")))


def _seen(source: str, refs: list[str]) -> pl.DataFrame:
    """Payments already received from this source with these source refs."""
    schema = {"source_ref": pl.String, "date": pl.Date, "amount": pl.Int64,
              "reference": pl.String}
    frames = []
    for part in value_chunks(sorted(set(refs))):
        cond, params = in_clause("source_ref", part)
        frames.append(fetch(
            "SELECT source_ref, CAST(date AS TEXT), amount, reference FROM payments_payment "
            f"WHERE source = %s AND {cond}", [source, *params], schema))
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _credits_on(tenancy_ids: list[int], first, last) -> pl.DataFrame:
    """Payments on these tenancies between two dates, with the channel each came by (the file
    source that posted it, or else its transaction type)."""
    schema = {"tenancy_id": pl.Int64, "date": pl.Date, "paid": pl.Int64,
              "origin": pl.String, "other_ref": pl.String, "other_type": pl.String}
    if not tenancy_ids:
        return pl.DataFrame(schema=schema)
    types, type_params = in_clause("t.type", list(PAYMENT_TYPES))
    rows = fetch(
        "SELECT t.tenancy_id, CAST(t.date AS TEXT), -t.amount, COALESCE(p.source, t.type), "
        "t.transaction_ref, t.type FROM ledger_transaction t "
        "LEFT JOIN payments_payment p ON p.transaction_ref = t.transaction_ref "
        f"AND p.transaction_ref <> '' WHERE t.date >= %s AND t.date <= %s AND {types}",
        [str(first), str(last), *type_params], schema)
    return rows.filter(pl.col("tenancy_id").is_in(tenancy_ids))


def plan(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    """The file's rows with `tenancy_id`, `status` (already, held, posted, suspense),
    `reason` and `reason_detail`."""
    rows = frame.with_columns(
        normalised(pl.col("reference")).alias("key"),
        pl.when(pl.col("claim_ref") != "").then(normalised(pl.col("claim_ref")))
        .otherwise(normalised(pl.col("reference"))).alias("claim_key"),
    )
    rows = (rows.join(_reference_index(), on="key", how="left")
            .join(_claim_index(), on="claim_key", how="left"))
    ambiguous = pl.col("ref_matches").fill_null(0) > 1
    rows = rows.with_columns(
        pl.when(pl.col("key") == "").then(None)
        .when(ambiguous).then(None)
        .otherwise(pl.col("by_ref")).alias("tenancy_id"))
    rows = rows.with_columns(
        pl.when(pl.col("tenancy_id").is_null() & ~ambiguous & (pl.col("claim_key") != ""))
        .then(pl.col("by_claim")).otherwise(pl.col("tenancy_id")).alias("tenancy_id"))

    seen = _seen(source, rows["source_ref"].to_list())
    exact = seen.unique().with_columns(pl.lit(True).alias("_exact"))
    clash = seen.select("source_ref").unique().with_columns(pl.lit(True).alias("_clash"))
    rows = (rows.join(exact, on=["source_ref", "date", "amount", "reference"], how="left")
            .join(clash, on="source_ref", how="left"))
    already = pl.col("_exact").fill_null(False)
    rows = rows.with_columns(already.alias("_already"))
    # The first new occurrence of a ref in the file stands; later ones are held.
    firsts = (rows.filter(~pl.col("_already")).group_by("source_ref")
              .agg(pl.col("_line").min().alias("_first_line")))
    rows = rows.join(firsts, on="source_ref", how="left")
    in_file = ~pl.col("_already") & (pl.col("_line") != pl.col("_first_line"))
    before = ~pl.col("_already") & pl.col("_clash").fill_null(False)

    matched = rows.filter(pl.col("tenancy_id").is_not_null())
    others = _credits_on(matched["tenancy_id"].unique().to_list(),
                         rows["date"].min(), rows["date"].max()) if matched.height else None
    if others is not None and others.height:
        other = (others.filter(~pl.col("origin").is_in([source]))
                 .join(rows.select("tx_type").unique(), how="cross")
                 .filter(pl.col("origin") != pl.col("tx_type"))
                 .group_by("tenancy_id", "date", "paid", "tx_type")
                 .agg(pl.col("other_ref").first(), pl.col("other_type").first()))
        rows = rows.join(other, left_on=["tenancy_id", "date", "amount", "tx_type"],
                         right_on=["tenancy_id", "date", "paid", "tx_type"], how="left")
    else:
        rows = rows.with_columns(pl.lit(None, pl.String).alias("other_ref"),
                                 pl.lit(None, pl.String).alias("other_type"))
    cross = pl.col("tenancy_id").is_not_null() & pl.col("other_ref").is_not_null()

    status = (pl.when(already).then(pl.lit("already"))
              .when(in_file | before | cross).then(pl.lit("held"))
              .when(pl.col("tenancy_id").is_not_null()).then(pl.lit("posted"))
              .otherwise(pl.lit("suspense")))
    reason = (pl.when(already).then(pl.lit(""))
              .when(in_file | before).then(pl.lit("same_source_ref"))
              .when(cross).then(pl.lit("same_day_other_channel"))
              .when(pl.col("tenancy_id").is_not_null()).then(pl.lit(""))
              .when(ambiguous).then(pl.lit("ambiguous_reference"))
              .otherwise(pl.lit("no_match")))
    type_label = pl.col("other_type").replace_strict(
        {t: label(t) for t in PAYMENT_TYPES}, default=pl.col("other_type"))
    detail = (pl.when(already).then(pl.lit(""))
              .when(in_file).then(pl.format("same source reference as line {} of this file",
                                            pl.col("_first_line")))
              .when(before).then(pl.lit("same source reference as a payment received before, "
                                        "with a different date, amount or reference"))
              .when(cross).then(pl.format("same tenancy, amount and date as {} {}", type_label,
                                          pl.col("other_ref")))
              .when(pl.col("tenancy_id").is_not_null()).then(pl.lit(""))
              .when(ambiguous).then(pl.format("the reference matches {} tenancies",
                                              pl.col("ref_matches")))
              .otherwise(pl.lit("no tenancy has this payment or claim reference")))
    out = rows.with_columns(status.alias("status"), reason.alias("reason"),
                            detail.alias("reason_detail"))
    # A held row keeps its tenancy (finance sees whose it would be); suspense has none.
    return out.sort("_line").select(
        "_line", "source_ref", "date", "amount", "reference", "claim_ref", "tx_type",
        "description", "period_start", "period_end", "tenancy_id", "status", "reason",
        "reason_detail")

