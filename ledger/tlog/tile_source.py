"""The bytes of C2SP tiles and entry bundles, read from a ledger's transparency log.

``ledger.tlog.tiles`` says what a tile is; this module fetches its content:
a tile is one range read of stored tree nodes (``TransparencyLog.node_run``),
a bundle is one range read of records.  Leaf *k* is the *k*-th record in
global order, but storage positions have gaps (rows that are not records),
so the source keeps the position of every record it has seen, in one
compact array (8 bytes a record, extended on demand): finding a bundle's
records is then an indexed read, never an OFFSET scan of the whole table.

Tiles never change once the tree holds them, so a server may cache them
forever; a tile beyond the current tree is ``TileNotFound`` (HTTP 404).
"""

from __future__ import annotations

import threading
from array import array
from typing import Any

from ledger.tlog.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    Tile,
    bundle_bytes,
    tile_bytes,
    tile_exists,
)


class TileNotFound(LookupError):
    """The log does not (yet) hold everything this tile or bundle names."""


class TileSource:
    """Tiles and entry bundles of one ``TransparencyLog``; safe to share between threads."""

    POSITIONS_PAGE = 100_000

    def __init__(self, log: Any) -> None:
        self.log = log
        self._positions = array("q")
        self._lock = threading.Lock()

    def read(self, tile: Tile, size: int | None = None) -> bytes:
        """The body of ``tile`` in the tree of ``size`` leaves (default: the whole log)."""
        size = self.log.size if size is None else size
        if not tile_exists(tile, size):
            raise TileNotFound(tile.path())
        if tile.is_entries:
            return self._bundle(tile)
        hashes = self.log.node_run(TILE_HEIGHT * tile.level, tile.index * TILE_WIDTH, tile.width)
        if len(hashes) != tile.width:
            raise TileNotFound(tile.path())
        return tile_bytes(hashes)

    def _bundle(self, tile: Tile) -> bytes:
        first, end = tile.leaf_range()
        position = self._position(first)
        envelopes = self.log.envelopes_from_position(position, end - first)
        if len(envelopes) != end - first:
            raise TileNotFound(tile.path())
        return bundle_bytes(envelopes)

    def _position(self, leaf: int) -> int:
        """Storage position of the record at leaf ``leaf``."""
        with self._lock:
            while len(self._positions) <= leaf:
                after = self._positions[-1] if self._positions else None
                page = self.log.record_positions(after, self.POSITIONS_PAGE)
                if not page:
                    raise TileNotFound(f"leaf {leaf}")
                self._positions.extend(page)
            return self._positions[leaf]
