"""SQLite: the only module that knows SQLite's dialect, the ``sqlite3``
driver and how ``eventsourcing.sqlite`` works inside.

It holds :class:`SQLiteStorage` (the :class:`~ledger.storage.base.Storage`
of a ledger file), the append-only guards (triggers; why, in
``ledger.persistence``) and the recorder that grows the transparency log in
the insert's own transaction (:class:`TlogSQLiteApplicationRecorder`), and
the library settings that select them (:func:`settings`, called by
``ledger.persistence.environment``).

The library's internals used here, hence the ``eventsourcing<9.6`` pin:
the recorder's ``_insert_events`` hook (the only place that runs inside the
insert's transaction after the rows are written) and the wrapped cursor's
``sqlite_cursor`` (the ``sqlite3`` connection of the library's pool, so the
log, the views and the guards share its file, lock timeout and transaction).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.domain import RECORD_TOPIC
from ledger.persistence import GUARD_MESSAGE, SQLITE_LOCK_TIMEOUT_SECONDS
from ledger.storage.base import Dialect, Sql, Storage, first_and_last, pages, rows_to_events
from ledger.tlog.sql import TABLES, _ddl, _Names, names_of
from ledger.tlog.sync import _extend_for

__all__ = [
    "REBUILD_CACHE_KIB",
    "SQLITE_TYPES",
    "SQLiteStorage",
    "SerahSQLiteApplicationRecorder",
    "TlogSQLiteApplicationRecorder",
    "database_tables",
    "first_record",
    "guard_table",
    "install_append_only_guards",
    "is_not_a_database",
    "tune_for_rebuild",
]

SQLITE_TYPES = {"blob": "BLOB", "big": "BIGINT", "text": "TEXT"}
REBUILD_CACHE_KIB = 32 * 1024  # page cache of a view rebuild's connection (counts in its peak RSS)


def _tuple_cursor(connection: sqlite3.Connection) -> sqlite3.Cursor:
    cursor = connection.cursor()
    cursor.row_factory = None  # plain tuples, not sqlite3.Row
    return cursor


def tune_for_rebuild(conn: sqlite3.Connection) -> None:
    """A rebuild's SQLite connection settings (see :meth:`SQLiteStorage.rebuilding`)."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")


def settings(path: str, *, transparency_log: bool) -> dict[str, str]:
    """The ``eventsourcing`` settings of the ledger file ``path`` (absolute),
    with Serah's recorder that grows the transparency log in each insert's
    transaction, or without it (``transparency_log=False``)."""
    recorder = "TlogSQLiteApplicationRecorder" if transparency_log else "SerahSQLiteApplicationRecorder"
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": path,
        "SQLITE_LOCK_TIMEOUT": str(SQLITE_LOCK_TIMEOUT_SECONDS),
        "APPLICATION_RECORDER_TOPIC": f"{__name__}:{recorder}",
        "CREATE_TABLE": "y",
        "ORIGINATOR_ID_TYPE": "uuid",
    }


#: SQLite's part in the log's node tables (``ledger.tlog.sql``)
DIALECT = Dialect(param="?", blob_type="BLOB", table_options=" WITHOUT ROWID", keys_as_values=True,
                  explicit_begin=True)


