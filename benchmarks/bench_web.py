"""Load test: worklist and account page latency with 20 concurrent users (not a pytest test).

Runs `openincome serve` on 127.0.0.1 against the database in OPENINCOME_DATABASE_URL (which
must already hold a landlord and a worklist for --as-of), signs in 20 simulated officers, and
has each one alternate between the worklist (random tab, sort and page) and a random account
page with a think time, for a fixed duration. Prints p50/p95/p99 per page. Stops by itself.

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--as-of", default=None)
    args = parser.parse_args()
    if "OPENINCOME_DATABASE_URL" not in os.environ:
        print("set OPENINCOME_DATABASE_URL to a database holding a landlord", file=sys.stderr)
        return 2
    env = {**os.environ, "OPENINCOME_PASSWORD": PASSWORD}
    cli = [sys.executable, "-m", "openincome"]
    refs = subprocess.run(
        cli + ["manage", "shell", "-c",
               "from openincome.ledger.models import Tenancy, Patch;"
               "import random; ids=list(Tenancy.objects.values_list('tenancy_ref', flat=True));"
               "random.seed(1); print(' '.join(random.sample(ids, min(500, len(ids)))));"
               "print(' '.join(Patch.objects.values_list('code', flat=True)))"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    tenancy_refs, patches = refs[0].split(), refs[1].split()
    for i in range(args.users):
        subprocess.run(cli + ["user", "add", f"bench{i}", "--role", "officer", "--patch",
                              patches[i % len(patches)]],
                       env=env, capture_output=True, text=True)
    port = free_port()
    server = subprocess.Popen(cli + ["serve", "--port", str(port), "--threads", "16"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        users = [User(base, f"bench{i}") for i in range(args.users)]
        as_of = f"&as_of={args.as_of}" if args.as_of else ""
        timings: dict[str, list[float]] = {"worklist": [], "account": []}
        errors: list[str] = []
        stop = time.monotonic() + args.seconds
        lock = threading.Lock()

        def run(user: User, seed: int) -> None:
            rng = random.Random(seed)
            time.sleep(rng.random() * args.think)
            while time.monotonic() < stop:
                if rng.random() < 0.5:
                    tab = rng.choice(["action", "arrears", "paused", "court", "agreements"])
                    sort = rng.choice(["priority", "balance", "weeks", "tenancy"])
                    kind, path = "worklist", (f"/worklist/?tab={tab}&sort={sort}"
                                              f"&page={rng.randint(1, 3)}{as_of}")
                else:
                    kind, path = "account", f"/tenancies/{rng.choice(tenancy_refs)}/?{as_of}"
                try:
                    elapsed = user.get(path)
                    with lock:
                        timings[kind].append(elapsed)
                except Exception as exc:  # noqa: BLE001 - count, report, go on
                    with lock:
                        errors.append(f"{path}: {exc}")
                time.sleep(args.think * (0.5 + rng.random()))

        threads = [threading.Thread(target=run, args=(u, i)) for i, u in enumerate(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{args.users} users, {args.seconds}s, think time {args.think}s, server 16 threads")
    for kind, values in timings.items():
        if values:
            print(f"{kind:>9}: n={len(values):5d}  p50={statistics.median(values)*1000:7.1f} ms"
                  f"  p95={percentile(values, 95)*1000:7.1f} ms"
                  f"  p99={percentile(values, 99)*1000:7.1f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
