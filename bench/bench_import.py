"""A large `serah item register CSV`: time and peak memory, CSV read as a stream.

The CSV is read twice as a stream (check every line, then register them in
records of at most 65,535 bytes, SPEC 3.7), never held whole. This runs the
real command in a subprocess on a real SQLite ledger and reports its wall
time and peak resident memory (the child's ru_maxrss), against a baseline
in this process: reading the same file with the csv module into dicts, the
least any import must do.

    python bench/bench_import.py                 # 1,000,000 lines
    python bench/bench_import.py --lines 100000 --json

Before: one record of 60 MB, 88 s and 3.4 GB for 1,000,000 lines.
The peak includes scrypt's 128 MiB for opening the key file (SPEC 7.2)
unless SERAH_INSECURE_TEST_KDF=1 is set for a cheap test key.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "bench-import-passphrase"
TPS = "3101011001001"


def serah(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SERAH_HOME": str(root / "home"), "SERAH_DB": str(root / "ledger.sqlite"),
           "SERAH_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=env, capture_output=True, text=True,
                          check=False)


def must(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    if result.returncode:
        raise SystemExit(f"setup failed ({result.returncode}): {result.stderr.strip()}")
    return result


def write_csv(path: Path, lines: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("item,kind,dest,qty,election,dapil,serial_first,serial_last,label\n")
        for i in range(lines):
            handle.write(f"KS-B-{i:07d},ballots,{TPS},266,DPR,DKI JAKARTA III,DPR-{i:08d},DPR-{i + 265:08d},\n")


def baseline(path: Path) -> float:
    start = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as handle:
        for _row in csv.DictReader(handle):
            pass
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        must(serah(root, "key", "new", "kpu-ri"))
        must(serah(root, "key", "new", "kpu-3101"))
        must(serah(root, "init", "--root", str(root / "home" / "keys" / "kpu-ri.key"), "--name", "serah.bench/import",
                   "--election", "Pemilu 2024", "--vote-date", "2024-02-14"))
        must(serah(root, "enroll", "kpu-3101", "--role", "kpu", "--region", "3101", "--name", "KPU",
                   "--org", "KPU Kab.", "--as", "kpu-ri"))
        path = root / "items.csv"
        write_csv(path, args.lines)
        base = baseline(path)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        start = time.perf_counter()
        result = must(serah(root, "--json", "item", "register", str(path), "--as", "kpu-3101"))
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kib, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
        records = len(json.loads(result.stdout).get("records") or [1])
        out = {"lines": args.lines, "csv_mb": round(path.stat().st_size / 1e6, 1), "records": records,
               "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_rss_mb": round(peak_kib / 1024, 1),
               "earlier_children_peak_mb": round(before / 1024, 1), "baseline_csv_read_s": round(base, 2),
               "ratio_vs_csv_read": round(seconds / base, 1), "load": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{out['lines']:,} lines ({out['csv_mb']} MB) -> {records:,} records in {out['seconds']} s "
              f"({out['cpu_seconds']} s CPU), "
              f"peak RSS {out['peak_rss_mb']} MB; csv module alone {out['baseline_csv_read_s']} s "
              f"(x{out['ratio_vs_csv_read']}); load {out['load']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
