"""What the ledger, the transparency log and the views need from a database.

:class:`Storage` is that interface; ``ledger.storage.sqlite`` and
``ledger.storage.postgres`` are its two implementations and the only modules
that know a SQL dialect, a driver (``sqlite3``, ``psycopg``) or how the
``eventsourcing`` library's recorders work inside. Everything else writes SQL
with ``?`` placeholders through :class:`Sql` and asks the storage for table
names, column types and transactions.

The backend is chosen once, by the recorder the settings name
(``ledger.persistence.environment``): each backend's recorder class says
which :class:`Storage` serves it (:func:`ledger.storage.storage_for`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from itertools import islice, repeat
from operator import is_, itemgetter
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

from ledger.errors import Conflict

__all__ = ["Dialect", "Sql", "Storage"]

PAGE = 500  #: ids per query when selecting aggregates' events

# SQLite allows 32,766 host parameters per statement (since 3.32); PostgreSQL
# 65,535. Keep IN lists well below both.
_IN_CHUNK = 900
_NONES = repeat(None)
_GROUPED = 10_000  # rows grouped at a time by insert_many (bounds its memory)


@cache
def _sparse(table: str, columns: tuple[str, ...], nulls: tuple[bool, ...], tail: str) -> tuple[str, Callable[..., Any]]:
    """The INSERT for rows of ``table`` whose NULL columns are ``nulls``,
    and the function that picks the other values out of such a row."""
    present = [i for i, null in enumerate(nulls) if not null]
    names = ", ".join(columns[i] for i in present)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(present))}) {tail}"
    pick: Callable[..., Any] = itemgetter(*present) if len(present) > 1 else (lambda row, i=present[0]: (row[i],))
    return sql, pick


@dataclass(frozen=True)
class Dialect:
    """What differs between the backends in the SQL Serah writes by hand for
    the transparency log's node tables (``ledger.tlog.sql``). Each backend
    module defines its one instance; code outside them is handed it."""

    #: the driver's placeholder: ``?`` (sqlite3) or ``%s`` (psycopg)
    param: str
    #: the column type of a hash
    blob_type: str
    #: what follows a CREATE TABLE's column list
    table_options: str
    #: find many (level, idx) keys by joining them as a VALUES table through
    #: the primary key (SQLite plans a long OR of pairs badly), else an OR
    keys_as_values: bool
    #: the driver may be in autocommit mode, so a write begins its transaction by hand
    explicit_begin: bool


class Sql:
    """A DB-API cursor that takes ``?`` placeholders on both backends and returns tuples.

    Made by a :class:`Storage` (``reading()``, ``writing()``); callers never
    see the driver's connection.
    """

    __slots__ = ("_connection", "_cursor", "_param")

    def __init__(self, connection: Any, cursor: Any, param: str) -> None:
        self._connection = connection
        self._cursor = cursor
        self._param = param

    def _sql(self, sql: str) -> str:
        return sql if self._param == "?" else sql.replace("?", self._param)

    def cursor(self) -> Any:
        """The driver's cursor (tuple rows, the driver's placeholders), for code
        that takes a DB-API connection (``ledger.tlog.sql.SqlNodeStore``)."""
        return self._cursor

    # --- the DB-API cursor's calls

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Sql:
        self._cursor.execute(self._sql(sql), tuple(params))
        return self

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        # Rows are consumed one by one (never listed): a rebuild may write
        # hundreds of thousands in one call.
        self._cursor.executemany(self._sql(sql), rows)

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    # --- shorthands

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # The backends make tuple cursors (sqlite3 without a row factory,
        # psycopg's tuple_row): rows need no copying.
        self.execute(sql, params)
        return self._cursor.fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        self.execute(sql, params)
        return self._cursor.fetchone()

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.execute(sql, params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor.executemany(self._sql(sql), [tuple(r) for r in rows])

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
        it = iter(rows)
        while True:
            groups: dict[tuple[bool, ...], list[Sequence[Any]]] = {}
            for row in islice(it, _GROUPED):
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

    def select_in(self, sql: str, values: Iterable[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run ``sql`` (containing ``{in}`` for the placeholder list) over
        ``values`` in chunks; ``params`` come before the IN list."""
        values = list(values)
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start : start + _IN_CHUNK]
            text = sql.replace("{in}", ",".join("?" * len(chunk)))
            self.execute(text, [*params, *chunk])
            out.extend(self.fetchall())
        return out


