"""Handovers per second with 1, 4 and 16 writer processes, on SQLite and on
PostgreSQL side by side, and the latency of one handover.

A handover is what happens in the field: the giver's ``prepare`` (one
append), then the receiver's ``accept`` (another append). Each writer
process has its own pair of custodians (a KPU Kab./Kota key and a PPK key)
and its own items, and moves them back and forth between the two, so the
writers share nothing but the database: conflicts should be rare, and any
that happen are counted (``conflicts``: refusals that reached the writer,
which then tries again; ``retries``: saves the ledger itself re-checked and
repeated after another writer got in first).

Every configuration gets a fresh database. Both backends commit durably:
SQLite in the mode the ledger uses (the table shows ``journal_mode`` and
``synchronous`` as read back from the ledger's connection), PostgreSQL with
``fsync``, ``synchronous_commit`` and ``full_page_writes`` on (a throwaway
cluster from tests/support/pgserver.py, unless ``--pg URL`` names a server whose
role may create databases).

    python bench/bench_concurrency.py [--writers 1,4,16] [--seconds 5] [--items 4]
                                      [--backends sqlite,postgres] [--pg URL] [--dir DIR]
                                      [--sqlite-journal wal|delete]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # support.pgserver

from ledger import keys  # noqa: E402
from ledger.application import Ledger  # noqa: E402
from ledger.errors import Conflict  # noqa: E402

TPS = "3101011001001"
NAME = "serah.kpu.go.id/3101/bench"
RETRIES = 20


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-bench:" + name.encode()).digest())


class CountingLedger(Ledger):
    """Counts the saves that lost a race (the ledger re-checks and retries them)."""

    lost_saves = 0

    def _save(self, work):
        try:
            return super()._save(work)
        except Conflict:
            self.lost_saves += 1
            raise


# --- setup ---------------------------------------------------------------------------

def setup(db: str, writers: int, items: int) -> None:
    """Genesis, a KPU DKI key, and per writer a KPU Kab. key, a PPK key and ``items`` items."""
    root, dki = signer("kpu-ri"), signer("kpu-dki")
    ledger = Ledger(db)
    try:
        ledger.genesis([root], NAME, "Pemilu 2029", "2029-02-14", root_names=["Ketua KPU RI"])
        ledger.enrol(root, dki.public, "kpu", "31", "Ketua KPU DKI", "KPU Provinsi DKI Jakarta")
        for w in range(writers):
            kab, ppk = signer(f"kab-{w}"), signer(f"ppk-{w}")
            ledger.enrol(dki, kab.public, "kpu", "3101", f"KPU Kab. {w}", "KPU Kab. Kep. Seribu")
            ledger.enrol(kab, ppk.public, "ppk", "310101", f"PPK {w}", "PPK Kep. Seribu Utara")
            ledger.register(kab, [{"item": f"KS-BENCH-{w:02d}-{i:03d}", "kind": "form", "dest": TPS, "qty": 1}
                                  for i in range(items)])
    finally:
        ledger.close()


def sqlite_mode(db: str) -> str:
    ledger = Ledger(db)
    try:
        with ledger.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(cursor.fetchone()[0], "?")
        return f"{journal}, synchronous={sync}"
    finally:
        ledger.close()


def keep_rollback_journal() -> None:
    """Stop eventsourcing from switching new SQLite files to WAL (for comparison only)."""
    from eventsourcing.sqlite import SQLiteConnectionPool

    init = SQLiteConnectionPool.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.is_journal_mode_wal = True  # "already WAL": the pool leaves the mode alone

    SQLiteConnectionPool.__init__ = __init__


# --- one writer ------------------------------------------------------------------------

def _retrying(action, counts: dict) -> bytes:
    for _ in range(RETRIES):
        try:
            return action()
        except Conflict:
            counts["conflicts"] += 1
    raise RuntimeError(f"still conflicting after {RETRIES} attempts")


def writer(db: str, w: int, items: int, seconds: float, barrier, results) -> None:
    try:
        ledger = CountingLedger(db)
        people = [signer(f"kab-{w}"), signer(f"ppk-{w}")]
        holder = {f"KS-BENCH-{w:02d}-{i:03d}": 0 for i in range(items)}
        counts = {"conflicts": 0}
        latencies: list[float] = []
        barrier.wait(timeout=120)
        end = time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < end:
            item = list(holder)[len(latencies) % items]
            giver, taker = people[holder[item]], people[1 - holder[item]]
            t0 = time.perf_counter()
            prep = _retrying(
                partial(ledger.prepare, giver, taker.public, [item], "310101", "Dermaga Kali Adem", "distribusi"),
                counts,
            )
            _retrying(partial(ledger.accept, taker, prep), counts)
            latencies.append(time.perf_counter() - t0)
            holder[item] = 1 - holder[item]
        elapsed = time.perf_counter() - started
        ledger.close()
        results.put({"latencies": latencies, "elapsed": elapsed, "conflicts": counts["conflicts"],
                     "retries": ledger.lost_saves})
    except BaseException as e:  # noqa: BLE001 - reported by the parent
        results.put({"error": repr(e)})


def run(db: str, writers: int, items: int, seconds: float) -> dict:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(writers), context.Queue()
    procs = [context.Process(target=writer, args=(db, w, items, seconds, barrier, results)) for w in range(writers)]
    for p in procs:
        p.start()
    outs = [results.get(timeout=seconds + 300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    errors = [o["error"] for o in outs if "error" in o]
    if errors:
        raise SystemExit(f"writer failed: {errors[0]}")
    latencies = sorted(x for o in outs for x in o["latencies"])
    elapsed = max(o["elapsed"] for o in outs)
    return {
        "handovers": len(latencies),
        "seconds": elapsed,
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "conflicts": sum(o["conflicts"] for o in outs),
        "retries": sum(o["retries"] for o in outs),
    }


# --- databases ---------------------------------------------------------------------------

class Databases:
    """Fresh databases: SQLite files in one directory, PostgreSQL databases on one server."""

    def __init__(self, directory: str, pg_url: str | None, want_pg: bool) -> None:
        self.directory = directory
        self.server = None
        if want_pg:
            from support.pgserver import PgServer

            self.server = PgServer.external(pg_url) if pg_url else PgServer.start(durable=True)

    def new(self, backend: str) -> str:
        if backend == "sqlite":
            return os.path.join(self.directory, f"bench-{uuid.uuid4().hex[:8]}.sqlite")
        return self.server.create_database(prefix="serah_bench")

    def drop(self, backend: str, db: str) -> None:
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(db + suffix).unlink(missing_ok=True)
        elif self.server is not None:
            from support.pgserver import dbname_of

            self.server.drop_database(dbname_of(db))

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", default="1,4,16", help="writer process counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per configuration")
    parser.add_argument("--items", type=int, default=4, help="items per writer")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg", help="postgresql:// URL of a server to use instead of a throwaway one")
    parser.add_argument("--dir", help="directory for the SQLite files (default: a temporary one)")
    parser.add_argument("--sqlite-journal", choices=("wal", "delete"), default="wal",
                        help="'delete': keep SQLite's rollback journal instead of the WAL the ledger uses (to compare)")
    args = parser.parse_args()
    if args.sqlite_journal == "delete":
        keep_rollback_journal()
    counts = [int(n) for n in args.writers.split(",")]
    backends = args.backends.split(",")
    directory = args.dir or tempfile.mkdtemp(prefix="serah-bench-")
    databases = Databases(directory, args.pg, "postgres" in backends)
    rows, modes = [], {}
    load_before = os.getloadavg()[0]
    try:
        for n in counts:
            for backend in backends:
                db = databases.new(backend)
                setup(db, n, args.items)
                if backend == "sqlite":
                    modes["sqlite"] = sqlite_mode(db)
                row = run(db, n, args.items, args.seconds)
                rows.append((backend, n, row))
                databases.drop(backend, db)
                print(f"  {backend:8} {n:2} writers: {row['rate']:7.1f} handovers/s", file=sys.stderr, flush=True)
    finally:
        databases.close()
        if not args.dir:
            import shutil

            shutil.rmtree(directory, ignore_errors=True)

    print(f"\nhandover = prepare + accept (2 appends); {args.seconds:g} s per row; {os.cpu_count()} CPUs, "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other work on the machine "
          f"slows every row); each writer its own custodians and {args.items} items")
    if "sqlite" in backends:
        print(f"SQLite: journal_mode={modes['sqlite']} (files in {directory})")
    if "postgres" in backends:
        print("PostgreSQL: " + ("server given by --pg" if args.pg else
                                "throwaway cluster, fsync, synchronous_commit, full_page_writes on"))
    header = f"{'backend':10} {'writers':>7} {'handovers':>9} {'per s':>8} {'records/s':>9} " \
             f"{'p50 ms':>7} {'p99 ms':>7} {'conflicts':>9} {'retries':>7}"
    print(header)
    print("-" * len(header))
    for n in counts:
        for backend, writers, row in rows:
            if writers != n:
                continue
            print(f"{backend:10} {writers:7} {row['handovers']:9} {row['rate']:8.1f} {2 * row['rate']:9.1f} "
                  f"{row['p50']:7.1f} {row['p99']:7.1f} {row['conflicts']:9} {row['retries']:7}")


if __name__ == "__main__":
    main()