class SQLiteStorage(Storage):
    """A ledger file. The global order is ``rowid``; ids are stored as hex text."""

    name = "sqlite"
    dialect = DIALECT
    types = SQLITE_TYPES
    order = "rowid"
    schema = None

    def __init__(self, recorder: Any, event_store: Any = None) -> None:
        super().__init__(recorder, event_store)
        self._bulk: sqlite3.Connection | None = None

    def table(self, name: str) -> str:
        return name

    def table_exists(self, sql: Sql, name: str) -> bool:
        return sql.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]) is not None

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """The library's connection for this thread, no transaction open."""
        with self.recorder.datastore.get_connection(commit=True) as connection:
            yield connection.cursor().sqlite_cursor.connection

    @contextmanager
    def reading(self) -> Iterator[Sql]:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            connection = cursor.sqlite_cursor.connection
            yield Sql(connection, _tuple_cursor(connection), "?")

    @contextmanager
    def writing(self, *, lock_records: bool = False, bulk: bool = False) -> Iterator[Sql]:
        """``BEGIN IMMEDIATE``, not the library's deferred ``BEGIN``: a deferred
        transaction that reads before it writes cannot take the write lock if
        another connection committed in between (WAL mode then fails at once
        with "database is locked"); IMMEDIATE waits for it (up to the lock
        timeout), so the rows read are the latest. SQLite has one write lock
        for the whole file, so ``lock_records`` needs nothing more."""
        if bulk and self._bulk is not None:
            with _immediate(self._bulk) as sql:
                yield sql
            return
        with self._connection() as connection, _immediate(connection) as sql:
            yield sql

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """The rebuild writes (``writing(bulk=True)``) through a connection of
        its own, opened here and closed at the end, with a larger page cache
        and, in WAL mode, ``synchronous=NORMAL``: commits do not wait for the
        disk, and SQLite documents WAL mode at NORMAL as safe from corruption
        (a power loss can only undo the last commits, which are view rows).
        Not ``OFF``: a connection at OFF also skips the syncs of the WAL
        checkpoints it runs, and a checkpoint copies the records' pages too.
        ``journal_mode`` is left alone (it is the file's, not the connection's)."""
        pool = self.recorder.datastore.pool
        timeout = pool.lock_timeout or SQLITE_LOCK_TIMEOUT_SECONDS
        conn = sqlite3.connect(pool.db_name, uri=True, isolation_level=None, timeout=timeout, check_same_thread=False)
        try:
            tune_for_rebuild(conn)
            self._bulk = conn
            yield
        finally:
            self._bulk = None
            conn.close()

    def serialise_schema_changes(self, sql: Sql) -> None:
        """Nothing to do: ``writing()`` already holds the file's write lock."""

    def guard(self, sql: Sql, table: str) -> None:
        guard_table(sql._connection, table)

    def harden(self, writer_role: str | None = None) -> None:
        """Installs (or brings up to date) the event table's guards. Outside a
        transaction: the guard looks first and takes the write lock only when
        a trigger is missing or outdated. (No roles in SQLite.)"""
        with self._connection() as connection:
            install_append_only_guards(connection, self.events_table)

    @contextmanager
    def raw_transaction(self) -> Iterator[sqlite3.Connection]:
        """The library's ``sqlite3`` connection in a ``BEGIN IMMEDIATE`` transaction."""
        with self._connection() as connection, _sqlite_tx(connection):
            yield connection

    # --- the library's events, read in bulk (ids are hex text here)

    def _select(self, sql_text: str, page: list[UUID]) -> list[tuple[UUID, int, str, bytes]]:
        by_hex = {u.hex: u for u in page}
        with self.reading() as sql:
            return [(by_hex[r[0]], r[1], r[2], r[3]) for r in sql.rows(sql_text, list(by_hex))]

    def select_events(self, ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
        rows: list[tuple[UUID, int, str, bytes]] = []
        for page in pages(ids):
            rows += self._select(
                f"SELECT originator_id, originator_version, topic, state FROM {self.events_table} "
                f"WHERE originator_id IN ({','.join('?' * len(page))}) "
                "ORDER BY originator_id, originator_version",
                page,
            )
        return rows_to_events(rows)

    def select_first_and_last(self, ids: Sequence[UUID]) -> dict[UUID, tuple[StoredEvent, StoredEvent | None]]:
        table = self.events_table
        rows: list[tuple[UUID, int, str, bytes]] = []
        for page in pages(ids):
            # max() with the id fixed is one index seek; the IN list on
            # the primary key's second column makes the join two more.
            rows += self._select(
                f"WITH k(id) AS (VALUES {','.join(['(?)'] * len(page))}) "
                f"SELECT e.originator_id, e.originator_version, e.topic, e.state FROM k "
                f"JOIN {table} AS e ON e.originator_id = k.id AND e.originator_version IN "
                f"(1, (SELECT max(m.originator_version) FROM {table} AS m WHERE m.originator_id = k.id))",
                page,
            )
        return first_and_last(rows)

    def last_versions(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        found: dict[UUID, int] = {}
        for page in pages(ids):
            by_hex = {u.hex: u for u in page}
            with self.reading() as sql:
                found.update(
                    (by_hex[r[0]], int(r[1]))
                    for r in sql.rows(
                        f"SELECT originator_id, max(originator_version) FROM {self.events_table} "
                        f"WHERE originator_id IN ({','.join('?' * len(page))}) GROUP BY originator_id",
                        list(by_hex),
                    )
                )
        return found


@contextmanager
def _immediate(connection: sqlite3.Connection) -> Iterator[Sql]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield Sql(connection, _tuple_cursor(connection), "?")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")



# --- a file that may not be a ledger ------------------------------------------------------

def database_tables(path: Path) -> set[str] | None:
    """The tables of the SQLite file at ``path``, opened read-only; None when
    it is not a database, is unreadable or locked (opening it as a ledger
    then says which)."""
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def first_record(path: Path) -> bytes | None:
    """The envelope of the first record of the ledger file at ``path``,
    opened read-only; None when it holds none or is not a ledger."""
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT state FROM stored_events WHERE topic = ? ORDER BY rowid LIMIT 1", (RECORD_TOPIC,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return bytes(row[0]) if row else None


def is_not_a_database(error: BaseException) -> bool:
    """Whether opening a ledger failed because the file is not a SQLite
    database (not ``OperationalError``: "locked" is not "not a ledger")."""
    return type(error) is sqlite3.DatabaseError


# --- the guards --------------------------------------------------------------------------

def install_append_only_guards(connection: sqlite3.Connection, table_name: str) -> None:
    """Guard an eventsourcing *event* table: :func:`guard_table`, plus no row
    inserted before an existing one in the global order. Idempotent."""
    _sqlite_guard(connection, table_name, ordered=True)


def guard_table(connection: sqlite3.Connection, table_name: str) -> None:
    """Triggers refuse UPDATE, DELETE and an INSERT that would replace an
    existing row (``INSERT OR REPLACE`` on the primary key, a unique index or
    the rowid). Idempotent; commits only a transaction it opened itself."""
    _sqlite_guard(connection, table_name, ordered=False)



def _q(identifier: str) -> str:
    """SQLite identifier quoting."""
    return '"' + identifier.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def _sqlite_tx(conn: sqlite3.Connection) -> Iterator[None]:
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _sqlite_guard(conn: sqlite3.Connection, table: str, *, ordered: bool) -> None:
    """Create or update the triggers; write nothing when they are current.

    Rewriting triggers on every start would take the write lock and bump the
    schema version (invalidating every other connection's prepared
    statements), so look first.  Outside a transaction, the writes happen in
    one BEGIN IMMEDIATE transaction (waits for other writers) after looking
    again under the lock; inside the caller's transaction, in that one.
    """
    if conn.in_transaction:
        _sqlite_write(conn, _sqlite_stale(conn, table, ordered))
    elif _sqlite_stale(conn, table, ordered):
        with _sqlite_tx(conn):
            _sqlite_write(conn, _sqlite_stale(conn, table, ordered))


def _sqlite_write(conn: sqlite3.Connection, stale: dict[str, str]) -> None:
    for name, create in stale.items():
        conn.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")
        conn.execute(create)


def _sqlite_stale(conn: sqlite3.Connection, table: str, ordered: bool) -> dict[str, str]:
    """Triggers (name -> CREATE statement) that are missing or differ."""
    want = _sqlite_triggers(conn, table, ordered=ordered)
    have = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).fetchall()
    )
    return {name: sql for name, sql in want.items() if have.get(name) != sql}


