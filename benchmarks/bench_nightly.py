"""Benchmark the nightly run at scale in PostgreSQL (not a pytest test; stops by itself).

With no arguments it reproduces the scale targets on a simulated landlord of 100,000 homes ×
5 years (≈147k tenancies, ≈63M transactions) loaded into a scratch PostgreSQL database
(`benchmarks/_scale_data.py`), and prints one table:

A. `run_nightly` as of the last day D of the history, end to end (read, classify, store),
   in a fresh process, with no balance checkpoint (every transaction read, as a first run
   reads them; it takes the checkpoint): seconds (with the split) and peak RSS (VmHWM).
B. The same decisions the way older systems made them: a loop over a sample of tenancies
   querying each one's transactions, charges, actions, pauses, notices, court cases,
   agreements, benefits and tenants through the Django ORM and deciding in Python; seconds
   per tenancy, and the ratio to the vectorised nightly's seconds per tenancy.
C. One more day of postings (D+1: the week's rent on the rent day and ~1 in 5 tenancies
   paying, inserted in SQL), then `run_nightly` for D+1 in a fresh process: it reads from
   the checkpoint A took (openings plus the rows dated after it).

    .venv/bin/python benchmarks/bench_nightly.py [--tenancies 100000] [--years 5]
        [--db oi_scale_bench] [--reuse-db] [--keep-db] [--orm-sample 500]

--reuse-db keeps a complete database from an earlier run with the same parameters (and
--keep-db leaves it for the next run or for `bench_web.py`); otherwise the database is built
afresh and dropped at the end. Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust
auth); without it the benchmark says so and exits 0. The machine's load average is printed:
compare figures measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _scale_data as scale  # noqa: E402

GIB = 1 << 30


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def peak_rss() -> int:
    """The process's peak resident set in bytes (VmHWM; ru_maxrss where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- A and C: the nightly run in a fresh process -------------------------------------------


def child_nightly(url: str, as_of: datetime.date) -> dict:
    """Run run_nightly once (in this fresh process) and time its read and classify steps."""
    scale.setup_django(url)
    from openincome.cases import nightly

    spent = {"read": 0.0, "classify": 0.0}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return wrapper

    from openincome.cases import checkpoints

    # The run's plan and read steps (wall times: their parallel parts are inside).
    for name in ("plan_read", "read"):
        setattr(checkpoints, name, timed("read", getattr(checkpoints, name)))
    checkpoints.classify_with_openings = timed("classify", checkpoints.classify_with_openings)
    started = time.perf_counter()
    run = nightly.run_nightly(as_of)
    total = time.perf_counter() - started
    return {
        "seconds": total, "read": spent["read"], "classify": spent["classify"],
        "store": total - spent["read"] - spent["classify"], "tenancies": run.tenancies,
        "peak_rss": peak_rss(),
        "checkpoint": str(run.checkpoint_as_at or "none: full read"),
    }


def nightly_in_child(url: str, as_of: datetime.date) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child-nightly", as_of.isoformat(), "--child-url", url],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"nightly child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- B: the per-tenancy ORM loop -----------------------------------------------------------

PAYMENTS = ("payment_dd", "payment_card", "payment_cash", "payment_bank", "payment_allpay",
            "payment_other", "hb", "uc_direct", "tpd", "dhp")
WEEKLY = {"weekly": 1.0, "fortnightly": 0.5, "four_weekly": 0.25, "monthly": 12 / 52}
LADDER = (("reminder_sent", "send_reminder", 0), ("letter_1_sent", "send_letter_1", 14),
          ("letter_2_sent", "send_letter_2", 14), ("contact_made", "contact_tenant", 14),
          ("court_warning_sent", "send_court_warning", 14))


