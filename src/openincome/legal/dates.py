"""A notice's dates (POLICY.md §6): deemed service, earliest proceedings and expiry.

Pure functions of the policy, the tenancy's charges (a Polars frame shaped like the engine's
`charges` input) and the landlord's rent week day, so the same dates come out wherever they
are asked for. The earliest-proceedings and expiry dates come from the engine's own
`notice_features`, which fills the dates of an imported notice: the legal app and the
engine cannot disagree. Each date carries the rule behind it in words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import polars as pl

from openincome.common.dates import uk_date
from openincome.common.workdays import (  # noqa: F401 (moved there; imported from here too)
    business_days_after,
    is_bank_holiday,
    is_business_day,
)
from openincome.engine.features import charges_at, notice_features
from openincome.ledger.vocab import label
from openincome.policy.params import SERVICE_METHODS, PolicyParams

DAY = datetime.timedelta(days=1)
# Where each date rule comes from, as officers and tenants read it (the rules are POLICY.md §6,
# the landlord's own policy data; a document name means nothing on a page or a notice).
SOURCE = "the landlord's arrears policy"
METHOD_WORDS = {"hand": "by hand", "post": "by first-class post", "left": "left at the property"}
CHARGES_SCHEMA = {"tenancy_id": pl.Int64, "charge_code": pl.String, "amount": pl.Int64,
                  "frequency": pl.String, "effective_from": pl.Date, "effective_to": pl.Date}


@dataclass(frozen=True)
class DatedRule:
    """A date and the rule that gave it, in words."""

    date: datetime.date
    rule: str


@dataclass(frozen=True)
class NoticeDates:
    """The dates of a notice served on a day by a method."""

    kind: str
    method: str
    served: datetime.date
    deemed_service: DatedRule
    earliest_proceedings: DatedRule
    expiry: DatedRule

    def as_dict(self) -> dict[str, object]:
        """A JSON-safe dict (dates as ISO strings)."""
        return {
            "kind": self.kind, "method": self.method, "served": self.served.isoformat(),
            **{name: {"date": getattr(self, name).date.isoformat(),
                      "rule": getattr(self, name).rule}
               for name in ("deemed_service", "earliest_proceedings", "expiry")},
        }


def deemed_service(served: datetime.date, method: str, policy: PolicyParams) -> DatedRule:
    """The day a notice served on `served` by `method` counts as served (policy's service days)."""
    if method not in SERVICE_METHODS:
        raise ValueError(f"unknown service method '{method}': one of {', '.join(SERVICE_METHODS)}")
    n = policy.notice_service_business_days[method]
    how = METHOD_WORDS[method]
    if n == 0:
        return DatedRule(served, f"Served {how}: deemed served the same day ({SOURCE}).")
    return DatedRule(
        business_days_after(served, n),
        f"Served {how} on {uk_date(served)}: deemed served on business day {n} after that, "
        f"not counting weekends or England and Wales bank holidays ({SOURCE}).",
    )


def notice_dates(
    kind: str, served: datetime.date, method: str, *, policy: PolicyParams,
    charges: pl.DataFrame, rent_week_day: int,
) -> NoticeDates:
    """Deemed service, earliest proceedings and expiry of a notice of `kind` (POLICY.md §6).

    `charges` holds one tenancy's charges (CHARGES_SCHEMA); the notice periods run from the
    deemed service date, so a posted notice's period starts when the tenant is taken to
    have it.
    """
    rule = policy.notice_dates_by_kind.get(kind)
    if rule is None:
        raise ValueError(f"the policy has no date rule for a {label(kind).lower()} notice")
    deemed = deemed_service(served, method, policy)
    charges = charges.select(list(CHARGES_SCHEMA)).cast(CHARGES_SCHEMA).with_columns(
        tenancy_id=pl.lit(1, dtype=pl.Int64))
    notice = pl.DataFrame(
        {"tenancy_id": [1], "notice_ref": ["new"], "kind": [kind],
         "served_date": [deemed.date], "earliest_proceedings_date": [None],
         "expiry_date": [None]},
        schema={"tenancy_id": pl.Int64, "notice_ref": pl.String, "kind": pl.String,
                "served_date": pl.Date, "earliest_proceedings_date": pl.Date,
                "expiry_date": pl.Date},
    )
    row = notice_features(notice, policy, deemed.date, charges, rent_week_day).row(0, named=True)
    epd, expiry = row["notice_earliest_proceedings_date"], row["notice_expiry_date"]
    return NoticeDates(kind, method, served, deemed,
                       DatedRule(epd, _epd_words(rule["earliest_proceedings"], deemed.date,
                                                 policy, charges, rent_week_day)),
                       DatedRule(expiry, _expiry_words(rule["expiry"])))


def _epd_words(rule, deemed: datetime.date, policy: PolicyParams, charges: pl.DataFrame,
               rent_week_day: int) -> str:
    n = rule["days"]
    if rule["rule"] == "days_after_service":
        return f"{n} days after deemed service ({SOURCE})."
    after = deemed + datetime.timedelta(days=n)
    at = pl.DataFrame({"tenancy_id": [1], "at_date": [after]},
                      schema={"tenancy_id": pl.Int64, "at_date": pl.Date})
    frequency = charges_at(charges, policy, at)["rent_frequency"][0]
    return (f"The last day of the {label(frequency).lower()} rent period containing "
            f"{uk_date(after)} (deemed service + {n} days): the first last day of a rent period "
            f"on or after it ({SOURCE}).")


def _expiry_words(rule) -> str:
    start = ("the earliest proceedings date" if rule["from"] == "earliest_proceedings"
             else "deemed service")
    return f"{rule['months']} months after {start} ({SOURCE})."
