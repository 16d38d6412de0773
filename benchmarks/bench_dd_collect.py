"""Benchmark: a Bacs Standard 18 collection file for 50,000 mandates (target ≤ 10 s).

Not a test. Builds a landlord of 50,000 tenancies through the interchange import, gives each
a live, lodged weekly Direct Debit due on the collection day with its advance notice sent
(rows made in bulk: setting up 50,000 through the action would post 50,000 letters), then
times the AUDDIS lodgement of 50,000 new instructions (on a copy of the flags) and the
collection: choosing what falls due, checking notices, writing the file, posting 50,000
Direct Debit payments and recording each collection:

    python benchmarks/bench_dd_collect.py                  # a scratch SQLite file
    python benchmarks/bench_dd_collect.py --db postgresql://postgres@127.0.0.1:5432/oi_bench

The PostgreSQL database must exist and be empty (createdb ...; dropdb ... afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

COLLECT_ON = datetime.date(2026, 4, 9)  # a Thursday and a Bacs working day


def main() -> int:
    """Build the landlord and its mandates, lodge and collect; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    parser.add_argument("--mandates", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--following", action="store_true",
                        help="mandates that follow the account (the freshness hook checks them "
                        "after the collection)")
    parser.add_argument("--profile", action="store_true",
                        help="print where the collection spends its time")
    args = parser.parse_args()
    from _bench_db import Timer, empty_database

    scratch = empty_database(args.db, "oi-bench-dd-")
    from bench_import import generate
    from django.db import connection, transaction

    from openincome.interchange.api import import_folder
    from openincome.ledger.models import Tenancy
    from openincome.payments import actions, bacs
    from openincome.payments.models import AdvanceNotice, DirectDebitMandate

    started = time.perf_counter()
    n = args.mandates
    generate(scratch / "landlord", n, n * 2, False)
    import_folder(scratch / "landlord", actor="bench")
    actions.save_originator("bench", service_user_number="123456", name="Bench Homes",
                            sort_code="089999", account_number="12345678")
    ids = list(Tenancy.objects.order_by("tenancy_ref").values_list("id", "tenancy_ref"))
    with transaction.atomic():
        DirectDebitMandate.objects.bulk_create([
            DirectDebitMandate(tenancy_id=pk, reference=f"{ref}-1", payer_name="A TENANT",
                               sort_code="089999", account_number=f"{i:08d}",
                               frequency="weekly", day=3, start_date=datetime.date(2026, 4, 2),
                               amount=10125 + i % 500, actor_name="bench")
            for i, (pk, ref) in enumerate(ids)], batch_size=2000)
        if args.following:
            from openincome.payments.queries import account_fingerprints

            basis = account_fingerprints([pk for pk, _ in ids])
            for pk, _ in ids:
                DirectDebitMandate.objects.filter(tenancy_id=pk).update(
                    follows_account=True, account_basis=basis[pk])
        mandates = list(DirectDebitMandate.objects.values_list("id", "amount"))
        AdvanceNotice.objects.bulk_create([
            AdvanceNotice(mandate_id=pk, sent_on=datetime.date(2026, 3, 16),
                          first_collection=datetime.date(2026, 4, 2), amount=amount,
                          frequency="weekly", day=3, why="bench", reference=f"DDN{pk}",
                          provider_id=f"bench-{pk}") for pk, amount in mandates],
            batch_size=2000)
    print(f"database: {connection.vendor}; {n:,} tenancies with a weekly mandate each, ready "
          f"in {time.perf_counter() - started:.1f} s")

    with Timer() as lodging:
        lodged = actions.lodge_instructions(datetime.date(2026, 3, 20), "bench")
    print(f"AUDDIS lodgement of {lodged.items:,} new instructions: {lodging.seconds:.1f} s "
          f"({lodging.cpu:.1f} s CPU in this process)")
    import cProfile
    import pstats

    profile = cProfile.Profile() if args.profile else None
    with Timer() as timer:
        if profile:
            profile.enable()
        run = actions.collect_direct_debits(COLLECT_ON, "bench")
        if profile:
            profile.disable()
    out = scratch / "collection.txt"
    out.write_text(run.file.content, encoding="ascii", newline="")
    read = bacs.read_file(out.read_text(encoding="ascii"))
    print(f"collection file for {COLLECT_ON:%d %b %Y}: {run.file.items:,} collections, "
          f"£{run.file.total / 100:,.2f}, {out.stat().st_size:,} bytes in {timer.seconds:.1f} s "
          f"({timer.cpu:.1f} s CPU in this process), {run.file.items / timer.seconds:,.0f} "
          f"mandates/s; target ≤ 10 s: {'met' if timer.seconds <= 10 else 'MISSED'}")
    print(f"file read back: {len(read.items):,} data records, contra "
          f"£{(read.contra or 0) / 100:,.2f}, held back {len(run.held)}")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    with Timer() as again:
        second = actions.collect_direct_debits(COLLECT_ON, "bench")
    print(f"same day again: {again.seconds:.1f} s "
          f"({'the same file, nothing posted' if second.written_before else 'NOT the same'})")
    if args.keep:
        print(f"scratch files kept in {scratch}")
    else:
        shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
