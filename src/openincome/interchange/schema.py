"""The files and columns of INTERCHANGE.md: one spec per file, in the order they are loaded.

Kinds of column: `ref` (an identifier), `text`, `date` (YYYY-MM-DD), `money` (pounds with at
most two decimals, stored as integer pence), `int`, `bool` (true/false), `vocab` (one code of
a controlled vocabulary), `codes` (semicolon-separated codes) and `version` (the manifest's
format_version).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import polars as pl
from django.apps import apps
from django.db import models

from openincome.benefits.models import DHP_DECISIONS, PAYMENT_REQUEST_KINDS
from openincome.cases.models import CONTACT_CHANNELS, CONTACT_DIRECTIONS, CONTACT_OUTCOMES
from openincome.ledger import vocab as v
from openincome.ledger.pence import decimal_pounds
from openincome.policy.params import SERVICE_METHODS

FORMAT_VERSION = "1"

# [0-9], not \d (which also matches other scripts' digits); fullmatch, as $ allows a newline.
MONEY_RE = re.compile(r"([0-9]+)(?:\.([0-9]{1,2}))?")
# Money is kept below this many whole-pound digits so pence always fit a 64-bit integer.
MONEY_MAX_DIGITS = 15


@dataclass(frozen=True)
class Column:
    """One column of an interchange file."""

    name: str
    kind: str
    required: bool = False
    vocab: tuple[str, ...] = ()
    # Model field for plain columns; for foreign keys, the relation name (see `fk`).
    field: str = ""
    # Foreign key: (model label, the related model's ref field).
    fk: tuple[str, str] | None = None
    # Personal data: never echoed in error messages.
    personal: bool = False

    @property
    def model_field(self) -> str:
        """The model attribute this column maps to."""
        return self.field or self.name

    @property
    def lookup(self) -> str:
        """The values_list() path reading this column's value from the database."""
        return f"{self.model_field}__{self.fk[1]}" if self.fk else self.model_field


@dataclass(frozen=True)
class FileSpec:
    """One interchange file: its columns, model and how its rows are identified."""

    name: str
    model_label: str
    columns: tuple[Column, ...]
    # How rows are identified: "ref" (one unique ref column), "natural" (a unique tuple),
    # "multiset" (whole rows; duplicates are separate rows) or "singleton" (the manifest).
    identity: str
    key: tuple[str, ...] = ()
    required: bool = False
    # (earlier, later) date columns: later may not be before earlier.
    date_order: tuple[tuple[str, str], ...] = ()
    # Export sort order (columns); natural keys otherwise.
    export_order: tuple[str, ...] = field(default=())

    @property
    def model(self) -> type[models.Model]:
        """The Django model the rows go to."""
        return apps.get_model(self.model_label)

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        """Column names in the order of INTERCHANGE.md."""
        return [c.name for c in self.columns]

    def max_length(self, column: Column) -> int | None:
        """The model's max_length for a text column (None when unlimited or not text)."""
        if column.kind not in ("ref", "text", "codes"):
            return None
        if column.fk:
            return apps.get_model(column.fk[0])._meta.get_field(column.fk[1]).max_length
        return getattr(self.model._meta.get_field(column.model_field), "max_length", None)


TENANCY_FK = ("ledger.Tenancy", "tenancy_ref")
OFFICER_MODEL = "auth.User"  # settings.AUTH_USER_MODEL
# Foreign keys whose missing parents an import creates (the others must exist).
CREATED_AS_NEEDED = ("patch", "officer")


def _tenancy(required: bool = True) -> Column:
    return Column("tenancy_ref", "ref", required, field="tenancy", fk=TENANCY_FK)


