"""The ledger's transparency log (SPEC 10): one Merkle tree over every record,
signed checkpoints, witness cosignatures, and proofs.

Where the tree lives and when it grows
--------------------------------------
The tree's nodes live in the ledger's own database (``serah_tlog_node``) and
grow in the **same transaction** that stores a record: the application
recorders below (selected through eventsourcing's
``APPLICATION_RECORDER_TOPIC`` setting by :func:`environment`) extend the
tree for every ``serah:record`` row of a save before the transaction
commits. A committed record therefore always has its leaf, a checkpoint can
never miss one, and nothing is recomputed when a proof is asked for.

Before it extends the tree, the recorder checks that the tree ends with the
last record already stored. A tree that lags behind (a ledger written before
this module existed, or by a program that bypassed these recorders) is caught
up from the records inside the same transaction: the tree is derived data and
can always be rebuilt from the records. A tree that *contradicts* the records
(records removed or rewritten underneath it) makes the append fail with
:class:`TreeMismatch`: the log must never grow, or sign, a tree that does not
describe its records. The full check (every leaf against every record) is the
verifier's job (SPEC 10.6, T4).

Checkpoints and cosignatures are kept in two append-only tables
(``serah_tlog_checkpoint``, ``serah_tlog_cosignature``, SPEC 10.8). Every
tlog table is guarded like the event table (``ledger.persistence``): the
database refuses UPDATE and DELETE.

Keys: the log signs with an ordinary Serah key file (``ledger.keys.Signer``)
under the key name = the genesis ``name``; witnesses sign cosignature/v1
lines with theirs. The adapters here never see the private key, only the
``sign`` method.
"""

from __future__ import annotations

import struct
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.domain import RECORD_TOPIC
from ledger.errors import SerahError
from ledger.tlog.note import (
    SIG_TYPE_ED25519,
    Checkpoint,
    NoteError,
    NoteSignature,
    check_key_name,
    check_note_text,
    format_verifier_key,
    key_id,
    parse_note,
)
from ledger.tlog.tree import (
    EMPTY_ROOT,
    POSTGRES,
    SQLITE,
    MerkleTree,
    SqlDialect,
    SqlNodeStore,
    leaf_hash,
)
from ledger.tlog.witness import (
    SIG_TYPE_COSIGNATURE_V1,
    CosignatureVerifier,
    Witness,
    WitnessState,
    cosigned_message,
)

__all__ = [
    "TransparencyLog",
    "StoredCheckpoint",
    "StoredCosignature",
    "LogSigner",
    "WitnessSigner",
    "KeyWitness",
    "LogError",
    "TreeMismatch",
    "NoCheckpoint",
    "UnknownCheckpoint",
    "BadNote",
    "BadCosignature",
    "LogKeyChanged",
    "BeyondLog",
    "NoSuchLeaf",
    "environment",
    "cosign_checkpoint",
    "log_verifier_key",
    "witness_verifier_key",
    "NODE_TABLE",
    "CHECKPOINT_TABLE",
    "COSIGNATURE_TABLE",
]

NODE_TABLE = "serah_tlog_node"
CHECKPOINT_TABLE = "serah_tlog_checkpoint"
COSIGNATURE_TABLE = "serah_tlog_cosignature"
TABLES = (NODE_TABLE, CHECKPOINT_TABLE, COSIGNATURE_TABLE)

_PAGE = 2000  # records per query when catching up


# --- errors ---------------------------------------------------------------------------

class LogError(SerahError):
    """A transparency-log operation was refused; nothing was written."""

    code = "tlog"


class TreeMismatch(LogError):
    """The stored tree does not describe the stored records (removed or rewritten records)."""

    code = "tlog_mismatch"
    template = "the transparency log ({tree} leaves) does not match the ledger's records ({detail})"


class NoCheckpoint(LogError):
    code = "no_checkpoint"
    template = "the ledger has no checkpoint yet"


class UnknownCheckpoint(LogError):
    code = "unknown_checkpoint"
    template = "the ledger has no checkpoint of size {size}"


class NoSuchLeaf(LogError):
    code = "no_such_leaf"
    template = "there is no record at leaf index {index} in a tree of {log} records"


class BadNote(LogError):
    code = "bad_note"
    template = "not a valid checkpoint or cosignature: {detail}"


class BadCosignature(LogError):
    code = "bad_cosignature"
    template = "the cosignature of {witness} on checkpoint {size} does not verify"


