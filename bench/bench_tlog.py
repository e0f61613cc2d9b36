"""Benchmark: Serah's stored Merkle tree against pymerkle's InmemoryTree.

Same leaves, same RFC 6962 SHA-256 hashing, one run, printed side by side:

* building the tree of N leaves (appended in batches);
* producing and verifying an inclusion proof at the final size (ours are
  verified by the auditor's ``verifier.merkle``, pymerkle's by its own
  ``verify_inclusion``);
* the cost of appending one leaf when the tree holds 10% of N and N leaves,
  which should be about the same for an O(log n) append.

Usage: ``python bench/bench_tlog.py [--quick] [--skip-sqlite]``.
N is 1,000,000 (20,000 with --quick).  The SQLite tree lives in a temporary
file with WAL and synchronous=NORMAL, so single appends are not dominated by
fsync.  This is a benchmark, not a test: it asserts only that all trees agree
on the root.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymerkle

import verifier.merkle as vm
from ledger.storage import sqlite
from ledger.tlog import tree as lt
from ledger.tlog.sql import SqlNodeStore

BATCH = 10_000


def leaf(i: int) -> bytes:
    return b"serah-envelope-%012d" % i


class Ours:
    """Serah's MerkleTree over a given node store."""

    def __init__(self, name: str, store) -> None:
        self.name = name
        self.tree = lt.MerkleTree(store)

    def extend(self, entries: list[bytes]) -> None:
        self.tree.extend(entries)

    def append(self, entry: bytes) -> None:
        self.tree.append(entry)

    def root(self) -> bytes:
        return self.tree.root()

    def prove_and_verify(self, index: int, root: bytes) -> None:
        size = self.tree.size
        proof = self.tree.inclusion_proof(index, size)
        vm.verify_inclusion(lt.leaf_hash(leaf(index)), index, size, proof, root)


class PyMerkle:
    """pymerkle 7 InmemoryTree (1-based leaf indexes)."""

    name = "pymerkle"

    def __init__(self) -> None:
        self.tree = pymerkle.InmemoryTree(algorithm="sha256")

    def extend(self, entries: list[bytes]) -> None:
        self.tree.append_entries(entries)

    def append(self, entry: bytes) -> None:
        self.tree.append_entry(entry)

    def root(self) -> bytes:
        return self.tree.get_root()

    def prove_and_verify(self, index: int, root: bytes) -> None:
        proof = self.tree.prove_inclusion(index + 1)
        pymerkle.verify_inclusion(self.tree.hash_buff(leaf(index)), root, proof)


def sqlite_store(path: str) -> SqlNodeStore:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    store = SqlNodeStore(conn, sqlite.DIALECT)
    store.create_schema()
    return store


def grow(contender, start: int, stop: int) -> float:
    """Append leaves [start, stop) in batches; return the seconds spent."""
    elapsed = 0.0
    for i in range(start, stop, BATCH):
        entries = [leaf(j) for j in range(i, min(i + BATCH, stop))]
        t0 = time.perf_counter()
        contender.extend(entries)
        elapsed += time.perf_counter() - t0
    return elapsed


def single_appends(contender, first: int, count: int) -> float:
    """Mean microseconds per single-leaf append of leaves [first, first + count)."""
    t0 = time.perf_counter()
    for i in range(first, first + count):
        contender.append(leaf(i))
    return (time.perf_counter() - t0) / count * 1e6


def run(contender, n: int, mark: int, singles: int, probes: list[int]) -> dict:
    """Batch-append n leaves, timing single appends at ``mark`` and at n; then time proofs.

    Leaf i always holds leaf(i): the singles take the next positions, so the
    batches cover exactly n leaves and the final tree has n + 2 * singles.
    """
    figures = {}
    build = grow(contender, 0, mark)
    figures["append_mark"] = single_appends(contender, mark, singles)
    build += grow(contender, mark + singles, n + singles)
    figures["append_n"] = single_appends(contender, n + singles, singles)
    figures["build_s"] = build
    root = contender.root()
    figures["root"] = root
    t0 = time.perf_counter()
    for index in probes:
        contender.prove_and_verify(index, root)
    figures["proof_us"] = (time.perf_counter() - t0) / len(probes) * 1e6
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 leaves instead of 1,000,000")
    parser.add_argument("--skip-sqlite", action="store_true", help="leave out the SQLite-backed tree")
    args = parser.parse_args()
    n = 20_000 if args.quick else 1_000_000
    mark, singles, proofs = n // 10, (1_000 if args.quick else 5_000), (200 if args.quick else 2_000)

    probes = random.Random(6962).sample(range(n), proofs)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        contenders = [lambda: Ours("ours (memory)", lt.MemoryNodeStore())]
        if not args.skip_sqlite:
            contenders.append(lambda: Ours("ours (sqlite)", sqlite_store(os.path.join(tmp, "tlog.sqlite"))))
        contenders.append(PyMerkle)
        for make in contenders:
            contender = make()
            print(f"running {contender.name} ...", file=sys.stderr, flush=True)
            results[contender.name] = run(contender, n, mark, singles, probes)
            del contender

    roots = {figures["root"] for figures in results.values()}
    assert len(roots) == 1, "trees disagree on the root"
    report(results, n, mark, singles, proofs)


def report(results: dict, n: int, mark: int, singles: int, proofs: int) -> None:
    names = list(results)
    ours = [name for name in names if name != "pymerkle"]
    rows = [
        (f"build {n:,} leaves (s)", "build_s", "{:.2f}"),
        ("  per leaf (us)", None, "{:.2f}"),
        (f"inclusion proof + verify (us, mean of {proofs:,})", "proof_us", "{:.1f}"),
        (f"append 1 leaf at {mark:,} (us, mean of {singles:,})", "append_mark", "{:.2f}"),
        (f"append 1 leaf at {n:,} (us, mean of {singles:,})", "append_n", "{:.2f}"),
    ]
    header = f"{'':52}" + "".join(f"{name:>16}" for name in names) + "".join(
        f"{name.split()[1] + '/pymerkle':>18}" for name in ours)
    print(f"\nSerah tlog vs pymerkle {pymerkle.__version__}: RFC 6962 SHA-256, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(header)
    print("-" * len(header))
    for label, key, fmt in rows:
        values = {name: (results[name][key] if key else results[name]["build_s"] / n * 1e6) for name in names}
        line = f"{label:52}" + "".join(f"{fmt.format(values[name]):>16}" for name in names)
        line += "".join(f"{values[name] / values['pymerkle']:>17.2f}x" for name in ours)
        print(line)
    print("-" * len(header))
    for name in names:
        growth = results[name]["append_n"] / results[name]["append_mark"]
        print(f"{name}: append cost at {n:,} / at {mark:,} = {growth:.2f} (1.0 = flat)")
    print("x columns: ours divided by pymerkle (below 1.00 = ours faster)")
    print(f"all trees agree: root {results[names[0]]['root'].hex()}")


if __name__ == "__main__":
    main()
