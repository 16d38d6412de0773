"""Database triggers keeping ledger_tenancystamp's per-tenancy input version up to date.

Every table the engine reads for a tenancy (the registry `ledger.inputs.INPUT_TABLES`, which
the nightly reads are built from too) bumps that tenancy's version on any write, whatever wrote
it (ORM, bulk_create, raw SQL, COPY, admin), so no Python code has to remember. PostgreSQL uses
statement-level triggers over transition tables: a COPY of millions of rows costs one upsert of
its distinct tenancies. SQLite has no statement-level triggers, so it upserts per row.

SQLite caveat: Django rebuilds a table for most AlterFields there, which drops the table's
triggers, and rebuilding ledger_tenancy or ledger_property fails outright while the property
and patch triggers name them. A migration doing either puts drop_triggers() before and
add_triggers() after; tests/ledger/test_tenancy_stamps.py fails when a trigger is missing.
"""

from __future__ import annotations

from contextlib import contextmanager

from .inputs import APPEND_ONLY, CLAIM_STEP, INPUT_TABLES, PATCH, PROPERTY, ROW, TENANCY, tables

STAMPS = "ledger_tenancystamp"

# Tables with a tenancy_id column whose rows the engine reads: any change bumps the tenancy.
CHILD_TABLES = tables(ROW)
# Append-only (UPDATE and DELETE are refused by their own triggers): inserts are enough.
INSERT_ONLY_TABLES = tables(APPEND_ONLY)

_BUMP = (
    f"INSERT INTO {STAMPS} (tenancy_id, version) {{select}} "
    f"ON CONFLICT (tenancy_id) DO UPDATE SET version = {STAMPS}.version + 1"
)


# --- PostgreSQL ----------------------------------------------------------------------------

# function name -> the tenancy ids a statement touched, from its transition tables. The child
# functions are shared by every child table: each has a tenancy_id column.
_PG_IDS = {
    "ledger_stamp_rows_inserted": "SELECT tenancy_id FROM new_rows",
    "ledger_stamp_rows_updated": (
        "SELECT tenancy_id FROM new_rows UNION SELECT tenancy_id FROM old_rows"
    ),
    "ledger_stamp_rows_deleted": "SELECT tenancy_id FROM old_rows",
    "ledger_stamp_tenancy_updated": "SELECT id FROM new_rows UNION SELECT id FROM old_rows",
    "ledger_stamp_claim_steps_inserted": (
        "SELECT c.tenancy_id FROM new_rows n JOIN ledger_benefitclaim c ON c.id = n.claim_id"
    ),
    "ledger_stamp_property_updated": (
        "SELECT t.id FROM ledger_tenancy t "
        "WHERE t.property_id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows)"
    ),
    # Only a new code matters (the engine reads no other column of a patch), and a patch
    # holds thousands of tenancies, so a change of its name bumps none of them.
    "ledger_stamp_patch_updated": (
        "SELECT t.id FROM ledger_tenancy t JOIN ledger_property p ON p.id = t.property_id "
        "WHERE p.patch_id IN (SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id "
        "WHERE n.code IS DISTINCT FROM o.code)"
    ),
}

_PG_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _pg_bump_function(name: str, ids: str) -> str:
    # DISTINCT: one upsert may not touch a row twice. ORDER BY: concurrent statements lock
    # stamp rows in the same order, so they wait for each other rather than deadlock.
    select = (
        f"SELECT DISTINCT tenancy_id, 1 FROM ({ids}) AS changed(tenancy_id) "
        f"WHERE tenancy_id IS NOT NULL ORDER BY tenancy_id"
    )
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
        f"BEGIN {_BUMP.format(select=select)}; RETURN NULL; END; $$ LANGUAGE plpgsql"
    )


