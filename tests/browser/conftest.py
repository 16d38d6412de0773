"""Browser tests: a real `openincome serve` on a scratch database, driven by Debian's chromium.

The server runs as a separate process on its own database (a temporary SQLite file, or a
scratch PostgreSQL database when OPENINCOME_DATABASE_URL points at PostgreSQL), loaded through
the real command line, so these tests exercise the app exactly as a user would.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures"
DOCS = Path(__file__).parent.parent.parent / "docs"
PASSWORD = "browser-test-password"
NOTIFY_CALLBACK_TOKEN = f"browser-notify-{uuid.uuid4().hex}"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's chromium, never a downloaded browser."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run 'make test', which installs it")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scratch_database(tmp: Path):
    """A database URL of its own for the server, and a function that removes it."""
    base = os.environ.get("OPENINCOME_DATABASE_URL", "")
    if base.startswith("postgres"):
        import psycopg

        name = f"oi_browser_{uuid.uuid4().hex[:10]}"
        admin = base.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return base.rsplit("/", 1)[0] + "/" + name, drop
    return f"sqlite:///{tmp / 'browser.sqlite3'}", lambda: None


def _cli(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "openincome", *args], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"openincome {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def wait_until_serving(base: str, proc: subprocess.Popen, seconds: float) -> bool:
    """Whether the server at `base` answers its sign-in page before `proc` exits or time runs
    out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/login/", timeout=2)
            return True
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.2)


# Each running server's environment, so a test can set up rows through its command line.
_ENVS: dict[str, dict] = {}


# The example officer, administrator, team leader and finance officer (username, role, patch).
USERS = (("officer1", "officer", "EAST"), ("admin1", "admin", None),
         ("leader1", "team_leader", None), ("finance1", "finance", None))


@contextlib.contextmanager
def serving(tmp: Path, users=USERS):
    """(base URL, environment for the command line) of a running Open Income on a scratch
    database loaded with the example landlord, these users and today's worklist; a module
    whose test changes the data (posts payments) starts its own with this."""
    url, drop = _scratch_database(tmp)
    env = {**os.environ, "OPENINCOME_DATABASE_URL": url, "OPENINCOME_PASSWORD": PASSWORD,
           # `serve` refuses the built-in development key outside the demo.
           "OPENINCOME_SECRET_KEY": f"browser-tests-{uuid.uuid4().hex}{uuid.uuid4().hex}",
           # GOV.UK Notify's delivery receipts come with this bearer token.
           "OPENINCOME_NOTIFY_CALLBACK_TOKEN": NOTIFY_CALLBACK_TOKEN}
    _cli(env, "import", str(FIXTURES / "interchange-small"))
    for username, role, patch in users:
        _cli(env, "user", "add", username, "--role", role, *(["--patch", patch] if patch else []))
    _cli(env, "payments", "modulus", "load", str(DOCS / "payments" / "modulus-weights-EXAMPLE.txt"))
    _cli(env, "nightly")  # today's worklist, as the nightly job would have left it
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "openincome", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    if not wait_until_serving(base, proc, seconds=30):
        proc.kill()
        output = proc.stdout.read() if proc.stdout else ""
        drop()
        pytest.fail(f"openincome serve did not start:\n{output}")
    try:
        yield base, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: gunicorn's workers stop slowly
            proc.kill()
            proc.wait()
        drop()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a running Open Income loaded with the example landlord and an officer."""
    with serving(tmp_path_factory.mktemp("server")) as (base, env):
        _ENVS[base] = env
        yield base


@pytest.fixture(scope="session")
def server_cli(server):
    """Run `openincome ARGS` on the server's database (its stdout): a test's own set-up."""
    return lambda *args: _cli(_ENVS[server], *args)


@pytest.fixture
def signed_in(page, server):
    """A page signed in as the example officer."""
    page.goto(server + "/login/")
    page.get_by_label("Username").fill("officer1")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page