class Storage(ABC):
    """One ledger's database, as the ledger, the log and the views use it.

    ``recorder`` is the ``eventsourcing`` application recorder this storage
    serves; the storage reaches the database only through its datastore, so
    it shares the file or role, the schema and the lock timeout.
    ``event_store`` (the application's ``events``) is what :meth:`append`
    writes through.
    """

    #: "sqlite" or "postgres"
    name: str
    #: the dialect of the log's node tables (``ledger.tlog.sql``)
    dialect: Dialect
    #: column types by role, so one DDL text serves both: ``blob`` (keys, ids), ``big``, ``text``
    types: dict[str, str]
    #: the column giving the global order of stored events (SPEC 9.2)
    order: str
    #: the schema the ledger's tables live in (PostgreSQL), else None
    schema: str | None

    def __init__(self, recorder: Any, event_store: Any = None) -> None:
        self.recorder = recorder
        self.event_store = event_store
        self.events_table: str = recorder.events_table_name

    # --- names

    @abstractmethod
    def table(self, name: str) -> str:
        """``name`` qualified as the ledger's tables are (the schema, on PostgreSQL)."""

    @property
    def events(self) -> str:
        """The event table, qualified."""
        return self.table(self.events_table)

    @abstractmethod
    def table_exists(self, sql: Sql, name: str) -> bool:
        """Whether the ledger's database has table ``name``."""

    # --- transactions

    @abstractmethod
    def reading(self) -> AbstractContextManager[Sql]:
        """A read-only transaction (rolled back at the end)."""

    @abstractmethod
    def writing(self, *, lock_records: bool = False, bulk: bool = False) -> AbstractContextManager[Sql]:
        """A write transaction that holds the write lock from its start,
        commits on success and rolls back on error. With ``lock_records``,
        it first takes the lock an append of records takes, so no record
        can be appended until it ends. ``bulk``: a view rebuild's
        transaction, inside :meth:`rebuilding`."""

    @abstractmethod
    def rebuilding(self) -> AbstractContextManager[None]:
        """Write transactions inside this block are a view rebuild's: they may
        trade the durability of their own commits for speed (never the
        records'); see ``ledger.projections.store.Store.rebuilding``."""

    @abstractmethod
    def serialise_schema_changes(self, sql: Sql) -> None:
        """Make concurrent creations of Serah's tables wait for each other
        (inside ``writing()``, before any CREATE)."""

    @abstractmethod
    def guard(self, sql: Sql, table: str) -> None:
        """Make ``table`` append-only, enforced by the database (``ledger.persistence``)."""

    @abstractmethod
    def harden(self, writer_role: str | None = None) -> None:
        """Install (or, where this connection may not, verify) the event table's guards."""

    @abstractmethod
    def raw_transaction(self) -> AbstractContextManager[Any]:
        """The driver's connection in a write transaction (``ledger.persistence.transaction``)."""

    # --- the library's events, read in bulk

    @abstractmethod
    def select_events(self, ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
        """Every stored event of each aggregate, oldest first, in one query per page of ids."""

    @abstractmethod
    def select_first_and_last(self, ids: Sequence[UUID]) -> dict[UUID, tuple[StoredEvent, StoredEvent | None]]:
        """The first and (when there are more) last stored events of each
        aggregate: a few primary-key lookups each, however many events lie between."""

    @abstractmethod
    def last_versions(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        """The highest stored version of each aggregate (one query)."""

    # --- the one write

    def append(self, events: Sequence[Any]) -> list[Any]:
        """Appends a batch of domain events (records and the index events
        derived from them) in ONE transaction, which also grows the
        transparency log; returns the library's recordings.

        Raises :class:`~ledger.errors.Conflict` when another writer stored
        one of the same aggregate versions first (then nothing was written).
        """
        try:
            # What Application.save() does, minus its runtime Protocol
            # isinstance checks, which on Python 3.11 cost ~25 us per
            # aggregate: a third of the time of a batched handover.
            return list(self.event_store.put(events))
        except IntegrityError:
            raise Conflict() from None


def rows_to_events(rows: Iterable[tuple[UUID, int, str, bytes]]) -> dict[UUID, list[StoredEvent]]:
    """``(id, version, topic, state)`` rows as stored events by aggregate id, in the rows' order."""
    result: dict[UUID, list[StoredEvent]] = {}
    for uid, version, topic, state in rows:
        result.setdefault(uid, []).append(StoredEvent(uid, version, topic, bytes(state)))
    return result


def first_and_last(rows: Iterable[tuple[UUID, int, str, bytes]]) -> dict[UUID, tuple[StoredEvent, StoredEvent | None]]:
    found = rows_to_events(sorted(rows, key=lambda r: r[1]))
    return {uid: (stored[0], stored[-1] if len(stored) > 1 else None) for uid, stored in found.items()}


def pages(ids: Sequence[UUID]) -> Iterator[list[UUID]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), PAGE):
        yield unique[start : start + PAGE]
