"""C2SP tlog-tiles (c2sp.org/tlog-tiles): tile and entry-bundle paths and bytes.

A tiled log publishes its Merkle tree as static files so anyone (a monitor,
a witness catching up, an auditor with plain ``curl``) can fetch what it
needs in parallel and compute any root or proof itself:

- ``tile/<L>/<N>[.p/<W>]``: tile ``N`` of tile level ``L`` holds up to 256
  consecutive hashes of tree level ``8 * L``; hash ``i`` is the root of the
  perfect subtree over leaves ``[(N*256 + i) * 256**L, (N*256 + i + 1) * 256**L)``.
  A full tile is exactly 256 hashes (8,192 bytes); the rightmost tile of a
  level may be *partial* (``.p/<W>``, 1 <= W <= 255 hashes).
- ``tile/entries/<N>[.p/<W>]``: the entries (Serah: record envelopes) of
  level-0 tile ``N``, each prefixed with its length as a big-endian uint16.
- ``<N>`` is written in 3-digit groups, every group but the last prefixed
  with ``x`` (1234067 -> ``x001/x234/067``).

This module is pure: no storage, no HTTP.  ``ledger.tlog.tile_source`` reads
the hashes and envelopes from the ledger, the server maps paths to it, and
the auditor's ``verifier/tiles.py`` reads the same files with code of its own.
Our stored tree (``tree.py``) keeps every perfect-subtree hash at every level,
so a tile is just a run of stored nodes: :func:`node_keys` names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HASH_SIZE = 32
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256 hashes, or entries, in a full tile or bundle
MAX_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF  # a uint16 length prefix
ENTRIES = -1  # the "level" of an entry bundle, written ``entries`` in a path

NodeKey = tuple[int, int]  # (tree level, index), as in tree.py


class TileError(ValueError):
    """A tile path, tile or entry bundle is malformed, or asks for something the tree cannot hold."""


@dataclass(frozen=True, order=True)
class Tile:
    """One tile (``level`` 0..63) or entry bundle (``level == ENTRIES``) of a given width."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if not (self.level == ENTRIES or 0 <= self.level <= MAX_LEVEL):
            raise TileError(f"tile level {self.level} is outside 0..{MAX_LEVEL}")
        if self.index < 0:
            raise TileError("tile index must not be negative")
        if not 1 <= self.width <= TILE_WIDTH:
            raise TileError(f"tile width {self.width} is outside 1..{TILE_WIDTH}")

    @property
    def is_entries(self) -> bool:
        return self.level == ENTRIES

    @property
    def is_partial(self) -> bool:
        return self.width < TILE_WIDTH

    def path(self) -> str:
        """The tile's path under the log's prefix, e.g. ``tile/0/x001/234.p/7``."""
        level = "entries" if self.is_entries else str(self.level)
        suffix = f".p/{self.width}" if self.is_partial else ""
        return f"tile/{level}/{encode_index(self.index)}{suffix}"

    def leaf_range(self) -> tuple[int, int]:
        """The leaves ``[start, end)`` whose hashes this tile's (possibly partial) width covers."""
        span = TILE_WIDTH ** max(self.level, 0)
        return self.index * TILE_WIDTH * span, (self.index * TILE_WIDTH + self.width) * span

    def node_keys(self) -> list[NodeKey]:
        """The stored tree nodes, in order, whose hashes make up this tile (not for bundles)."""
        if self.is_entries:
            raise TileError("an entry bundle holds entries, not tree nodes")
        level = TILE_HEIGHT * self.level
        first = self.index * TILE_WIDTH
        return [(level, first + i) for i in range(self.width)]


# --- paths -------------------------------------------------------------------------------


def encode_index(index: int) -> str:
    """``index`` in zero-padded 3-digit path elements, all but the last prefixed with ``x``."""
    if index < 0:
        raise TileError("tile index must not be negative")
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if not index:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def _is_digits(text: str, count: int | None = None) -> bool:
    return text.isascii() and text.isdigit() and (count is None or len(text) == count)


def _decimal(text: str, what: str) -> int:
    """A decimal ASCII integer with no extra leading zero (the only spelling C2SP allows)."""
    if not _is_digits(text) or (len(text) > 1 and text[0] == "0"):
        raise TileError(f"bad {what} {text[:20]!r}")
    return int(text)


MAX_PATH_LENGTH = 200  # far above the longest valid path; bounds the work on hostile input


