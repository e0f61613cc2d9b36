"""How long does exporting one box's trail take, from 100k and from 1M records?

    python bench/bench_export.py              # both sizes
    python bench/bench_export.py --sizes 100000

Target (issue 6): under 0.2 s at 1M records, and at most 1.5x slower at 1M
than at 100k: indexed lookups and O(log n) proofs from the stored tree,
never a scan.

The ledgers are built quickly, not through ``Ledger`` (which appends about
130 records/s with all its checks, i.e. two hours for 1M): real records,
signed with real keys, in global order, go straight into a SQLite file with
the same lookups ``LedgerSource`` uses (records by id, items' records, a
custodian's enrol and revoke records) and the stored Merkle tree of
``ledger/tlog``. They are cached in bench/out/ (delete to rebuild). Each box
has a 9-record chain: register (box and ballots), pack, seal, and three
handovers (KPU -> PPK -> PPS -> KPPS).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from ledger import keys, records  # noqa: E402
from ledger.export import Scope, collect, encode_bundle  # noqa: E402
from ledger.export.trail import Entry  # noqa: E402
from ledger.tlog.note import Checkpoint, Ed25519Signer  # noqa: E402
from ledger.tlog.tree import MerkleTree, SqlNodeStore  # noqa: E402
from verifier import bundle as vb  # noqa: E402

OUT = ROOT / "bench" / "out"
NAME = "serah.kpu.go.id/bench/pemilu-2024"
T0 = 1_700_000_000_000


class BenchLedger:
    """A ``Source`` over the bench SQLite file."""

    def __init__(self, path: Path, log) -> None:
        self.db = sqlite3.connect(path)
        self.tree = MerkleTree(SqlNodeStore(self.db))
        self.size = self.tree.size
        self.log = log

    def _entries(self, indexes) -> list[Entry]:
        indexes = list(indexes)
        rows = self.db.execute(
            f"SELECT idx, envelope, id FROM rec WHERE idx IN ({','.join('?' * len(indexes))}) ORDER BY idx",
            indexes).fetchall()
        return [Entry(i, bytes(e), bytes(r)) for i, e, r in rows]

    def genesis(self):
        return self._entries([0])[0]

    def chain(self, item):
        return self._entries(i for (i,) in self.db.execute("SELECT idx FROM item_rec WHERE item = ?", (item,)))

    def items_at(self, region):
        raise NotImplementedError

    def items_touched(self, since, until):
        raise NotImplementedError

    def enrolment(self, key):
        row = self.db.execute("SELECT enrol FROM custodian WHERE key = ?", (key,)).fetchone()
        return self._entries([row[0]])[0] if row else None

    def revocations(self, key):
        return []

    def attestations(self, record_id):
        return []

    def inclusion_proof(self, index):
        return self.tree.inclusion_proof(index, self.size)

    def checkpoint(self):
        text = Checkpoint(self.log.name, self.size, self.tree.root()).body()
        return {"log": self.log.verifier_key(), "note": text + "\n" + self.log.sign(text).line(), "witnesses": []}


def build(path: Path, n: int) -> None:
    """Write about ``n`` signed records (whole boxes) into ``path``."""
    tmp = path.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    db = sqlite3.connect(tmp)
    db.executescript("""
        CREATE TABLE rec (idx INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, envelope BLOB NOT NULL);
        CREATE TABLE item_rec (item TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (item, idx)) WITHOUT ROWID;
        CREATE TABLE custodian (key BLOB PRIMARY KEY, enrol INTEGER NOT NULL);
    """)
    store = SqlNodeStore(db, manage_transactions=False)
    store.create_schema()
    tree = MerkleTree(store)
    people = {name: keys.from_seed(hashlib.sha256(name.encode()).digest()) for name in
              ("root", "kab", "ppk", "pps", "kpps")}
    state = {"idx": 0, "gid": None, "t": T0}
    batch: list[tuple[int, bytes, bytes, list[str]]] = []

    def flush():
        db.executemany("INSERT INTO rec VALUES (?, ?, ?)", [(i, rid, env) for i, rid, env, _ in batch])
        db.executemany("INSERT INTO item_rec VALUES (?, ?)", [(item, i) for i, _, _, items in batch for item in items])
        tree.extend(env for _, _, env, _ in batch)
        db.commit()
        batch.clear()

    def add(type_, author, cosigners=(), **fields):
        state["t"] += 1000
        body = records.build(type_, people[author], state["gid"], state["t"], **fields)
        envelope = records.sign(body, people[author], [people[c] for c in cosigners])
        rid = hashlib.sha256(envelope).digest()
        index = state["idx"]
        state["idx"] += 1
        batch.append((index, rid, envelope, [line["item"] for line in fields.get("lines", ())]))
        if type_ == "enrol":
            db.execute("INSERT INTO custodian VALUES (?, ?)", (fields["key"], index))
        if len(batch) >= 5000:
            flush()
        return rid

    state["gid"] = add("genesis", "root", name=NAME, election="Pemilu 2024", vote_date="2024-02-14",
                       utc_offset=420, roots=[{"key": people["root"].public, "name": "KPU RI", "region": ""}])
    add("enrol", "root", key=people["kab"].public, role="kpu", region="3101", name="KPU Kab", org="KPU Kab")
    for role, region in (("ppk", "310101"), ("pps", "3101011001"), ("kpps", "3101011001001")):
        add("enrol", "kab", key=people[role].public, role=role, region=region, name=role.upper(), org=role.upper())
    box_no = 0
    started = time.perf_counter()
    while state["idx"] < n:
        box, ballots = f"KS-{box_no:07d}-PPWP", f"SS-{box_no:07d}-PPWP"
        box_no += 1
        reg = add("register", "kab", lines=[
            {"item": box, "prev": None, "kind": "box", "dest": "3101011001001", "election": "PPWP"},
            {"item": ballots, "prev": None, "kind": "ballots", "dest": "3101011001001", "qty": 245,
             "election": "PPWP", "dapil": "DKI"}])
        pack = add("pack", "kab", box=box, lines=[{"item": box, "prev": reg}, {"item": ballots, "prev": reg}])
        head = add("seal", "kab", box=box, seals=[f"S-{box_no:07d}"], lines=[{"item": box, "prev": pack}])
        for giver, receiver, place in (("kab", "ppk", "3101"), ("ppk", "pps", "310101"),
                                       ("pps", "kpps", "3101011001")):
            prep = add("handover.prepare", giver, to=people[receiver].public, place=place, site="gudang",
                       purpose="distribusi", lines=[{"item": box, "prev": head, "seals": [f"S-{box_no:07d}"],
                                                      "contents": [[ballots, 245]]}])
            head = add("handover.accept", receiver, handover=prep, lines=[
                {"item": box, "prev": prep, "seals": [f"S-{box_no:07d}"], "condition": "ok"}])
        if box_no % 5000 == 0:
            rate = state["idx"] / (time.perf_counter() - started)
            print(f"  {path.name}: {state['idx']:,} records ({rate:,.0f}/s)", file=sys.stderr)
    flush()
    db.close()
    os.replace(tmp, path)


def bench(size: int, repeats: int = 15) -> dict:
    path = OUT / f"export-{size}.sqlite"
    if not path.exists():
        print(f"building {path} ...", file=sys.stderr)
        start = time.perf_counter()
        build(path, size)
        print(f"  built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    log = Ed25519Signer(NAME, Ed25519PrivateKey.from_private_bytes(b"\x05" * 32))
    source = BenchLedger(path, log)
    boxes = source.size // 9
    rng = random.Random(6)
    times = []
    for _ in range(repeats):
        box = f"KS-{rng.randrange(boxes):07d}-PPWP"
        start = time.perf_counter()
        fresh = BenchLedger(path, log)  # no warm caches of our own between runs
        data = encode_bundle(collect(fresh, Scope(items=(box,))), fresh, created=0, software="bench")
        times.append(time.perf_counter() - start)
    result = vb.verify(data)
    assert not [f for f in result.findings if f.severity == "error"], result.findings[:3]
    return {"records": source.size, "median": statistics.median(times), "max": max(times),
            "bundle_bytes": len(data), "bundle_records": len(result.bundle.records)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = {int(s): bench(int(s)) for s in args.sizes.split(",")}
    print("export of one box trail (collect + proofs + checkpoint + encode)")
    for size, r in rows.items():
        print(f"  {r['records']:>9,} records: median {r['median'] * 1000:6.1f} ms, max {r['max'] * 1000:6.1f} ms, "
              f"bundle {r['bundle_records']} records / {r['bundle_bytes']:,} bytes")
    if len(rows) == 2:
        small, large = (rows[s] for s in sorted(rows))
        growth = large["median"] / small["median"]
        ok = large["median"] < 0.2 and growth <= 1.5
        print(f"  growth {growth:.2f}x (target <= 1.5x), at the largest size "
              f"{large['median'] * 1000:.1f} ms (target < 200 ms): {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
