"""Auditor-side reader of C2SP tlog-tiles (c2sp.org/tlog-tiles), standard library only.

A monitor given a log's URL fetches its tiles and entry bundles and
recomputes, itself, every hash it relies on: the leaf hash of every entry
against the level-0 tiles, the root of the checkpoint's tree from the
tiles, and consistency proofs between two checkpoints.  Nothing here comes
from ``ledger/`` (the operator's code): paths, tile widths and proofs are
written again from the C2SP text and RFC 9162, so a fault in the server's
tiling cannot hide itself by being shared.

Names: a *tile* is ``(level, index, width)``; its hashes are tree nodes of
level ``8 * level``; a *bundle* is the entries of level-0 tile ``index``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from verifier.merkle import EMPTY_ROOT, hash_children, hash_leaf

WIDTH = 256
HEIGHT = 8
HASH = 32

TileKey = tuple[int, int, int]  # (tile level, tile index, width); level -1 = entry bundle
BUNDLE = -1


class TileFormatError(Exception):
    """A tile or bundle has the wrong length, or a hash it needs was not given."""


def index_path(n: int) -> str:
    """``n`` as 3-digit elements, ``x`` before all but the last: 1234067 -> x001/x234/067."""
    text = str(n)
    text = "0" * (-len(text) % 3) + text
    groups = [text[i : i + 3] for i in range(0, len(text), 3)]
    return "/".join("x" + g for g in groups[:-1]) + ("/" if len(groups) > 1 else "") + groups[-1]


def tile_url_path(key: TileKey) -> str:
    level, index, width = key
    name = "entries" if level == BUNDLE else str(level)
    return f"tile/{name}/{index_path(index)}" + (f".p/{width}" if width < WIDTH else "")


def width_in(level: int, index: int, size: int) -> int:
    """Hashes of tile ``(level, index)`` present in a tree of ``size`` leaves (0: the tile does not exist)."""
    per_hash = 1 << (HEIGHT * max(level, 0))
    first = index * WIDTH * per_hash
    if size <= first:
        return 0
    return min(WIDTH, (size - first) // per_hash)


def split_tile(data: bytes, width: int) -> list[bytes]:
    if len(data) != width * HASH:
        raise TileFormatError(f"tile of {len(data)} bytes, expected {width} hashes")
    return [data[i * HASH : (i + 1) * HASH] for i in range(width)]


def split_bundle(data: bytes, count: int) -> list[bytes]:
    """The ``count`` entries of an entry bundle (uint16 big-endian length, then bytes), exactly."""
    view = memoryview(data)
    out: list[bytes] = []
    at = 0
    while at < len(view):
        if len(out) == count or at + 2 > len(view):
            raise TileFormatError("entry bundle has trailing bytes")
        n = (view[at] << 8) | view[at + 1]
        at += 2
        if at + n > len(view):
            raise TileFormatError("entry bundle is truncated")
        out.append(bytes(view[at : at + n]))
        at += n
    if len(out) != count:
        raise TileFormatError(f"entry bundle has {len(out)} entries, expected {count}")
    return out


# --- hashes of the tree from tiles -------------------------------------------------------------


def _perfect(lo: int, hi: int) -> list[tuple[int, int]]:
    """Perfect subtrees (tree level, index) covering leaves [lo, hi), biggest first from the left."""
    found = []
    while lo < hi:
        level = 0
        while lo % (2 << level) == 0 and lo + (2 << level) <= hi:
            level += 1
        found.append((level, lo >> level))
        lo += 1 << level
    return found


def tiles_for_range(lo: int, hi: int, size: int) -> set[TileKey]:
    """The tiles (widths as in a tree of ``size``) from which MTH(D[lo:hi]) can be computed."""
    need: set[TileKey] = set()
    for level, index in _perfect(lo, hi):
        tile_level, below = divmod(level, HEIGHT)
        first = index << below  # first node of tree level 8 * tile_level under this subtree
        tile_index = first // WIDTH
        need.add((tile_level, tile_index, width_in(tile_level, tile_index, size)))
    return need


class TileHashes:
    """Tree hashes available from a set of fetched tiles.

    ``tiles`` maps (tile level, tile index) to the tile's hashes (any width
    fetched so far).  ``node(level, index)`` computes a perfect subtree's
    hash from the tile row it starts in, by hashing up to 7 levels.
    """

    def __init__(self, tiles: Mapping[tuple[int, int], list[bytes]] | None = None) -> None:
        self.tiles: dict[tuple[int, int], list[bytes]] = dict(tiles or {})

    def add(self, level: int, index: int, hashes: list[bytes]) -> None:
        have = self.tiles.get((level, index))
        if have is not None and hashes[: len(have)] != have[: len(hashes)]:
            raise TileFormatError(f"two different tiles {level}/{index}")
        if have is None or len(hashes) > len(have):
            self.tiles[(level, index)] = hashes

    def node(self, level: int, index: int) -> bytes:
        tile_level, below = divmod(level, HEIGHT)
        count = 1 << below
        first = index * count
        row = self.tiles.get((tile_level, first // WIDTH))
        at = first % WIDTH
        if row is None or len(row) < at + count:
            raise TileFormatError(f"no tile holds node {level}/{index}")
        layer = row[at : at + count]
        while len(layer) > 1:
            layer = [hash_children(layer[i], layer[i + 1]) for i in range(0, len(layer), 2)]
        return layer[0]

    def range_hash(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]) for a range RFC 9162's recursion asks about (it folds from the right)."""
        if lo == hi:
            return EMPTY_ROOT
        parts = [self.node(level, index) for level, index in _perfect(lo, hi)]
        digest = parts[-1]
        for left in reversed(parts[:-1]):
            digest = hash_children(left, digest)
        return digest

    def root(self, size: int) -> bytes:
        return self.range_hash(0, size)


def _largest_power_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def consistency_ranges(m: int, n: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs make PROOF(m, D[0:n]) (RFC 9162 2.1.4.1), in proof order."""
    if m == 0 or m == n:
        return []

    def sub(m: int, lo: int, hi: int, whole: bool) -> list[tuple[int, int]]:
        if m == hi - lo:
            return [] if whole else [(lo, hi)]
        k = _largest_power_below(hi - lo)
        if m <= k:
            return sub(m, lo, lo + k, whole) + [(lo + k, hi)]
        return sub(m - k, lo + k, hi, False) + [(lo, lo + k)]

    return sub(m, 0, n, True)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose MTHs make PATH(index, D[0:size]) (RFC 9162 2.1.3.1), leaf first."""
    out: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_below(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo = lo + k
    out.reverse()
    return out


def tiles_for_ranges(ranges: Iterable[tuple[int, int]], size: int) -> set[TileKey]:
    need: set[TileKey] = set()
    for lo, hi in ranges:
        need |= tiles_for_range(lo, hi, size)
    return need


def check_bundle(entries: list[bytes], level0: list[bytes], first: int = 0) -> int | None:
    """Index (in the bundle) of the first entry whose leaf hash differs from the level-0 tile, or None."""
    for i, entry in enumerate(entries):
        if hash_leaf(entry) != level0[first + i]:
            return i
    return None

