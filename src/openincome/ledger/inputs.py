"""The engine's input tables: one registry for the nightly reads and the input-version triggers.

Every table whose rows the engine reads for a tenancy is one line here. The nightly reads
(`cases.frames.queries`) select the frame of each from its tables, and the stamp triggers
(`ledger.stamp_triggers`) bump a tenancy's input version when any of their rows changes; a
test holds the two to this list. Adding an engine input is one line here (plus the frame's
schema in `engine.schemas` and, if it is not a plain SELECT of those columns, its query).

Tables are named by their database table, not by model class or app label: models move
between apps with their table names pinned, and the triggers are installed by migrations,
which see only tables. `model_of` finds the model of a table when one is wanted.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a change to a table's row reaches the tenancies whose inputs it is.
ROW = "row"  # the row's tenancy_id column: inserts, updates and deletes
APPEND_ONLY = "append_only"  # the row's tenancy_id, on insert only (updates are refused)
TENANCY = "tenancy"  # the tenancy row itself
PROPERTY = "property"  # every tenancy of the property
PATCH = "patch"  # every tenancy of every property on the patch (only its code is read)
# The tenancy of the benefit claim the row's claim_id names, on insert only (an append-only
# step of a claim's story: a step told late changes no claim row, yet what the engine reads).
CLAIM_STEP = "claim_step"


@dataclass(frozen=True)
class InputTable:
    """A table the engine reads: the frame it feeds (an EngineInputs field) and how a change
    to one of its rows reaches a tenancy."""

    table: str
    frame: str
    reach: str = ROW


INPUT_TABLES: tuple[InputTable, ...] = (
    InputTable("ledger_tenancy", "tenancies", TENANCY),
    InputTable("ledger_property", "tenancies", PROPERTY),
    InputTable("ledger_patch", "tenancies", PATCH),
    InputTable("ledger_tenant", "tenancies"),  # whether any tenant is vulnerable
    InputTable("ledger_transaction", "transactions", APPEND_ONLY),
    InputTable("ledger_charge", "charges"),
    InputTable("ledger_benefitclaim", "benefits"),
    # The engine takes the status known at a date: the claim's history is read too.
    InputTable("ledger_historicalbenefitclaim", "benefits"),
    # ... and the claim's story, whose steps may be told late (dated before the latest).
    InputTable("benefits_claimevent", "benefits", CLAIM_STEP),
    InputTable("ledger_agreement", "agreements"),
    InputTable("ledger_notice", "notices"),
    InputTable("ledger_courtcase", "court_cases"),
    InputTable("ledger_pause", "pauses"),
    InputTable("ledger_promise", "promises"),
    InputTable("ledger_recordedaction", "actions"),
)


def tables(reach: str | None = None, frame: str | None = None) -> tuple[str, ...]:
    """The input tables (those reaching a tenancy this way, or feeding this frame)."""
    return tuple(
        i.table for i in INPUT_TABLES
        if (reach is None or i.reach == reach) and (frame is None or i.frame == frame)
    )


def frames() -> tuple[str, ...]:
    """The engine frames read from the database, in registry order."""
    return tuple(dict.fromkeys(i.frame for i in INPUT_TABLES))


def model_of(table: str):
    """The installed model whose table this is (the app registry must be ready)."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            return model
    raise LookupError(f"no installed model has the table {table}")
