"""Where the views live: the ledger's own database, one place for SQL dialects.

The views are tables in the same database as the records, so that the view
rows of a batch and the position they were built up to commit in one
transaction: either both are there or neither is, and a record can never be
applied twice or skipped. Everything that differs between SQLite and
PostgreSQL is kept in the ledger's storage (``ledger.storage``); the view
modules write one SQL text with ``?`` placeholders and the types named in
:data:`Store.types`, and this module asks the storage for transactions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from ledger.storage import Sql, storage_for
from ledger.storage.postgres import POSTGRES_TYPES
from ledger.storage.sqlite import REBUILD_CACHE_KIB, SQLITE_TYPES, tune_for_rebuild

__all__ = [
    "POSTGRES_TYPES",
    "REBUILD_CACHE_KIB",
    "RECORD_TOPIC",
    "SQLITE_TYPES",
    "Cursor",
    "Store",
    "and_within",
    "prefix_range",
    "tune_for_rebuild",
    "within",
]

RECORD_TOPIC = "serah:record"
"""Topic of the stored events whose state is a record's envelope bytes."""

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


def within(column: str, place: str) -> tuple[list[str], list[Any]]:
    """The conditions (to be joined with AND) and their parameters that keep
    the rows whose ``column`` is the region ``place`` or a code under it, by
    :func:`prefix_range`; none at all for ``""`` (everywhere). Every view's
    filter by place is this one, so they cannot disagree on a boundary."""
    if not place:
        return [], []
    low, high = prefix_range(place)
    if high is None:
        return [f"{column} >= ?"], [low]
    return [f"{column} >= ?", f"{column} < ?"], [low, high]


def and_within(column: str, place: str) -> tuple[str, list[Any]]:
    """:func:`within` as a clause to append after a WHERE (``" AND ..."``)."""
    conditions, params = within(column, place)
    return "".join(f" AND {c}" for c in conditions), params


class Cursor(Sql):
    """A driver cursor wrapped as the storage's :class:`~ledger.storage.Sql`
    (``?`` placeholders, tuple rows), for code holding a plain connection."""

    def __init__(self, cursor: Any, pg: bool) -> None:
        super().__init__(None, cursor, "%s" if pg else "?")


class Store:
    """The views' access to the application's database.

    ``types`` gives the column types by role (``blob`` for keys and ids,
    ``big`` for counts, positions and times) so one DDL text serves both.
    """

    def __init__(self, app: Any):
        self.app = app
        self.storage = storage_for(app)
        self.types = self.storage.types
        self._events = self.storage.events
        self._id = self.storage.order
        self._bulk = False  # inside rebuilding()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Write transactions inside this block are a rebuild's, and trade
        the durability of their own commits for speed.

        Views are derived data: if the machine loses power in the middle of
        a rebuild, the rebuild simply runs again (the schema version says
        "building" until it has finished). The records must not pay for
        that, so nothing here changes how any other connection or
        transaction writes; how each backend does it is in its
        ``rebuilding``/``writing(bulk=True)`` (``ledger.storage``).
        """
        with self.storage.rebuilding():
            self._bulk = True
            try:
                yield
            finally:
                self._bulk = False

    def transaction(self) -> Any:
        """A write transaction: commits on success, rolls back on error, and
        holds the write lock from its start, so the rows read are the latest."""
        return self.storage.writing(bulk=self._bulk)

    def serialise(self, cur: Sql) -> None:
        """Make concurrent schema changes wait for each other."""
        self.storage.serialise_schema_changes(cur)

    def reading(self) -> Any:
        """A read-only transaction (rolled back), for queries."""
        return self.storage.reading()

    def has_table(self, cur: Sql, name: str) -> bool:
        return self.storage.table_exists(cur, name)

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
            # Both drivers give plain tuples with the state as bytes (sqlite3
            # BLOB, psycopg 3 bytea): the rows go out as they came, uncopied.
            rows = cur.fetchall()
        return cast("list[tuple[int, bytes]]", rows)

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
