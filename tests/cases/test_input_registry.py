"""One registry of the engine's input tables (ledger.inputs) feeds the nightly reads and the
stamp triggers: every table the reads name has its triggers, and every trigger is on one."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from openincome.cases.frames import QUERIES, postgres
from openincome.engine.schemas import INPUT_SCHEMAS
from openincome.ledger import inputs
from openincome.ledger.stamp_triggers import trigger_names
from tests.ledger.test_tenancy_stamps import INPUTS as BUMP_CASES

pytestmark = pytest.mark.django_db

_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
# The bump tests of test_tenancy_stamps other than its per-table INPUTS, by reach.
_SPECIAL_CASES = {
    inputs.TENANCY: "test_tenancy_update_bumps_that_tenancy",
    inputs.PROPERTY: "test_property_update_bumps_its_tenancies",
    inputs.PATCH: "test_patch_code_change_bumps_every_tenancy_of_the_patch",
}


def tables_read() -> dict[str, set[str]]:
    """The tables named in each frame's SQL, as the backends send it."""
    sql = {name: query.sql for name, query in QUERIES.items()}
    if connection.vendor == "postgresql":
        # Its own queries: rows of arrays.
        sql["transactions"] = postgres._BY_TENANCY + postgres._BY_BLOCK
    return {name: set(_TABLE.findall(text)) - {"t"} for name, text in sql.items()}


def tables_with_stamp_triggers() -> set[str]:
    """The tables the database has stamp triggers on (as installed by the migrations)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                           "WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        names = set(trigger_names(connection.vendor))
        return {table for table, name in cursor.fetchall() if name in names}


def test_every_engine_input_frame_is_read():
    assert set(QUERIES) == set(INPUT_SCHEMAS) - {"openings"}  # openings: from checkpoints


def test_the_nightly_reads_exactly_the_registry_tables_of_each_frame():
    for frame, read in tables_read().items():
        assert read == set(inputs.tables(frame=frame)), frame


def test_every_table_read_has_stamp_triggers_and_every_stamp_trigger_is_on_a_table_read():
    read = set().union(*tables_read().values())
    assert read == tables_with_stamp_triggers()
    assert read == set(inputs.tables())


@pytest.mark.parametrize("entry", inputs.INPUT_TABLES, ids=lambda i: i.table)
def test_each_input_table_is_a_models_table_reaching_tenancies_as_registered(entry):
    model = inputs.model_of(entry.table)
    if entry.reach in (inputs.ROW, inputs.APPEND_ONLY):
        link = model._meta.get_field("tenancy")
        assert link.column == "tenancy_id"
        assert link.related_model._meta.db_table == "ledger_tenancy"
    elif entry.reach == inputs.CLAIM_STEP:
        link = model._meta.get_field("claim")
        assert link.column == "claim_id"
        assert link.related_model._meta.db_table == "ledger_benefitclaim"
    else:
        assert entry.table == {inputs.TENANCY: "ledger_tenancy", inputs.PROPERTY: "ledger_property",
                               inputs.PATCH: "ledger_patch"}[entry.reach]


def test_a_change_to_each_input_table_has_a_test_that_it_bumps_the_stamp():
    """tests/ledger/test_tenancy_stamps.py inserts, updates and deletes a row of each table in
    its INPUTS (and has a test for each other reach): a new input must be added there."""
    import tests.ledger.test_tenancy_stamps as bumps

    by_row = {i.table for i in inputs.INPUT_TABLES if i.reach not in _SPECIAL_CASES}
    assert {case.table for case in BUMP_CASES} == by_row
    append_only = {case.table for case in BUMP_CASES if case.append_only}
    # (A claim's steps are append-only too, reaching their tenancy through the claim.)
    assert append_only == {*inputs.tables(inputs.APPEND_ONLY), *inputs.tables(inputs.CLAIM_STEP)}
    for entry in inputs.INPUT_TABLES:
        if entry.reach in _SPECIAL_CASES:
            assert callable(getattr(bumps, _SPECIAL_CASES[entry.reach]))
