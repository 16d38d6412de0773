"""Scale data for the benchmarks: a simulated landlord in a PostgreSQL database, loaded fast.

Not a benchmark itself (`make bench` runs only `bench_*.py`). `ensure_landlord()`:

1. simulates the landlord once into `bench-data/scale-<T>x<Y>-seed<S>/` (kept between runs);
2. creates the database (default `oi_scale_bench` on 127.0.0.1, user postgres) and migrates it;
3. imports every interchange file except `transactions.csv` with `import_folder` (the real
   path: validation, history rows, audit);
4. loads `transactions.csv` with COPY into an unlogged staging table, then one
   `INSERT ... SELECT` resolving the tenancy id and signing the amount (debits positive,
   credits negative, as `ledger.vocab` says), with the table's secondary indexes and
   foreign key dropped during the insert and rebuilt afterwards under their own names;
5. marks the database complete (a comment on the database naming the parameters), so a later
   run with `reuse=True` and the same parameters skips all of it.

Loading 63M transactions through `import_folder` would take about half an hour; this takes a
few minutes. The rows go in file order (tenancy, then date), as a bulk import would write them.

    .venv/bin/python benchmarks/_scale_data.py --tenancies 100000 --years 5   # load only
    .venv/bin/python benchmarks/_scale_data.py --drop                        # drop the DB
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
SERVER = "postgresql://postgres@127.0.0.1:5432"
DEFAULT_DB = "oi_scale_bench"
SEED = 1
COPY_CHUNK = 1 << 24


def db_url(name: str) -> str:
    return f"{SERVER}/{name}"


def setup_django(url: str) -> None:
    """Point Django at `url` (before anything imports the settings) and set it up."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["OPENINCOME_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openincome.settings")
    import django

    django.setup()


def _admin():
    import psycopg

    return psycopg.connect(db_url("postgres"), autocommit=True)


def marker(tenancies: int, years: int, seed: int) -> str:
    return f"openincome scale bench: tenancies={tenancies} years={years} seed={seed} complete"


def database_comment(name: str) -> str | None:
    """The database's comment, or None when the database does not exist."""
    with _admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return None if row is None else (row[0] or "")


def drop_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def simulated_folder(tenancies: int, years: int, seed: int = SEED) -> Path:
    """The simulated interchange folder, written once and reused (a `.complete` file marks it)."""
    out = DATA / f"scale-{tenancies}x{years}-seed{seed}"
    if (out / ".complete").exists():
        return out
    from openincome.simulator import simulate

    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    summary = simulate(tenancies=tenancies, years=years, seed=seed, out=out)
    print(f"  simulated in {time.perf_counter() - started:.0f} s: "
          f"{summary.tenancies:,} tenancies, "
          f"{summary.rows.get('transactions.csv', 0):,} transactions", flush=True)
    (out / ".complete").write_text(summary.describe() + "\n")
    return out


def _import_without_transactions(folder: Path) -> None:
    """import_folder on every top-level file but transactions.csv (symlinked into a temp dir)."""
    import polars as pl

    from openincome.interchange import ImportFailed, import_folder

    with tempfile.TemporaryDirectory(prefix="oi-scale-") as tmp:
        for path in folder.glob("*.csv"):
            if path.name == "charges.csv":
                # The simulator (at 100k homes) writes a few charges ending before they start,
                # for tenancies that ended before the history began; the import refuses them.
                # Such a charge is never in force, so leaving it out changes no figure.
                charges = pl.read_csv(path, infer_schema=False)
                kept = charges.filter(
                    pl.col("effective_to").is_null()
                    | (pl.col("effective_to") >= pl.col("effective_from"))
                )
                if kept.height < charges.height:
                    print(f"  left out {charges.height - kept.height} charges ending before "
                          "they start (a simulator bug)", flush=True)
                kept.write_csv(Path(tmp) / path.name)
            elif path.name != "transactions.csv":
                (Path(tmp) / path.name).symlink_to(path.resolve())
        try:
            import_folder(tmp, actor="bench")
        except ImportFailed as failed:
            shown = "\n".join(str(e) for e in failed.errors[:10])
            raise SystemExit(f"the simulated folder {folder} does not import:\n{shown}\n"
                             f"(delete it to simulate again)") from None


