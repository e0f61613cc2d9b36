"""Auditor-side RFC 6962 / RFC 9162 Merkle verification, standard library only.

This module is deliberately independent of ``ledger/``: an auditor must be
able to check the operator's claims without running the operator's code.
Proof checks follow the step lists of RFC 9162 sections 2.1.3.2 (inclusion)
and 2.1.4.2 (consistency) literally, so they can be compared line by line
with the RFC.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class VerificationError(Exception):
    """A proof or root did not verify; the message says which check failed."""


def hash_leaf(data: bytes) -> bytes:
    """SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class RootBuilder:
    """Computes the root of a stream of leaves in O(log n) memory.

    Keeps one hash per set bit of the leaf count: the roots of the perfect
    subtrees the tree decomposes into.  Adding a leaf merges equal-sized
    neighbours like carrying in binary addition.
    """

    def __init__(self) -> None:
        self.count = 0
        self._peaks: list[bytes] = []  # left to right, decreasing subtree size

    def add(self, data: bytes) -> None:
        """Add one leaf's data (it is hashed here)."""
        self.add_hash(hash_leaf(data))

    def add_hash(self, digest: bytes) -> None:
        """Add one precomputed leaf hash."""
        carries = self.count
        while carries & 1:
            digest = hash_children(self._peaks.pop(), digest)
            carries >>= 1
        self._peaks.append(digest)
        self.count += 1

    def root(self) -> bytes:
        """Root hash of everything added so far (the empty-tree hash if nothing)."""
        if not self._peaks:
            return EMPTY_ROOT
        digest = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            digest = hash_children(peak, digest)
        return digest


def root_of(leaves: Iterable[bytes]) -> bytes:
    """Root hash of the tree whose leaves are ``leaves`` (record bytes), streamed."""
    builder = RootBuilder()
    for data in leaves:
        builder.add(data)
    return builder.root()


def _require_hashes(what: str, hashes: Sequence[bytes]) -> None:
    for digest in hashes:
        if not isinstance(digest, (bytes, bytearray)) or len(digest) != HASH_SIZE:
            raise VerificationError(f"{what}: every hash must be {HASH_SIZE} bytes")


def verify_inclusion(leaf_hash: bytes, leaf_index: int, tree_size: int,
                     inclusion_path: Sequence[bytes], root_hash: bytes) -> None:
    """RFC 9162 section 2.1.3.2. Raises ``VerificationError`` on failure."""
    _require_hashes("inclusion", [leaf_hash, root_hash, *inclusion_path])
    # 1. leaf_index must be inside the tree.
    if not 0 <= leaf_index < tree_size:
        raise VerificationError(f"inclusion: leaf {leaf_index} outside tree of size {tree_size}")
    # 2.-3.
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash
    # 4.
    for p in inclusion_path:
        if sn == 0:
            raise VerificationError("inclusion: proof is too long")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    # 5.
    if sn != 0:
        raise VerificationError("inclusion: proof is too short")
    if r != root_hash:
        raise VerificationError("inclusion: computed root does not match")


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes,
                       consistency_path: Sequence[bytes]) -> None:
    """RFC 9162 section 2.1.4.2. Raises ``VerificationError`` on failure.

    The RFC covers 0 < first < second.  Equal sizes are consistent exactly
    when the roots are equal and the proof is empty; every tree extends the
    empty tree, again with an empty proof.
    """
    _require_hashes("consistency", [first_hash, second_hash, *consistency_path])
    if not 0 <= first <= second:
        raise VerificationError(f"consistency: sizes {first} > {second}")
    if first == second or first == 0:
        if consistency_path:
            raise VerificationError("consistency: proof must be empty")
        if first == second and first_hash != second_hash:
            raise VerificationError("consistency: equal sizes with different roots")
        return
    path = list(consistency_path)
    # 1.
    if not path:
        raise VerificationError("consistency: proof is empty")
    # 2.
    if first & (first - 1) == 0:
        path.insert(0, first_hash)
    # 3.
    fn, sn = first - 1, second - 1
    # 4.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6.
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("consistency: proof is too long")
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    # 7.
    if sn != 0:
        raise VerificationError("consistency: proof is too short")
    if fr != first_hash:
        raise VerificationError("consistency: old root does not match")
    if sr != second_hash:
        raise VerificationError("consistency: new root does not match")
