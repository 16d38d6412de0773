"""Load test: worklist and account page latency with 20 concurrent users (not a pytest test).

Runs `openincome serve` on 127.0.0.1, signs in 20 simulated officers, and has each one
alternate between the worklist (random tab, sort and page of their own patches) and a random
account page, with a think time, for a fixed duration after a short warm-up. Prints
p50/p95/p99 per page against the targets (worklist p95 <= 150 ms, account p95 <= 200 ms), the
server's CPU seconds and the load average. Stops by itself.

Which database:

- With OPENINCOME_DATABASE_URL set, that database (it must hold a landlord). --as-of defaults
  to the latest stored worklist run; the run is built first if that date has none.
- Without it (the default, as `make bench` runs it), the scale landlord of
  `benchmarks/_scale_data.py`: 100,000 homes x 5 years (~147k tenancies, ~63M transactions)
  in the scratch PostgreSQL database oi_scale_bench, reused if an earlier run kept it
  (`bench_nightly.py --keep-db`, or --keep-db here) and otherwise built (several minutes),
  worklist run at the history's last day, dropped at the end unless --keep-db. Without a
  PostgreSQL server at 127.0.0.1:5432 it says so and exits 0.

    .venv/bin/python benchmarks/bench_web.py [--users 20] [--seconds 60] [--keep-db]
    OPENINCOME_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/oi_bench \
        .venv/bin/python benchmarks/bench_web.py --users 20 --seconds 60
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _scale_data as scale  # noqa: E402

PASSWORD = "bench-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class User:
    """One signed-in browser-like session."""

    def __init__(self, base: str, username: str):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = self.opener.open(base + "/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(base + "/login/", data=data,
                                         headers={"Referer": base + "/login/"})
        final = self.opener.open(request)
        if "/login/" in final.geturl():
            raise SystemExit(f"could not sign in as {username}")

    def get(self, path: str) -> float:
        started = time.perf_counter()
        with self.opener.open(self.base + path) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        return time.perf_counter() - started


def prepare(args) -> tuple[str, str, list[str], list[str], bool]:
    """The database URL, as-of date, sampled tenancy refs and patches; users created."""
    own = "OPENINCOME_DATABASE_URL" not in os.environ
    if own:
        url = scale.ensure_landlord(args.db, args.tenancies, args.years, reuse=True)
        as_of = args.as_of or scale.history_end(args.years).isoformat()
    else:
        url = os.environ["OPENINCOME_DATABASE_URL"]
        scale.setup_django(url)
        as_of = args.as_of
    import datetime

    from openincome.cases.models import WorklistRun
    from openincome.cases.nightly import ensure_run
    from openincome.ledger.models import Patch, Tenancy
    from openincome.staff.actions import add_user

    if as_of is None:
        latest = WorklistRun.objects.order_by("-as_of").first()
        if latest is None:
            raise SystemExit("no stored worklist run: give --as-of (it will be built)")
        as_of = latest.as_of.isoformat()
    started = time.perf_counter()
    run = ensure_run(datetime.date.fromisoformat(as_of))
    print(f"  worklist for {as_of}: {run.tenancies:,} tenancies "
          f"(ready in {time.perf_counter() - started:.1f} s)", flush=True)
    ids = list(Tenancy.objects.values_list("tenancy_ref", flat=True))
    tenancy_refs = random.Random(1).sample(ids, min(500, len(ids)))
    patches = list(Patch.objects.values_list("code", flat=True))
    from django.contrib.auth import get_user_model

    for i in range(args.users):
        if not get_user_model().objects.filter(username=f"bench{i}").exists():
            add_user(f"bench{i}", "officer", PASSWORD, [patches[i % len(patches)]],
                     actor="bench")
    if args.changed:
        from openincome.ledger.models import TenancyStamp

        sampled = Tenancy.objects.filter(tenancy_ref__in=tenancy_refs)
        for tenancy_id in sampled.values_list("pk", flat=True):
            stamp, _ = TenancyStamp.objects.get_or_create(tenancy_id=tenancy_id)
            TenancyStamp.objects.filter(pk=stamp.pk).update(version=stamp.version + 1)
        print(f"  marked {sampled.count()} sampled tenancies as changed since the run")
    from django.db import connections

    connections.close_all()
    return url, as_of, tenancy_refs, patches, own


def _cpu_and_children(pid: int) -> tuple[float, list[int]]:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return seconds, children


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server and its worker processes have used (Linux)."""
    total, todo = 0.0, [pid]
    while todo:
        try:
            seconds, children = _cpu_and_children(todo.pop())
        except OSError:
            continue
        total += seconds
        todo += children
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5, help="seconds not counted at first")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--workers", type=int, default=None,
                        help="server worker processes (default: openincome serve's)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per server worker (default: openincome serve's)")
    parser.add_argument("--account-share", type=float, default=0.5,
                        help="share of requests that open an account page (the rest: worklist)")
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--changed", action="store_true",
                        help="mark every sampled tenancy as changed since the run, so each "
                             "account page classifies afresh (the slow path)")
    parser.add_argument("--db", default=scale.DEFAULT_DB,
                        help="scratch database when OPENINCOME_DATABASE_URL is not set")
    parser.add_argument("--tenancies", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--keep-db", action="store_true",
                        help="keep the scratch database (without OPENINCOME_DATABASE_URL)")
    args = parser.parse_args()
    if "OPENINCOME_DATABASE_URL" not in os.environ and not scale_server_reachable():
        print(f"bench_web: skipped, no PostgreSQL at {scale.SERVER}; or set "
              "OPENINCOME_DATABASE_URL to a database holding a landlord (see the docstring)")
        return 0
    print(f"== web load test; load average {loadavg()}", flush=True)
    url, as_of_date, tenancy_refs, patches, own = prepare(args)
    try:
        return serve_and_measure(args, url, as_of_date, tenancy_refs)
    finally:
        if own and not args.keep_db:
            scale.drop_database(args.db)