C = Column
FILES: tuple[FileSpec, ...] = (
    FileSpec(
        "manifest.csv",
        "ledger.Landlord",
        (
            C("format_version", "version", True),
            C("landlord_name", "text", field="name"),
            C("exported_at", "text"),
        ),
        identity="singleton",
    ),
    # Optional addition to INTERCHANGE.md (docs/interchange.md): the landlord's rent-free weeks,
    # which `post-rent` must skip; without them a migrated ledger would be charged extra weeks.
    FileSpec(
        "rent_free_weeks.csv",
        "ledger.RentFreeWeek",
        (
            C("week_start", "date", True),
            C("note", "text"),
        ),
        identity="natural",
        key=("week_start",),
    ),
    FileSpec(
        "properties.csv",
        "ledger.Property",
        (
            C("property_ref", "ref", True),
            C("address_line_1", "text", True),
            C("address_line_2", "text"),
            C("town", "text"),
            C("postcode", "text", True),
            C("property_type", "vocab", vocab=v.PROPERTY_TYPES),
            C("bedrooms", "int"),
            C("patch", "ref", True, fk=("ledger.Patch", "code")),
        ),
        identity="ref",
        key=("property_ref",),
    ),
    FileSpec(
        "tenancies.csv",
        "ledger.Tenancy",
        (
            C("tenancy_ref", "ref", True),
            C(
                "property_ref",
                "ref",
                True,
                field="property",
                fk=("ledger.Property", "property_ref"),
            ),
            C("tenure", "vocab", True, vocab=v.TENURES),
            C("start_date", "date", True),
            C("end_date", "date"),
            C("trial_end_date", "date"),
            # A ref like the others: a BOM or BEL inside would make a second, look-alike ref.
            C("payment_reference", "ref"),
            C("preferred_channel", "vocab", vocab=v.CHANNELS),
        ),
        identity="ref",
        key=("tenancy_ref",),
        required=True,
        date_order=(("start_date", "end_date"), ("start_date", "trial_end_date")),
    ),
    FileSpec(
        "tenants.csv",
        "ledger.Tenant",
        (
            _tenancy(),
            C("person_ref", "ref", True),
            C("title", "text", personal=True),
            C("first_name", "text", personal=True),
            C("last_name", "text", True, personal=True),
            C("date_of_birth", "date", personal=True),
            C("email", "text", personal=True),
            C("mobile", "text", personal=True),
            C("phone", "text", personal=True),
            C("is_lead", "bool"),
            C("vulnerabilities", "codes", personal=True),
            C("language", "text"),
            # What "other" means when vulnerabilities holds it (a few words, no medical detail).
            C("vulnerability_note", "text", personal=True),
        ),
        identity="natural",
        key=("tenancy_ref", "person_ref"),
    ),
    FileSpec(
        "charges.csv",
        "ledger.Charge",
        (
            _tenancy(),
            C("charge_code", "vocab", True, vocab=v.CHARGE_CODES),
            C("amount", "money", True),
            C("frequency", "vocab", True, vocab=v.FREQUENCIES),
            C("effective_from", "date", True),
            C("effective_to", "date"),
        ),
        identity="natural",
        key=("tenancy_ref", "charge_code", "effective_from"),
        date_order=(("effective_from", "effective_to"),),
    ),
    FileSpec(
        "transactions.csv",
        "ledger.Transaction",
        (
            C("transaction_ref", "ref", True),
            _tenancy(),
            C("date", "date", True),
            C("type", "vocab", True, vocab=v.TRANSACTION_TYPES),
            C("amount", "money", True),
            C("description", "text"),
            C("period_start", "date"),
        ),
        identity="ref",
        key=("transaction_ref",),
    ),
    FileSpec(
        "benefits.csv",
        "benefits.BenefitClaim",
        (
            C("claim_ref", "ref", True),
            _tenancy(),
            C("benefit", "vocab", True, vocab=v.BENEFITS),
            C("status", "vocab", True, vocab=v.BENEFIT_STATUSES),
            C("status_date", "date", True),
            C("direct_to_landlord", "bool"),
            C("expected_amount", "money"),
            C("frequency", "vocab", vocab=v.FREQUENCIES),
        ),
        identity="ref",
        key=("claim_ref",),
    ),
    # Optional: each claim's story (benefits.csv keeps each claim's latest status).
    FileSpec(
        "benefit_events.csv",
        "benefits.ClaimEvent",
        (
            C("claim_ref", "ref", True, field="claim", fk=("benefits.BenefitClaim", "claim_ref")),
            C("status", "vocab", True, vocab=v.BENEFIT_STATUSES),
            C("date", "date", True),
            C("claim_made", "date"),
            C("decision_date", "date"),
            C("entitlement_start", "date"),
            C("expected_first_payment", "date"),
            C("note", "text", personal=True),
        ),
        identity="multiset",
        key=("claim_ref", "status", "date", "claim_made", "decision_date", "entitlement_start",
             "expected_first_payment", "note"),
        date_order=(("claim_made", "decision_date"), ("decision_date", "expected_first_payment")),
        export_order=("claim_ref", "date", "status"),
    ),
    # Optional: the benefits work (docs/benefits.md).
    FileSpec(
        "verifications.csv",
        "benefits.Verification",
        (
            C("claim_ref", "ref", True, field="claim", fk=("benefits.BenefitClaim", "claim_ref")),
            C("received_date", "date", True),
            C("due_date", "date", True),
            C("answered_date", "date"),
            C("answer", "text", personal=True),
            C("note", "text", personal=True),
        ),
        identity="natural",
        key=("claim_ref", "received_date"),
        date_order=(("received_date", "due_date"), ("received_date", "answered_date")),
        export_order=("claim_ref", "received_date"),
    ),
    FileSpec(
        "payment_requests.csv",
        "benefits.PaymentRequest",
        (
            C("claim_ref", "ref", True, field="claim", fk=("benefits.BenefitClaim", "claim_ref")),
            C("kind", "vocab", True, vocab=tuple(PAYMENT_REQUEST_KINDS)),
            C("requested_date", "date", True),
            C("accepted_date", "date"),
            C("refused_date", "date"),
            C("ended_date", "date"),
            C("amount", "money"),
            C("note", "text", personal=True),
        ),
        identity="natural",
        key=("claim_ref", "kind", "requested_date"),
        date_order=(("requested_date", "accepted_date"), ("requested_date", "refused_date"),
                    ("requested_date", "ended_date")),
        export_order=("claim_ref", "requested_date", "kind"),
    ),
    FileSpec(
        "dhp_applications.csv",
        "benefits.DHPApplication",
        (
            _tenancy(),
            C("applied_date", "date", True),
            C("amount_asked", "money"),
            C("reason", "text", True, personal=True),
            C("evidence", "text", personal=True),
            C("decision", "vocab", vocab=tuple(DHP_DECISIONS)),
            C("decision_date", "date"),
            C("award_amount", "money"),
            C("period_start", "date"),
            C("period_end", "date"),
            C("review_requested_date", "date"),
        ),
        identity="natural",
        key=("tenancy_ref", "applied_date"),
        date_order=(("applied_date", "decision_date"), ("period_start", "period_end")),
        export_order=("tenancy_ref", "applied_date"),
    ),
    FileSpec(
        "hb_overpayments.csv",
        "benefits.HBOverpayment",
        (
            C("transaction_ref", "ref", True),
            _tenancy(),
            C("recovered_date", "date", True),
            C("period_start", "date", True),
            C("period_end", "date", True),
            C("amount", "money", True),
            C("tenant_position", "text", personal=True),
        ),
        identity="ref",
        key=("transaction_ref",),
        date_order=(("period_start", "period_end"),),
    ),
    FileSpec(
        "agreements.csv",
        "agreements.Agreement",
        (
            C("agreement_ref", "ref", True),
            _tenancy(),
            C("kind", "vocab", True, vocab=v.AGREEMENT_KINDS),
            C("start_date", "date", True),
            C("starting_balance", "money", True),
            C("instalment", "money", True),
            C("frequency", "vocab", True, vocab=v.FREQUENCIES),
            C("status", "vocab", True, vocab=v.AGREEMENT_STATUSES),
            C("lump_sum", "money"),
            C("note", "text"),
            C("end_date", "date"),
            C("end_reason", "text"),
        ),
        identity="ref",
        key=("agreement_ref",),
    ),
    FileSpec(
        "notices.csv",
        "legal.Notice",
        (
            C("notice_ref", "ref", True),
            _tenancy(),
            C("kind", "vocab", True, vocab=v.NOTICE_KINDS),
            C("served_date", "date", True),
            C("earliest_proceedings_date", "date"),
            C("expiry_date", "date"),
            # Optional (issue 16): how it was served and the day it counts as served.
            C("method", "vocab", vocab=SERVICE_METHODS),
            C("deemed_service_date", "date"),
        ),
        identity="ref",
        key=("notice_ref",),
        date_order=(("served_date", "deemed_service_date"),),
    ),
    FileSpec(
        "court_cases.csv",
        "legal.CourtCase",
        (
            C("case_ref", "ref", True),
            _tenancy(),
            C("claim_date", "date", True),
            C("hearing_date", "date"),
            C("outcome", "vocab", vocab=v.COURT_OUTCOMES),
            C("outcome_date", "date"),
            C("possession_date", "date"),
            C("terms_instalment", "money"),
            C("terms_frequency", "vocab", vocab=v.FREQUENCIES),
            C("warrant_date", "date"),
            C("eviction_date", "date"),
            # Optional (issue 16): where the hearing is.
            C("court_name", "text"),
            C("hearing_place", "text"),
        ),
        identity="ref",
        key=("case_ref",),
    ),
    FileSpec(
        "pauses.csv",
        "cases.Pause",
        (
            _tenancy(),
            C("reason", "vocab", True, vocab=v.PAUSE_REASONS),
            C("start_date", "date", True),
            C("end_date", "date"),
            C("note", "text", personal=True),
        ),
        identity="natural",
        key=("tenancy_ref", "reason", "start_date"),
        date_order=(("start_date", "end_date"),),
        export_order=("tenancy_ref", "start_date", "reason"),
    ),
    FileSpec(
        "promises.csv",
        "ledger.Promise",
        (
            C("promise_ref", "ref", True),
            _tenancy(),
            C("made_date", "date", True),
            C("due_date", "date", True),
            C("amount", "money", True),
            C("note", "text", personal=True),
        ),
        identity="ref",
        key=("promise_ref",),
        date_order=(("made_date", "due_date"),),
    ),
    FileSpec(
        "actions.csv",
        "ledger.RecordedAction",
        (
            _tenancy(),
            C("date", "date", True),
            C("code", "vocab", True, vocab=v.ACTION_CODES),
            C("channel", "vocab", vocab=v.ACTION_CHANNELS),
            C("note", "text", personal=True),
        ),
        identity="multiset",
        key=("tenancy_ref", "date", "code", "channel", "note"),
    ),
    # Optional addition to INTERCHANGE.md (docs/interchange.md): the contact log, so moving
    # to another database keeps every conversation. Officers are users by username; an
    # unknown one is created without a role or password and cannot sign in (load.py).
    FileSpec(
        "contacts.csv",
        "cases.Contact",
        (
            _tenancy(),
            C("date", "date", True),
            C("channel", "vocab", True, vocab=tuple(CONTACT_CHANNELS)),
            C("direction", "vocab", True, vocab=tuple(CONTACT_DIRECTIONS)),
            C("outcome", "vocab", True, vocab=tuple(CONTACT_OUTCOMES)),
            C("note", "text", personal=True),
            C("officer", "ref", True, fk=(OFFICER_MODEL, "username")),
            C("callback_date", "date"),
        ),
        identity="multiset",
        key=("tenancy_ref", "date", "channel", "direction", "outcome", "note", "officer",
             "callback_date"),
        date_order=(("date", "callback_date"),),
    ),
)