def _sqlite_triggers(conn: sqlite3.Connection, table: str, *, ordered: bool) -> dict[str, str]:
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if row is None:
        raise LookupError(f"table {table!r} does not exist (create it before guarding it)")
    has_rowid = "WITHOUT ROWID" not in re.sub(r"\s+", " ", row[0]).upper()
    t = _q(table)
    refuse = f"SELECT RAISE(ABORT, {_lit(GUARD_MESSAGE)});"

    # Unique keys whose conflict an INSERT OR REPLACE would resolve by
    # silently deleting the existing row.
    keys: list[list[str]] = []
    for idx in conn.execute(f"PRAGMA index_list({t})").fetchall():
        # (seq, name, unique, origin, partial)
        if not idx[2] or (len(idx) > 4 and idx[4]):
            continue
        cols = [c[2] for c in conn.execute(f"PRAGMA index_info({_q(idx[1])})").fetchall()]
        if cols and all(cols):  # skip expression indexes
            keys.append(cols)
    if has_rowid:
        # NEW.rowid is -1 in a BEFORE INSERT trigger unless given explicitly.
        keys.append(["rowid"])

    def ref(column: str) -> str:
        return "rowid" if column == "rowid" else _q(column)

    exists = " OR ".join(
        f"EXISTS (SELECT 1 FROM {t} WHERE " + " AND ".join(f"{ref(c)} = NEW.{ref(c)}" for c in cols) + ")"
        for cols in keys
    )
    bodies = {
        f"serah_{table}_no_update": f"BEFORE UPDATE ON {t} BEGIN {refuse} END",
        f"serah_{table}_no_delete": f"BEFORE DELETE ON {t} BEGIN {refuse} END",
    }
    if exists:
        bodies[f"serah_{table}_no_replace"] = (
            f"BEFORE INSERT ON {t} WHEN {exists} BEGIN "
            f"SELECT RAISE(ABORT, {_lit(GUARD_MESSAGE + ': row exists')}); END"
        )
    if ordered and has_rowid:
        # Rowids are the global order and stay 1..N without gaps: each new
        # row must be the largest and follow an existing row (or be row 1).
        bodies[f"serah_{table}_in_order"] = (
            f"AFTER INSERT ON {t} WHEN NEW.rowid <> (SELECT max(rowid) FROM {t}) "
            f"OR (NEW.rowid <> 1 AND NOT EXISTS (SELECT 1 FROM {t} WHERE rowid = NEW.rowid - 1)) "
            f"BEGIN SELECT RAISE(ABORT, {_lit(GUARD_MESSAGE + ': rowid out of order')}); END"
        )
    return {name: f"CREATE TRIGGER {_q(name)} {body}" for name, body in bodies.items()}



