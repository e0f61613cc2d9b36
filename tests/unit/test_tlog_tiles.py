"""C2SP tlog-tiles: paths, tile and bundle bytes, and tiles read back by the auditor's own reader.

Vectors: the path of index 1234067 and the tiles of a 70,000-leaf and a
256-leaf tree are the examples of the C2SP text (c2sp.org/tlog-tiles); the
entry-bundle path is the published example of transparency-dev/tessera's
``layout.EntriesPath(1234067, 8)``; the 8-leaf tree is RFC 6962's (its root
is in test_tlog_vectors.py).  The writer (``ledger.tlog.tiles``) and the
reader (``verifier.tiles``) are separate code and are checked against each
other and against the stored tree's own proofs.
"""

from __future__ import annotations

import hashlib
import random

import pytest

import verifier.tiles as vt
from ledger.tlog import tiles as lt
from ledger.tlog.tile_source import TileNotFound, TileSource
from ledger.tlog.tree import MemoryNodeStore, MerkleTree
from verifier import merkle as vm

RFC_LEAVES = [bytes.fromhex(h) for h in [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]]
RFC_ROOT_8 = bytes.fromhex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")


def tree_of(count: int) -> tuple[MerkleTree, MemoryNodeStore]:
    store = MemoryNodeStore()
    tree = MerkleTree(store)
    tree.extend_leaf_hashes(hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(count))
    return tree, store


def served(store: MemoryNodeStore, tile: lt.Tile) -> bytes:
    return lt.tile_bytes([store.get_nodes([key])[key] for key in tile.node_keys()])


def reader_for(store: MemoryNodeStore, need: set[vt.TileKey]) -> vt.TileHashes:
    hashes = vt.TileHashes()
    for level, index, width in need:
        tile = lt.Tile(level, index, width)
        hashes.add(level, index, vt.split_tile(served(store, tile), width))
    return hashes


# --- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("index, text", [
    (0, "000"), (7, "007"), (999, "999"), (1000, "x001/000"), (1234067, "x001/x234/067"),
    (1_000_000_000, "x001/x000/x000/000")])
def test_tile_index_is_written_in_x_prefixed_groups_of_three_digits(index, text):
    assert lt.encode_index(index) == text
    assert vt.index_path(index) == text


def test_paths_of_the_published_examples():
    assert lt.Tile(lt.ENTRIES, 1234067, 8).path() == "tile/entries/x001/x234/067.p/8"
    assert lt.Tile(4, 1234067).path() == "tile/4/x001/x234/067"
    assert vt.tile_url_path((vt.BUNDLE, 1234067, 8)) == "tile/entries/x001/x234/067.p/8"
    assert vt.tile_url_path((0, 5, 256)) == "tile/0/005"


@pytest.mark.parametrize("path", [
    "tile/0/000", "tile/0/x001/x234/067", "tile/63/999.p/255", "tile/entries/x001/000.p/1", "tile/entries/000"])
def test_a_canonical_path_parses_back_to_its_tile(path):
    assert lt.parse_path(path).path() == path


@pytest.mark.parametrize("path", [
    "tile/00/000", "tile/64/000", "tile/-1/000", "tile/0/00", "tile/0/0000", "tile/0/x000/001",
    "tile/0/001/002", "tile/0/x1/002", "tile/0/000.p/256", "tile/0/000.p/0", "tile/0/000.p/07",
    "tile/0/000.p", "tile/0/000.p/", "tile/0", "tile//000", "tiles/0/000", "tile/0/000/", "tile/0/x001/../000",
    "tile/entries/x001", "tile/0/٣٣٣", "tile/0/" + "x001/" * 60 + "000", "tile/data/000"])
def test_a_malformed_or_non_canonical_path_is_refused(path):
    with pytest.raises(lt.TileError):
        lt.parse_path(path)


# --- which tiles a tree has ---------------------------------------------------------------------


def test_tiles_of_a_70000_leaf_tree_are_those_of_the_c2sp_text():
    tiles = lt.tiles_for_size(70_000)
    level0 = [t for t in tiles if t.level == 0]
    assert len([t for t in level0 if not t.is_partial]) == 273
    assert [t.width for t in level0 if t.is_partial] == [112]
    assert [(t.index, t.width) for t in tiles if t.level == 1] == [(0, 256), (1, 17)]
    assert [(t.index, t.width) for t in tiles if t.level == 2] == [(0, 1)]
    assert max(t.level for t in tiles) == 2
    for tile in tiles:
        assert vt.width_in(tile.level, tile.index, 70_000) == tile.width
        assert lt.tile_width(tile.level, tile.index, 70_000) == tile.width


def test_a_256_leaf_tree_has_one_full_tile_and_a_level_one_tile_of_width_one():
    assert lt.tiles_for_size(256) == [lt.Tile(0, 0), lt.Tile(1, 0, 1)]
    assert lt.tiles_for_size(0) == []


def test_bundles_between_two_sizes_cover_exactly_the_new_leaves():
    assert lt.bundles_between(0, 0) == []
    assert lt.bundles_between(250, 600) == [lt.Tile(lt.ENTRIES, 0), lt.Tile(lt.ENTRIES, 1),
                                            lt.Tile(lt.ENTRIES, 2, 88)]
    assert lt.bundles_between(512, 513) == [lt.Tile(lt.ENTRIES, 2, 1)]


def test_a_tile_exists_only_once_the_tree_holds_all_its_hashes():
    assert lt.tile_exists(lt.Tile(0, 0, 8), 8)
    assert not lt.tile_exists(lt.Tile(0, 0, 9), 8)
    assert lt.tile_exists(lt.Tile(0, 0, 3), 8)  # a tile of an earlier size: still well defined
    assert lt.tile_exists(lt.Tile(1, 0, 1), 256)
    assert not lt.tile_exists(lt.Tile(1, 0, 1), 255)
    assert not lt.tile_exists(lt.Tile(0, 1, 1), 256)


