"""Where the views live: the ledger's own database, one place for SQL dialects.

The views are tables in the same database as the records, so that the view
rows of a batch and the position they were built up to commit in one
transaction: either both are there or neither is, and a record can never be
applied twice or skipped. Everything that differs between SQLite and
PostgreSQL is kept in this module; the view modules write one SQL text with
``?`` placeholders and the types named in :data:`Store.types`.

Connections come from the application's datastore through
:func:`ledger.persistence.transaction` (same file or role, same lock
timeout); this module only asks for plain tuple rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice, repeat
from operator import is_, itemgetter
from typing import Any

from ledger import persistence

__all__ = ["RECORD_TOPIC", "Cursor", "Store", "prefix_range", "tune_for_rebuild", "SQLITE_TYPES", "POSTGRES_TYPES"]

RECORD_TOPIC = "serah:record"
"""Topic of the stored events whose state is a record's envelope bytes."""

# SQLite allows 32,766 host parameters per statement (since 3.32); PostgreSQL
# 65,535. Keep IN lists well below both.
_IN_CHUNK = 900
_SCHEMA_LOCK = 0x5E7A4  # advisory lock id taken while view tables are (re)created
REBUILD_CACHE_KIB = 32 * 1024  # SQLite page cache of a rebuild's connection (counts in its peak RSS)


SQLITE_TYPES = {"blob": "BLOB", "big": "BIGINT", "text": "TEXT"}
POSTGRES_TYPES = {"blob": "BYTEA", "big": "BIGINT", "text": "TEXT"}

_NONES = repeat(None)
_GROUPED = 10_000  # rows grouped at a time by insert_many (bounds its memory)


@lru_cache(maxsize=None)
def _sparse(table: str, columns: tuple[str, ...], nulls: tuple[bool, ...], tail: str) -> tuple[str, Callable]:
    """The INSERT for rows of ``table`` whose NULL columns are ``nulls``,
    and the function that picks the other values out of such a row."""
    present = [i for i, null in enumerate(nulls) if not null]
    names = ", ".join(columns[i] for i in present)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(present))}) {tail}"
    pick = itemgetter(*present) if len(present) > 1 else (lambda row, i=present[0]: (row[i],))
    return sql, pick


def prefix_range(code: str) -> tuple[str, str | None]:
    """Bounds ``(low, high)`` with ``low <= c < high`` exactly for the digit
    strings ``c`` starting with ``code``; ``high`` is None when unbounded.

    Region codes are digit strings, so a range on them uses an index in both
    databases, where ``LIKE 'code%'`` would not (SQLite only optimises LIKE
    under case-sensitive settings; PostgreSQL only with pattern opclasses).
    The upper bound is the next digit string (``3101`` -> ``3102``,
    ``3109`` -> ``311``) rather than ``code + ':'`` so that no collation's
    idea of punctuation can matter.
    """
    stripped = code.rstrip("9")
    if not stripped:
        return code, None
    return code, stripped[:-1] + chr(ord(stripped[-1]) + 1)


