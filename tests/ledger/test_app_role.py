"""The app's PostgreSQL role reads and writes rows and can do nothing else (docs/deploying.md).

CI runs the whole suite with OPENINCOME_DATABASE_ROLE set, so every other test runs as that
role too; here, with or without it, a role made by the same grants is shown to be refused
what would let the app's code undo the append-only ledger.
"""

import os
import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from openincome.ledger.dbrole import grant_sql

POSTGRES = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not POSTGRES, reason="database roles are PostgreSQL's; SQLite has none"),
]
NAMED = os.environ.get("OPENINCOME_DATABASE_ROLE", "")


def query(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def app_role() -> str:
    """The configured role (which the suite already runs as), or one made like it for this
    test's transaction only."""
    if NAMED:
        return NAMED
    name = f"oi_test_app_{uuid.uuid4().hex[:8]}"
    query(f"CREATE ROLE {name} NOLOGIN")
    for statement in grant_sql(name):
        query(statement)
    query(f"SET LOCAL ROLE {name}")
    return name


def test_the_suite_runs_as_the_named_role():
    (current, session), = query("SELECT current_user, session_user")
    assert current == (NAMED or session)


def test_the_app_role_is_no_superuser_and_owns_nothing(app_role):
    (flags,) = query("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolinherit "
                     "FROM pg_roles WHERE rolname = %s", [app_role])
    assert flags[:4] == (False, False, False, False)
    owned = query(
        "SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles "
        "WHERE rolname = %s) UNION ALL SELECT proname FROM pg_proc WHERE proowner = "
        "(SELECT oid FROM pg_roles WHERE rolname = %s)", [app_role, app_role])
    assert owned == []
    (current,) = query("SELECT current_user")
    assert current == (app_role,)


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE ledger_transaction",
        "TRUNCATE ledger_tenancy CASCADE",
        "TRUNCATE audit_auditevent",
        "DROP TABLE ledger_transaction CASCADE",
        "ALTER TABLE ledger_transaction DISABLE TRIGGER ALL",
        "ALTER TABLE ledger_transaction DISABLE TRIGGER ledger_transaction_no_change",
        "DROP TRIGGER ledger_transaction_no_change ON ledger_transaction",
        "DROP FUNCTION ledger_transaction_append_only() CASCADE",
        "CREATE TABLE ledger_scratch (id integer)",
        "SET session_replication_role = replica",  # which would skip every trigger
    ],
)
def test_the_app_role_cannot_drop_truncate_or_disable_triggers(app_role, sql):
    with pytest.raises(DatabaseError, match="permission denied|must be owner"), \
            transaction.atomic():
        query(sql)


def test_the_app_role_reads_and_writes_rows(app_role):
    from openincome.ledger.models import Patch

    Patch.objects.create(code="ROLE")
    assert Patch.objects.filter(code="ROLE").update(name="Role patch") == 1
    assert Patch.objects.filter(code="ROLE").delete()[0] >= 1