BY_NAME: dict[str, FileSpec] = {spec.name: spec for spec in FILES}
ORDER: dict[str, int] = {spec.name: i for i, spec in enumerate(FILES)}


def parse_pounds(text: str) -> int:
    """Integer pence from pounds text like `1234.5` or `1234.56` (no floats); ValueError if bad."""
    match = MONEY_RE.fullmatch(text)
    if not match or len(match.group(1)) > MONEY_MAX_DIGITS:
        raise ValueError(f"not an amount in pounds: {text!r}")
    whole, frac = match.group(1), match.group(2) or ""
    return int(whole) * 100 + int(frac.ljust(2, "0"))


def format_pounds(pence: int) -> str:
    """Pounds text with two decimals from non-negative integer pence: 123456 -> `1234.56`."""
    if pence < 0:
        raise ValueError("interchange amounts are never negative; the sign is the type")
    return decimal_pounds(pence)


def format_value(kind: str, value: object) -> str:
    """A typed value as the interchange writes it (empty string for None)."""
    if value is None:
        return ""
    if kind == "money":
        return format_pounds(int(value))  # type: ignore[arg-type]
    if kind == "bool":
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def format_expr(kind: str, expr: pl.Expr) -> pl.Expr:
    """A Polars expression writing typed values as the interchange does (null stays null)."""
    if kind == "money":
        whole = (expr // 100).cast(pl.String)
        return whole + "." + (expr % 100).cast(pl.String).str.zfill(2)
    if kind == "bool":
        return pl.when(expr).then(pl.lit("true")).when(expr.not_()).then(pl.lit("false"))
    return expr.cast(pl.String)


def polars_type(kind: str) -> type[pl.DataType]:
    """The Polars type of a column's typed values."""
    return {"date": pl.Date, "money": pl.Int64, "int": pl.Int64, "bool": pl.Boolean}.get(
        kind, pl.String
    )