def tune_for_rebuild(conn: sqlite3.Connection) -> None:
    """A rebuild's SQLite connection settings (see :meth:`Store.rebuilding`)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")


class Cursor:
    """A DB-API cursor that takes ``?`` placeholders and returns tuples."""

    __slots__ = ("_cursor", "_pg")

    def __init__(self, cursor: Any, pg: bool):
        self._cursor = cursor
        self._pg = pg

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._pg else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> "Cursor":
        self._cursor.execute(self._sql(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        # Rows are consumed one by one (never listed): a rebuild may write
        # hundreds of thousands in one call.
        self._cursor.executemany(self._sql(sql), rows)

    def insert_many(self, table: str, columns: tuple[str, ...], rows: Iterable[Sequence[Any]], tail: str = "") -> None:
        """INSERT ``rows`` (values for ``columns``) into ``table``, each
        naming only the columns it has a value for; ``tail`` follows the
        VALUES (an ``ON CONFLICT`` clause).

        Why not one statement: Python's sqlite3 binds a None about seven
        times slower than an int (for any value not of a few exact types it
        looks for an adapter first), and view rows are largely NULL (no open
        handover, no serial numbers, no label...). So rows are grouped by
        which of their values are None, one statement per group, and the
        NULL columns are left out: they default to NULL, and in an upsert
        ``excluded.<column>`` of a column left out is NULL too, exactly as
        if it had been bound. A few thousand rows are grouped at a time.
        """
        rows = iter(rows)
        while True:
            groups: dict[tuple, list] = {}
            for row in islice(rows, _GROUPED):
                nulls = tuple(map(is_, row, _NONES))
                group = groups.get(nulls)
                if group is None:
                    group = groups[nulls] = []
                group.append(row)
            if not groups:
                return
            for nulls, group in groups.items():
                sql, pick = _sparse(table, columns, nulls, tail)
                self._cursor.executemany(self._sql(sql), map(pick, group))

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall()

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def select_in(self, sql: str, values: Iterable[Any], params: Sequence[Any] = ()) -> list[tuple]:
        """Run ``sql`` (containing ``{in}`` for the placeholder list) over
        ``values`` in chunks; ``params`` come before the IN list."""
        values = list(values)
        out: list[tuple] = []
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start : start + _IN_CHUNK]
            text = sql.replace("{in}", ",".join("?" * len(chunk)))
            self.execute(text, [*params, *chunk])
            out.extend(self.fetchall())
        return out


class Store:
    """The views' access to the application's database.

    ``types`` gives the column types by role (``blob`` for keys and ids,
    ``big`` for counts, positions and times) so one DDL text serves both.
    """

    def __init__(self, app: Any):
        self.app = app
        self.recorder = app.recorder
        datastore = self.recorder.datastore
        self.pg = type(datastore).__name__ == "PostgresDatastore"
        self.types = POSTGRES_TYPES if self.pg else SQLITE_TYPES
        table = getattr(self.recorder, "events_table_name", persistence.EVENTS_TABLE)
        self.schema = getattr(datastore, "schema", "public") or "public"
        if self.pg:
            self._events = f'"{self.schema}"."{table}"'
            self._id = "notification_id"
        else:
            self._events = f'"{table}"'
            self._id = "rowid"
        self._bulk = False  # inside rebuilding()
        self._bulk_conn: sqlite3.Connection | None = None

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Write transactions inside this block are a rebuild's, and trade
        the durability of their own commits for speed.

        Views are derived data: if the machine loses power in the middle of
        a rebuild, the rebuild simply runs again (the schema version says
        "building" until it has finished). The records must not pay for
        that, so nothing here changes how any other connection or
        transaction writes:

        * SQLite: the rebuild writes through a connection of its own, opened
          here and closed at the end, with a larger page cache and, in WAL
          mode, ``synchronous=NORMAL``: commits do not wait for the disk,
          and SQLite documents WAL mode at NORMAL as safe from corruption
          (a power loss can only undo the last commits, which are view
          rows). Not ``OFF``: a connection at OFF also skips the syncs of
          the WAL checkpoints it runs, and a checkpoint copies the records'
          pages too. ``journal_mode`` is left alone (it is the file's, not
          the connection's).
        * PostgreSQL: ``SET LOCAL synchronous_commit = off`` in each of the
          rebuild's transactions (never corrupts; a crash can only lose the
          last commits, which the next rebuild writes again).
        """
        if self.pg:
            self._bulk = True
            try:
                yield
            finally:
                self._bulk = False
            return
        pool = self.recorder.datastore.pool
        timeout = pool.lock_timeout or persistence.SQLITE_LOCK_TIMEOUT_SECONDS
        conn = sqlite3.connect(pool.db_name, uri=True, isolation_level=None, timeout=timeout, check_same_thread=False)
        try:
            tune_for_rebuild(conn)
            self._bulk, self._bulk_conn = True, conn
            yield
        finally:
            self._bulk, self._bulk_conn = False, None
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A write transaction: commits on success, rolls back on error.

        SQLite: ``BEGIN IMMEDIATE``, not the library's deferred ``BEGIN``. A
        deferred transaction that reads (the tracking row) before it writes
        cannot take the write lock if another connection committed in
        between: WAL mode then fails at once with "database is locked"
        instead of waiting. IMMEDIATE takes the write lock first (waiting up
        to the ledger's lock timeout), so the rows read are the latest.
        """
        if self.pg:
            with persistence.transaction(self.app) as conn:
                cursor = self._cursor(conn)
                if self._bulk:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                yield cursor
            return
        if self._bulk_conn is not None:
            with self._sqlite_transaction(self._bulk_conn) as cursor:
                yield cursor
            return
        with self.recorder.datastore.get_connection(commit=True) as connection:
            with self._sqlite_transaction(connection.cursor().sqlite_cursor.connection) as cursor:
                yield cursor

    @contextmanager
    def _sqlite_transaction(self, conn: sqlite3.Connection) -> Iterator[Cursor]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._cursor(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def serialise(self, cur: Cursor) -> None:
        """Make concurrent schema changes wait for each other (PostgreSQL;
        SQLite's IMMEDIATE transactions already do)."""
        if self.pg:
            cur.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """A read-only transaction (rolled back), for queries."""
        if self.pg:
            with self.recorder.datastore.get_connection() as conn, conn.transaction(force_rollback=True):
                yield self._cursor(conn)
        else:
            with self.recorder.datastore.transaction(commit=False) as cursor:
                yield self._cursor(cursor.sqlite_cursor.connection)

    def _cursor(self, conn: Any) -> Cursor:
        if self.pg:
            from psycopg.rows import tuple_row

            cursor = Cursor(conn.cursor(row_factory=tuple_row), True)
            # View tables live beside the event table, in the ledger's schema.
            cursor.execute(f'SET LOCAL search_path TO "{self.schema}"')
            return cursor
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples, not sqlite3.Row
        return Cursor(cursor, False)

    def records(self, after: int, limit: int) -> list[tuple[int, bytes]]:
        """Up to ``limit`` ``(position, envelope)`` of records after
        ``after``, in the global order.

        Reads the event table directly (the library's ``select_notifications``
        does the same query but builds a UUID and a Notification per row,
        which costs more than the views do with the row). Other topics (the
        core's index events) are skipped by the WHERE clause.
        """
        with self.reading() as cur:
            cur.execute(
                f"SELECT {self._id}, state FROM {self._events} "
                f"WHERE {self._id} > ? AND topic = ? ORDER BY {self._id} LIMIT ?",
                (after, RECORD_TOPIC, limit),
            )
            rows = cur.fetchall()
        if self.pg:
            return [(position, bytes(state)) for position, state in rows]
        return rows

    def count_records(self, after: int = 0) -> int:
        """How many records follow position ``after`` (for progress bars)."""
        with self.reading() as cur:
            cur.execute(
                f"SELECT COUNT(*) FROM {self._events} WHERE {self._id} > ? AND topic = ?",
                (after, RECORD_TOPIC),
            )
            return cur.fetchone()[0]

    def last_position(self) -> int:
        """Position of the newest record (0 for an empty ledger)."""
        with self.reading() as cur:
            # Walks back from the newest row; MAX() with a WHERE would scan.
            cur.execute(
                f"SELECT {self._id} FROM {self._events} WHERE topic = ? ORDER BY {self._id} DESC LIMIT 1",
                (RECORD_TOPIC,),
            )
            row = cur.fetchone()
        return row[0] if row else 0
