"""The application's PostgreSQL role: it owns nothing, is no superuser, and may only read and
write rows, so the app's code cannot drop a table, disable a trigger or TRUNCATE the ledger.

Set OPENINCOME_DATABASE_ROLE to its name (docs/deploying.md). Then:

- `openincome manage migrate` runs the migrations as the user the database URL names (the owner),
  and afterwards grants the role SELECT, INSERT, UPDATE and DELETE on every table (and the use
  of every sequence), nothing more;
- every other connection switches to the role as it opens (SET ROLE), so the app's code runs
  with the role's rights even when the URL names the owner (as CI and the tests do). In
  production the app's URL should name a login role of its own as well: a session that
  switched can switch back (RESET ROLE), one that logged in as the role cannot.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import NO_DB_ALIAS

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role() -> str | None:
    """The configured application role (a plain lower-case SQL name), or None."""
    name = getattr(settings, "OPENINCOME_DATABASE_ROLE", None)
    if name and not ROLE_NAME.match(name):
        raise ImproperlyConfigured(
            f"OPENINCOME_DATABASE_ROLE {name!r} is not a plain role name "
            "(lower-case letters, digits and _)"
        )
    return name or None


def create_role_sql(name: str) -> str:
    """A statement creating the role (no login, no rights) unless it exists: run it as a user
    allowed to create roles; the grants come with `openincome manage migrate`."""
    if not ROLE_NAME.match(name):
        raise ValueError(f"not a plain role name: {name!r}")
    return (
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; "
        "END IF; "
        "EXCEPTION WHEN duplicate_object THEN NULL; "  # created meanwhile by another run
        "END $$"
    )


def grant_sql(name: str) -> list[str]:
    """Statements granting the role plain row access to everything in the schema, no more."""
    if not ROLE_NAME.match(name):
        raise ValueError(f"not a plain role name: {name!r}")
    return [
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
    ]


def _applies(connection) -> str | None:
    """The role to switch this connection to, if any (never on the server-wide connection
    Django opens to create or drop a test database)."""
    if connection.vendor != "postgresql":
        return None
    if connection.alias == NO_DB_ALIAS or not connection.settings_dict.get("NAME"):
        return None
    return app_role()


def switch_on_connect(sender, connection, **kwargs) -> None:
    """connection_created: run as the application role from the first statement on."""
    role = _applies(connection)
    if role is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [role])
        if not cursor.fetchone()[0]:
            raise ImproperlyConfigured(
                f"the database role {role!r} (OPENINCOME_DATABASE_ROLE) does not exist: "
                "create it as docs/deploying.md shows, then run `openincome manage migrate`"
            )
        cursor.execute(f"SET ROLE {role}")


def before_migrate(using: str = "default", **kwargs) -> None:
    """pre_migrate: migrations run as the user who connected (the owner), not the role."""
    connection = connections[using]
    if _applies(connection):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def after_migrate(using: str = "default", **kwargs) -> None:
    """post_migrate: grant the role row access to every table, then switch back to it."""
    connection = connections[using]
    role = _applies(connection)
    if role is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        for statement in grant_sql(role):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {role}")
