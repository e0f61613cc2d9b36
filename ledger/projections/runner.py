"""The runner: keeps the views in step with the records, exactly once.

The views follow the application's notification log (records only: topic
``serah:record``) by pulling, because eventsourcing's SQLite recorder has no
``subscribe()``. Each batch of records is applied in one transaction that
also moves the tracking position, and that transaction begins by moving it
*conditionally* (``UPDATE ... WHERE position = <where this batch starts>``):
if another process applied the batch first, nothing matches, the batch is
rolled back and the runner reads on from the new position. So each record is
applied exactly once whoever runs, and a crash leaves the views at the end
of the last committed batch.

Every read catches up first (one cheap query when nothing is new), so the
CLI always shows the latest state without a rebuild. :meth:`Views.rebuild`
drops the view tables and replays everything from the first record.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ledger.errors import Category, SerahError
from ledger.projections import accounting, custody, discrepancies, inventory, readiness
from ledger.projections.model import decode
from ledger.projections.store import Store

__all__ = ["Views", "SCHEMA_VERSION"]

SCHEMA_VERSION = "5"  # 2: a refused handover of a lost item leaves it lost; 3: proj_item.tally; 4: SPEC positions; 5: covering readiness indexes
"""Bump when a view's tables or rules change: older view tables are then
rebuilt on first use instead of being read with the wrong meaning."""

TRACKING_NAME = "views"
BUILDING = "+building"
BATCH = 1000
PAGE = 5000
CHUNK_BYTES = 1 << 20  # envelopes decoded at a time (see _chunks)
REBUILD_BATCH = 10**9  # rebuild: write when max_items is reached, else at the end
MAX_ITEMS = 500_000  # items held in memory before a batch is written

VIEWS = (custody, inventory, readiness, discrepancies, accounting)
TABLES = ("proj_meta", "proj_tracking", *(t for v in VIEWS for t in v.TABLES))


def _ddl(t: dict[str, str]) -> list[str]:
    own = [
        "CREATE TABLE IF NOT EXISTS proj_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        # position: the event table's row id of the last record applied (where
        # to read on); records: how many records were applied, which is the
        # SPEC position (section 1) of the next one. The row id is not a
        # record's position: other rows (index events) and rolled-back
        # transactions use row ids too.
        f"CREATE TABLE IF NOT EXISTS proj_tracking (name TEXT PRIMARY KEY, position {t['big']} NOT NULL, "
        f"records {t['big']} NOT NULL)",
    ]
    return own + [statement for view in VIEWS for statement in view.DDL(t)]


def _indexes(t: dict[str, str]) -> list[str]:
    return [statement for view in VIEWS for statement in view.INDEXES(t)]


def _chunks(rows: list[tuple[int, bytes]]) -> Iterator[list[tuple[int, bytes]]]:
    """``rows`` in runs of at most CHUNK_BYTES of envelopes.

    A decoded record takes several times its encoded size, and one handover
    of a whole kecamatan has thousands of lines: decoding a page of such
    records at once would set the process's peak memory, so they are
    decoded and replayed a few megabytes at a time.
    """
    start, size = 0, 0
    for i, (_, envelope) in enumerate(rows):
        size += len(envelope)
        if size >= CHUNK_BYTES:
            yield rows[start : i + 1]
            start, size = i + 1, 0
    if start < len(rows):
        yield rows[start:]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while replaying.

    A batch holds hundreds of thousands of small objects, none of them in
    reference cycles; with the collector on, each full collection walks all
    of them, and a rebuild spends most of its time doing that. Reference
    counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Stale(SerahError):
    """Another runner applied this batch first."""

    code = "stale_view"
    category = Category.CONFLICT


class Batch:
    """What one transaction works on: loaded rows, changes, pending writes.

    ``empty``: the view tables hold nothing yet (a rebuild's first batch),
    so nothing is loaded and every item in the batch is new; ``dirty`` is
    then ``items`` itself rather than a second dict kept in step with it.
    """

    def __init__(self, empty: bool = False) -> None:
        self.cur: Any = None  # set when the batch is written
        self.items: dict = {}  # item id -> Item (loaded or new)
        self.loaded: dict = {}  # item id -> inventory key when loaded
        self.dirty: dict = self.items if empty else {}  # item id -> Item changed in this batch
        self.touched: dict = {}  # changed by the current record
        self.keys: dict = {}  # key -> Custodian
        self.dirty_keys: set = set()
        self.meta: dict = {}
        self.meta_dirty = False
        self.ballots: dict = {}  # accounting differences per item
        self.new_stays: dict = {}  # item -> stay row opened in this batch, still open
        self.stay_rows: list = []  # stays opened and closed in this batch
        self.closed_stays: list = []  # (time, item): close a stay of an earlier batch
        self.discrepancy_rows: list = []
        self.resolutions: list = []


class Views:
    """The materialised views of one ledger application.

    ``Views(app)`` with ``app`` a :class:`ledger.application.Ledger` (any
    eventsourcing application whose records are stored under
    ``serah:record`` will do). Reads catch up first.
    """

    def __init__(self, app: Any, batch_size: int = BATCH):
        self.store = Store(app)
        self.batch_size = batch_size
        self._checked = False
        self._empty = False  # True while a rebuild has written nothing yet

    # --- keeping up ------------------------------------------------------------

    def ensure(self) -> None:
        """Create the view tables if missing; rebuild them if their schema
        version is not this code's."""
        if self._checked:
            return
        with self.store.reading() as cur:
            version = self._schema_version(cur)
        if version != SCHEMA_VERSION:
            self._reset(force=False)
        self._checked = True

    def _schema_version(self, cur: Any) -> str | None:
        if not self.store.has_table(cur, "proj_meta"):
            return None
        cur.execute("SELECT value FROM proj_meta WHERE key = 'schema'")
        row = cur.fetchone()
        return row[0] if row else None

    def _reset(self, force: bool, version: str = SCHEMA_VERSION) -> None:
        """(Re)create the view tables, empty, at position 0.

        Unless ``force``d, nothing is done if the tables are (by now) at
        ``version``: another process may have created them, and may already
        have applied records, since this one looked.
        """
        with self.store.transaction() as cur:
            self.store.serialise(cur)
            if not force and self._schema_version(cur) == version:
                return
            for table in TABLES:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _ddl(self.store.types):
                cur.execute(statement)
            if version == SCHEMA_VERSION:
                for statement in _indexes(self.store.types):
                    cur.execute(statement)
            self._set_version(cur, version)
            cur.execute("INSERT INTO proj_tracking (name, position, records) VALUES (?, 0, 0)", (TRACKING_NAME,))

    @staticmethod
    def _set_version(cur: Any, version: str) -> None:
        cur.execute(
            "INSERT INTO proj_meta (key, value) VALUES ('schema', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (version,),
        )

    def position(self) -> int:
        """The event table row id of the last record applied to the views."""
        return self._tracking()[0]

    def _tracking(self) -> tuple[int, int]:
        """(row id of the last record applied, number of records applied)."""
        self.ensure()
        with self.store.reading() as cur:
            cur.execute("SELECT position, records FROM proj_tracking WHERE name = ?", (TRACKING_NAME,))
            row = cur.fetchone()
        return (row[0], row[1]) if row else (0, 0)

    def catch_up(
        self,
        batch_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        max_items: int = MAX_ITEMS,
    ) -> int:
        """Apply every record not yet applied; returns how many were.

        Records are read in pages and replayed in memory; every
        ``batch_size`` records (or sooner, once ``max_items`` items are held
        in memory) the changes are written and the position moved, in one
        transaction. A larger batch writes an item that changes many times
        once instead of many times; ``max_items`` bounds the memory.
        ``progress(done, total)`` is called after each page.
        """
        with _no_gc():
            return self._catch_up(batch_size or self.batch_size, progress, max_items)

    def _catch_up(self, size: int, progress: Callable[[int, int], None] | None, max_items: int) -> int:
        page = min(size, PAGE)
        total = None
        done = 0
        while True:
            start, count = self._tracking()
            batch = Batch(empty=self._empty)
            after, applied = start, 0
            while applied < size and len(batch.items) < max_items:
                rows = self.store.records(after, min(page, size - applied))
                if not rows:
                    break
                if progress is not None and total is None:
                    total = self.store.count_records(start)
                self._replay_rows(batch, rows, count + applied)
                applied += len(rows)
                after = rows[-1][0]
                if progress is not None:
                    progress(done + applied, max(total or 0, done + applied))
            if not applied:
                return done
            try:
                self._write(batch, start, after, count + applied)
            except Stale:
                self._empty = False
                continue  # someone else got there first: go on from their position
            self._empty = False
            done += applied

    def _replay_rows(self, batch: Batch, rows: list[tuple[int, bytes]], first: int) -> None:
        """Replay ``rows`` (row id, envelope) on ``batch``; the first is at
        SPEC position ``first``.

        A rebuild's first batch has nothing to load (the tables are empty),
        so each record is decoded and applied at once. Otherwise the rows
        the records name are loaded first, once per chunk of records.
        """
        if self._empty:
            apply = custody.apply
            for rec in decode(rows, first):
                apply(batch, rec)
            return
        for chunk in _chunks(rows):
            records = list(decode(chunk, first))
            first += len(chunk)
            item_ids: set[str] = set()
            keys: set[bytes] = set()
            for rec in records:
                custody.needs(rec, item_ids, keys)
            with self.store.reading() as cur:
                custody.load(batch, cur, item_ids, keys)
            for rec in records:
                custody.apply(batch, rec)

    def apply(self, rows: list[tuple[int, bytes]], after: int) -> None:
        """Apply ``rows`` (position, envelope), which follow position
        ``after``, in one transaction; raise :class:`Stale` (writing
        nothing) if the views are no longer at ``after``."""
        batch = Batch()
        start, count = self._tracking()
        if start != after:
            raise Stale(start)
        self._replay_rows(batch, rows, count)
        self._write(batch, after, rows[-1][0], count + len(rows))

    def _write(self, batch: Batch, start: int, end: int, records: int) -> None:
        with self.store.transaction() as cur:
            # The conditional move comes first: it takes the write lock and
            # decides, before any writing, whether this batch is ours: the
            # rows it was replayed on are unchanged only if the position is.
            cur.execute(
                "UPDATE proj_tracking SET position = ?, records = ? WHERE name = ? AND position = ?",
                (end, records, TRACKING_NAME, start),
            )
            if cur.rowcount != 1:
                raise Stale(start)
            batch.cur = cur
            custody.flush(batch)
            inventory.flush(batch)
            readiness.flush(batch)
            accounting.flush(batch)
            discrepancies.flush(batch)
            if batch.meta_dirty:
                cur.executemany(
                    "INSERT INTO proj_meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    sorted(batch.meta.items()),
                )

    def rebuild(
        self,
        batch_size: int = REBUILD_BATCH,
        progress: Callable[[int, int], None] | None = None,
        max_items: int = MAX_ITEMS,
    ) -> int:
        """Drop every view table and rebuild from the first record.

        The read-only indexes are created after the bulk load (cheaper than
        keeping them up to date row by row). Until then the schema version
        says "building", so a rebuild that is interrupted (a crash, a kill,
        a power loss) is started again from nothing by the next reader
        rather than read half-built: the views are derived from the records,
        so the only cost of a crash is doing the work again. That is also
        why the rebuild's own commits may skip waiting for the disk
        (:meth:`Store.rebuilding`; the records' durability is untouched).

        Until ``max_items`` items are held, everything stays in memory and
        each table is written once, at the end, with final rows.
        """
        with self.store.rebuilding():
            self._reset(force=True, version=SCHEMA_VERSION + BUILDING)
            self._checked = True
            self._empty = True
            try:
                applied = self.catch_up(batch_size, progress, max_items)
            finally:
                self._empty = False
            with self.store.transaction() as cur:
                for statement in _indexes(self.store.types):
                    cur.execute(statement)
                self._set_version(cur, SCHEMA_VERSION)
        return applied

    # --- reads (each catches up first) ---------------------------------------------

    def _read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.catch_up()
        with self.store.reading() as cur:
            return fn(cur, *args, **kwargs)

    def meta(self) -> dict[str, str]:
        return self._read(lambda cur: dict(cur.execute("SELECT key, value FROM proj_meta").fetchall()))

    def item(self, item_id: str) -> dict[str, Any] | None:
        """Current custody of one item (None if unknown)."""
        return self._read(custody.item_row, item_id)

    def holdings(self, key: bytes, include_ended: bool = False) -> list[dict[str, Any]]:
        """Items held by ``key`` (held or in transit; ``include_ended``: also
        lost and destroyed), by item id."""
        return self._read(custody.holdings, key, include_ended)

    def holdings_states(self, key: bytes) -> list[Any]:
        """:meth:`holdings` in the shape of ``Ledger.holdings`` (ItemState)."""
        return self._read(custody.item_states, key)

    def incoming(self, key: bytes) -> list[dict[str, Any]]:
        """Items on their way to ``key``: in an open handover addressed to it."""

        def fetch(cur: Any) -> list[dict[str, Any]]:
            cur.execute("SELECT item, kind, election, qty, dest, pending, holder FROM proj_item "
                        "WHERE pending_to = ? ORDER BY item", (key,))
            names = ("item", "kind", "election", "qty", "dest", "handover", "giver")
            return [dict(zip(names, (bytes(v) if isinstance(v, memoryview) else v for v in row), strict=True))
                    for row in cur.fetchall()]

        return self._read(fetch)

    def open_handovers(self, prefix: bytes = b"") -> list[bytes]:
        """Ids of the handovers still open (prepared, not yet answered) whose
        id starts with ``prefix``: how a short id typed from paper is found."""

        def fetch(cur: Any) -> list[bytes]:
            cur.execute("SELECT DISTINCT pending FROM proj_item WHERE pending IS NOT NULL")
            return sorted(bytes(r[0]) for r in cur.fetchall() if bytes(r[0]).startswith(prefix))

        return self._read(fetch)

    def destined(self, dest: str, limit: int) -> list[tuple[str, str, int | None]]:
        """``(item, kind, qty)`` of at most ``limit`` items registered for
        destination ``dest`` and not ended (voided, destroyed, lost), by id:
        what a label sheet for one TPS prints (indexed on ``dest``)."""

        def fetch(cur: Any) -> list[tuple[str, str, int | None]]:
            cur.execute("SELECT item, kind, qty FROM proj_item WHERE dest = ? AND state NOT IN (?, ?, ?) "
                        "ORDER BY item LIMIT ?", (dest, "voided", "destroyed", "lost", limit))
            return [(r[0], r[1], r[2]) for r in cur.fetchall()]

        return self._read(fetch)

    def custodian(self, key: bytes) -> dict[str, Any] | None:
        return self._read(custody.custodian, key)

    def custodians(self, keys: list[bytes]) -> dict[bytes, dict[str, Any]]:
        def fetch(cur: Any) -> dict[bytes, dict[str, Any]]:
            rows = cur.select_in("SELECT key, role, region, name, org FROM proj_custodian WHERE key IN ({in})", keys)
            return {bytes(r[0]): {"role": r[1], "region": r[2], "name": r[3], "org": r[4]} for r in rows}

        return self._read(fetch)

    def inventory(self, place: str | None = None, holder: bytes | None = None) -> dict[str, Any]:
        return self._read(inventory.summary, place, holder)

    def readiness(self, place: str = "", vote_date: str | None = None, at_ms: int | None = None) -> dict[str, Any]:
        """Readiness under ``place`` at ``at_ms`` (default: H-1 of
        ``vote_date``, default the genesis vote date)."""
        meta = self.meta()
        vote_date = vote_date or meta.get("vote_date")
        if at_ms is None:
            if not vote_date:
                raise ValueError("no vote date: the ledger has no genesis and none was given")
            at_ms = readiness.deadline_ms(vote_date, int(meta.get("utc_offset", "420")))
        report = self._read(readiness.report, place, at_ms)
        report["vote_date"] = vote_date
        return report

    def discrepancies(self, place: str = "", open_only: bool = False) -> list[dict[str, Any]]:
        return self._read(discrepancies.register, place, open_only)

    def accounting(self, place: str = "") -> dict[str, Any]:
        return self._read(accounting.report, place)


def rebuild(app: Any, progress: Callable[[int, int], None] | None = None) -> int:
    """Drop and rebuild ``app``'s views from nothing; returns records applied."""
    return Views(app).rebuild(progress=progress)
