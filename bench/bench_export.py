"""How long does exporting one box's trail take, from 100k and from 1M records?

    python bench/bench_export.py                     # both sizes, warm and cold
    python bench/bench_export.py --sizes 100000      # one size
    python bench/bench_export.py --profile 1000000   # cProfile of warm exports at that size

Target (issue 6): under 0.2 s at 1M records, and at most 1.5x slower at 1M
than at 100k: keyed reads and O(log n) proofs from the stored tree, never a
scan.

The ledgers are real ledgers: written by ``ledger.application.Ledger`` into
its own SQLite layout (records, index events, the transparency log's tables,
guards), so the export reads exactly what it reads in production. To build
1M records in minutes rather than hours, records are signed here and applied
through the ledger's own checks many at a time, one transaction per batch:
what ``Ledger._sign_and_append`` does for one record, with the commit moved
to the end of the batch. Then the log signs a checkpoint and a witness
cosigns it, through ``TransparencyLog``. They are cached in bench/out/
(delete to rebuild). Each box has 10 records: register (box and ballots),
pack, seal, three handovers (KPU -> PPK -> PPS -> KPPS) and a Bawaslu
attestation (SPEC 4.14) of the last acceptance.

What is timed is the export itself: choosing the checkpoint, collecting the
trail (SPEC 11.4), the inclusion proofs and encoding the bundle (not writing
the file or verifying it), for a random box each time:

- **warm**: rounds alternate between the sizes in one process with the
  ledgers open, after the files were read once (in the OS file cache);
- **cold**: a fresh process opens the ledger and exports one box: SQLite's
  page cache is empty, the OS file cache is warm (the usual case for a
  ``serah export`` run on a busy ledger server);
- **disk**: the same, after the file's pages were dropped from the OS file
  cache (``posix_fadvise(DONTNEED)``, Linux): every page is read from disk.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger import keys, records  # noqa: E402
from ledger.application import Ledger  # noqa: E402
from ledger.export import Scope, encode_bundle  # noqa: E402
from ledger.export.ledger_source import checkpointed_trail  # noqa: E402
from ledger.tlog.log import KeyWitness, TransparencyLog, cosign_checkpoint, witness_verifier_key  # noqa: E402
from ledger.tlog.note import Ed25519Verifier  # noqa: E402
from verifier import bundle as vb  # noqa: E402

OUT = ROOT / "bench" / "out"
VERSION = 3  # bump when the generated ledger changes (3: Custodian.Used index events)
NAME = "serah.kpu.go.id/bench/pemilu-2024"
WITNESS = "bawaslu.go.id/bench/w1"
T0 = 1_700_000_000_000
BOX_RECORDS = 10
BATCH = 2_000  # records per transaction while building


def person(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah bench export " + name.encode()).digest())


def path_for(size: int) -> Path:
    return OUT / f"export-{size}-v{VERSION}.sqlite"


def box_id(number: int) -> str:
    return f"KS-{number:07d}-PPWP"


# --- building ------------------------------------------------------------------------------


class Builder:
    """Signs records and applies them through the ledger's checks, a batch per transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.people = {name: person(name) for name in ("root", "kab", "ppk", "pps", "kpps", "bawaslu")}
        self.time = T0
        self.ledger_id: bytes | None = None
        self.batch: list[records.Record] = []
        self.count = 0

    def add(self, rtype: str, author: str, **fields) -> bytes:
        self.time += 1000
        body = records.build(rtype, self.people[author], self.ledger_id, self.time, **fields)
        rec = records.sign_record(body, self.people[author])
        self.batch.append(rec)
        self.count += 1
        if len(self.batch) >= BATCH:
            self.flush()
        return rec.id

    def flush(self) -> None:
        if not self.batch:
            return
        work = self.ledger._work()
        for rec in self.batch:
            self.ledger._apply(rec, work, fresh=True)
        self.ledger._commit(work)
        self.batch = []

    def box(self, number: int) -> None:
        box, ballots, seal = box_id(number), f"SS-{number:07d}-PPWP", f"S-{number:07d}"
        people = self.people
        reg = self.add("register", "kab", lines=[
            {"item": box, "prev": None, "kind": "box", "dest": "3101011001001", "election": "PPWP"},
            {"item": ballots, "prev": None, "kind": "ballots", "dest": "3101011001001", "qty": 245,
             "election": "PPWP", "dapil": "DKI"}])
        pack = self.add("pack", "kab", box=box, lines=[{"item": box, "prev": reg}, {"item": ballots, "prev": reg}])
        head = self.add("seal", "kab", box=box, seals=[seal], lines=[{"item": box, "prev": pack}])
        for giver, receiver, place in (("kab", "ppk", "3101"), ("ppk", "pps", "310101"),
                                       ("pps", "kpps", "3101011001")):
            prep = self.add("handover.prepare", giver, to=people[receiver].public, place=place, site="gudang",
                            purpose="distribusi", lines=[{"item": box, "prev": head, "seals": [seal],
                                                          "contents": [[ballots, 245]]}])
            head = self.add("handover.accept", receiver, handover=prep, lines=[
                {"item": box, "prev": prep, "seals": [seal], "condition": "ok"}])
        self.add("witness", "bawaslu", target=head, statement="diterima KPPS dengan segel utuh")


