"""Incremental, stored RFC 6962 / RFC 9162 Merkle tree over the ledger's records.

Every record, in global order, is one leaf.  The tree is never rebuilt: each
append hashes the new leaf, merges it with the "right frontier" (the roots of
the perfect subtrees that make up the current tree, one per set bit of the
size) and stores every perfect subtree hash that became complete.  A node is
addressed by ``(level, index)``: it is the root of the perfect subtree over
leaves ``[index * 2**level, (index + 1) * 2**level)``; level 0 holds the leaf
hashes.  Because every range the RFC 9162 algorithms ask about is a run of
such perfect subtrees, roots and proofs for any size up to the current one
need only O(log n) stored hashes.

Storage is pluggable (:class:`NodeStore`): ``MemoryNodeStore`` here, for
the server's derived tree, tests and benchmarks; the SQL stores are in
``ledger.tlog.sql``, so this module stays pure (no database, no dialect).
The verification functions at the end serve the operator and witnesses; the
auditor's verifier in ``verifier/merkle.py`` is a separate implementation on
purpose.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from ledger.errors import Category, SerahError

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeKey = tuple[int, int]  # (level, index)
NodeRow = tuple[int, int, bytes]  # (level, index, hash)


class TreeError(SerahError):
    """Base class for errors raised by the transparency-log tree."""

    code = "tree"
    category = Category.INTERNAL


class ProofError(TreeError):
    """A proof is malformed or does not match the claimed roots."""

    code = "bad_proof"
    category = Category.TAMPER


class StoreError(TreeError):
    """The node store is missing data it should have, or was changed concurrently."""

    code = "node_store"


class ConcurrentAppendError(StoreError):
    """Another writer appended to the stored tree since this tree object loaded it."""

    code = "concurrent_append"
    category = Category.CONFLICT


# --- hashing -----------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || data)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def fold_right(hashes: Sequence[bytes]) -> bytes:
    """Hash of a run of perfect subtrees given left to right.

    RFC 6962 splits a range at the largest power of two below its size, so a
    range that starts on a large enough boundary is its biggest perfect
    subtree followed by the hash of the rest: folding from the right.
    """
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


# --- range arithmetic (pure, no storage) --------------------------------------


def split_point(n: int) -> int:
    """Largest power of two strictly smaller than n (n >= 2), as in RFC 9162."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[NodeKey]:
    """Keys of the maximal aligned perfect subtrees covering [start, end), left to right."""
    keys: list[NodeKey] = []
    while start < end:
        width = start & -start if start else 1 << ((end - start).bit_length() - 1)
        while width > end - start:
            width >>= 1
        level = width.bit_length() - 1
        keys.append((level, start >> level))
        start += width
    return keys


def inclusion_plan(index: int, size: int) -> list[list[NodeKey]]:
    """For each hash of the RFC 9162 inclusion path (leaf first), the nodes to fold.

    Walks the recursion of RFC 9162 section 2.1.3.1 from the top; the sibling
    of each step is recorded and the list reversed so it runs bottom-up.
    """
    steps: list[list[NodeKey]] = []
    start, end = 0, size
    while end - start > 1:
        mid = start + split_point(end - start)
        if index < mid:
            steps.append(perfect_subtrees(mid, end))
            end = mid
        else:
            steps.append(perfect_subtrees(start, mid))
            start = mid
    steps.reverse()
    return steps


def consistency_plan(old_size: int, new_size: int) -> list[list[NodeKey]]:
    """For each hash of the RFC 9162 consistency proof, the nodes to fold.

    Follows SUBPROOF(m, D[n], b) of RFC 9162 section 2.1.4.1 iteratively.
    Sizes 0 or equal sizes give an empty proof.
    """
    if old_size == 0 or old_size == new_size:
        return []
    steps: list[list[NodeKey]] = []
    start, end, m, whole_old_tree = 0, new_size, old_size, True
    while m < end - start:
        k = split_point(end - start)
        if m <= k:
            steps.append(perfect_subtrees(start + k, end))
            end = start + k
        else:
            steps.append(perfect_subtrees(start, start + k))
            start, m, whole_old_tree = start + k, m - k, False
    if not whole_old_tree:
        steps.append(perfect_subtrees(start, end))
    steps.reverse()
    return steps


# --- storage -----------------------------------------------------------------


class NodeStore(Protocol):
    """Where the tree keeps its leaf and perfect-subtree hashes.

    Nodes are only ever appended, never changed; ``write`` must store the
    rows and the new size atomically and refuse if the stored size is no
    longer ``old_size``.
    """

    def size(self) -> int: ...

    def get_nodes(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]: ...

    def write(self, rows: Sequence[NodeRow], old_size: int, new_size: int) -> None: ...


