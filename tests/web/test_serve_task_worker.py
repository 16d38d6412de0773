"""`openincome serve` starts the background task worker (`openincome manage db_worker`) as a
program of its own and stops it when the server stops, or dies; `--no-task-worker` leaves it
to the administrator."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port, wait_until_serving

SRC = Path(__file__).resolve().parents[2] / "src"


def _task_workers(parent: int) -> list[int]:
    """The pids of `db_worker` processes whose parent is `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and b"db_worker" in cmdline:
            found.append(int(entry.name))
    return found


def _gone(pid: int, seconds: float = 30) -> bool:
    """Whether the process has exited (or is only a zombie) within the time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    """A scratch SQLite file the servers share (migrated by the first)."""
    return f"sqlite:///{tmp_path_factory.mktemp('serve') / 'serve.sqlite3'}"


@pytest.fixture
def serve(database):
    """Start `openincome serve` on the scratch database with these extra arguments."""
    started = []

    def start(*args: str) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENINCOME_")}
        env.update(PYTHONPATH=str(SRC),
                   OPENINCOME_DATABASE_URL=database,
                   OPENINCOME_SECRET_KEY="serve-task-worker-test-" + "k" * 50)
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "openincome", "serve", "--port", str(port), "--workers",
             "1", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(proc)
        assert wait_until_serving(f"http://127.0.0.1:{port}", proc, seconds=120)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_serve_runs_a_task_worker_and_it_stops_with_the_server(serve, stop):
    proc = serve()
    deadline = time.monotonic() + 30
    while not (workers := _task_workers(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(workers) == 1
    assert not _gone(workers[0], seconds=1)  # it runs (waiting for tasks)
    proc.send_signal(stop)
    proc.wait(timeout=60)
    assert _gone(workers[0])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_without_a_task_worker_starts_none(serve):
    proc = serve("--no-task-worker")
    time.sleep(2)
    assert _task_workers(proc.pid) == []
