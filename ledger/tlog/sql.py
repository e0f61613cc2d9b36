"""The transparency log's tables and the SQL both backends share: qualified
names, a connection wrapper with ``?`` placeholders on both, the DDL, and
the Merkle node store over ``serah_tlog_node``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.storage.base import Sql, Storage
from ledger.tlog.tree import SqlDialect, SqlNodeStore

__all__ = ["CHECKPOINT_TABLE", "COSIGNATURE_TABLE", "NODE_TABLE", "TABLES", "LogNodeStore"]

NODE_TABLE = "serah_tlog_node"
CHECKPOINT_TABLE = "serah_tlog_checkpoint"
COSIGNATURE_TABLE = "serah_tlog_cosignature"
TABLES = (NODE_TABLE, CHECKPOINT_TABLE, COSIGNATURE_TABLE)


@dataclass(frozen=True)
class _Names:
    """Qualified table names and the global-order column of one backend."""

    dialect: SqlDialect
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
        # Leaf hashes (level 0) and complete perfect subtrees, as in tree.SqlNodeStore,
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