class MemoryNodeStore:
    """In-memory store: one bytearray of concatenated 32-byte hashes per level.

    Nodes of a level are created in index order, so appending is enough and
    a million leaves cost about 64 MB rather than millions of small objects.
    """

    def __init__(self) -> None:
        self._levels: list[bytearray] = []
        self._size = 0

    def size(self) -> int:
        return self._size

    def get_nodes(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        found = {}
        for level, index in keys:
            if level < len(self._levels):
                blob = self._levels[level]
                start = index * HASH_SIZE
                if 0 <= start and start + HASH_SIZE <= len(blob):
                    found[(level, index)] = bytes(blob[start : start + HASH_SIZE])
        return found

    def write(self, rows: Sequence[NodeRow], old_size: int, new_size: int) -> None:
        if old_size != self._size:
            raise ConcurrentAppendError(f"store has {self._size} leaves, writer expected {old_size}")
        for level, index, digest in rows:
            while level >= len(self._levels):
                self._levels.append(bytearray())
            blob = self._levels[level]
            if index * HASH_SIZE != len(blob):
                raise StoreError(f"node ({level}, {index}) written out of order")
            blob += digest
        self._size = new_size


class MerkleTree:
    """Append-only RFC 6962 tree whose nodes live in a ``NodeStore``.

    One writer per store: the frontier is cached here, and the store refuses
    a write if someone else appended in between (``ConcurrentAppendError``);
    reopen the tree to continue.
    """

    def __init__(self, store: NodeStore) -> None:
        self._store = store
        self._size = store.size()
        self._frontier = self._load_frontier(self._size)

    def _load_frontier(self, size: int) -> list[tuple[int, bytes]]:
        keys = perfect_subtrees(0, size)
        nodes = self._read(keys)
        return [(level, nodes[(level, index)]) for level, index in keys]

    @property
    def size(self) -> int:
        return self._size

    # appending

    def append(self, data: bytes) -> int:
        """Append one record; return its leaf index."""
        return self.extend([data])

    def extend(self, entries: Iterable[bytes]) -> int:
        """Append records in one store write (one transaction); return the first new index."""
        return self.extend_leaf_hashes(leaf_hash(data) for data in entries)

    def extend_leaf_hashes(self, hashes: Iterable[bytes]) -> int:
        """Append precomputed leaf hashes (e.g. when rebuilding from stored records)."""
        first = self._size
        size = self._size
        frontier = list(self._frontier)
        rows: list[NodeRow] = []
        for digest in hashes:
            if len(digest) != HASH_SIZE:
                raise ValueError("leaf hash must be 32 bytes")
            level, index = 0, size
            rows.append((0, index, digest))
            while frontier and frontier[-1][0] == level:
                digest = node_hash(frontier.pop()[1], digest)
                level, index = level + 1, index >> 1
                rows.append((level, index, digest))
            frontier.append((level, digest))
            size += 1
        if size != first:
            self._store.write(rows, first, size)
            self._size, self._frontier = size, frontier
        return first

    # reading

    def _read(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        keys = list(keys)
        nodes = self._store.get_nodes(keys)
        missing = [key for key in keys if key not in nodes]
        if missing:
            raise StoreError(f"node store is missing nodes {missing[:4]}")
        return nodes

    def _resolve(self, plan: list[list[NodeKey]]) -> list[bytes]:
        nodes = self._read(key for step in plan for key in step)
        return [fold_right([nodes[key] for key in step]) for step in plan]

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise ValueError(f"size {size} is outside 0..{self._size}")

    def root(self, size: int | None = None) -> bytes:
        """Root hash of the tree made of the first ``size`` leaves (default: all)."""
        size = self._size if size is None else size
        self._check_size(size)
        if size == self._size:
            return fold_right([digest for _, digest in self._frontier])
        return self._resolve([perfect_subtrees(0, size)])[0]

    def leaf_hash_at(self, index: int) -> bytes:
        """Stored leaf hash of record ``index``."""
        if not 0 <= index < self._size:
            raise IndexError(f"leaf {index} is outside 0..{self._size - 1}")
        return self._read([(0, index)])[(0, index)]

    def stored_leaf_hashes(self, indices: Iterable[int]) -> dict[int, bytes]:
        """Stored leaf hashes of the records ``indices``, read at once (one
        query on a SQL store). An index outside the tree or whose leaf the
        store lacks is left out: :meth:`leaf_hash_at` raises for it."""
        keys = [(0, index) for index in indices if 0 <= index < self._size]
        nodes = self._store.get_nodes(keys)
        return {index: nodes[(0, index)] for _, index in keys if (0, index) in nodes}

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        size = self._size if size is None else size
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of size {size}")
        return self._resolve(inclusion_plan(index, size))

    def inclusion_proofs(self, indexes: Sequence[int], size: int | None = None) -> list[list[bytes]]:
        """The inclusion proofs of several leaves in one tree, their nodes read together.

        Leaves close to each other share most of their proof (an evidence
        bundle's records often are), so this reads each node once, in a few
        queries, instead of a few queries per proof.
        """
        size = self._size if size is None else size
        self._check_size(size)
        for index in indexes:
            if not 0 <= index < size:
                raise ValueError(f"leaf {index} is not in a tree of size {size}")
        plans = [inclusion_plan(index, size) for index in indexes]
        nodes = self._read(key for plan in plans for step in plan for key in step)
        return [[fold_right([nodes[key] for key in step]) for step in plan] for plan in plans]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from the tree of ``old_size`` to ``new_size`` leaves."""
        new_size = self._size if new_size is None else new_size
        self._check_size(new_size)
        if not 0 <= old_size <= new_size:
            raise ValueError(f"old size {old_size} is outside 0..{new_size}")
        return self._resolve(consistency_plan(old_size, new_size))


# --- verification (operator and witness side) --------------------------------
#
# These use the "inner path + border" view of a proof: the first ``inner``
# hashes are siblings below the point where the leaf's path and the tree's
# right edge part, the remaining ``border`` hashes are left siblings along
# that edge.  The auditor's verifier implements the RFC 9162 bit-walking
# algorithm instead, so the two cross-check each other in the tests.


def _check_hashes(*hashes: bytes) -> None:
    for digest in hashes:
        if not isinstance(digest, (bytes, bytearray)) or len(digest) != HASH_SIZE:
            raise ProofError("every hash must be 32 bytes")


def _split_proof(index: int, size: int) -> tuple[int, int]:
    inner = (index ^ (size - 1)).bit_length()
    border = bin(index >> inner).count("1")
    return inner, border


def _climb(digest: bytes, index: int, proof: Sequence[bytes], inner: int) -> bytes:
    for level, sibling in enumerate(proof[:inner]):
        digest = node_hash(sibling, digest) if (index >> level) & 1 else node_hash(digest, sibling)
    for sibling in proof[inner:]:
        digest = node_hash(sibling, digest)
    return digest


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """Root implied by an inclusion proof of leaf hash ``leaf`` at ``index`` in ``size``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    _check_hashes(leaf, *proof)
    inner, border = _split_proof(index, size)
    if len(proof) != inner + border:
        raise ProofError(f"inclusion proof has {len(proof)} hashes, expected {inner + border}")
    return _climb(leaf, index, proof, inner)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ``ProofError`` unless ``proof`` shows leaf hash ``leaf`` at ``index`` under ``root``."""
    if root_from_inclusion_proof(leaf, index, size, proof) != root:
        raise ProofError("inclusion proof does not lead to the root")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> None:
    """Raise ``ProofError`` unless ``proof`` shows the old tree is a prefix of the new one."""
    _check_hashes(old_root, new_root, *proof)
    if not 0 <= old_size <= new_size:
        raise ProofError(f"old size {old_size} is larger than new size {new_size}")
    if old_size == new_size or old_size == 0:
        if proof:
            raise ProofError("proof must be empty")
        if old_size == new_size and old_root != new_root:
            raise ProofError("same size, different roots")
        return
    # Work at the level of the old tree's rightmost perfect subtree: there the
    # old tree ends exactly on a node, and the proof is that node's inclusion path.
    shift = (old_size & -old_size).bit_length() - 1
    index = (old_size - 1) >> shift
    size = ((new_size - 1) >> shift) + 1
    if index == 0:
        seed, path = old_root, list(proof)
    elif proof:
        seed, path = proof[0], list(proof[1:])
    else:
        raise ProofError("proof is empty")
    inner, border = _split_proof(index, size)
    if len(path) != inner + border:
        expected = inner + border + (len(proof) - len(path))
        raise ProofError(f"consistency proof has {len(proof)} hashes, expected {expected}")
    if _climb(seed, index, path, inner) != new_root:
        raise ProofError("consistency proof does not lead to the new root")
    left_siblings = [h for level, h in enumerate(path[:inner]) if (index >> level) & 1]
    old = seed
    for sibling in left_siblings + path[inner:]:
        old = node_hash(sibling, old)
    if old != old_root:
        raise ProofError("consistency proof does not lead to the old root")
