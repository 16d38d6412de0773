"""Append-only models: rows can be inserted, never updated or deleted.

The model layer refuses it here; migrations add database triggers so raw SQL is refused too.
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


def add_triggers(table: str):
    """A migration operation that installs the append-only triggers on a table."""
    from django.db import migrations

    def forward(apps, schema_editor):
        for statement in trigger_sql(table, schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement, params=None)

    def backward(apps, schema_editor):
        for statement in trigger_sql(table, schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(forward, backward)
