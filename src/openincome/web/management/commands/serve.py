import os
import signal
import socket
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    """Two single-threaded worker processes per core, plus one (gunicorn's own advice): a page
    waiting on the database leaves the core to another, and no two pages share one
    interpreter lock (threads in one process made the slowest pages three times slower)."""
    return min(17, 2 * (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = ("Serve the web app (static files included) with gunicorn: several worker "
            "processes, so pages use every core.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help="worker processes (default: two per core, plus one)")
        parser.add_argument("--threads", type=int, default=1, help="threads per worker")
        parser.add_argument("--no-task-worker", action="store_true",
                            help="start no background task worker (bulk sends): run "
                                 "`openincome manage db_worker` yourself")

    def handle(self, *args, host, port, workers, threads, no_task_worker, **options):
        from gunicorn.app.base import BaseApplication

        from openincome.web.security import dev_key_problem

        if problem := dev_key_problem():
            raise CommandError(problem, returncode=2)
        from openincome.wsgi import application

        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1", returncode=2)
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                raise CommandError(
                    f"port {port} on {host} is in use: stop the other server or use --port",
                    returncode=1,
                ) from None
        # Connections are opened by each worker after the fork, never shared across it.
        from django.db import connections

        connections.close_all()
        settings = {
            "bind": f"{host}:{port}", "workers": workers, "threads": threads,
            "worker_class": "gthread", "accesslog": None, "errorlog": "-",
            "loglevel": "warning", "proc_name": "openincome", "timeout": 120,
        }

        class Server(BaseApplication):
            def load_config(self):
                for key, value in settings.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        tasks = None if no_task_worker else start_task_worker()
        self.stdout.write(f"Open Income is serving on http://{host}:{port}/ with {workers} "
                          f"worker processes" + (" and a background task worker" if tasks
                                                 else "") + " (Ctrl+C stops it)")
        self.stdout.flush()
        here = os.getpid()
        try:
            Server().run()
        finally:
            # The web workers are forks of this process and leave through here too: only the
            # process that started the task worker stops it.
            if tasks is not None and os.getpid() == here:
                stop_task_worker(tasks)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the task worker gets SIGTERM if `serve` dies without stopping it (killed)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_task_worker() -> subprocess.Popen:
    """Start Django's database task worker (it runs bulk sends) as a new program, not a fork:
    a fork of a process whose Polars threads have run can hang."""
    return subprocess.Popen(
        [sys.executable, "-m", "openincome", "manage", "db_worker", "--no-reload",
         "--queue-name", "*"],
        env=os.environ.copy(),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_task_worker(proc: subprocess.Popen, seconds: float = 20) -> None:
    """Ask the task worker to stop (it finishes the task in hand), then make it."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
