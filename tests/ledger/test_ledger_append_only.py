"""The ledger is append-only: the model layer and the database both refuse changes."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction

from openincome.audit.log import record
from openincome.audit.models import AuditEvent
from openincome.common.appendonly import AppendOnlyError
from openincome.ledger.models import Transaction

from .factories import make_tenancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def tx():
    tenancy = make_tenancy("T1")
    return Transaction.objects.create(
        transaction_ref="TX1", tenancy=tenancy, date=datetime.date(2026, 1, 5), type="rent",
        amount=10000,
    )


def test_saving_an_existing_transaction_is_refused(tx):
    tx.amount = 1
    with pytest.raises(AppendOnlyError):
        tx.save()


def test_deleting_a_transaction_is_refused(tx):
    with pytest.raises(AppendOnlyError):
        tx.delete()


def test_queryset_update_and_delete_are_refused(tx):
    with pytest.raises(AppendOnlyError):
        Transaction.objects.filter(pk=tx.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        Transaction.objects.filter(pk=tx.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_transaction SET amount = 1",
        "DELETE FROM ledger_transaction",
        "UPDATE audit_auditevent SET why = 'changed'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(tx, sql):
    record("test_event", why="an audited change")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Transaction.objects.get(pk=tx.pk).amount == 10000
    assert AuditEvent.objects.filter(why="an audited change").count() == 1


def test_the_database_refuses_a_credit_with_a_debit_sign():
    tenancy = make_tenancy("T2")
    with pytest.raises(DatabaseError), transaction.atomic():
        Transaction.objects.create(
            transaction_ref="BAD", tenancy=tenancy, date=datetime.date(2026, 1, 5),
            type="payment_dd", amount=500,
        )


def test_audit_events_cannot_be_changed():
    event = record("test_event", why="reason")
    event.why = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()


POSTGRES = connection.vendor == "postgresql"
# Rewrites that slip past row triggers unless something else stops them, by database.
REWRITES = {
    "postgresql": [
        "TRUNCATE ledger_transaction CASCADE",
        "TRUNCATE audit_auditevent",
        "INSERT INTO ledger_transaction (id, transaction_ref, tenancy_id, date, type, amount, "
        "description, created_at) SELECT id, 'TX1', tenancy_id, date, type, 1, '', created_at "
        "FROM ledger_transaction ON CONFLICT (id) DO UPDATE SET amount = 1",
    ],
    "sqlite": [
        # REPLACE deletes the row it replaces: only recursive triggers make that fire.
        "REPLACE INTO ledger_transaction (id, transaction_ref, tenancy_id, date, type, amount, "
        "description, created_at) SELECT id, 'TX1', tenancy_id, date, type, 1, '', created_at "
        "FROM ledger_transaction",
        "INSERT OR REPLACE INTO audit_auditevent (id, at, actor_name, action, object_type, "
        "object_ref, why, details) SELECT id, at, actor_name, action, object_type, object_ref, "
        "'changed', details FROM audit_auditevent",
    ],
}


@contextmanager
def as_owner():
    """As the tables' owner, not the app's role (test_app_role shows that one is refused
    anyway): the triggers are what refuse the owner."""
    if not POSTGRES:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (user,) = cursor.fetchone()
        cursor.execute("RESET ROLE")
        # The pending foreign key checks would make PostgreSQL refuse a TRUNCATE anyway.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {user}")


@pytest.mark.parametrize("sql", REWRITES[connection.vendor])
def test_the_database_refuses_rewriting_or_emptying_the_ledger_and_audit(tx, sql):
    record("test_event", why="an audited change")
    with (as_owner(), pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(sql)
    assert Transaction.objects.get(pk=tx.pk).amount == 10000
    assert AuditEvent.objects.filter(why="an audited change").count() == 1


def test_history_rows_cannot_be_deleted_through_the_orm():
    tenancy = make_tenancy("T3")
    tenancy.tenure = "starter"
    tenancy.save()
    rows = tenancy.history.all()
    assert rows.count() == 2
    # (Django deletes inside a transaction of its own, so each try gets a savepoint.)
    with pytest.raises(AppendOnlyError), transaction.atomic():
        rows.first().delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        rows.delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        type(rows.first()).objects.all().delete()
    assert tenancy.history.count() == 2


def history_tables() -> list[str]:
    from openincome.common.appendonly import history_models

    return sorted(m._meta.db_table for m in history_models())


def test_every_history_table_is_guarded_in_the_database():
    tables = history_tables()
    assert "ledger_historicaltenancy" in tables and "cases_historicalcontact" in tables
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        installed = {name for (name,) in cursor.fetchall()}
    wanted = {f"{t}_no_delete" for t in tables}
    if POSTGRES:
        wanted |= {f"{t}_no_truncate" for t in tables}
    assert wanted - installed == set()


@pytest.mark.parametrize(
    "sql",
    ["DELETE FROM ledger_historicaltenancy", "DELETE FROM cases_historicalpatchallocation"]
    + (["TRUNCATE ledger_historicaltenancy"] if POSTGRES else []),
)
def test_the_database_refuses_deleting_history_rows(sql):
    tenancy = make_tenancy("T4")
    from django.contrib.auth import get_user_model

    from openincome.staff.models import PatchAllocation

    user = get_user_model().objects.create_user("officer-h")
    PatchAllocation.objects.create(user=user, patch=tenancy.property.patch)
    with (as_owner(), pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute(sql)
    assert tenancy.history.count() == 1
    assert PatchAllocation.history.count() == 1
