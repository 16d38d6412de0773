"""Locks that make concurrent writers wait for each other instead of colliding.

Two kinds, both held until the transaction they are taken in ends:

- the bulk writers' lock: one import or rent posting at a time, each planning what to write
  only once it holds the lock, so a second run sees the first's rows instead of writing them
  again (or failing on their refs);
- a tenancy's lock: one officer's action at a time on a tenancy, so each re-scores the case
  from what the other committed.

On PostgreSQL these are an advisory lock and the tenancy's row (FOR NO KEY UPDATE, which
still lets other transactions insert rows pointing at the tenancy). SQLite has one writer at
a time anyway: both take its write lock, as BEGIN IMMEDIATE would, before the transaction
reads anything (a transaction that read first and then writes fails at once, busy, when
another writer committed in between).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the bulk writers ("OI" and 1): any number no other lock uses.
BULK_WRITERS_KEY = 0x4F49_0001

F = TypeVar("F", bound=Callable)


class WriteConflict(Exception):
    """Another writer got there first: nothing was written; running again is safe."""


def _sqlite_write_lock() -> None:
    """Take SQLite's write lock now (a write that changes nothing), waiting as it allows."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_landlord SET name = name WHERE 0")


def _sqlite_write_lock_telling(waiting: Callable[[], object]) -> None:
    """_sqlite_write_lock, calling `waiting` first when another writer holds the lock."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (timeout,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            _sqlite_write_lock()
            return
        except OperationalError:
            waiting()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    _sqlite_write_lock()


def take_bulk_writers_lock(waiting: Callable[[], object] = lambda: None) -> None:
    """Inside a transaction, before it reads: wait for and hold the bulk writers' lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("the bulk writers' lock is held by a transaction: open one first")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [BULK_WRITERS_KEY])
            if not cursor.fetchone()[0]:
                waiting()
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BULK_WRITERS_KEY])
    elif connection.vendor == "sqlite":
        _sqlite_write_lock_telling(waiting)


def begin_writing() -> None:
    """Inside a transaction, before it reads: on SQLite take the write lock now, as BEGIN
    IMMEDIATE would, so a writer committing meanwhile makes this one wait, not fail busy."""
    if not connection.in_atomic_block:
        raise RuntimeError("the write lock is held by a transaction: open one first")
    if connection.vendor == "sqlite":
        _sqlite_write_lock()


def lock_tenancy(tenancy_id: int) -> None:
    """Inside a transaction, before it reads: wait for and hold the right to change a case."""
    if not connection.in_atomic_block:
        raise RuntimeError("a tenancy's lock is held by a transaction: open one first")
    if connection.vendor == "postgresql":
        from openincome.ledger.models import Tenancy

        list(Tenancy.objects.select_for_update(no_key=True).filter(pk=tenancy_id)
             .values_list("pk", flat=True))
    elif connection.vendor == "sqlite":
        _sqlite_write_lock()


def lock_tenancies(tenancy_ids: list[int]) -> None:
    """lock_tenancy for many, in id order (so two callers wait rather than deadlock)."""
    if not connection.in_atomic_block:
        raise RuntimeError("tenancy locks are held by a transaction: open one first")
    if connection.vendor == "postgresql":
        from openincome.ledger.models import Tenancy

        list(Tenancy.objects.select_for_update(no_key=True).filter(pk__in=tenancy_ids)
             .order_by("pk").values_list("pk", flat=True))
    elif connection.vendor == "sqlite":
        _sqlite_write_lock()


def _is_unique_violation(exc: Exception) -> bool:
    """A duplicate key, through Django or straight from psycopg (COPY runs on the raw cursor)."""
    if isinstance(exc, IntegrityError) and "UNIQUE constraint failed" in str(exc):
        return True  # SQLite
    return any(getattr(e, "sqlstate", None) == "23505" for e in (exc, exc.__cause__))


def _waiting_message(what: str) -> Callable[[], None]:
    def waiting() -> None:
        log.warning("waiting for another writer to finish before the %s "
                    "(one import or rent posting at a time)", what)

    return waiting


def bulk_writer(what: str) -> Callable[[F], F]:
    """Decorate a bulk write (an import, a rent posting): it runs in one transaction holding
    the bulk writers' lock; a clash with any other writer becomes a WriteConflict."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                # Durable: a bulk write is an action of its own, never a part of another.
                with transaction.atomic(durable=True):
                    take_bulk_writers_lock(_waiting_message(what))
                    return func(*args, **kwargs)
            except OperationalError as exc:
                if "database is locked" not in str(exc):
                    raise
                raise WriteConflict(
                    f"nothing written: the database stayed busy with another writer, so the "
                    f"{what} gave up waiting. Run it again when the other has finished."
                ) from exc
            except Exception as exc:
                if not _is_unique_violation(exc):
                    raise
                raise WriteConflict(
                    f"nothing written: another writer added some of the same rows while this "
                    f"{what} ran ({_first_line(exc)}). Run it again: rows already there are "
                    f"left as they are."
                ) from exc

        return run  # type: ignore[return-value]

    return decorate


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