# --- bytes -----------------------------------------------------------------------------------


def test_level_zero_tile_of_the_rfc6962_tree_gives_its_root():
    store = MemoryNodeStore()
    tree = MerkleTree(store)
    tree.extend(RFC_LEAVES)
    body = served(store, lt.Tile(0, 0, 8))
    assert len(body) == 8 * 32
    assert lt.parse_tile(body, 8) == [vm.hash_leaf(leaf) for leaf in RFC_LEAVES]
    reader = vt.TileHashes()
    reader.add(0, 0, vt.split_tile(body, 8))
    assert reader.root(8) == RFC_ROOT_8
    bundle = lt.bundle_bytes(RFC_LEAVES)
    assert bundle[:3] == b"\x00\x00\x00"  # the empty first leaf is just its length
    assert vt.split_bundle(bundle, 8) == RFC_LEAVES == lt.parse_bundle(bundle, 8)
    assert vt.check_bundle(RFC_LEAVES, reader.tiles[(0, 0)]) is None


def test_bundle_bytes_are_uint16_length_prefixed_entries():
    assert lt.bundle_bytes([b"ab", b"", b"\xff" * 300]) == b"\x00\x02ab\x00\x00\x01\x2c" + b"\xff" * 300
    with pytest.raises(lt.TileError):
        lt.bundle_bytes([b"x" * 65536])
    with pytest.raises(lt.TileError):
        lt.bundle_bytes([])


@pytest.mark.parametrize("data, width", [
    (b"\x00\x02ab\x00", 2), (b"\x00\x05ab", 1), (b"\x00\x01a\x00\x01b", 1), (b"\x00\x01a", 2), (b"", 1)])
def test_a_truncated_or_overlong_bundle_is_refused_by_both_readers(data, width):
    with pytest.raises(lt.TileError):
        lt.parse_bundle(data, width)
    with pytest.raises(vt.TileFormatError):
        vt.split_bundle(data, width)


def test_a_tile_of_the_wrong_length_is_refused():
    with pytest.raises(lt.TileError):
        lt.parse_tile(b"\x00" * 33, 1)
    with pytest.raises(vt.TileFormatError):
        vt.split_tile(b"\x00" * 64, 3)


# --- the auditor's reader against the stored tree -------------------------------------------------


def test_roots_and_proofs_from_tiles_equal_the_stored_trees():
    size = 70_000
    tree, store = tree_of(size)
    rng = random.Random(7)
    sizes = [1, 2, 255, 256, 257, 65_535, 65_536, 65_537, size] + [rng.randrange(1, size) for _ in range(20)]
    for n in sizes:
        reader = reader_for(store, vt.tiles_for_range(0, n, size))
        assert reader.root(n) == tree.root(n), n
    for _ in range(40):
        n = rng.randrange(2, size + 1)
        m = rng.randrange(1, n)
        ranges = vt.consistency_ranges(m, n)
        reader = reader_for(store, vt.tiles_for_ranges(ranges, n))
        proof = [reader.range_hash(lo, hi) for lo, hi in ranges]
        assert proof == tree.consistency_proof(m, n), (m, n)
        vm.verify_consistency(m, n, tree.root(m), tree.root(n), proof)
        index = rng.randrange(n)
        ranges = vt.inclusion_ranges(index, n)
        reader = reader_for(store, vt.tiles_for_ranges(ranges, n))
        assert [reader.range_hash(lo, hi) for lo, hi in ranges] == tree.inclusion_proof(index, n)


def test_two_different_tiles_for_one_place_are_caught():
    reader = vt.TileHashes()
    reader.add(0, 0, [b"\x01" * 32, b"\x02" * 32])
    reader.add(0, 0, [b"\x01" * 32])  # a narrower copy of the same tile is fine
    with pytest.raises(vt.TileFormatError):
        reader.add(0, 0, [b"\x01" * 32, b"\x03" * 32, b"\x04" * 32])
    with pytest.raises(vt.TileFormatError):
        reader.node(0, 5)  # not fetched


# --- tiles of a real ledger ---------------------------------------------------------------------


def test_tile_source_serves_a_ledgers_tiles_and_bundles(tmp_path):
    from ledger.tlog.log import TransparencyLog
    from support.tlog import enrol, envelopes, new_ledger

    ledger = new_ledger(str(tmp_path / "l.db"))
    enrol(ledger, 0, 300)
    log = TransparencyLog(ledger)
    size = log.size
    source = TileSource(log)
    source.POSITIONS_PAGE = 64  # several pages of positions
    stored = envelopes(ledger)
    assert size == len(stored) == 301  # the genesis and 300 enrolments: a partial second tile
    reader = vt.TileHashes()
    for tile in lt.tiles_for_size(size):
        reader.add(tile.level, tile.index, vt.split_tile(source.read(tile), tile.width))
    assert reader.root(size) == log.root()
    got: list[bytes] = []
    for bundle in lt.tiles_for_size(size, entries=True):
        entries = vt.split_bundle(source.read(bundle), bundle.width)
        level0 = reader.tiles[(0, bundle.index)]
        assert vt.check_bundle(entries, level0) is None
        got.extend(entries)
    assert got == stored
    assert source.read(lt.Tile(lt.ENTRIES, 0, 5)) == lt.bundle_bytes(stored[:5])
    with pytest.raises(TileNotFound):
        source.read(lt.Tile(0, 1, size - 256 + 1))
    with pytest.raises(TileNotFound):
        source.read(lt.Tile(lt.ENTRIES, 2, 1))
