"""Append-only models: rows can be inserted, never updated or deleted.

The model layer refuses it here; migrations add database triggers so raw SQL is refused too
(and TRUNCATE on PostgreSQL; SQLite runs with recursive triggers on, so that a REPLACE INTO,
which deletes the row it replaces, fires the delete trigger). The history rows kept by
django-simple-history are append-only too: never deleted (history_user is still set to NULL
when its user goes), refused by a pre_delete guard and by triggers that every migrate puts
back in place (see guard_history and history_trigger_sql).
"""

from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset whose bulk update and delete are refused."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; post a correction")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; post a correction")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; post a correction")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only; use create")


class AppendOnlyModel(models.Model):
    """Abstract base: save() only inserts; delete() is refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only; post a correction")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only; post a correction")


def trigger_sql(table: str, vendor: str) -> tuple[list[str], list[str]]:
    """Forward and reverse statements for a database vendor refusing UPDATE and DELETE."""
    msg = f"{table} is append-only"
    if vendor == "postgresql":
        return (
            [
                f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{msg}'; END; $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_append_only()",
            ],
        )
    if vendor == "sqlite":
        return (
            [
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{msg}'); END",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{msg}'); END",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_no_update",
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
            ],
        )
    return [], []  # other databases rely on the model layer alone


def truncate_trigger_sql(table: str, vendor: str) -> tuple[list[str], list[str]]:
    """Forward and reverse statements refusing TRUNCATE (PostgreSQL; SQLite has none), using
    the function trigger_sql made for the table."""
    if vendor != "postgresql":
        return [], []
    name = f"{table}_no_truncate"
    return (
        [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()",
        ],
        [f"DROP TRIGGER IF EXISTS {name} ON {table}"],
    )


def add_truncate_trigger(table: str):
    """A migration operation refusing TRUNCATE on an append-only table."""
    return _run_statements(truncate_trigger_sql, table)


# --- django-simple-history's tables ---------------------------------------------------------

HISTORY_FUNCTION = "openincome_history_append_only"


def history_models() -> list[type[models.Model]]:
    """Every historical model django-simple-history made (one per tracked model)."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]


def _refuse_history_delete(sender, instance, **kwargs):
    raise AppendOnlyError(f"{sender.__name__} rows are the record of past changes: never deleted")


def guard_history() -> None:
    """Refuse deleting history rows through the ORM (an instance's or a queryset's delete)."""
    from django.db.models.signals import pre_delete

    for model in history_models():
        # A pre_delete receiver also makes Django delete row by row, so every row is seen.
        pre_delete.connect(_refuse_history_delete, sender=model, weak=False,
                           dispatch_uid=f"openincome_history_guard_{model._meta.label}")


def history_trigger_sql(tables: list[str], vendor: str) -> list[str]:
    """Statements (re)installing triggers refusing DELETE and TRUNCATE on history tables."""
    statements = []
    if vendor == "postgresql":
        statements.append(
            f"CREATE OR REPLACE FUNCTION {HISTORY_FUNCTION}() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {HISTORY_FUNCTION}()",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {HISTORY_FUNCTION}()",
            ]
    elif vendor == "sqlite":
        for table in tables:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_no_delete",
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            ]
    return statements


def install_history_triggers(using: str = "default", **kwargs) -> None:
    """post_migrate: put the history tables' triggers in place (again).

    After every migrate rather than in one migration: it covers history tables added later,
    and SQLite drops a table's triggers whenever a migration rebuilds it.
    """
    from django.db import connections

    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = sorted(m._meta.db_table for m in history_models() if m._meta.db_table in existing)
    with connection.cursor() as cursor:
        for statement in history_trigger_sql(tables, connection.vendor):
            cursor.execute(statement)


def add_triggers(table: str):
    """A migration operation that installs the append-only triggers on a table."""
    return _run_statements(trigger_sql, table)


def _run_statements(sql_for, table: str):
    """A RunPython running sql_for(table, vendor)'s forward statements, its reverse ones back."""
    from django.db import migrations

    def run(part: int):
        def go(apps, schema_editor):
            for statement in sql_for(table, schema_editor.connection.vendor)[part]:
                schema_editor.execute(statement, params=None)

        return go

    return migrations.RunPython(run(0), run(1))