def _load_transactions(path: Path) -> int:
    """COPY transactions.csv into a staging table, then INSERT ... SELECT with ids and signs."""
    from django.db import connection

    from openincome.ledger.vocab import CREDIT_TYPES

    with connection.cursor() as cur:
        raw = cur.cursor
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET work_mem = '256MB'")
        cur.execute("DROP TABLE IF EXISTS bench_stage_tx")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_stage_tx (transaction_ref text, tenancy_ref text, "
            "date date, type text, amount numeric, description text, period_start date)"
        )
        with path.open("rb") as f:
            header = f.readline().decode().strip()
            with raw.copy(f"COPY bench_stage_tx ({header}) FROM STDIN WITH (FORMAT csv)") as cp:
                while chunk := f.read(COPY_CHUNK):
                    cp.write(chunk)
        # Secondary indexes and the foreign key are rebuilt after the insert (much faster than
        # maintaining them row by row), under the same names and definitions.
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'ledger_transaction'::regclass AND contype IN ('u', 'f')"
        )
        constraints = cur.fetchall()
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_transaction' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = 'ledger_transaction'::regclass)"
        )
        indexes = cur.fetchall()
        for name, _ in constraints:
            cur.execute(f'ALTER TABLE ledger_transaction DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(
            """INSERT INTO ledger_transaction (transaction_ref, tenancy_id, date, type, amount,
                                               description, period_start, created_at)
               SELECT s.transaction_ref, t.id, s.date, s.type,
                      CASE WHEN s.type = ANY(%s) THEN -1 ELSE 1 END
                        * round(s.amount * 100)::bigint,
                      coalesce(s.description, ''), s.period_start, now()
               FROM bench_stage_tx s JOIN ledger_tenancy t ON t.tenancy_ref = s.tenancy_ref""",
            [list(CREDIT_TYPES)],
        )
        rows = cur.rowcount
        cur.execute("DROP TABLE bench_stage_tx")
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE ledger_transaction ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            cur.execute(definition)
    return rows


def ensure_landlord(
    name: str = DEFAULT_DB, tenancies: int = 100_000, years: int = 5, reuse: bool = True,
    seed: int = SEED,
) -> str:
    """A database holding the simulated landlord; returns its URL (Django is set up on it)."""
    url = db_url(name)
    wanted = marker(tenancies, years, seed)
    if reuse and database_comment(name) == wanted:
        setup_django(url)
        print(f"  reusing database {name} ({wanted})", flush=True)
        return url
    create_database(name)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    folder = simulated_folder(tenancies, years, seed)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    _import_without_transactions(folder)
    print(f"  imported everything but transactions in {time.perf_counter() - started:.0f} s",
          flush=True)
    started = time.perf_counter()
    rows = _load_transactions(folder / "transactions.csv")
    print(f"  loaded {rows:,} transactions with COPY in {time.perf_counter() - started:.0f} s",
          flush=True)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
        cur.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    print(f"  vacuumed in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def history_end(years: int) -> datetime.date:
    """The last day of the simulated history (the as-of date of the benchmarks)."""
    from openincome.simulator.core import history_dates

    return history_dates(years, None)[1]


def post_day(day: datetime.date) -> int:
    """Post one day's rent and payments for every live tenancy, as a daily feed would.

    Weekly charges in force are debited on the landlord's rent week day; about one tenancy in
    five pays that day (by Direct Debit, the week's charge). Idempotent: refs name the day.
    """
    from django.db import connection

    from openincome.ledger.models import Landlord

    rent_day = Landlord.current().rent_week_day == day.weekday()
    live = """FROM ledger_tenancy t JOIN ledger_charge c ON c.tenancy_id = t.id
              WHERE t.start_date <= %(day)s AND (t.end_date IS NULL OR t.end_date >= %(day)s)
                AND c.frequency = 'weekly' AND c.effective_from <= %(day)s
                AND (c.effective_to IS NULL OR c.effective_to >= %(day)s)"""
    inserted = 0
    with connection.cursor() as cur:
        if rent_day:
            cur.execute(
                f"""INSERT INTO ledger_transaction (transaction_ref, tenancy_id, date, type,
                        amount, description, period_start, created_at)
                    SELECT 'BENCH-' || %(day)s::text || '-C-' || c.id, t.id, %(day)s,
                           CASE c.charge_code WHEN 'other' THEN 'other_charge'
                                ELSE c.charge_code END,
                           c.amount, 'bench posting', %(day)s, now() {live}
                    ON CONFLICT (transaction_ref) DO NOTHING""",
                {"day": day},
            )
            inserted += cur.rowcount
        cur.execute(
            f"""INSERT INTO ledger_transaction (transaction_ref, tenancy_id, date, type, amount,
                    description, period_start, created_at)
                SELECT 'BENCH-' || %(day)s::text || '-P-' || t.id, t.id, %(day)s, 'payment_dd',
                       -sum(c.amount), 'bench payment', NULL, now() {live}
                  AND (t.id * 7 + %(n)s) %% 5 = 0
                GROUP BY t.id
                ON CONFLICT (transaction_ref) DO NOTHING""",
            {"day": day, "n": day.toordinal()},
        )
        inserted += cur.rowcount
    return inserted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--tenancies", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="reload even if complete")
    parser.add_argument("--drop", action="store_true", help="drop the database and stop")
    args = parser.parse_args()
    if args.drop:
        drop_database(args.db)
        print(f"dropped {args.db}")
        return 0
    print(ensure_landlord(args.db, args.tenancies, args.years, reuse=not args.fresh))
    return 0


if __name__ == "__main__":
    sys.exit(main())