def orm_decision(tenancy_id: int, as_of: datetime.date) -> dict:
    """One tenancy's balance, arrears and ladder step, the old way: a query per kind of record."""
    from openincome.ledger.models import Tenancy

    tenancy = Tenancy.objects.select_related("property__patch").get(pk=tenancy_id)
    transactions = list(tenancy.transactions.filter(date__lte=as_of).order_by("date", "id"))
    charges = list(tenancy.charges.all())
    actions = list(tenancy.actions.filter(date__lte=as_of).order_by("date"))
    pauses = list(tenancy.pauses.filter(start_date__lte=as_of))
    notices = list(tenancy.notices.filter(served_date__lte=as_of))
    court_cases = list(tenancy.court_cases.filter(claim_date__lte=as_of))
    agreements = list(tenancy.agreements.filter(start_date__lte=as_of, status="live"))
    benefits = list(tenancy.benefit_claims.filter(status_date__lte=as_of))
    vulnerable = any(t.vulnerabilities for t in tenancy.tenants.all())

    week_start = as_of - datetime.timedelta(days=as_of.weekday())
    balance = grace = 0
    last_clear = last_payment = None
    for tx in transactions:
        balance += tx.amount
        if balance <= 0:
            last_clear = tx.date
        if tx.type in PAYMENTS:
            last_payment = tx.date
        if tx.date >= week_start:
            grace += tx.amount
    weekly = sum(
        round(c.amount * WEEKLY.get(c.frequency, 1.0)) for c in charges
        if c.effective_from <= as_of and (c.effective_to is None or c.effective_to >= as_of)
    )
    arrears = max(balance - max(grace, 0), 0)
    weeks_owed = arrears / weekly if weekly else None
    paused = any(p.end_date is None or p.end_date >= as_of for p in pauses)
    on_benefit = any(b.status in ("claimed", "awaiting", "in_payment") for b in benefits)
    if paused:
        action = "paused"
    elif court_cases:
        action = "review_court_case"
    elif arrears <= 0 or (weeks_owed or 0) < 1:
        action = "none"
    elif agreements:
        action = "monitor_agreement"
    else:
        episode = [a for a in actions if last_clear is None or a.date > last_clear]
        done = {a.code: a.date for a in episode}
        action, since = "review", last_clear
        for code, step, wait in LADDER:
            if code not in done:
                ready = since is None or (as_of - since).days >= wait
                action = step if ready else "wait"
                break
            since = done[code]
        else:
            action = "serve_notice" if not notices else "apply_for_court"
    return {"balance": balance, "arrears": arrears, "action": action,
            "days_since_payment": None if last_payment is None else (as_of - last_payment).days,
            "vulnerable": vulnerable, "on_benefit": on_benefit}


def orm_loop(as_of: datetime.date, sample: int) -> tuple[float, int]:
    """Seconds per tenancy of the ORM loop over a fixed random sample of tenancies."""
    import random

    from openincome.ledger.models import Tenancy

    ids = sorted(Tenancy.objects.values_list("id", flat=True))
    chosen = random.Random(1).sample(ids, min(sample, len(ids)))
    orm_decision(chosen[0], as_of)  # warm the connection and the query compiler
    started = time.perf_counter()
    for tenancy_id in chosen:
        orm_decision(tenancy_id, as_of)
    return (time.perf_counter() - started) / len(chosen), len(chosen)


# --- the benchmark -------------------------------------------------------------------------


def server_reachable() -> bool:
    try:
        scale.database_comment("postgres")
        return True
    except Exception:  # noqa: BLE001 - any failure means no usable server
        return False


