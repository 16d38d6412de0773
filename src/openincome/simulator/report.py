"""The realism report: sector KPIs computed from an interchange folder as of a date.

Definitions (as of D, the manifest's exported_at unless given):
- current tenancy: started on or before D, no end date or one after D;
- arrears: max(0, balance - grace), grace being this rent week's unpaid charges (POLICY.md §1);
- in arrears: arrears > 0;
- current arrears % of annual rent debit: sum of current tenants' arrears / charge debits
  dated in the 52 weeks to D;
- collection rate: payments (payment_*, hb, uc_direct, tpd, dhp) less returned payments, over
  the charge debits of the same 52 weeks;
- UC tenant: a current tenancy with a UC claim claimed, awaiting, in payment or suspended at D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .records import CHARGE_TX, DEBIT_TYPES, PAYMENT_TX, TX_TYPES

CHARGE_TYPES = [t for t, c in zip(TX_TYPES, CHARGE_TX, strict=True) if c]
PAYMENT_TYPES = [t for t, c in zip(TX_TYPES, PAYMENT_TX, strict=True) if c]

# (label, attribute, low, high): the targets of the simulator issue, from the sector figures
# in market-and-benchmarks.md (Housemark 2.56-2.9% arrears; 97-100% collected; 22-46% of
# tenancies in arrears; UC claimants in arrears twice as often or more).
TARGETS = (
    ("share of current tenancies in arrears (%)", "in_arrears_pct", 25.0, 35.0),
    ("current arrears, % of annual rent debit", "arrears_pct_of_debit", 2.0, 4.0),
    ("collection rate, last 52 weeks (%)", "collection_pct", 97.0, 100.0),
    ("UC vs other tenants: in-arrears ratio", "uc_ratio", 2.0, float("inf")),
)


@dataclass
class RealismReport:
    """Sector KPIs of one interchange folder as of a date."""

    as_of: dt.date
    current: int
    in_arrears_pct: float
    arrears_pct_of_debit: float
    collection_pct: float
    uc_tenancies: int
    uc_in_arrears_pct: float
    other_in_arrears_pct: float
    uc_mean_arrears: float
    other_mean_arrears: float
    evictions_per_1000: float
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def uc_ratio(self) -> float:
        """How many times likelier a UC tenant is to be in arrears than another tenant."""
        if self.other_in_arrears_pct == 0:
            return float("inf")
        return self.uc_in_arrears_pct / self.other_in_arrears_pct

    def checks(self) -> list[tuple[str, float, float, float, bool]]:
        """Each target: label, value, low, high, within."""
        out = []
        for label, attr, lo, hi in TARGETS:
            v = float(getattr(self, attr))
            out.append((label, v, lo, hi, lo <= v <= hi))
        return out

    def within_targets(self) -> bool:
        """Whether every figure is within its target."""
        return all(ok for *_, ok in self.checks())

    def format(self) -> str:
        """The report as text."""
        lines = [f"Realism report as of {self.as_of} ({self.current:,} current tenancies)"]
        for label, v, lo, hi, ok in self.checks():
            band = f"{lo:g}-{hi:g}" if hi != float("inf") else f">= {lo:g}"
            lines.append(f"  {label:<45} {v:8.2f}   target {band:<10} {'ok' if ok else 'OUT'}")
        lines += [
            f"  UC tenancies: {self.uc_tenancies:,}; in arrears {self.uc_in_arrears_pct:.1f}% "
            f"vs {self.other_in_arrears_pct:.1f}% of others",
            f"  mean arrears per tenancy: UC £{self.uc_mean_arrears:,.2f}, "
            f"others £{self.other_mean_arrears:,.2f}",
            f"  evictions in the last 52 weeks per 1,000 current tenancies: "
            f"{self.evictions_per_1000:.2f}",
        ]
        lines += [f"  {k}: {v}" for k, v in self.extra.items()]
        return "\n".join(lines)


def _pence(col: str) -> pl.Expr:
    """A money column read as Decimal, in integer pence."""
    return (pl.col(col) * 100).cast(pl.Int64)


def _read(folder: Path, name: str, dates: tuple[str, ...] = ()) -> pl.DataFrame | None:
    path = folder / name
    if not path.exists():
        return None
    df = pl.read_csv(path, infer_schema=False)
    return df.with_columns([pl.col(c).str.to_date("%Y-%m-%d", strict=False) for c in dates])


def realism_report(folder: Path, as_of: dt.date | None = None) -> RealismReport:
    """Compute the realism report of an interchange folder."""
    folder = Path(folder)
    manifest = _read(folder, "manifest.csv")
    if as_of is None:
        as_of = dt.date.fromisoformat(manifest["exported_at"][0][:10])  # type: ignore[index]
    d = as_of
    year_ago = d - dt.timedelta(days=364)
    week_start = d - dt.timedelta(days=d.weekday())
    ten = _read(folder, "tenancies.csv", ("start_date", "end_date"))
    assert ten is not None, "tenancies.csv is required"
    current = ten.filter(
        (pl.col("start_date") <= d) & (pl.col("end_date").is_null() | (pl.col("end_date") > d))
    ).select("tenancy_ref")

    tx = pl.scan_csv(
        folder / "transactions.csv",
        schema_overrides={
            "amount": pl.Decimal(20, 2),
            "date": pl.Date,
            "type": pl.String,
            "tenancy_ref": pl.String,
            "transaction_ref": pl.String,
            "description": pl.String,
            "period_start": pl.Date,
        },
    ).filter(pl.col("date") <= d)
    signed = (
        pl.when(pl.col("type").is_in(DEBIT_TYPES))
        .then(_pence("amount"))
        .otherwise(-_pence("amount"))
    )
    is_charge = pl.col("type").is_in(CHARGE_TYPES)
    is_payment = pl.col("type").is_in(PAYMENT_TYPES)
    this_week = pl.col("date") >= week_start
    last_year = pl.col("date") > year_ago
    per = tx.group_by("tenancy_ref").agg(
        signed.sum().alias("balance"),
        _pence("amount").filter(is_charge & this_week).sum().alias("c"),
        _pence("amount").filter(is_payment & this_week).sum().alias("p"),
    )
    totals = tx.filter(last_year).select(
        _pence("amount").filter(is_charge).sum().alias("debit"),
        _pence("amount").filter(is_payment).sum().alias("paid"),
        _pence("amount").filter(pl.col("type") == "payment_reversal").sum().alias("returned"),
    )
    per, totals = pl.collect_all([per, totals])
    acc = (
        current.join(per, on="tenancy_ref", how="left")
        .fill_null(0)
        .with_columns(
            arrears=pl.max_horizontal(
                pl.col("balance") - pl.max_horizontal(pl.col("c") - pl.col("p"), pl.lit(0)),
                pl.lit(0),
            )
        )
    )
    ben = _read(folder, "benefits.csv", ("status_date",))
    uc_refs: set[str] = set()
    if ben is not None and ben.height:
        uc = ben.filter(
            (pl.col("benefit") == "uc")
            & pl.col("status").is_in(["claimed", "awaiting", "in_payment", "suspended"])
            & (pl.col("status_date") <= d)
        )
        uc_refs = set(uc["tenancy_ref"].to_list())
    acc = acc.with_columns(uc=pl.col("tenancy_ref").is_in(list(uc_refs)))

    def share(df: pl.DataFrame) -> float:
        return 100.0 * df.filter(pl.col("arrears") > 0).height / max(df.height, 1)

    def mean(df: pl.DataFrame) -> float:
        return float(df["arrears"].sum()) / 100 / max(df.height, 1)

    uc_acc, other = acc.filter(pl.col("uc")), acc.filter(~pl.col("uc"))
    debit = int(totals["debit"][0] or 0)
    paid = int(totals["paid"][0] or 0) - int(totals["returned"][0] or 0)
    cases = _read(folder, "court_cases.csv", ("eviction_date",))
    evictions = 0
    if cases is not None and cases.height:
        evictions = cases.filter(
            (pl.col("eviction_date") > year_ago) & (pl.col("eviction_date") <= d)
        ).height
    report = RealismReport(
        as_of=d,
        current=acc.height,
        in_arrears_pct=share(acc),
        arrears_pct_of_debit=100.0 * float(acc["arrears"].sum()) / max(debit, 1),
        collection_pct=100.0 * paid / max(debit, 1),
        uc_tenancies=uc_acc.height,
        uc_in_arrears_pct=share(uc_acc),
        other_in_arrears_pct=share(other),
        uc_mean_arrears=mean(uc_acc),
        other_mean_arrears=mean(other),
        evictions_per_1000=1000.0 * evictions / max(acc.height, 1),
    )
    _truth_extra(folder, d, report)
    _benefits_extra(folder, d, report)
    return report


def _benefits_extra(folder: Path, d: dt.date, report: RealismReport) -> None:
    """The benefits work in the folder (docs/benefits.md): verifications, APA and deduction
    requests and how long an APA takes to be accepted, DHP applications and awards."""
    ver = _read(folder, "verifications.csv", ("received_date", "due_date", "answered_date"))
    if ver is not None and ver.height:
        ver = ver.filter(pl.col("received_date") <= d)
        open_ = ver.filter(pl.col("answered_date").is_null() | (pl.col("answered_date") > d))
        report.extra["UC verification requests"] = (
            f"{ver.height} received, {open_.height} open at {d}, "
            f"{open_.filter(pl.col('due_date') < d).height} overdue")
    req = _read(folder, "payment_requests.csv",
                ("requested_date", "accepted_date", "refused_date"))
    if req is not None and req.height:
        req = req.filter(pl.col("requested_date") <= d)
        apa = req.filter(pl.col("kind") == "apa")
        waits = apa.filter(pl.col("accepted_date") <= d).select(
            (pl.col("accepted_date") - pl.col("requested_date")).dt.total_days())
        median = waits.to_series().median() if waits.height else None
        report.extra["APA requests"] = (
            f"{apa.height} made, {apa.filter(pl.col('accepted_date') <= d).height} accepted, "
            f"{apa.filter(pl.col('refused_date') <= d).height} refused"
            + (f"; accepted after {median / 7:.1f} weeks (median)" if median is not None else ""))
        report.extra["third-party deduction requests"] = str(
            req.filter(pl.col("kind") == "tpd").height)
    dhp = _read(folder, "dhp_applications.csv", ("applied_date", "decision_date"))
    if dhp is not None and dhp.height:
        dhp = dhp.filter(pl.col("applied_date") <= d)
        decided = dhp.filter(pl.col("decision_date") <= d)
        report.extra["DHP applications"] = (
            f"{dhp.height} made, {decided.filter(pl.col('decision') == 'award').height} awarded, "
            f"{decided.filter(pl.col('decision') == 'refusal').height} refused")


def _truth_extra(folder: Path, d: dt.date, report: RealismReport) -> None:
    """With the simulator's ground truth beside the folder: how much arrears is technical."""
    path = folder / "truth" / "truth.csv"
    if not path.exists():
        return
    truth = pl.read_csv(path, infer_schema=False).with_columns(pl.col("as_of").str.to_date())
    truth = truth.filter(pl.col("as_of") <= d)
    if not truth.height:
        return
    last = truth["as_of"].max()
    snap = truth.filter(pl.col("as_of") == last)
    kinds = snap["arrears_kind"].value_counts()
    counts = dict(zip(kinds["arrears_kind"].to_list(), kinds["count"].to_list(), strict=True))
    n = max(snap.height, 1)
    report.extra["ground truth at " + str(last)] = (
        f"{100 * counts.get('real', 0) / n:.1f}% real arrears, "
        f"{100 * counts.get('technical', 0) / n:.1f}% only technical"
    )
    cured = truth.filter(pl.col("arrears_kind") == "real", pl.col("self_cured").is_not_null())
    if cured.height:
        rate = 100 * cured.filter(pl.col("self_cured") == "true").height / cured.height
        report.extra["real arrears that self-cured within 13 weeks"] = f"{rate:.1f}%"