# reach -> (event, function) of the triggers a table reaching tenancies that way needs. A
# trigger with transition tables may have one event only, hence one function per event.
_PG_EVENTS = {
    ROW: [("INSERT", "ledger_stamp_rows_inserted"), ("UPDATE", "ledger_stamp_rows_updated"),
          ("DELETE", "ledger_stamp_rows_deleted")],
    APPEND_ONLY: [("INSERT", "ledger_stamp_rows_inserted")],
    TENANCY: [("UPDATE", "ledger_stamp_tenancy_updated"),
              ("DELETE", "ledger_stamp_tenancy_deleted")],
    PROPERTY: [("UPDATE", "ledger_stamp_property_updated")],
    PATCH: [("UPDATE", "ledger_stamp_patch_updated")],
    CLAIM_STEP: [("INSERT", "ledger_stamp_claim_steps_inserted")],
}


def _pg_triggers(only: frozenset[str] | None = None) -> list[tuple[str, str, str]]:
    """(table, event, function) for every trigger PostgreSQL needs (on `only` tables)."""
    return [
        (i.table, event, function)
        for i in INPUT_TABLES if only is None or i.table in only
        for event, function in _PG_EVENTS[i.reach]
    ]


def _postgresql(only: frozenset[str] | None = None) -> tuple[list[str], list[str]]:
    forward = [_pg_bump_function(name, ids) for name, ids in _PG_IDS.items()]
    # A deleted tenancy takes its stamp with it (the stamp has no foreign key to block it).
    forward.append(
        "CREATE OR REPLACE FUNCTION ledger_stamp_tenancy_deleted() RETURNS trigger AS $$ "
        f"BEGIN DELETE FROM {STAMPS} WHERE tenancy_id IN (SELECT id FROM old_rows); "
        "RETURN NULL; END; $$ LANGUAGE plpgsql"
    )
    reverse = []
    for table, event, function in _pg_triggers(only):
        name = f"{table}_stamp_{event.lower()}"
        # Dropped first, so that installing again (after a drop_triggers()) is harmless.
        forward.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        forward.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {_PG_REFERENCING[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
        reverse.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    functions = [*_PG_IDS, "ledger_stamp_tenancy_deleted"]
    reverse += [f"DROP FUNCTION IF EXISTS {name}()" for name in functions]
    return forward, reverse


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_bump(value: str, where: str = "") -> str:
    # SQLite needs a WHERE in an INSERT ... SELECT with an upsert (else ON reads as a join's).
    select = f"SELECT {value}, 1 WHERE {where}" if where else f"VALUES ({value}, 1)"
    return (
        f"INSERT INTO {STAMPS} (tenancy_id, version) {select} "
        "ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;"
    )


def _sqlite_table_triggers(reach: str) -> list[tuple[str, str, str]]:
    """(event, WHEN condition, body) of the triggers SQLite needs on one input table."""
    tenancies_of = (
        f"INSERT INTO {STAMPS} (tenancy_id, version) SELECT t.id, 1 FROM ledger_tenancy t "
        "{join} WHERE {where} "
        "ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;"
    )
    insert = ("INSERT", "NEW.tenancy_id IS NOT NULL", _sqlite_bump("NEW.tenancy_id"))
    if reach == APPEND_ONLY:
        return [insert]
    if reach == CLAIM_STEP:
        return [("INSERT", "", _sqlite_bump(
            "(SELECT tenancy_id FROM ledger_benefitclaim WHERE id = NEW.claim_id)"))]
    if reach == ROW:
        return [
            insert,
            ("UPDATE", "",
             _sqlite_bump("NEW.tenancy_id", "NEW.tenancy_id IS NOT NULL")
             + _sqlite_bump("OLD.tenancy_id",
                            "OLD.tenancy_id IS NOT NULL AND OLD.tenancy_id IS NOT NEW.tenancy_id")),
            ("DELETE", "OLD.tenancy_id IS NOT NULL", _sqlite_bump("OLD.tenancy_id")),
        ]
    if reach == TENANCY:
        return [
            ("UPDATE", "", _sqlite_bump("NEW.id") + _sqlite_bump("OLD.id", "OLD.id IS NOT NEW.id")),
            ("DELETE", "", f"DELETE FROM {STAMPS} WHERE tenancy_id = OLD.id;"),
        ]
    if reach == PROPERTY:
        return [("UPDATE", "", tenancies_of.format(
            join="", where="t.property_id IN (NEW.id, OLD.id)"))]
    if reach == PATCH:
        return [("UPDATE", "OLD.code IS NOT NEW.code", tenancies_of.format(
            join="JOIN ledger_property p ON p.id = t.property_id",
            where="p.patch_id IN (NEW.id, OLD.id)"))]
    raise ValueError(f"no stamp triggers for an input reaching tenancies by {reach!r}")


def _sqlite_triggers(only: frozenset[str] | None = None) -> list[tuple[str, str, str, str]]:
    """(name, table and event, WHEN condition, body) for every trigger SQLite needs (on
    `only` tables)."""
    return [
        (f"{i.table}_stamp_{event.lower()}", f"{event} ON {i.table}", when, body)
        for i in INPUT_TABLES if only is None or i.table in only
        for event, when, body in _sqlite_table_triggers(i.reach)
    ]


def _sqlite(only: frozenset[str] | None = None) -> tuple[list[str], list[str]]:
    forward, reverse = [], []
    for name, on, when, body in _sqlite_triggers(only):
        condition = f" WHEN {when}" if when else ""
        forward.append(f"DROP TRIGGER IF EXISTS {name}")
        forward.append(f"CREATE TRIGGER {name} AFTER {on} FOR EACH ROW{condition} BEGIN {body} END")
        reverse.append(f"DROP TRIGGER IF EXISTS {name}")
    return forward, reverse


def trigger_sql(
    vendor: str, only: frozenset[str] | None = None
) -> tuple[list[str], list[str]]:
    """Forward and reverse statements installing the stamp triggers on a database vendor
    (on the `only` tables when given: a migration installs them on the tables it has)."""
    if vendor == "postgresql":
        return _postgresql(only)
    if vendor == "sqlite":
        return _sqlite(only)
    # Versions that never moved would tell callers nothing changed: refuse rather than lie.
    raise NotImplementedError(f"tenancy stamp triggers are not written for {vendor}")


def trigger_names(vendor: str) -> list[str]:
    """The names of the triggers trigger_sql installs (for checks that they are in place)."""
    if vendor == "postgresql":
        return [f"{table}_stamp_{event.lower()}" for table, event, _ in _pg_triggers()]
    if vendor == "sqlite":
        return [name for name, *_ in _sqlite_triggers()]
    raise NotImplementedError(f"tenancy stamp triggers are not written for {vendor}")


def _run(part: int):
    """A RunPython function executing trigger_sql's forward (0) or reverse (1) statements."""

    def run(apps, schema_editor):
        # An earlier migration installs the triggers of the tables that exist at its point;
        # a later one, after creating a table, installs them again with it.
        tables = frozenset(schema_editor.connection.introspection.table_names())
        for statement in trigger_sql(schema_editor.connection.vendor, tables)[part]:
            schema_editor.execute(statement, params=None)

    return run


def add_triggers():
    """A migration operation (re)installing the stamp triggers; reversed, it drops them."""
    from django.db import migrations

    return migrations.RunPython(_run(0), _run(1))


def drop_triggers():
    """A migration operation dropping the stamp triggers; reversed, it installs them."""
    from django.db import migrations

    return migrations.RunPython(_run(1), _run(0))


@contextmanager
def set_based_bumps(table: str):
    """On SQLite, bump once per tenancy for the rows inserted inside, not once per row.

    A row trigger makes SQLite keep a statement journal for every insert: a bulk import of a
    million transactions took twice as long. Inside, the insert trigger is dropped and one
    upsert per tenancy bumps the versions at the end; DDL is transactional in SQLite and the
    write lock is held from the DROP to the commit, so no other connection sees the table
    without its trigger.
    """
    from django.db import connection, transaction

    if connection.vendor != "sqlite" or table not in INSERT_ONLY_TABLES:
        yield
        return
    name = f"{table}_stamp_insert"
    create = next(sql for sql in _sqlite()[0] if f"TRIGGER {name} " in sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}")
        (last,) = cursor.fetchone()
        yield
        cursor.execute(
            f"INSERT INTO {STAMPS} (tenancy_id, version) SELECT tenancy_id, 1 FROM {table} "
            "WHERE rowid > %s AND tenancy_id IS NOT NULL GROUP BY tenancy_id "
            "ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1",
            [last],
        )
        cursor.execute(create)
