"""The path a new user runs: `openincome demo` builds a landlord and serves it, and saving works.

The demo once classified the landlord in the serving process and then forked the web workers;
a forked worker that re-scored a case hung inside Polars holding SQLite's write lock, so the
first "Save contact" spun for ever and the next failed with "database is locked".
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from .conftest import _free_port, _scratch_database, wait_until_serving

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-test-password-2026"
ROLES = ("officer", "leader", "manager", "finance", "admin")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Base URL of `openincome demo` serving a small landlord it built itself, and its output."""
    tmp = tmp_path_factory.mktemp("demo")
    url, drop = _scratch_database(tmp)
    env = {**os.environ, "OPENINCOME_DATABASE_URL": url,
           "OPENINCOME_DEMO_PASSWORD": DEMO_PASSWORD}
    port = _free_port()
    log = tmp / "demo.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "openincome", "demo", "--tenancies", "200", "--years", "1",
             "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, text=True, cwd=tmp,
            start_new_session=True,  # its workers too are stopped at the end, even if hung
        )
    base = f"http://127.0.0.1:{port}"
    if not wait_until_serving(base, proc, seconds=300):
        os.killpg(proc.pid, signal.SIGKILL)
        drop()
        pytest.fail(f"openincome demo did not start serving:\n{log.read_text()}")
    yield base, log
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    drop()


def test_the_demo_prints_every_login_it_creates(demo):
    _, log = demo
    output = log.read_text()
    for username in ROLES:
        assert f"{username} / {DEMO_PASSWORD}" in output, output


def _record_contact(page, note: str) -> None:
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("Phone").check()
    page.get_by_label("We contacted the tenant").check()
    page.get_by_label("Outcome").select_option("spoke_to_tenant")
    page.get_by_label("Note").fill(note)
    started = time.monotonic()
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Contact recorded", timeout=10_000
    )
    assert time.monotonic() - started < 10
    expect(page.get_by_text(note)).to_be_visible()


def test_an_officer_saves_two_contacts_on_the_demo_within_seconds(demo, page):
    base, _ = demo
    page.goto(base + "/login/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/tenancies/")
    page.locator("main table a[href^='/tenancies/']").first.click()
    _record_contact(page, "First call on the demo")
    _record_contact(page, "Second call on the demo")