def row(label: str, value: str, target: str = "", ok: bool | None = None) -> str:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    return f"{label:<44} {value:>14}  {target:<10} {verdict}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenancies", type=int, default=100_000,
                        help="homes simulated (former tenancies add ~47%%)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--db", default=scale.DEFAULT_DB)
    parser.add_argument("--reuse-db", action="store_true",
                        help="reuse a complete database with the same parameters")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--orm-sample", type=int, default=500)
    parser.add_argument("--child-nightly", help=argparse.SUPPRESS)
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_nightly:
        result = child_nightly(args.child_url, datetime.date.fromisoformat(args.child_nightly))
        print(json.dumps(result))
        return 0
    if not server_reachable():
        print(f"bench_nightly: skipped, no PostgreSQL at {scale.SERVER} (see the docstring)")
        return 0

    print(f"== nightly at scale: {args.tenancies:,} homes x {args.years} years, "
          f"database {args.db}; load average {loadavg()}", flush=True)
    started = time.perf_counter()
    url = scale.ensure_landlord(args.db, args.tenancies, args.years, reuse=args.reuse_db)
    setup_seconds = time.perf_counter() - started
    try:
        from django.db import connection

        from openincome.ledger.models import Tenancy

        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM ledger_transaction")
            transactions = cur.fetchone()[0]
        tenancies = Tenancy.objects.count()
        from openincome.cases.models import WorklistRun

        d = scale.history_end(args.years)
        d1 = d + datetime.timedelta(days=1)
        # A reused database may hold runs from before: measure storing a new date's run, and
        # A reads every transaction (no checkpoint yet) as a first run would.
        WorklistRun.objects.filter(as_of__in=[d, d1]).delete()
        from openincome.cases.models import Checkpoint

        Checkpoint.objects.all().delete()
        load_a = loadavg()
        a = nightly_in_child(url, d)
        load_b = loadavg()
        orm_per, orm_n = orm_loop(d, args.orm_sample)
        started = time.perf_counter()
        posted = scale.post_day(d1)
        post_seconds = time.perf_counter() - started
        load_c = loadavg()
        c = nightly_in_child(url, d1)
        load_end = loadavg()
    finally:
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            scale.drop_database(args.db)

    vector_per = a["seconds"] / max(a["tenancies"], 1)
    ratio = orm_per / vector_per
    ratio_c = orm_per / (c["seconds"] / max(c["tenancies"], 1))
    lines = [
        f"{tenancies:,} tenancies, {transactions:,} transactions; D = {d}; "
        f"data ready in {setup_seconds:.0f} s",
        row("figure", "value", "target"),
        row(f"A nightly D end to end ({a['tenancies']:,} rows)", f"{a['seconds']:.1f} s",
            "<= 60 s", a["seconds"] <= 60),
        row("  plan and read", f"{a['read']:.1f} s"),
        row("  classify (engine)", f"{a['classify']:.1f} s"),
        row("  store (worklist rows, checkpoint)", f"{a['store']:.1f} s"),
        row("A peak RSS of the nightly process", f"{a['peak_rss'] / GIB:.2f} GiB",
            "<= 4 GiB", a["peak_rss"] <= 4 * GIB),
        row(f"B ORM loop, per tenancy ({orm_n} sampled)", f"{orm_per * 1000:.1f} ms"),
        row("B vectorised nightly, per tenancy", f"{vector_per * 1e6:.0f} us"),
        row("B ratio ORM / vectorised (A, full read)", f"{ratio:,.0f}x", ">= 100x", ratio >= 100),
        row("B ratio ORM / vectorised (C, checkpoint)", f"{ratio_c:,.0f}x", ">= 100x",
            ratio_c >= 100),
        row(f"C post D+1 ({posted:,} rows inserted)", f"{post_seconds:.1f} s"),
        row("C nightly D+1 end to end", f"{c['seconds']:.1f} s", "<= 10 s", c["seconds"] <= 10),
        row("  read from the checkpoint at", c["checkpoint"]),
        row("  plan and read", f"{c['read']:.1f} s"),
        row("  classify (engine)", f"{c['classify']:.1f} s"),
        row("  store (worklist rows)", f"{c['store']:.1f} s"),
        row("C peak RSS of the nightly process", f"{c['peak_rss'] / GIB:.2f} GiB"),
        f"load average: before A {load_a}; before B {load_b}; before C {load_c}; "
        f"end {load_end} ({os.cpu_count()} CPUs)",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
