"""How fast the ledger appends signed handovers, compared with plain
``eventsourcing`` saves of events of the same size.

Workloads (each on a fresh SQLite file, in this process):

* **batched register**: one ``register`` record of N items;
* **batched handover**: one ``prepare`` + one ``accept`` of the same N items;
* **one at a time**: ``prepare`` + ``accept`` of a single item, repeated.

Each is measured in items per second (a batched handover of N items counts
N handovers) and set against the baseline: a trivial aggregate whose one
event carries a ``bytes`` payload as long as the record's share per item
(envelope length / N), saved the same way (one ``save()`` of N aggregates
per record for the batched workloads, one ``save()`` per record for the
single ones). The ratio is ours / baseline; the target for batched imports
is >= 0.5. The ledger does much more per item (checks every rule, signs,
writes index events, append-only triggers): the ratio says what that costs.

    python bench/bench_append.py [--items 500] [--rounds 5] [--single 200] [--profile]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoding

from ledger import keys
from ledger.application import Ledger

TPS = "3101011001001"


# --- the baseline --------------------------------------------------------------------

class Blob(Aggregate):
    """The most trivial aggregate: one event carrying bytes."""

    class Created(Aggregate.Created):
        payload: bytes

    def __init__(self, payload: bytes) -> None:
        self.payload = payload


class BytesAsBase64(Transcoding):
    type = bytes
    name = "b64"

    def encode(self, obj: bytes) -> str:
        return base64.b64encode(obj).decode()

    def decode(self, data: str) -> bytes:
        return base64.b64decode(data)


class Plain(Application):
    def register_transcodings(self, transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(BytesAsBase64())


def plain_app(directory: str) -> Plain:
    path = os.path.join(directory, "plain.sqlite")
    return Plain(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path})


def baseline(app: Plain, count: int, size: int) -> float:
    """Seconds for one save of ``count`` Blobs with ``size``-byte payloads."""
    payload = os.urandom(size)
    start = time.perf_counter()
    app.save(*[Blob(payload) for _ in range(count)])
    return time.perf_counter() - start


# --- the ledger ----------------------------------------------------------------------

class Cast:
    def __init__(self) -> None:
        seed = lambda n: hashlib.sha256(b"bench:" + n).digest()  # noqa: E731
        self.ri = keys.from_seed(seed(b"ri"))
        self.kab = keys.from_seed(seed(b"kab"))
        self.ppk = keys.from_seed(seed(b"ppk"))


def new_ledger(directory: str, cast: Cast) -> Ledger:
    ledger = Ledger(os.path.join(directory, "ledger.sqlite"))
    ledger.genesis([cast.ri], "bench", "Pemilu 2024", "2024-02-14")
    ledger.enrol(cast.ri, cast.kab.public, "kpu", "3101", "KPU Kab", "KPU Kab. Kep. Seribu")
    ledger.enrol(cast.kab, cast.ppk.public, "ppk", "310101", "PPK", "PPK Kep. Seribu Utara")
    return ledger


def items(prefix: str, n: int) -> list[dict]:
    return [
        {"item": f"{prefix}-{i:06d}", "kind": "ballots", "dest": TPS, "qty": 306, "election": "PPWP", "dapil": "DKI JAKARTA"}
        for i in range(n)
    ]


def run(n: int, rounds: int, single: int) -> list[tuple[str, float, float, float]]:
    """Ours and the baseline alternate, record by record, so both see the
    same machine load; each row gives median rates and the median of the
    per-round ratios (robust to a spike in one round)."""
    cast = Cast()
    reg, pa, one = [], [], []  # (our seconds, baseline seconds) per round
    with tempfile.TemporaryDirectory() as ours_dir, tempfile.TemporaryDirectory() as base_dir:
        ledger = new_ledger(ours_dir, cast)
        plain = plain_app(base_dir)

        for r in range(rounds):
            batch = items(f"R{r}", n)
            start = time.perf_counter()
            rid = ledger.register(cast.kab, batch)
            ours = time.perf_counter() - start
            reg.append((ours, baseline(plain, n, len(ledger.record(rid)) // n)))

            ids = [b["item"] for b in batch]
            start = time.perf_counter()
            prep = ledger.prepare(cast.kab, cast.ppk.public, ids, "310101", "Gudang KPU", "distribusi")
            aid = ledger.accept(cast.ppk, prep)
            ours = time.perf_counter() - start
            base = baseline(plain, n, len(prep) // n) + baseline(plain, n, len(ledger.record(aid)) // n)
            pa.append((ours, base))

        ledger.register(cast.kab, items("S", single))
        group = max(1, single // rounds)
        for g in range(0, single, group):
            ours = base = 0.0
            for i in range(g, min(g + group, single)):
                start = time.perf_counter()
                prep = ledger.prepare(cast.kab, cast.ppk.public, [f"S-{i:06d}"], "310101", "Gudang KPU", "distribusi")
                aid = ledger.accept(cast.ppk, prep)
                ours += time.perf_counter() - start
                base += baseline(plain, 1, len(prep)) + baseline(plain, 1, len(ledger.record(aid)))
            one.append((ours / (min(g + group, single) - g), base / (min(g + group, single) - g)))
        ledger.close()
        plain.close()
    return [
        _row(f"batched register ({n} items/record)", reg, n),
        _row(f"batched prepare+accept ({n} items)", pa, n),
        _row("one at a time: prepare+accept of 1 item", one, 1),
    ]


def _row(name: str, timings: list[tuple[float, float]], per: int) -> tuple[str, float, float, float]:
    ours = statistics.median(per / o for o, _ in timings)
    base = statistics.median(per / b for _, b in timings)
    ratio = statistics.median(b / o for o, b in timings)
    return name, ours, base, ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=500, help="items per batched record")
    parser.add_argument("--rounds", type=int, default=9, help="batched records of each kind")
    parser.add_argument("--single", type=int, default=200, help="single-item handovers")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the run")
    args = parser.parse_args()

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    rows = run(args.items, args.rounds, args.single)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)

    print(f"{'workload':<44} {'serah items/s':>14} {'baseline items/s':>17} {'ratio':>7}")
    for name, ours, base, ratio in rows:
        print(f"{name:<44} {ours:>14,.0f} {base:>17,.0f} {ratio:>7.2f}")
    print("baseline: plain eventsourcing saves of a trivial aggregate, one event per item and record")
    print("with a bytes payload of the record's size per item, one save() per record, own SQLite file;")
    print("run alternately with ours. An item handed over (prepare+accept) counts once.")
    print("Rates are medians over rounds; ratio is the median of per-round ratios.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
