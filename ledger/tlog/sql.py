"""The transparency log's tables and the SQL both backends share: qualified
names, a connection wrapper with ``?`` placeholders on both, the DDL, and
the Merkle node store over ``serah_tlog_node``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.tlog.tree import POSTGRES, SQLITE, SqlDialect, SqlNodeStore

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


def _sqlite_names(events_table: str) -> _Names:
    return _Names(SQLITE, None, events_table, "rowid")


def _postgres_names(schema: str, events_table: str) -> _Names:
    return _Names(POSTGRES, schema, f'"{schema}".{events_table}', "notification_id")


def _names_for(recorder: Any) -> _Names:
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_names(recorder.events_table_name)
    schema = getattr(getattr(recorder, "datastore", None), "schema", None)
    if schema is not None and type(recorder.datastore).__name__ == "PostgresDatastore":
        return _postgres_names(schema, recorder.events_table_name)
    raise TypeError(f"{type(recorder).__qualname__}: the transparency log needs SQLite or PostgreSQL")


class _Sql:
    """A sqlite3 or psycopg connection with tuple rows and ``?`` placeholders on both."""

    def __init__(self, connection: Any, dialect: SqlDialect) -> None:
        self.connection = connection
        self.dialect = dialect

    def cursor(self) -> Any:
        if self.dialect is POSTGRES:
            from psycopg.rows import tuple_row

            return self.connection.cursor(row_factory=tuple_row)
        return self.connection.cursor()

    def _text(self, sql: str) -> str:
        return sql.replace("?", self.dialect.param)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self.cursor()
        cur.execute(self._text(sql), tuple(params))
        return [tuple(row) for row in cur.fetchall()]

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        cur = self.cursor()
        cur.execute(self._text(sql), tuple(params))
        row = cur.fetchone()
        return tuple(row) if row is not None else None

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cursor().execute(self._text(sql), tuple(params))

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor().executemany(self._text(sql), [tuple(r) for r in rows])


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
