"""The stored tree: SQLite persistence, atomic batches, single-writer guard, PostgreSQL."""

import os
import sqlite3

import pytest

import verifier.merkle as vm
from ledger.storage import postgres, sqlite
from ledger.tlog import tree as lt
from ledger.tlog.sql import SqlNodeStore


def entries(start, stop):
    return [b"record-%d" % i for i in range(start, stop)]


def open_sqlite(path, **kwargs):
    store = SqlNodeStore(sqlite3.connect(path), sqlite.DIALECT, **kwargs)
    store.create_schema()
    return store


def test_tree_survives_reopening_the_sqlite_file(tmp_path):
    path = tmp_path / "tlog.sqlite"
    tree = lt.MerkleTree(open_sqlite(path))
    tree.extend(entries(0, 1000))
    root_1000 = tree.root()
    tree.append(b"record-1000")
    root_1001 = tree.root()
    tree._store._conn.close()

    reopened = lt.MerkleTree(open_sqlite(path))
    assert reopened.size == 1001
    assert reopened.root() == root_1001 == vm.root_of(entries(0, 1001))
    assert reopened.root(1000) == root_1000
    proof = reopened.inclusion_proof(417, 1000)
    vm.verify_inclusion(lt.leaf_hash(b"record-417"), 417, 1000, proof, root_1000)

    reopened.extend(entries(1001, 1500))  # continues from the reloaded frontier
    assert reopened.root() == vm.root_of(entries(0, 1500))
    vm.verify_consistency(1001, 1500, root_1001, reopened.root(), reopened.consistency_proof(1001))


def test_sqlite_and_memory_store_the_same_nodes(tmp_path):
    sql_tree = lt.MerkleTree(open_sqlite(tmp_path / "a.sqlite"))
    mem_tree = lt.MerkleTree(lt.MemoryNodeStore())
    for start in range(0, 300, 37):
        sql_tree.extend(entries(start, min(start + 37, 300)))
        mem_tree.extend(entries(start, min(start + 37, 300)))
    rows = sql_tree._store._conn.execute("SELECT level, idx, hash FROM tlog_node").fetchall()
    assert len(rows) == 2 * 300 - bin(300).count("1")  # leaves plus every completed perfect subtree
    mem_nodes = mem_tree._store.get_nodes((level, idx) for level, idx, _ in rows)
    assert {(level, idx): bytes(h) for level, idx, h in rows} == mem_nodes
    for size in (1, 2, 3, 64, 255, 300):
        assert sql_tree.root(size) == mem_tree.root(size)


def test_second_writer_is_refused(tmp_path):
    path = tmp_path / "tlog.sqlite"
    first = lt.MerkleTree(open_sqlite(path))
    first.extend(entries(0, 10))
    second = lt.MerkleTree(open_sqlite(path))
    second.append(b"from second")
    with pytest.raises(lt.ConcurrentAppendError):
        first.append(b"from first")
    assert first.size == 10  # the failed append left the in-memory state alone
    again = lt.MerkleTree(open_sqlite(path))
    assert again.size == 11
    assert again.root() == vm.root_of(entries(0, 10) + [b"from second"])


def test_failed_batch_leaves_nothing_behind(tmp_path):
    path = tmp_path / "tlog.sqlite"
    tree = lt.MerkleTree(open_sqlite(path))
    tree.extend(entries(0, 5))

    def poisoned():
        yield from entries(5, 8)
        raise RuntimeError("record store failed mid-batch")

    with pytest.raises(RuntimeError):
        tree.extend(poisoned())
    assert tree.size == 5
    reopened = lt.MerkleTree(open_sqlite(path))
    assert reopened.size == 5
    assert reopened._store._conn.execute("SELECT COUNT(*) FROM tlog_node").fetchone()[0] == 5 + 2 + 1


def test_write_failing_midway_is_rolled_back(tmp_path):
    path = tmp_path / "tlog.sqlite"
    tree = lt.MerkleTree(open_sqlite(path))
    tree.extend(entries(0, 5))
    conn = tree._store._conn
    conn.execute("INSERT INTO tlog_node (level, idx, hash) VALUES (0, 7, ?)", (b"\x00" * 32,))
    conn.commit()  # a stray row makes the batch's 3rd insert collide
    with pytest.raises(sqlite3.IntegrityError):
        tree.extend(entries(5, 8))
    assert tree.size == 5
    assert conn.execute("SELECT COUNT(*) FROM tlog_node WHERE idx >= 5 AND level = 0").fetchone()[0] == 1
    assert lt.MerkleTree(open_sqlite(path)).size == 5


