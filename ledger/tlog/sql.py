"""The transparency log's tables and the SQL both backends share: qualified
names, the DDL, and the Merkle node stores (:class:`SqlNodeStore` over any
DB-API connection, :class:`LogNodeStore` over the ledger's
``serah_tlog_node``). What differs between the backends comes in as a
:class:`~ledger.storage.base.Dialect` from their storage modules; nothing
here looks at a driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ledger.storage.base import Dialect, Sql, Storage
from ledger.tlog.tree import ConcurrentAppendError, NodeKey, NodeRow, StoreError

__all__ = ["CHECKPOINT_TABLE", "COSIGNATURE_TABLE", "NODE_TABLE", "TABLES", "LogNodeStore", "SqlNodeStore"]

NODE_TABLE = "serah_tlog_node"
CHECKPOINT_TABLE = "serah_tlog_checkpoint"
COSIGNATURE_TABLE = "serah_tlog_cosignature"
TABLES = (NODE_TABLE, CHECKPOINT_TABLE, COSIGNATURE_TABLE)


@dataclass(frozen=True)
class _Names:
    """Qualified table names and the global-order column of one backend."""

    dialect: Dialect
    schema: str | None
    events: str
    order: str  # the global order: rowid (SQLite) or notification_id (PostgreSQL)

    def table(self, name: str) -> str:
        return f'"{self.schema}".{name}' if self.schema else name

    @property
    def node(self) -> str:
        return self.table(NODE_TABLE)

    @property
    def checkpoint(self) -> str:
        return self.table(CHECKPOINT_TABLE)

    @property
    def cosignature(self) -> str:
        return self.table(COSIGNATURE_TABLE)


def names_of(storage: Storage) -> _Names:
    """The log's names in ``storage``'s database."""
    return _Names(storage.dialect, storage.schema, storage.events, storage.order)


_Sql = Sql  # the log's queries go through the storage's cursor


def _ddl(names: _Names) -> list[str]:
    blob = names.dialect.blob_type
    without_rowid = names.dialect.table_options
    index = f"{NODE_TABLE}_leaf"
    return [
        # Leaf hashes (level 0) and complete perfect subtrees, as in SqlNodeStore,
        # but without its size row: the size is the number of leaves, and every
        # table of the log stays append-only.
        f"CREATE TABLE IF NOT EXISTS {names.node} ("
        " level INTEGER NOT NULL, idx BIGINT NOT NULL,"
        f" hash {blob} NOT NULL, PRIMARY KEY (level, idx)){without_rowid}",
        # Finds a record's leaf index from its leaf hash.
        f"CREATE INDEX IF NOT EXISTS {index} ON {names.node} (hash) WHERE level = 0",
        f"CREATE TABLE IF NOT EXISTS {names.checkpoint} ("
        " size BIGINT PRIMARY KEY,"
        f" root {blob} NOT NULL,"
        " note TEXT NOT NULL,"
        " log_key TEXT NOT NULL,"
        " created BIGINT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {names.cosignature} ("
        " size BIGINT NOT NULL,"
        " name TEXT NOT NULL,"
        f" key_id {blob} NOT NULL,"
        " line TEXT NOT NULL,"
        " witness_key TEXT NOT NULL,"
        " added BIGINT NOT NULL,"
        " PRIMARY KEY (size, name, key_id))",
    ]


class SqlNodeStore:
    """Node store in two plain SQL tables, for a sqlite3 or psycopg 3 connection.

    ``<prefix>_node(level, idx, hash)`` holds leaf hashes (level 0) and
    perfect-subtree hashes; ``<prefix>_size`` holds the leaf count in one row.
    With ``manage_transactions`` (the default) each ``write`` commits or rolls
    back; pass False to make the append part of a caller's transaction.  A
    psycopg connection must not be in autocommit mode (its default).
    """

    MAX_KEYS_PER_QUERY = 64

    def __init__(self, connection, dialect: Dialect, *,
                 table_prefix: str = "tlog", manage_transactions: bool = True) -> None:
        if not table_prefix.isidentifier():
            raise ValueError("table_prefix must be a plain identifier")
        self._conn = connection
        self._dialect = dialect
        self._node_table = f"{table_prefix}_node"
        self._size_table = f"{table_prefix}_size"
        self._manage_transactions = manage_transactions

    def _sql(self, text: str) -> str:
        return text.replace("?", self._dialect.param)

    def create_schema(self) -> None:
        """Create the tables if they do not exist (idempotent)."""
        d = self._dialect
        cur = self._conn.cursor()
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {self._node_table} ("
            " level INTEGER NOT NULL,"
            " idx BIGINT NOT NULL,"
            f" hash {d.blob_type} NOT NULL,"
            " PRIMARY KEY (level, idx))" + d.table_options
        )
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {self._size_table} ("
            " id INTEGER PRIMARY KEY CHECK (id = 1),"
            " size BIGINT NOT NULL)"
        )
        cur.execute(
            f"INSERT INTO {self._size_table} (id, size) SELECT 1, 0"
            f" WHERE NOT EXISTS (SELECT 1 FROM {self._size_table})"
        )
        self._conn.commit()

    def size(self) -> int:
        cur = self._conn.cursor()
        cur.execute(f"SELECT size FROM {self._size_table} WHERE id = 1")
        row = cur.fetchone()
        if row is None:
            raise StoreError(f"{self._size_table} is empty; call create_schema() first")
        return int(row[0])

    def get_nodes(self, keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
        keys = list(dict.fromkeys(keys))
        found: dict[NodeKey, bytes] = {}
        cur = self._conn.cursor()
        for i in range(0, len(keys), self.MAX_KEYS_PER_QUERY):
            chunk = keys[i : i + self.MAX_KEYS_PER_QUERY]
            params = [value for key in chunk for value in key]
            cur.execute(self._select_nodes(len(chunk)), params)
            for level, index, digest in cur.fetchall():
                found[(int(level), int(index))] = bytes(digest)
        return found

    def _select_nodes(self, count: int) -> str:
        if self._dialect.keys_as_values:
            # The keys as a table of constants probed through the primary key:
            # a long OR of (level, idx) pairs costs SQLite several times more
            # to plan and run (and "(level, idx) IN (VALUES ...)" scans the table).
            keys = ",".join(["(?, ?)"] * count)
            return (f"WITH k(level, idx) AS (VALUES {keys}) SELECT n.level, n.idx, n.hash"
                    f" FROM k CROSS JOIN {self._node_table} AS n ON n.level = k.level AND n.idx = k.idx")
        where = " OR ".join(["(level = ? AND idx = ?)"] * count)
        return self._sql(f"SELECT level, idx, hash FROM {self._node_table} WHERE {where}")

    def write(self, rows: Sequence[NodeRow], old_size: int, new_size: int) -> None:
        cur = self._conn.cursor()
        if self._manage_transactions and self._dialect.explicit_begin and not self._conn.in_transaction:
            cur.execute("BEGIN")  # also atomic when the sqlite3 connection is in autocommit mode
        try:
            # Claim the size first: it takes the write lock and detects a second writer.
            cur.execute(self._sql(f"UPDATE {self._size_table} SET size = ? WHERE id = 1 AND size = ?"),
                        (new_size, old_size))
            if cur.rowcount != 1:
                raise ConcurrentAppendError(f"stored size is no longer {old_size}")
            cur.executemany(self._sql(f"INSERT INTO {self._node_table} (level, idx, hash) VALUES (?, ?, ?)"),
                            rows)
        except BaseException:
            if self._manage_transactions:
                self._conn.rollback()
            raise
        if self._manage_transactions:
            self._conn.commit()


# --- the ledger's own node table ----------------------------------------------


class LogNodeStore(SqlNodeStore):
    """``SqlNodeStore`` over the ledger's ``serah_tlog_node`` table.

    Appends are made under the ledger's own write lock (the recorder's
    transaction), so the store needs no size row: the size is one more than
    the largest leaf index, found through the primary key.
    """

    def __init__(self, sql: _Sql, names: _Names) -> None:
        super().__init__(sql, names.dialect, table_prefix="serah_tlog", manage_transactions=False)
        self._node_table = names.node
        self._db = sql

    def create_schema(self) -> None:  # pragma: no cover - the recorders create the tables
        raise NotImplementedError("the ledger's recorder creates the transparency-log tables")

    def size(self) -> int:
        row = self._db.one(f"SELECT max(idx) FROM {self._node_table} WHERE level = 0")
        return 0 if row is None or row[0] is None else int(row[0]) + 1

    def write(self, rows, old_size: int, new_size: int) -> None:
        # The caller holds the ledger's write lock, so the size read when the
        # tree was opened is still the size; the primary key refuses any
        # node written twice all the same.
        self._db.many(f"INSERT INTO {self._node_table} (level, idx, hash) VALUES (?, ?, ?)", rows)