class LogKeyChanged(LogError):
    code = "log_key_changed"
    template = "checkpoints so far were signed by {previous}, not {given}"


class BeyondLog(LogError):
    code = "beyond_log"
    template = "size {size} is beyond the log, which holds {log} records"


# --- keys: adapters from ledger.keys.Signer to note signers ------------------------------

def log_verifier_key(name: str, public: bytes) -> str:
    """``name+keyhash+base64(0x01 || key)``: how a log key is configured and pinned."""
    return format_verifier_key(name, SIG_TYPE_ED25519, public)


def witness_verifier_key(name: str, public: bytes) -> str:
    """``name+keyhash+base64(0x04 || key)``: a witness's cosignature/v1 key."""
    return format_verifier_key(name, SIG_TYPE_COSIGNATURE_V1, public)


class LogSigner:
    """Signs checkpoint notes (type 0x01) with a Serah key, under the log's name."""

    sig_type = SIG_TYPE_ED25519

    def __init__(self, name: str, signer: Any) -> None:
        check_key_name(name)
        self.name = name
        self.public_key = signer.public
        self.key_id = key_id(name, self.sig_type, signer.public)
        self._signer = signer

    def sign(self, text: str) -> NoteSignature:
        check_note_text(text)
        return NoteSignature(self.name, self.key_id, self._signer.sign(text.encode("utf-8")))

    def verifier_key(self) -> str:
        return log_verifier_key(self.name, self.public_key)


class WitnessSigner:
    """cosignature/v1 lines (type 0x04) made with a Serah key (the witness's role)."""

    sig_type = SIG_TYPE_COSIGNATURE_V1

    def __init__(self, name: str, signer: Any, clock: Callable[[], float] = time.time) -> None:
        check_key_name(name)
        self.name = name
        self.public_key = signer.public
        self.key_id = key_id(name, self.sig_type, signer.public)
        self._signer = signer
        self._clock = clock

    def sign(self, text: str, timestamp: int | None = None) -> NoteSignature:
        timestamp = int(self._clock()) if timestamp is None else timestamp
        signature = self._signer.sign(cosigned_message(text, timestamp))
        return NoteSignature(self.name, self.key_id, struct.pack(">Q", timestamp) + signature)

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)

    def verifier_key(self) -> str:
        return witness_verifier_key(self.name, self.public_key)


class KeyWitness(Witness):
    """A :class:`~ledger.tlog.witness.Witness` whose key is a Serah key file.

    ``Witness.__init__`` wants the raw ``cryptography`` private key, which
    ``ledger.keys.Signer`` deliberately never hands out; everything else
    (state file, rollback and split-view rules) is the parent's.
    """

    def __init__(self, name: str, signer: Any, state_path, logs, clock: Callable[[], float] = time.time) -> None:
        self.signer = WitnessSigner(name, signer, clock)
        self.state = WitnessState(state_path)
        self.logs = dict(logs)


# --- SQL plumbing -------------------------------------------------------------------------

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


# --- keeping the tree in step with the records ---------------------------------------------

def _last_record(sql: _Sql, names: _Names, before: int | None) -> bytes | None:
    where, params = _record_filter(names, before)
    row = sql.one(
        f"SELECT state FROM {names.events} WHERE {where} ORDER BY {names.order} DESC LIMIT 1", params
    )
    return bytes(row[0]) if row is not None else None


def _record_filter(names: _Names, before: int | None) -> tuple[str, list[Any]]:
    if before is None:
        return "topic = ?", [RECORD_TOPIC]
    return f"topic = ? AND {names.order} < ?", [RECORD_TOPIC, before]


def _records_from(sql: _Sql, names: _Names, offset: int, before: int | None = None) -> Iterator[bytes]:
    """Envelopes of the records from 0-based ``offset`` on, in global order.

    The first page is found with OFFSET (a scan, but only when catching up);
    later pages continue from the last position seen.
    """
    where, params = _record_filter(names, before)
    query = f"SELECT {names.order}, state FROM {names.events} WHERE {where}"
    rows = sql.rows(f"{query} ORDER BY {names.order} LIMIT ? OFFSET ?", [*params, _PAGE, offset])
    while rows:
        for _, state in rows:
            yield bytes(state)
        if len(rows) < _PAGE:
            return
        rows = sql.rows(f"{query} AND {names.order} > ? ORDER BY {names.order} LIMIT ?",
                        [*params, rows[-1][0], _PAGE])


