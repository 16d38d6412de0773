"""Scratch databases for tests that run real processes at once (the concurrency tests).

Each test gets a database of its own, copied from one migrated and loaded once per session
(a SQLite file, or a PostgreSQL database made from a template when OPENINCOME_DATABASE_URL
points at PostgreSQL); the processes are the real command line, or a short script, and a
"holder" connection in the test holds a lock so that they meet at the racy moment every time.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
BASE = os.environ.get("OPENINCOME_DATABASE_URL", "")
POSTGRES = BASE.startswith("postgres")
AS_OF = "2026-04-06"
PASSWORD = "scratch-test-password"


def _admin_url() -> str:
    return BASE.rsplit("/", 1)[0] + "/postgres"


def _pg(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Scratch:
    """A database of the test's own: its URL, the environment for processes using it."""

    url: str
    path: Path | None  # the SQLite file

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "OPENINCOME_DATABASE_URL": self.url,
                "OPENINCOME_PASSWORD": PASSWORD}

    def connect(self):
        """A connection of the test's own (autocommit; BEGIN for a transaction)."""
        if POSTGRES:
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        return sqlite3.connect(self.path, isolation_level=None, timeout=60)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one query, on a connection of its own."""
        conn = self.connect()
        try:
            if POSTGRES:  # no parameters: no placeholders parsed (LIKE 'X%' stays as is)
                cur = conn.execute(sql.replace("?", "%s"), params or None)
            else:
                cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def start(self, *args: str, log: Path) -> subprocess.Popen:
        """Start `openincome ARGS` (stdout and stderr to `log`)."""
        with log.open("w") as out:  # the process keeps its own copy of the file
            return subprocess.Popen([sys.executable, "-m", "openincome", *args], env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT, text=True)

    def start_script(self, code: str, log: Path) -> subprocess.Popen:
        """Start a Python script with Django set up on this database."""
        prelude = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                   "'openincome.settings'); django.setup()\n")
        with log.open("w") as out:
            return subprocess.Popen([sys.executable, "-c", prelude + code], env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT, text=True)

    def waiting_on_locks(self) -> int:
        """How many other sessions wait for a lock (PostgreSQL only)."""
        name = self.url.rsplit("/", 1)[1]
        (n,) = self.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
            "AND wait_event_type = 'Lock'", (name,))[0]
        return n

    def wait_until_blocked(self, count: int, logs: list[Path], phrase: str,
                           timeout: float = 15) -> None:
        """Wait until `count` processes wait for a lock: on PostgreSQL as the server sees
        them; on SQLite when each log shows `phrase` (then a little longer), or at timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if POSTGRES:
                if self.waiting_on_locks() >= count:
                    return
            elif all(phrase in (p.read_text() if p.exists() else "") for p in logs):
                time.sleep(2)  # from the message to the lock
                return
            time.sleep(0.2)


def cli(env: dict[str, str], *args: str) -> str:
    """Run `openincome ARGS`, which must succeed; its stdout."""
    result = subprocess.run([sys.executable, "-m", "openincome", *args], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"openincome {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def make_template(tmp: Path) -> tuple[str, Path | None, callable]:
    """A migrated database holding the example landlord, an officer and a nightly run at
    AS_OF; its URL, its file (SQLite) and a function removing it."""
    if POSTGRES:
        name = f"oi_scratch_tpl_{uuid.uuid4().hex[:10]}"
        _pg(_admin_url(), f'CREATE DATABASE "{name}"')
        url = BASE.rsplit("/", 1)[0] + "/" + name
        path = None
    else:
        path = tmp / "template.sqlite3"
        url = f"sqlite:///{path}"
    env = {**os.environ, "OPENINCOME_DATABASE_URL": url, "OPENINCOME_PASSWORD": PASSWORD}
    cli(env, "manage", "migrate", "-v", "0")
    cli(env, "import", str(FIXTURES / "interchange-small"))
    cli(env, "user", "add", "officer1", "--role", "officer")
    cli(env, "nightly", "--as-of", AS_OF)
    if POSTGRES:
        return url, None, lambda: _pg(_admin_url(),
                                      f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # One file: fold the write-ahead log in.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return url, path, lambda: None


@contextmanager
def scratch_copy(template: tuple[str, Path | None, callable], tmp: Path):
    """A fresh copy of the template database for one test."""
    url, path, _ = template
    if POSTGRES:
        name = f"oi_scratch_{uuid.uuid4().hex[:10]}"
        _pg(_admin_url(), f'CREATE DATABASE "{name}" TEMPLATE "{url.rsplit("/", 1)[1]}"')
        try:
            yield Scratch(BASE.rsplit("/", 1)[0] + "/" + name, None)
        finally:
            _pg(_admin_url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    copy = tmp / "scratch.sqlite3"
    shutil.copyfile(path, copy)
    yield Scratch(f"sqlite:///{copy}", copy)