def serve_and_measure(args, url: str, as_of_date: str, tenancy_refs: list[str]) -> int:
    env = {**os.environ, "OPENINCOME_PASSWORD": PASSWORD, "OPENINCOME_DATABASE_URL": url}
    cli = [sys.executable, "-m", "openincome"]
    port = free_port()
    sizes = [*(["--workers", str(args.workers)] if args.workers else []),
             *(["--threads", str(args.threads)] if args.threads else [])]
    server = subprocess.Popen(cli + ["serve", "--port", str(port), *sizes], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        users = [User(base, f"bench{i}") for i in range(args.users)]
        as_of = f"&as_of={as_of_date}"
        timings: dict[str, list[float]] = {"worklist": [], "account": []}
        errors: list[str] = []
        counting = time.monotonic() + args.warmup
        stop = counting + args.seconds
        lock = threading.Lock()
        cpu: dict[str, float] = {}
        load: dict[str, str] = {}

        def run(user: User, seed: int) -> None:
            rng = random.Random(seed)
            time.sleep(rng.random() * args.think)
            while time.monotonic() < stop:
                if rng.random() >= args.account_share:
                    tab = rng.choice(["action", "arrears", "paused", "court", "agreements"])
                    sort = rng.choice(["priority", "balance", "weeks", "tenancy"])
                    kind, path = "worklist", (f"/worklist/?tab={tab}&sort={sort}"
                                              f"&page={rng.randint(1, 3)}{as_of}")
                else:
                    kind, path = "account", f"/tenancies/{rng.choice(tenancy_refs)}/?{as_of}"
                sent = time.monotonic()
                try:
                    elapsed = user.get(path)
                    if sent >= counting:
                        with lock:
                            timings[kind].append(elapsed)
                except Exception as exc:  # noqa: BLE001 - count, report, go on
                    with lock:
                        errors.append(f"{path}: {exc}")
                time.sleep(args.think * (0.5 + rng.random()))

        def meter() -> None:
            time.sleep(max(0.0, counting - time.monotonic()))
            cpu["start"], load["start"] = server_cpu(server.pid), loadavg()
            time.sleep(max(0.0, stop - time.monotonic()))
            cpu["end"], load["end"] = server_cpu(server.pid), loadavg()

        threads = [threading.Thread(target=run, args=(u, i)) for i, u in enumerate(users)]
        threads.append(threading.Thread(target=meter))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
    busy = cpu.get("end", 0) - cpu.get("start", 0)
    print(f"{args.users} users, {args.seconds}s after {args.warmup}s warm-up, think time "
          f"{args.think}s, {args.account_share:.0%} account pages, server "
          f"{args.workers or 'default'} workers x {args.threads or 'default'} threads, as of "
          f"{as_of_date}")
    targets = {"worklist": 150, "account": 200}
    for kind, values in timings.items():
        if values:
            p95 = percentile(values, 95) * 1000
            verdict = "met" if p95 <= targets[kind] else "MISSED"
            print(f"{kind:>9}: n={len(values):5d}  p50={statistics.median(values)*1000:7.1f} ms"
                  f"  p95={p95:7.1f} ms  p99={percentile(values, 99)*1000:7.1f} ms"
                  f"  (target p95 <= {targets[kind]} ms: {verdict})")
    print(f"server CPU {busy:.1f} s in {args.seconds} s ({busy / args.seconds:.2f} cores); "
          f"load average {load.get('start')} -> {load.get('end')} ({os.cpu_count()} CPUs)")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def scale_server_reachable() -> bool:
    try:
        scale.database_comment("postgres")
        return True
    except Exception:  # noqa: BLE001 - any failure means no usable server
        return False


if __name__ == "__main__":
    sys.exit(main())