def _align(sql: _Sql, names: _Names, tree: MerkleTree, before: int | None,
           progress: Callable[[int], None] | None = None) -> int:
    """Make ``tree`` hold exactly the records stored before position ``before``.

    The caller holds the ledger's write lock. Cheap when the tree is in step
    (its last leaf is the last record); otherwise catches up from the records,
    after checking that the tree's last leaf is the record at that place.
    Returns the number of leaves added.
    """
    last = _last_record(sql, names, before)
    if last is None:
        if tree.size:
            raise TreeMismatch(tree=tree.size, detail="the ledger holds no records")
        return 0
    if tree.size and tree.leaf_hash_at(tree.size - 1) == leaf_hash(last):
        return 0
    records = _records_from(sql, names, max(tree.size - 1, 0), before)
    if tree.size:
        at_end = next(records, None)
        if at_end is None:
            raise TreeMismatch(tree=tree.size, detail="the ledger holds fewer records")
        if leaf_hash(at_end) != tree.leaf_hash_at(tree.size - 1):
            raise TreeMismatch(tree=tree.size, detail=f"record {tree.size - 1} differs from its leaf")
    added, batch = 0, []
    for envelope in records:
        batch.append(leaf_hash(envelope))
        if len(batch) == _PAGE:
            tree.extend_leaf_hashes(batch)
            added, batch = added + len(batch), []
            if progress is not None:
                progress(added)
    if batch:
        tree.extend_leaf_hashes(batch)
        added += len(batch)
    return added


def _extend_for(sql: _Sql, names: _Names, stored_events: Sequence[Any], before: int | None) -> None:
    """The recorders' hook: leaves for the records among ``stored_events``."""
    envelopes = [bytes(e.state) for e in stored_events if e.topic == RECORD_TOPIC]
    if not envelopes:
        return
    tree = MerkleTree(LogNodeStore(sql, names))
    _align(sql, names, tree, before)
    tree.extend(envelopes)


# --- the recorders --------------------------------------------------------------------------

def _sqlite_log_ready(conn: Any) -> bool:
    """The log's tables exist, each with the append-only triggers (UPDATE, DELETE at least)."""
    marks = ",".join("?" * len(TABLES))
    tables = conn.execute(f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({marks})",
                          TABLES).fetchone()[0]
    triggers = dict(conn.execute(f"SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger'"
                                 f" AND tbl_name IN ({marks}) GROUP BY tbl_name", TABLES).fetchall())
    return tables == len(TABLES) and all(triggers.get(t, 0) >= 2 for t in TABLES)


class TlogSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """SQLite recorder that grows the transparency log in the insert's transaction.

    The hook runs after the rows are inserted: by then this transaction holds
    SQLite's write lock, so reading the tree's end and appending to it cannot
    interleave with another writer. Any error rolls the whole save back.
    """

    def _names(self) -> _Names:
        return _sqlite_names(self.events_table_name)

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
                from ledger import persistence

                for table in TABLES:
                    persistence.guard_table(raw, table)
            except BaseException:
                raw.rollback()
                raise
            raw.commit()

    def _insert_events(self, c: Any, stored_events: Sequence[Any], **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if positions:
            sql = _Sql(c.sqlite_cursor.connection, SQLITE)
            _extend_for(sql, self._names(), stored_events, before=min(positions))
        return positions


def _make_postgres_recorder() -> type:
    """Built on first use: it extends ``ledger.persistence``'s recorder, which
    is itself built lazily so SQLite users never import psycopg."""
    from ledger import persistence

    base = persistence.SerahPostgresApplicationRecorder

    class TlogPostgresApplicationRecorder(base):  # type: ignore[misc, valid-type]
        """PostgreSQL recorder that grows the transparency log in the insert's transaction.

        The hook is the library's ``_insert_events``, which runs inside the
        insert transaction *before* the rows are inserted and outside the
        block that defers exceptions, so an error here rolls everything back.
        It takes the event table's EXCLUSIVE lock first (the insert takes
        it again, harmlessly), so no other writer can append in between.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self.datastore.enable_db_functions:
                # That insert path skips _insert_events: records without leaves.
                raise RuntimeError("POSTGRES_ENABLE_DB_FUNCTIONS bypasses the transparency log; leave it off")

        def _names(self) -> _Names:
            return _postgres_names(self.datastore.schema, self.events_table_name)

        def create_table(self) -> None:
            super().create_table()
            names = self._names()
            with self.datastore.get_connection() as conn, conn.transaction():
                # Processes opening a new database together would otherwise
                # race on CREATE TABLE IF NOT EXISTS (a duplicate pg_type row).
                persistence.schema_lock(conn)
                sql = _Sql(conn, POSTGRES)
                missing = [t for t in TABLES if sql.one("SELECT to_regclass(?)", [names.table(t)])[0] is None]
                if missing:
                    for statement in _ddl(names):
                        sql.run(statement)
                for table in TABLES:
                    persistence.guard_table(conn, table, schema=names.schema)

        def _insert_events(self, curs: Any, stored_events: Sequence[Any], **kwargs: Any) -> None:
            super()._insert_events(curs, stored_events, **kwargs)
            if any(e.topic == RECORD_TOPIC for e in stored_events):
                self._lock_table(curs)
                _extend_for(_Sql(curs.connection, POSTGRES), self._names(), stored_events, before=None)

    TlogPostgresApplicationRecorder.__module__ = __name__
    TlogPostgresApplicationRecorder.__qualname__ = "TlogPostgresApplicationRecorder"
    return TlogPostgresApplicationRecorder


_lazy: dict[str, type] = {}


def __getattr__(name: str) -> Any:
    # PEP 562: eventsourcing resolves the recorder topic with getattr(module, name).
    if name == "TlogPostgresApplicationRecorder":
        if name not in _lazy:
            _lazy[name] = _make_postgres_recorder()
        return _lazy[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` (from ``ledger.persistence.environment``) with the tlog recorders selected."""
    env = dict(env)
    module = env.get("PERSISTENCE_MODULE", "")
    topic = env.get("APPLICATION_RECORDER_TOPIC", "")
    if module == "eventsourcing.sqlite":
        if topic:
            raise RuntimeError(f"the transparency log cannot combine with recorder {topic}")
        env["APPLICATION_RECORDER_TOPIC"] = f"{__name__}:TlogSQLiteApplicationRecorder"
    elif module == "eventsourcing.postgres":
        if topic != "ledger.persistence:SerahPostgresApplicationRecorder":
            raise RuntimeError(f"the transparency log cannot combine with recorder {topic!r}")
        env["APPLICATION_RECORDER_TOPIC"] = f"{__name__}:TlogPostgresApplicationRecorder"
    return env


# --- stored checkpoints ---------------------------------------------------------------------

@dataclass(frozen=True)
class StoredCosignature:
    size: int
    name: str
    key_id: bytes
    line: str  #: the signature line, with its final newline
    witness_key: str  #: the witness's verifier key (type 0x04)
    added: int  #: when it was stored, ms since the epoch

    @property
    def time(self) -> int:
        """The cosignature's own timestamp (POSIX seconds), as the witness signed it."""
        return CosignatureVerifier.timestamp(NoteSignature.parse_line(self.line.rstrip("\n")).signature)


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str  #: the note as the log signed it
    log_key: str  #: the log's verifier key (type 0x01)
    created: int  #: when it was signed, ms since the epoch
    cosignatures: tuple[StoredCosignature, ...] = field(default=())

    @property
    def origin(self) -> str:
        return self.note.split("\n", 1)[0]

    @property
    def full_note(self) -> str:
        """The note with every stored cosignature line: what clients are given."""
        return self.note + "".join(c.line for c in self.cosignatures)


# --- the service ------------------------------------------------------------------------------

class TransparencyLog:
    """The transparency log of one ``Ledger``: size, roots, proofs, checkpoints.

    Leaf *i* is the record at 0-based place *i* of the global order (SPEC
    10.1). Proofs are made from stored nodes (O(log n) reads each).
    """

    def __init__(self, ledger: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.ledger = ledger
        self._names = _names_for(ledger.recorder)
        self._clock = clock
        self._aligned = False

    # --- connections

    @contextmanager
    def _reading(self) -> Iterator[_Sql]:
        datastore = self.ledger.recorder.datastore
        if self._names.dialect is SQLITE:
            with datastore.transaction(commit=False) as cursor:
                yield _Sql(cursor.sqlite_cursor.connection, SQLITE)
        else:
            with datastore.get_connection() as conn, conn.transaction():
                yield _Sql(conn, POSTGRES)

    @contextmanager
    def _writing(self, *, lock_records: bool = False) -> Iterator[_Sql]:
        """A write transaction; with ``lock_records`` it first takes the lock
        record inserts take, so the tree cannot change underneath."""
        recorder = self.ledger.recorder
        datastore = recorder.datastore
        if self._names.dialect is SQLITE:
            with datastore.get_connection(commit=True) as conn:
                raw = conn.cursor().sqlite_cursor.connection
                # IMMEDIATE: take the write lock before reading the tree.
                raw.execute("BEGIN IMMEDIATE")
                try:
                    yield _Sql(raw, SQLITE)
                except BaseException:
                    raw.rollback()
                    raise
                raw.commit()
        else:
            with datastore.get_connection() as conn, conn.transaction():
                if lock_records:
                    with conn.cursor() as curs:
                        recorder._lock_table(curs)
                yield _Sql(conn, POSTGRES)

    def _tree(self, sql: _Sql) -> MerkleTree:
        return MerkleTree(LogNodeStore(sql, self._names))

    # --- keeping up

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Bring the tree level with the records; returns the leaves added.

        Appends do this themselves; this is for ledgers written before the
        log existed, and costs two small queries when there is nothing to do.
        ``progress(leaves_added)`` is called every few thousand leaves.
        """
        with self._reading() as sql:
            tree = self._tree(sql)
            last = _last_record(sql, self._names, None)
            if last is None and tree.size == 0:
                return self._done(0)
            if last is not None and tree.size and tree.leaf_hash_at(tree.size - 1) == leaf_hash(last):
                return self._done(0)
        with self._writing(lock_records=True) as sql:
            return self._done(_align(sql, self._names, self._tree(sql), None, progress))

    def _done(self, added: int) -> int:
        self._aligned = True
        return added

    def _ready(self) -> None:
        if not self._aligned:
            self.catch_up()

    # --- the tree

    @property
    def size(self) -> int:
        """Number of leaves, which is the number of records."""
        self._ready()
        with self._reading() as sql:
            return self._tree(sql).size

    def root(self, size: int | None = None) -> bytes:
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, size)
            return tree.root(size)

    def leaf_index(self, record_id: bytes) -> int:
        """The 0-based leaf index (place in the global order) of a record."""
        envelope = self.ledger.record(record_id)  # UnknownRecord if not in the ledger
        self._ready()
        with self._reading() as sql:
            row = sql.one(f"SELECT idx FROM {self._names.node} WHERE level = 0 AND hash = ?",
                          [leaf_hash(envelope)])
        if row is None:
            raise TreeMismatch(tree=self.size, detail=f"record {record_id.hex()[:16]} has no leaf")
        return int(row[0])

    def leaf_indexes(self, positions: Sequence[int]) -> dict[int, int]:
        """Leaf index of each record given by its storage position (notification
        id, as ``Ledger.records`` yields); positions of other rows are left out."""
        found: dict[int, int] = {}
        positions = list(dict.fromkeys(positions))
        self._ready()
        with self._reading() as sql:
            for start in range(0, len(positions), 500):
                chunk = positions[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = sql.rows(f"SELECT {self._names.order}, state FROM {self._names.events}"
                                f" WHERE topic = ? AND {self._names.order} IN ({marks})", [RECORD_TOPIC, *chunk])
                by_hash = {leaf_hash(bytes(state)): int(position) for position, state in rows}
                found.update(self._indexes_of(sql, by_hash))
        return found

    def leaf_indexes_of(self, record_ids: Sequence[bytes]) -> dict[bytes, int]:
        """Leaf index of each record given by its id; unknown ids are left out."""
        envelopes = self.ledger._record_envelopes(list(record_ids))
        return self.leaf_indexes_by_hash({leaf_hash(envelope): rid for rid, envelope in envelopes.items()})

    def leaf_indexes_by_hash(self, by_hash: dict[bytes, Any]) -> dict[Any, int]:
        """Leaf index of each record given by its leaf hash (``by_hash`` maps a
        leaf hash to the caller's key, e.g. the record id, which the result
        is keyed by); hashes of no leaf are left out. One indexed read per
        hash, for callers that already hold the envelopes."""
        self._ready()
        with self._reading() as sql:
            return self._indexes_of(sql, by_hash)

    def _indexes_of(self, sql: _Sql, by_hash: dict[bytes, Any]) -> dict[Any, int]:
        found = {}
        hashes = list(by_hash)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for digest, index in sql.rows(f"SELECT hash, idx FROM {self._names.node}"
                                          f" WHERE level = 0 AND hash IN ({marks})", chunk):
                found[by_hash[bytes(digest)]] = int(index)
        return found

    def envelope_at(self, index: int) -> bytes:
        """The record at leaf ``index`` (a scan of the global order: for people, not loops)."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            if not 0 <= index < tree.size:
                raise NoSuchLeaf(index=index, log=tree.size)
            envelope = next(_records_from(sql, self._names, index), None)
            if envelope is None or leaf_hash(envelope) != tree.leaf_hash_at(index):
                raise TreeMismatch(tree=tree.size, detail=f"record {index} differs from its leaf")
            return envelope

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` (default: all)."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, size)
            size = tree.size if size is None else size
            if not 0 <= index < size:
                raise NoSuchLeaf(index=index, log=size)
            return tree.inclusion_proof(index, size)

    def inclusion_proofs(self, indexes: Sequence[int], size: int | None = None) -> list[list[bytes]]:
        """``inclusion_proof`` of each leaf in ``indexes``, in one read transaction."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, size)
            size = tree.size if size is None else size
            for index in indexes:
                if not 0 <= index < size:
                    raise NoSuchLeaf(index=index, log=size)
            return tree.inclusion_proofs(indexes, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from ``old_size`` to ``new_size`` (default: all)."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, new_size)
            new_size = tree.size if new_size is None else new_size
            if not 0 <= old_size <= new_size:
                raise BeyondLog(size=old_size, log=new_size)
            return tree.consistency_proof(old_size, new_size)

    # --- what tiles are made of (ledger.tlog.tile_source)

    def node_run(self, level: int, first: int, count: int) -> list[bytes]:
        """Stored hashes of tree ``level``, indexes ``first`` .. ``first + count - 1``, in order.

        A C2SP tile is such a run (``ledger.tlog.tiles``); one range read on
        the primary key. Returns fewer when the tree does not hold them all.
        """
        self._ready()
        with self._reading() as sql:
            rows = sql.rows(f"SELECT hash FROM {self._names.node} WHERE level = ? AND idx >= ? AND idx < ?"
                            " ORDER BY idx", [level, first, first + count])
        return [bytes(row[0]) for row in rows]

    def record_positions(self, after: int | None, limit: int) -> list[int]:
        """Storage positions (global order) of up to ``limit`` records after position ``after``.

        The k-th record's position is where leaf k's envelope is stored; a
        server keeps these to find an entry bundle's records with one range read.
        """
        with self._reading() as sql:
            where, params = _record_filter(self._names, None)
            if after is not None:
                where, params = f"{where} AND {self._names.order} > ?", [*params, after]
            rows = sql.rows(f"SELECT {self._names.order} FROM {self._names.events} WHERE {where}"
                            f" ORDER BY {self._names.order} LIMIT ?", [*params, limit])
        return [int(row[0]) for row in rows]

    def envelopes_from_position(self, position: int, count: int) -> list[bytes]:
        """The envelopes of ``count`` records from storage position ``position`` on, in global order."""
        with self._reading() as sql:
            where, params = _record_filter(self._names, None)
            rows = sql.rows(f"SELECT state FROM {self._names.events} WHERE {where} AND {self._names.order} >= ?"
                            f" ORDER BY {self._names.order} LIMIT ?", [*params, position, count])
        return [bytes(row[0]) for row in rows]

    @staticmethod
    def _check_size(tree: MerkleTree, size: int | None) -> None:
        if size is not None and not 0 <= size <= tree.size:
            raise BeyondLog(size=size, log=tree.size)

    # --- checkpoints

    @property
    def origin(self) -> str:
        """The log's name: the genesis ``name`` (SPEC 4.1, 10.3)."""
        genesis = self.ledger.genesis_body
        if genesis is None:
            from ledger.errors import NotInitialised

            raise NotInitialised()
        return genesis["name"]

    def signer(self, key: Any) -> LogSigner:
        """The note signer for the log key ``key`` (a ``ledger.keys.Signer``)."""
        try:
            return LogSigner(self.origin, key)
        except NoteError as error:
            raise BadNote(detail=f"the ledger name cannot be a key name: {error}") from None

    def sign_checkpoint(self, key: Any, *, new_key: bool = False) -> tuple[StoredCheckpoint, bool]:
        """Sign and store a checkpoint of the whole log; returns it and whether it is new.

        When the newest checkpoint already has the current size it is
        returned as it is. Refuses (``TreeMismatch``) when the tree no longer
        extends the newest checkpoint: the log must never sign two
        inconsistent checkpoints. Refuses a key other than the one that
        signed the newest checkpoint unless ``new_key`` (a key change is
        something witnesses and auditors must be told about).
        """
        signer = self.signer(key)
        self._ready()
        latest = self.latest_checkpoint()
        if latest is not None and latest.log_key != signer.verifier_key() and not new_key:
            raise LogKeyChanged(previous=latest.log_key, given=signer.verifier_key())
        with self._reading() as sql:
            tree = self._tree(sql)
            size, root = tree.size, tree.root()
            if latest is not None:
                if latest.size > size:
                    raise TreeMismatch(tree=size, detail=f"checkpoint {latest.size} is larger than the log")
                if tree.root(latest.size) != latest.root:
                    raise TreeMismatch(tree=size, detail=f"the log no longer extends checkpoint {latest.size}")
        if latest is not None and latest.size == size:
            return latest, False
        note = Checkpoint(self.origin, size, root).sign(signer)
        created = int(self._clock() * 1000)
        try:
            with self._writing() as sql:
                sql.run(f"INSERT INTO {self._names.checkpoint} (size, root, note, log_key, created)"
                        " VALUES (?, ?, ?, ?, ?)", [size, root, note, signer.verifier_key(), created])
        except Exception as error:  # a concurrent signer stored this size first
            stored = self._checkpoint_row(size)
            if stored is None or stored.root != root:
                raise error
            return stored, False
        return StoredCheckpoint(size, root, note, signer.verifier_key(), created), True

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest first, with its cosignatures."""
        return self._select_checkpoints("", [])

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        found = self._select_checkpoints(
            f"WHERE size = (SELECT max(size) FROM {self._names.checkpoint})", [])
        return found[0] if found else None

    def checkpoint(self, size: int | None = None) -> StoredCheckpoint:
        """The checkpoint of ``size`` (default: the newest); raises if there is none."""
        if size is None:
            found = self.latest_checkpoint()
            if found is None:
                raise NoCheckpoint()
            return found
        found = self._checkpoint_row(size)
        if found is None:
            raise UnknownCheckpoint(size=size)
        return found

    def covering_checkpoint(self, index: int) -> StoredCheckpoint | None:
        """The newest checkpoint that includes leaf ``index`` (None if none does yet)."""
        latest = self.latest_checkpoint()
        return latest if latest is not None and index < latest.size else None

    def _checkpoint_row(self, size: int) -> StoredCheckpoint | None:
        found = self._select_checkpoints("WHERE size = ?", [size])
        return found[0] if found else None

    def _select_checkpoints(self, where: str, params: list[Any]) -> list[StoredCheckpoint]:
        names = self._names
        with self._reading() as sql:
            rows = sql.rows(f"SELECT size, root, note, log_key, created FROM {names.checkpoint} {where}"
                            " ORDER BY size", params)
            cosigs: dict[int, list[StoredCosignature]] = {}
            if rows:
                low, high = rows[0][0], rows[-1][0]
                for size, name, kid, line, wkey, added in sql.rows(
                        f"SELECT size, name, key_id, line, witness_key, added FROM {names.cosignature}"
                        " WHERE size >= ? AND size <= ? ORDER BY size, added, name", [low, high]):
                    cosigs.setdefault(int(size), []).append(
                        StoredCosignature(int(size), name, bytes(kid), line, wkey, int(added)))
        return [StoredCheckpoint(int(size), bytes(root), note, log_key, int(created),
                                 tuple(cosigs.get(int(size), ())))
                for size, root, note, log_key, created in rows]

    def for_export(self, size: int | None = None) -> "ExportView":
        """What an evidence bundle needs (``ledger.export``): proofs into one
        stored checkpoint (default: the newest) and that checkpoint with its
        cosignatures."""
        return ExportView(self, self.checkpoint(size))

    def witness_keys(self) -> list[str]:
        """Verifier keys of every witness that has a stored cosignature."""
        with self._reading() as sql:
            rows = sql.rows(f"SELECT DISTINCT witness_key FROM {self._names.cosignature}")
        return sorted(row[0] for row in rows)

    def add_cosignatures(self, note_text: str, witness_keys: Sequence[str] = ()) -> list[StoredCosignature]:
        """Store the cosignatures that ``note_text`` carries for a stored checkpoint.

        Each is verified first against ``witness_keys`` (verifier keys, type
        0x04) or, when none are given, against the witnesses already known
        from stored cosignatures. Lines of unknown keys are ignored; a line
        of a given key that does not verify is refused. Returns those newly
        stored (one already stored is not stored twice).
        """
        try:
            note = parse_note(note_text)
            checkpoint = Checkpoint.parse(note.text)
        except NoteError as error:
            raise BadNote(detail=str(error)) from None
        stored = self._checkpoint_row(checkpoint.size)
        if stored is None:
            raise UnknownCheckpoint(size=checkpoint.size)
        if parse_note(stored.note).text != note.text:
            raise BadNote(detail=f"the note is not this ledger's checkpoint of size {checkpoint.size}")
        try:
            verifiers = [CosignatureVerifier.from_verifier_key(k) for k in (witness_keys or self.witness_keys())]
        except NoteError as error:
            raise BadNote(detail=f"witness key: {error}") from None
        if not verifiers:
            raise BadNote(detail="no witness key given")
        have = {(c.name, c.key_id) for c in stored.cosignatures}
        added: list[StoredCosignature] = []
        now = int(self._clock() * 1000)
        for verifier in verifiers:
            lines = [s for s in note.signatures if (s.name, s.key_id) == (verifier.name, verifier.key_id)]
            for sig in lines:
                if not verifier.verify(note.text, sig.signature):
                    raise BadCosignature(witness=verifier.name, size=checkpoint.size)
            if lines and (verifier.name, verifier.key_id) not in have:
                have.add((verifier.name, verifier.key_id))
                added.append(StoredCosignature(checkpoint.size, verifier.name, verifier.key_id,
                                               lines[0].line(), verifier.verifier_key(), now))
        if not added and not any(
                (s.name, s.key_id) in {(v.name, v.key_id) for v in verifiers} for s in note.signatures):
            raise BadNote(detail="the note carries no cosignature by the given witness")
        if added:
            with self._writing() as sql:
                sql.many(f"INSERT INTO {self._names.cosignature}"
                         " (size, name, key_id, line, witness_key, added) VALUES (?, ?, ?, ?, ?, ?)",
                         [(c.size, c.name, c.key_id, c.line, c.witness_key, c.added) for c in added])
        return added


class ExportView:
    """The log as an exporter sees it: frozen at one stored checkpoint."""

    def __init__(self, log: TransparencyLog, checkpoint: StoredCheckpoint) -> None:
        self.log = log
        self.stored = checkpoint
        self.size = checkpoint.size

    def leaf_indexes(self, positions: Sequence[int]) -> dict[int, int]:
        return self.log.leaf_indexes(positions)

    def leaf_indexes_by_hash(self, by_hash: dict[bytes, Any]) -> dict[Any, int]:
        return self.log.leaf_indexes_by_hash(by_hash)

    def inclusion_proof(self, index: int) -> list[bytes]:
        return self.log.inclusion_proof(index, self.size)

    def inclusion_proofs(self, indexes: Sequence[int]) -> list[list[bytes]]:
        return self.log.inclusion_proofs(indexes, self.size)

    def checkpoint(self) -> dict:
        """The bundle's ``checkpoint`` part (SPEC 11.3)."""
        return {"log": self.stored.log_key, "note": self.stored.full_note,
                "witnesses": sorted({c.witness_key for c in self.stored.cosignatures})}


# --- witnessing ---------------------------------------------------------------------------

def cosign_checkpoint(log: TransparencyLog, witness: Witness, note_text: str) -> tuple[str, list[bytes]]:
    """Check ``note_text`` against what ``witness`` cosigned before and cosign it.

    The consistency proof comes from ``log`` (the ledger given to the
    witness), from the size the witness last cosigned to the note's size.
    Returns the note with the witness's cosignature line added, and the
    proof. Raises the witness's ``RollbackError`` / ``SplitViewError``
    (nothing stored) or ``BeyondLog`` when the ledger does not hold as many
    records as the checkpoint claims (itself evidence of a truncated log).
    """
    try:
        note = parse_note(note_text)
        checkpoint = Checkpoint.parse(note.text)
    except NoteError as error:
        raise BadNote(detail=str(error)) from None
    old_size, _ = witness.state.load().get(checkpoint.origin, (0, EMPTY_ROOT))
    if checkpoint.size < old_size:
        proof: list[bytes] = []  # the witness refuses it as a rollback
    else:
        proof = log.consistency_proof(old_size, checkpoint.size)
    line = witness.cosign(note_text, proof)
    return note.to_text() + line, proof