def test_autocommit_sqlite_connection_still_appends_atomically(tmp_path):
    conn = sqlite3.connect(tmp_path / "tlog.sqlite", isolation_level=None)
    store = SqlNodeStore(conn, sqlite.DIALECT)
    store.create_schema()
    tree = lt.MerkleTree(store)
    tree.extend(entries(0, 5))
    conn.execute("INSERT INTO tlog_node (level, idx, hash) VALUES (0, 7, ?)", (b"\x00" * 32,))
    with pytest.raises(sqlite3.IntegrityError):
        tree.extend(entries(5, 8))
    assert store.size() == 5
    assert conn.execute("SELECT COUNT(*) FROM tlog_node WHERE level = 0").fetchone()[0] == 6


def test_append_inside_a_callers_transaction(tmp_path):
    conn = sqlite3.connect(tmp_path / "tlog.sqlite")
    store = SqlNodeStore(conn, sqlite.DIALECT, manage_transactions=False)
    store.create_schema()
    tree = lt.MerkleTree(store)
    tree.extend(entries(0, 4))
    conn.rollback()  # the caller decides: nothing was committed
    assert lt.MerkleTree(open_sqlite(tmp_path / "tlog.sqlite")).size == 0


def test_table_prefix_keeps_trees_apart(tmp_path):
    path = tmp_path / "tlog.sqlite"
    a = lt.MerkleTree(open_sqlite(path, table_prefix="log_a"))
    b = lt.MerkleTree(open_sqlite(path, table_prefix="log_b"))
    a.extend(entries(0, 3))
    b.extend(entries(0, 5))
    assert (a.size, b.size) == (3, 5)
    with pytest.raises(ValueError):
        SqlNodeStore(sqlite3.connect(path), sqlite.DIALECT, table_prefix="x; DROP TABLE y")


def test_missing_nodes_are_reported(tmp_path):
    path = tmp_path / "tlog.sqlite"
    tree = lt.MerkleTree(open_sqlite(path))
    tree.extend(entries(0, 8))
    tree._store._conn.execute("DELETE FROM tlog_node WHERE level = 1 AND idx = 1")
    tree._store._conn.commit()
    with pytest.raises(lt.StoreError):
        tree.inclusion_proof(0)


def test_out_of_order_memory_write_rejected():
    store = lt.MemoryNodeStore()
    with pytest.raises(lt.StoreError):
        store.write([(0, 1, b"\x00" * 32)], 0, 1)


def test_postgres_store(pg_url):
    """The same store on a real PostgreSQL server (the suite's throwaway one)."""
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(pg_url) as conn:
        prefix = f"tlog_test_{os.getpid()}"
        store = SqlNodeStore(conn, postgres.DIALECT, table_prefix=prefix)
        store.create_schema()
        try:
            tree = lt.MerkleTree(store)
            tree.extend(entries(0, 500))
            tree.append(b"record-500")
            reopened = lt.MerkleTree(SqlNodeStore(conn, postgres.DIALECT, table_prefix=prefix))
            assert reopened.root() == vm.root_of(entries(0, 501))
            vm.verify_inclusion(lt.leaf_hash(b"record-7"), 7, 501, reopened.inclusion_proof(7), reopened.root())
            vm.verify_consistency(123, 501, reopened.root(123), reopened.root(), reopened.consistency_proof(123))
            reopened.append(b"record-501")
            with pytest.raises(lt.ConcurrentAppendError):
                tree.append(b"stale writer")
            assert lt.MerkleTree(SqlNodeStore(conn, postgres.DIALECT, table_prefix=prefix)).size == 502
        finally:
            conn.execute(f"DROP TABLE {prefix}_node")
            conn.execute(f"DROP TABLE {prefix}_size")
            conn.commit()


def test_stored_leaf_hashes_read_at_once_and_leave_out_what_leaf_hash_at_refuses(tmp_path):
    tree = lt.MerkleTree(open_sqlite(tmp_path / "tlog.sqlite"))
    assert tree.stored_leaf_hashes([-1, 0]) == {}
    tree.extend(entries(0, 5))
    assert tree.stored_leaf_hashes([4, 3, 9, -1]) == {4: tree.leaf_hash_at(4), 3: tree.leaf_hash_at(3)}
    assert tree.stored_leaf_hashes([3]) == {3: lt.leaf_hash(b"record-3")}
    tree._store._conn.execute("DELETE FROM tlog_node WHERE level = 0 AND idx = 3")
    assert tree.stored_leaf_hashes([4, 3]) == {4: lt.leaf_hash(b"record-4")}
    with pytest.raises(lt.StoreError):
        tree.leaf_hash_at(3)