# --- the recorder ------------------------------------------------------------------------

def _sqlite_log_ready(conn: Any) -> bool:
    """The log's tables exist, each with the append-only triggers (UPDATE, DELETE at least)."""
    marks = ",".join("?" * len(TABLES))
    tables = conn.execute(f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({marks})",
                          TABLES).fetchone()[0]
    triggers = dict(conn.execute(f"SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger'"
                                 f" AND tbl_name IN ({marks}) GROUP BY tbl_name", TABLES).fetchall())
    return tables == len(TABLES) and all(triggers.get(t, 0) >= 2 for t in TABLES)


class SerahSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, saying which storage serves it (as
    every Serah recorder does), so that :func:`ledger.storage.storage_for`
    never has to guess the backend. Used without the transparency log (a
    benchmark's baseline, a guard test); the ledger uses the subclass below."""

    @property
    def storage(self) -> SQLiteStorage:
        """The storage over this recorder (what the ledger, the log and the views use)."""
        return SQLiteStorage(self)


class TlogSQLiteApplicationRecorder(SerahSQLiteApplicationRecorder):
    """SQLite recorder that grows the transparency log in the insert's transaction.

    The hook runs after the rows are inserted: by then this transaction holds
    SQLite's write lock, so reading the tree's end and appending to it cannot
    interleave with another writer. Any error rolls the whole save back.
    """

    #: False in ``serah serve``: the server integrates the tree after the
    #: records' commit, from the records it derived (``ledger.server.tree``).
    grow_tree = True

    def _names(self) -> _Names:
        return names_of(self.storage)

    def create_table(self) -> None:
        super().create_table()
        # Every start comes here: look first (a read), and write only when
        # something is missing, under BEGIN IMMEDIATE so that two processes
        # starting together wait for each other instead of failing.
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn.cursor().sqlite_cursor.connection
            if _sqlite_log_ready(raw):
                return
            raw.execute("BEGIN IMMEDIATE")
            try:
                for statement in _ddl(self._names()):
                    raw.execute(statement)
                for table in TABLES:
                    guard_table(raw, table)
            except BaseException:
                raw.rollback()
                raise
            raw.commit()

    def _insert_events(self, c: Any, stored_events: Sequence[Any], **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if positions and self.grow_tree:
            connection = c.sqlite_cursor.connection
            _extend_for(Sql(connection, _tuple_cursor(connection), "?"), self._names(), stored_events,
                        before=min(positions))
        return positions