def build(path: Path, n: int) -> None:
    """Write about ``n`` records (whole boxes) into a new ledger at ``path``, checkpointed and cosigned."""
    tmp = path.with_name(path.name + ".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    ledger = Ledger(str(tmp))
    b = Builder(ledger)
    p = b.people
    b.ledger_id = b.add("genesis", "root", name=NAME, election="Pemilu 2024", vote_date="2024-02-14",
                        utc_offset=420, roots=[{"key": p["root"].public, "name": "KPU RI", "region": ""}])
    b.flush()
    b.add("enrol", "root", key=p["kab"].public, role="kpu", region="3101", name="KPU Kab", org="KPU Kab")
    for who, role, region in (("ppk", "ppk", "310101"), ("pps", "pps", "3101011001"),
                              ("kpps", "kpps", "3101011001001"), ("bawaslu", "witness", "3101")):
        b.add("enrol", "kab", key=p[who].public, role=role, region=region, name=who.upper(), org=who.upper())
    started, number = time.perf_counter(), 0
    while b.count < n:
        b.box(number)
        number += 1
        if number % 10_000 == 0:
            rate = b.count / (time.perf_counter() - started)
            print(f"  {path.name}: {b.count:,} records ({rate:,.0f}/s)", file=sys.stderr)
    b.flush()
    checkpoint_and_cosign(ledger, tmp.parent / (path.name + ".witness.json"))
    ledger.close()
    for suffix in ("-wal", "-shm"):
        assert not Path(str(tmp) + suffix).exists(), "the ledger was not closed cleanly"
    os.replace(tmp, path)


def checkpoint_and_cosign(ledger: Ledger, state: Path) -> None:
    """The operator signs a checkpoint and Bawaslu cosigns it: the real log, the real witness rules."""
    log = TransparencyLog(ledger)
    checkpoint, _ = log.sign_checkpoint(person("log"))
    state.unlink(missing_ok=True)
    witness = KeyWitness(WITNESS, person("witness"), state, {NAME: Ed25519Verifier.from_verifier_key(checkpoint.log_key)})
    witness.first_time = True  # the state was just removed: a new witness
    cosigned, _ = cosign_checkpoint(log, witness, checkpoint.full_note)
    log.add_cosignatures(cosigned, [witness_verifier_key(WITNESS, person("witness").public)])


def ledger_for(size: int) -> Path:
    path = path_for(size)
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        print(f"building {path} ...", file=sys.stderr)
        start = time.perf_counter()
        build(path, size)
        print(f"  built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return path


# --- measuring -----------------------------------------------------------------------------


def export_box(ledger: Ledger, box: str) -> bytes:
    """What ``serah export --item BOX`` does before writing the file."""
    trail, source = checkpointed_trail(ledger, Scope(items=(box,)))
    return encode_bundle(trail, source, created=0, software="bench")


def boxes_in(ledger: Ledger) -> int:
    return (TransparencyLog(ledger).latest_checkpoint().size - 5) // BOX_RECORDS


def warm(sizes: list[int], rounds: int) -> dict[int, list[float]]:
    for size in sizes:
        read_into_os_cache(ledger_for(size))
    ledgers = {size: Ledger(str(ledger_for(size))) for size in sizes}
    rng = random.Random(6)
    boxes = {size: boxes_in(ledger) for size, ledger in ledgers.items()}
    for size, ledger in ledgers.items():  # check one bundle of each, then warm up
        data = export_box(ledger, box_id(boxes[size] // 2))
        result = vb.verify(data)
        assert result.exit_code == 0, [f for f in result.findings if f.severity != "notice"][:3]
        assert len(result.bundle.records) == 16, len(result.bundle.records)  # genesis, 5 enrols, the box's 10
    times: dict[int, list[float]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size, ledger in ledgers.items():
            box = box_id(rng.randrange(boxes[size]))
            start = time.perf_counter()
            export_box(ledger, box)
            times[size].append(time.perf_counter() - start)
    for ledger in ledgers.values():
        ledger.close()
    return times


COLD = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from bench.bench_export import export_box
from ledger.application import Ledger
t1 = time.perf_counter()
ledger = Ledger({path!r})
t2 = time.perf_counter()
data = export_box(ledger, {box!r})
t3 = time.perf_counter()
print(json.dumps({{"imports": t1 - t0, "open": t2 - t1, "export": t3 - t2, "bytes": len(data)}}))
"""


def cold(size: int, runs: int, disk: bool = False) -> list[dict]:
    path = ledger_for(size)
    ledger = Ledger(str(path))
    boxes = boxes_in(ledger)
    ledger.close()
    rng = random.Random(7 + disk)
    out = []
    for _ in range(runs):
        if disk:
            drop_from_os_cache(path)
        code = COLD.format(root=str(ROOT), path=str(path), box=box_id(rng.randrange(boxes)))
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        out.append(json.loads(done.stdout))
    return out


def read_into_os_cache(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(1 << 24):
            pass


def drop_from_os_cache(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def profile(size: int, rounds: int) -> None:
    ledger = Ledger(str(ledger_for(size)))
    rng = random.Random(8)
    boxes = boxes_in(ledger)
    export_box(ledger, box_id(0))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        export_box(ledger, box_id(rng.randrange(boxes)))
    profiler.disable()
    ledger.close()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--rounds", type=int, default=200, help="warm exports per size")
    parser.add_argument("--cold", type=int, default=7, help="fresh processes per size")
    parser.add_argument("--profile", type=int, metavar="SIZE", help="profile warm exports at SIZE instead")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.build_only:
        for size in sizes:
            ledger_for(size)
        return
    if args.profile:
        profile(args.profile, args.rounds)
        return
    times = warm(sizes, args.rounds)
    colds = {size: cold(size, args.cold) for size in sizes}
    disks = {size: cold(size, args.cold, disk=True) for size in sizes} if hasattr(os, "posix_fadvise") else {}
    print("export of one box trail (checkpoint choice + collect + proofs + encode), 16 records per bundle")
    medians: dict[str, dict[int, float]] = {"warm": {}, "cold": {}, "disk": {}}
    for size in sizes:
        w = times[size]
        medians["warm"][size] = statistics.median(w)
        medians["cold"][size] = statistics.median(r["export"] for r in colds[size])
        line = (f"  {size:>9,} records ({path_for(size).stat().st_size / 2**20:,.0f} MiB): "
                f"warm median {ms(medians['warm'][size])} (p90 {ms(sorted(w)[int(len(w) * 0.9)])}), "
                f"cold {ms(medians['cold'][size])} (+ open {ms(statistics.median(r['open'] for r in colds[size]))})")
        if disks:
            medians["disk"][size] = statistics.median(r["export"] for r in disks[size])
            line += f", disk {ms(medians['disk'][size])}"
        print(line)
    if len(sizes) == 2:
        small, large = sorted(sizes)
        ratio = {kind: m[large] / m[small] for kind, m in medians.items() if m}
        ok = medians["warm"][large] < 0.2 and medians["cold"][large] < 0.2 and ratio["warm"] <= 1.5
        print(f"  growth {small:,} -> {large:,}: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratio.items())
              + f" (target <= 1.5x); at {large:,}: warm {medians['warm'][large] * 1000:.1f} ms, "
              f"cold {medians['cold'][large] * 1000:.1f} ms (target < 200 ms): {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
