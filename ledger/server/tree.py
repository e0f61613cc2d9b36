"""The log's Merkle tree as the server derives it: computed from the records
it sequenced, stored after their commit, never read back as truth.

Why: the tree's rows (``serah_tlog_node``) are index data nobody signs.
When every append extended the stored tree inside its own transaction, one
row inserted by anyone with write access (issue 12's third attack) made
that extension fail, and with it every later append: any writer could halt
the ledger. Here the tree is *derived state*, like the items and keys of
:mod:`ledger.server.state`:

- :class:`DerivedTree` holds every node in memory, computed from the
  envelopes of the records in global order (at start-up from the stored
  records, then from each committed batch). Roots, proofs, tiles and the
  checkpoints the server signs come from it, never from a stored row.
- :class:`Integrator` stores the nodes **after** the records' commit, in
  batches, on its own thread (sequence first, integrate after, as Trillian
  and Tessera do), so the tree never slows an append. The tables refuse
  UPDATE and DELETE, so it never overwrites anything: it reads the rows
  already stored for the new range, inserts only the missing ones, and
  compares the others with what it computed. A row that differs is a
  forgery (or a bug): it is logged, counted in ``/healthz`` (``tree``) and
  otherwise without effect; appends go on and checkpoints stay over the
  computed root. A verifier recomputes every root from the records anyway
  (SPEC 10.6, T4) and finds the forged row there.
- ``integrated`` is how many leaves have their rows stored and checked; a
  checkpoint covers exactly those. A crash between a commit and the
  integration loses nothing: at start-up the tree is computed from the
  committed records and the integrator stores what is missing.

:class:`ServedLog` puts the two together for the read API and the
witnesses: a :class:`~ledger.tlog.log.TransparencyLog` whose size, nodes and
proofs are the derived tree's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ledger.storage import storage_for
from ledger.tlog.errors import BeyondLog, NoSuchLeaf
from ledger.tlog.sql import names_of
from ledger.tlog.tree import MemoryNodeStore, MerkleTree, NodeRow

__all__ = ["DerivedTree", "Integrator", "ServedLog", "TreeAlarm"]

log = logging.getLogger("serah.server")

_MAX_ALARMS = 100  #: alarms kept for /healthz (the count goes on)


class DerivedTree:
    """Every node of the log's tree, in memory, computed from record envelopes.

    About 64 bytes a leaf (a leaf hash and, on average, one interior node).
    Safe to share between threads: the sequencer appends, readers read.
    """

    def __init__(self) -> None:
        self._store = MemoryNodeStore()
        self._tree = MerkleTree(self._store)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return self._tree.size

    def extend(self, envelopes: Iterable[bytes]) -> None:
        with self._lock:
            self._tree.extend(envelopes)

    def root(self, size: int | None = None) -> bytes:
        with self._lock:
            return self._tree.root(size)

    def nodes(self, level: int, first: int, end: int) -> list[bytes]:
        """Hashes of ``level``, indexes ``first`` .. ``end - 1`` that the tree holds, in order."""
        with self._lock:
            found = self._store.get_nodes((level, i) for i in range(first, end))
        return [found[(level, i)] for i in range(first, end) if (level, i) in found]

    def rows_completed(self, start: int, end: int) -> list[NodeRow]:
        """The node rows that leaves ``start`` .. ``end - 1`` completed: on
        each level, the nodes whose last leaf is among them."""
        rows: list[NodeRow] = []
        level = 0
        while (end >> level) > (start >> level):
            for index, digest in enumerate(self.nodes(level, start >> level, end >> level), start >> level):
                rows.append((level, index, digest))
            level += 1
        return rows

    def inclusion_proofs(self, indexes: Sequence[int], size: int) -> list[list[bytes]]:
        with self._lock:
            return self._tree.inclusion_proofs(indexes, size)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        with self._lock:
            return self._tree.consistency_proof(old_size, new_size)


@dataclass(frozen=True)
class TreeAlarm:
    """A stored tree row that is not the one the server computed."""

    level: int
    index: int
    stored: str  #: hex
    computed: str  #: hex
    time: float


class Integrator:
    """Stores the derived tree's nodes after the records' commit, in batches,
    and checks the rows it finds already there (see the module's docstring)."""

    BATCH = 4096  #: leaves per transaction

    def __init__(self, ledger: Any, tree: DerivedTree, *, integrated: int = 0) -> None:
        self._storage = storage_for(ledger)
        self._names = names_of(self._storage)
        self.tree = tree
        self.integrated = integrated  #: leaves whose rows are stored and checked
        self.alarms: list[TreeAlarm] = []
        self.mismatches = 0
        self.failures = 0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._run_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="serah-integrator", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """New leaves were committed: integrate them soon."""
        self._wake.set()

    def stop(self, timeout: float = 60.0) -> None:
        """Integrates everything committed so far, then stops the thread."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self.integrate()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.integrate()  # at once on start: what was committed before it (a crash) first
            except Exception:  # a lost connection: the next round tries again, appends go on
                self.failures += 1
                log.exception("tree integration failed; retrying")
                time.sleep(0.5)
            self._wake.wait(1.0)

    def integrate(self) -> int:
        """Stores the rows of every leaf computed but not yet integrated; returns the leaves integrated."""
        done = 0
        with self._run_lock:
            while self.integrated < self.tree.size:
                start = self.integrated
                end = min(self.tree.size, start + self.BATCH)
                self._store(start, end)
                self.integrated = end
                done += end - start
        return done

    def _store(self, start: int, end: int) -> None:
        computed = self.tree.rows_completed(start, end)
        table = self._names.node
        with self._storage.writing() as sql:
            stored: dict[tuple[int, int], bytes] = {}
            level = 0
            while (end >> level) > (start >> level):
                for index, digest in sql.rows(
                    f"SELECT idx, hash FROM {table} WHERE level = ? AND idx >= ? AND idx < ?",
                    [level, start >> level, end >> level],
                ):
                    stored[(level, int(index))] = bytes(digest)
                level += 1
            missing = []
            for level, index, digest in computed:
                found = stored.get((level, index))
                if found is None:
                    missing.append((level, index, digest))
                elif found != digest:
                    self._alarm(TreeAlarm(level, index, found.hex(), digest.hex(), time.time()))
            if missing:
                sql.many(f"INSERT INTO {table} (level, idx, hash) VALUES (?, ?, ?)", missing)

    def _alarm(self, alarm: TreeAlarm) -> None:
        self.mismatches += 1
        if len(self.alarms) < _MAX_ALARMS:
            self.alarms.append(alarm)
        log.error(
            "ALARM: stored tree row (%d, %d) is not the one computed from the records"
            " (stored %s, computed %s); ignored, checkpoints use the computed tree",
            alarm.level, alarm.index, alarm.stored[:16], alarm.computed[:16],
        )

    def health(self) -> dict[str, Any]:
        return {
            "computed": self.tree.size,
            "integrated": self.integrated,
            "mismatches": self.mismatches,
            "alarms": [vars(a) for a in self.alarms[:10]],
            "failures": self.failures,
        }


class ServedLog:
    """A :class:`~ledger.tlog.log.TransparencyLog` as the server serves it:
    size, nodes, roots and proofs from the derived tree, up to what was
    integrated (what checkpoints cover); records and checkpoints from the
    log."""

    def __init__(self, tlog: Any, tree: DerivedTree, integrator: Integrator) -> None:
        self._tlog = tlog
        self._tree = tree
        self._integrator = integrator

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tlog, name)

    @property
    def size(self) -> int:
        return self._integrator.integrated

    def _size(self, size: int | None) -> int:
        top = self._integrator.integrated
        if size is None:
            return top
        if not 0 <= size <= top:
            raise BeyondLog(size=size, log=top)
        return size

    def root(self, size: int | None = None) -> bytes:
        return self._tree.root(self._size(size))

    def node_run(self, level: int, first: int, count: int) -> list[bytes]:
        end = min(first + count, self._integrated_nodes(level))
        return self._tree.nodes(level, first, end) if end > first else []

    def _integrated_nodes(self, level: int) -> int:
        return self._integrator.integrated >> level

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return self.inclusion_proofs([index], size)[0]

    def inclusion_proofs(self, indexes: Sequence[int], size: int | None = None) -> list[list[bytes]]:
        size = self._size(size)
        for index in indexes:
            if not 0 <= index < size:
                raise NoSuchLeaf(index=index, log=size)
        return self._tree.inclusion_proofs(indexes, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new_size = self._size(new_size)
        if not 0 <= old_size <= new_size:
            raise BeyondLog(size=old_size, log=new_size)
        return self._tree.consistency_proof(old_size, new_size)