def parse_path(path: str) -> Tile:
    """The tile named by ``tile/<L>/<N>[.p/<W>]`` or ``tile/entries/<N>[.p/<W>]``.

    Only the canonical spelling is accepted (no leading zeros, no ``x000``
    leading group, no ``.p/256``), so every tile has exactly one path: a
    cache or mirror cannot be fed one tile under two names.
    """
    if len(path) > MAX_PATH_LENGTH:
        raise TileError("tile path too long")
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise TileError(f"not a tile path: {path[:40]!r}")
    level = ENTRIES if parts[1] == "entries" else _decimal(parts[1], "tile level")
    groups = parts[2:]
    width = TILE_WIDTH
    if len(groups) >= 2 and groups[-2].endswith(".p"):
        width = _decimal(groups[-1], "partial tile width")
        if not 1 <= width < TILE_WIDTH:
            raise TileError(f"partial tile width {width} is outside 1..{TILE_WIDTH - 1}")
        groups = groups[:-2] + [groups[-2][:-2]]
    index = 0
    for i, group in enumerate(groups):
        last = i == len(groups) - 1
        digits = group if last else group[1:]
        if (not last and not group.startswith("x")) or not _is_digits(digits, 3):
            raise TileError(f"bad tile index element {group[:20]!r}")
        index = index * 1000 + int(digits)
    if len(groups) > 1 and groups[0] == "x000":
        raise TileError("tile index has a leading zero group")
    tile = Tile(level, index, width)
    if tile.path() != path:  # belt and braces: one tile, one spelling
        raise TileError(f"non-canonical tile path {path[:40]!r}")
    return tile


# --- which tiles a tree of a given size has --------------------------------------------------


def tile_width(level: int, index: int, size: int) -> int:
    """Width of tile ``index`` of ``level`` (ENTRIES = level 0) in a tree of ``size`` leaves; 0: none.

    Tile ``index`` is full when the tree holds all its leaves; the one after
    the last full tile is partial with ``floor(size / 256**L) mod 256``
    hashes; any other tile does not exist (and empty tiles are never served).
    """
    span = TILE_WIDTH ** max(level, 0)
    complete = size // span  # complete hashes of this level
    if complete >= (index + 1) * TILE_WIDTH:
        return TILE_WIDTH
    if complete // TILE_WIDTH == index:
        return complete % TILE_WIDTH
    return 0


def tile_exists(tile: Tile, size: int) -> bool:
    """True if a tree of ``size`` leaves holds every hash (or entry) ``tile`` names.

    A partial tile narrower than the tree's current one is a tile of an
    earlier tree size; it is still well defined (its hashes never change)
    and may be served.
    """
    return tile.leaf_range()[1] <= size


def tiles_for_size(size: int, *, entries: bool = False) -> list[Tile]:
    """Every tile (or, with ``entries``, every bundle) of a tree of ``size``, by level then index."""
    tiles: list[Tile] = []
    levels = [ENTRIES] if entries else range(MAX_LEVEL + 1)
    for level in levels:
        complete = size // TILE_WIDTH ** max(level, 0)
        if not complete:
            break
        tiles.extend(Tile(level, n) for n in range(complete // TILE_WIDTH))
        if complete % TILE_WIDTH:
            tiles.append(Tile(level, complete // TILE_WIDTH, complete % TILE_WIDTH))
    return tiles


def bundles_between(old_size: int, new_size: int) -> list[Tile]:
    """The entry bundles (of the tree of ``new_size``) holding the leaves ``[old_size, new_size)``."""
    if not 0 <= old_size <= new_size:
        raise TileError(f"sizes {old_size} > {new_size}")
    if old_size == new_size:
        return []
    first, last = old_size // TILE_WIDTH, (new_size - 1) // TILE_WIDTH
    return [Tile(ENTRIES, n, tile_width(ENTRIES, n, new_size)) for n in range(first, last + 1)]


# --- bytes -------------------------------------------------------------------------------------


def tile_bytes(hashes: Sequence[bytes]) -> bytes:
    """The body of a tile: its hashes concatenated (32 bytes each)."""
    if not 1 <= len(hashes) <= TILE_WIDTH:
        raise TileError(f"a tile holds 1..{TILE_WIDTH} hashes, not {len(hashes)}")
    if any(len(h) != HASH_SIZE for h in hashes):
        raise TileError("every tile hash must be 32 bytes")
    return b"".join(hashes)


def parse_tile(data: bytes, width: int) -> list[bytes]:
    """The hashes of a tile body that must hold exactly ``width`` of them."""
    if len(data) != width * HASH_SIZE:
        raise TileError(f"tile is {len(data)} bytes, expected {width * HASH_SIZE}")
    return [bytes(data[i : i + HASH_SIZE]) for i in range(0, len(data), HASH_SIZE)]


def bundle_bytes(entries: Iterable[bytes]) -> bytes:
    """An entry bundle: each entry as a big-endian uint16 length, then its bytes."""
    parts = []
    count = 0
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError(f"entry of {len(entry)} bytes does not fit a uint16 length")
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(bytes(entry))
        count += 1
    if not 1 <= count <= TILE_WIDTH:
        raise TileError(f"a bundle holds 1..{TILE_WIDTH} entries, not {count}")
    return b"".join(parts)


def parse_bundle(data: bytes, width: int) -> list[bytes]:
    """The entries of a bundle that must hold exactly ``width`` of them, nothing after."""
    entries: list[bytes] = []
    offset = 0
    while offset < len(data):
        if len(entries) == width:
            raise TileError(f"bundle holds more than {width} entries")
        if offset + 2 > len(data):
            raise TileError("bundle ends inside a length prefix")
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > len(data):
            raise TileError("bundle ends inside an entry")
        entries.append(bytes(data[offset : offset + length]))
        offset += length
    if len(entries) != width:
        raise TileError(f"bundle holds {len(entries)} entries, expected {width}")
    return entries
