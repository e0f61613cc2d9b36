"""Where records come from: a ledger database, a handover file, a stream file.

Every source yields *batches*: small descriptions of a slice of the input
(for SQLite and PostgreSQL a range of row numbers, for files the rows
themselves), and reads a batch into ``[(where, envelope_bytes), ...]`` in
global order. Worker processes read their own batches, so the parent never
copies a record between processes.

Databases are opened read-only (SQLite ``mode=ro``; PostgreSQL read-only
transactions): the verifier must never be able to change what it audits.
Anything that makes the input unusable raises ``Unusable`` (exit status 2).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgpack

from verifier import sce

RECORD_TOPIC = "serah:record"  # SPEC 9: the topic of rows holding record envelopes
TABLE = "stored_events"
SQLITE_MAGIC = b"SQLite format 3\x00"
ROWS_PER_BATCH = 2048


class Unusable(Exception):
    """The input cannot be verified at all. ``code``/``params`` make one line of text."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __reduce__(self):  # survives the trip back from a worker process
        return (_unusable, (self.code, self.params))


def _unusable(code, params):
    return Unusable(code, **params)


def open_source(target: str):
    """Pick the reader for ``target``: a postgresql:// URL or a file path."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresSource(text)
    path = Path(text)
    if not path.exists():
        raise Unusable("input_missing", path=text)
    if not path.is_file():
        raise Unusable("input_not_file", path=text)
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise Unusable("input_unreadable", path=text, reason=exc.strerror or str(exc)) from None
    if not head:
        raise Unusable("input_empty", path=text)
    if head.startswith(SQLITE_MAGIC[:6]):
        return SqliteSource(path)
    if _looks_like_map(head, b"format"):
        return HandoverFileSource(path)
    if _looks_like_map(head, b"body"):
        return StreamSource(path)
    raise Unusable("input_unknown_format", path=text)


def _looks_like_map(head: bytes, first_key: bytes) -> bool:
    """A fixmap whose first key is ``first_key`` (envelopes and handover files)."""
    return 0x81 <= head[0] <= 0x8F and head[1:2] == bytes([0xA0 | len(first_key)]) and head[2:].startswith(first_key)


class _OrderedTableSource:
    """What both database sources share: rows numbered ``low..high`` in global
    order (SQLite rowid, PostgreSQL notification_id), read in fixed ranges by
    whichever process asks, over a connection that is never carried across fork().
    """

    low: int
    high: int
    _conn = None
    _pid = None

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def estimate(self) -> int:
        return max(0, self.high - self.low + 1)

    def plan(self):
        """Ranges ``(first, last)`` of row numbers; rows of other topics are skipped when read."""
        for first in range(self.low, self.high + 1, ROWS_PER_BATCH):
            yield (first, min(first + ROWS_PER_BATCH - 1, self.high))

    def progress_of(self, batch) -> float:
        span = self.high - self.low + 1
        return (batch[1] - self.low + 1) / span if span > 0 else 1.0


class SqliteSource(_OrderedTableSource):
    """``stored_events`` rows with topic ``serah:record``, in rowid order (SPEC 9)."""

    kind = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        self.name = str(path)
        self._conn = None
        self._pid = None
        with open(path, "rb") as handle:
            header = handle.read(100)
        if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
            raise Unusable("input_corrupt", path=self.name, reason="truncated SQLite header")
        try:
            conn = self._connect()
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if TABLE not in names:
                raise Unusable("input_no_table", path=self.name, table=TABLE)
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({TABLE})")}
            if not {"topic", "state"} <= columns:
                raise Unusable("input_no_table", path=self.name, table=TABLE)
            low, high = conn.execute(f"SELECT min(rowid), max(rowid) FROM {TABLE}").fetchone()
        except sqlite3.Error as exc:
            raise Unusable("input_corrupt", path=self.name, reason=str(exc)) from None
        finally:
            self.close()  # never carry a connection across fork()
        self.low, self.high = (low or 0), (high or -1)

    def storage_findings(self) -> list[tuple[str, str, dict, int | None]]:
        """S1 and S2 (SPEC 9.6): ``(check, code, params, position)`` for rows that SPEC 9.4
        and 9.1 rule out: deleted rows (rowids not 1..N), and record rows stored with
        another SQLite storage class (a BLOB topic, a text or NULL state)."""
        out: list[tuple[str, str, dict, int | None]] = []
        try:
            conn = self._connect()
            count = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
            if count and self.low != 1:
                out.append(("S1", "storage_rowid_start", {"first": self.low}, None))
            if count and count != self.high - self.low + 1:
                gaps = conn.execute(
                    f"SELECT e.rowid, (SELECT min(f.rowid) FROM {TABLE} f WHERE f.rowid > e.rowid) FROM {TABLE} e "
                    f"WHERE e.rowid < ? AND NOT EXISTS (SELECT 1 FROM {TABLE} g WHERE g.rowid = e.rowid + 1) "
                    "ORDER BY e.rowid LIMIT 100", (self.high,)).fetchall()
                out.extend(("S1", "storage_rowid_gap", {"after": a, "next": b}, None) for a, b in gaps)
            odd = conn.execute(
                f"SELECT rowid, typeof(topic), typeof(state) FROM {TABLE} WHERE "
                "(typeof(topic) <> 'text' AND CAST(topic AS BLOB) = CAST(? AS BLOB)) "
                "OR (typeof(topic) = 'text' AND topic = ? AND typeof(state) <> 'blob') ORDER BY rowid LIMIT 1000",
                (RECORD_TOPIC, RECORD_TOPIC)).fetchall()
            for rowid, topic_class, state_class in odd:
                if topic_class != "text":
                    out.append(("S2", "storage_topic_class", {"rowid": rowid, "storage": topic_class}, None))
                else:
                    position = conn.execute(f"SELECT count(*) FROM {TABLE} WHERE rowid < ? AND topic = ?",
                                            (rowid, RECORD_TOPIC)).fetchone()[0]
                    out.append(("S2", "storage_state_class", {"rowid": rowid, "storage": state_class}, position))
        except sqlite3.Error as exc:
            raise Unusable("input_corrupt", path=self.name, reason=str(exc)) from None
        finally:
            self.close()
        return out

    def _connect(self):
        if self._conn is None or self._pid != os.getpid():
            uri = self.path.absolute().as_uri() + "?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._conn

    def read(self, batch) -> list:
        try:
            # CAST: a text or NULL state (not a record) arrives as bytes and fails V1 like any garbage.
            return self._connect().execute(
                f"SELECT rowid, ifnull(CAST(state AS BLOB), x'') FROM {TABLE} "
                "WHERE rowid BETWEEN ? AND ? AND topic = ? ORDER BY rowid",
                (batch[0], batch[1], RECORD_TOPIC),
            ).fetchall()
        except sqlite3.Error as exc:
            raise Unusable("input_corrupt", path=self.name, reason=str(exc)) from None


def _as_bytes(state) -> bytes:
    if type(state) is bytes:
        return state
    if isinstance(state, (bytearray, memoryview)):
        return bytes(state)
    return b""  # NULL or text where bytes belong: reported as V1 (truncated)


class PostgresSource(_OrderedTableSource):
    """The same table in PostgreSQL, ordered by ``notification_id`` (SPEC 9)."""

    kind = "postgresql"

    def __init__(self, url: str):
        self.url, self.schema = _split_schema(url)
        self.name = _redact(url)
        # A quoted, schema-qualified name (SPEC 9: the URL's `schema`, default public).
        self.table = '"{}"."{}"'.format(self.schema.replace('"', '""'), TABLE)
        self._conn = None
        self._pid = None
        try:
            conn = self._connect()
            with conn.cursor() as cur:
                cur.execute("SELECT to_regclass(%s)", (self.table,))
                if cur.fetchone()[0] is None:
                    raise Unusable("input_no_table", path=self.name, table=f"{self.schema}.{TABLE}")
                cur.execute(f"SELECT min(notification_id), max(notification_id) FROM {self.table}")
                low, high = cur.fetchone()
        except Unusable:
            self.close()
            raise
        except Exception as exc:  # noqa: BLE001 - psycopg.Error, or psycopg missing
            self.close()
            raise Unusable("input_database", path=self.name, reason=_first_line(exc)) from None
        self.close()
        self.low, self.high = (low or 0), (high if high is not None else -1)

    def _connect(self):
        if self._conn is None or self._pid != os.getpid():
            import psycopg

            self._conn = psycopg.connect(self.url, autocommit=False)
            self._conn.read_only = True
            self._pid = os.getpid()
        return self._conn

    def read(self, batch) -> list:
        try:
            conn = self._connect()
            with conn.cursor() as cur:
                cur.execute(
                    f"SELECT notification_id, state FROM {self.table} "
                    "WHERE notification_id BETWEEN %s AND %s AND topic = %s ORDER BY notification_id",
                    (batch[0], batch[1], RECORD_TOPIC),
                )
                rows = cur.fetchall()
            conn.rollback()  # end the read-only transaction; nothing was written
        except Exception as exc:  # noqa: BLE001 - psycopg.Error (psycopg is imported lazily): one line, exit 2
            raise Unusable("input_database", path=self.name, reason=_first_line(exc)) from None
        return [(nid, _as_bytes(state)) for nid, state in rows]


def _split_schema(url: str) -> tuple[str, str]:
    """Take SPEC 9's `schema` parameter out of the URL (libpq does not know it)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((value for key, value in query if key == "schema"), "") or "public"
    rest = urlencode([(key, value) for key, value in query if key != "schema"])
    return urlunsplit(parts._replace(query=rest)), schema


def _redact(url: str) -> str:
    """Never print a password from a URL."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class _FileSource:
    """Files are small next to a database: split them here, ship the bytes."""

    BATCH = 512

    def __init__(self, path: Path):
        self.path = path
        self.name = str(path)
        self.rows = self._split(path.read_bytes())

    def _split(self, data: bytes) -> list:
        """The file's rows, ``[(where, envelope_bytes), ...]``; each kind of file says how."""
        raise NotImplementedError

    def estimate(self) -> int:
        return len(self.rows)

    def plan(self):
        for first in range(0, len(self.rows), self.BATCH):
            yield self.rows[first : first + self.BATCH]

    def progress_of(self, batch) -> float | None:
        return None

    def read(self, batch) -> list:
        return batch

    def close(self) -> None:
        pass


class StreamSource(_FileSource):
    """Envelopes back to back, each a complete SCE value; ``where`` is the byte offset.

    Bytes that do not form a complete value become one last row, so the
    damage is reported as a V1 finding at that offset rather than ignored.
    """

    kind = "stream"

    def _split(self, data: bytes) -> list:
        unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, max_buffer_size=max(len(data), 1))
        unpacker.feed(data)
        rows, start = [], 0
        try:
            for _ in unpacker:
                end = unpacker.tell()
                rows.append((start, data[start:end]))
                start = end
        except Exception:  # noqa: BLE001 - a malformed tail becomes one last row, which V1 reports
            pass
        if start < len(data):
            rows.append((start, data[start:]))
        return rows


#: SPEC 7.4: one envelope (3.7: at most 65,535 bytes) and the map around it.
RECORD_FILE_MAX = 65_535 + 64


class HandoverFileSource(_FileSource):
    """SPEC 7.1: ``{"format": "serah-handover", "v": 1, "records": [envelope, ...]}``;
    and SPEC 7.4, a record file awaiting co-signers, ``"serah-record"`` with
    exactly one envelope (``kind`` is then ``"record"``)."""

    kind = "handover"

    def _split(self, data: bytes) -> list:
        if len(data) <= RECORD_FILE_MAX:
            try:
                value = sce.decode(data)
            except sce.SCEError:
                value = None
            if type(value) is dict and value.get("format") == "serah-record":
                if (
                    sorted(value) != ["format", "records", "v"]
                    or type(value["v"]) is not int
                    or value["v"] != 1
                    or type(value["records"]) is not list
                    or len(value["records"]) != 1
                    or type(value["records"][0]) is not bytes
                ):
                    raise Unusable("input_bad_record_file", path=self.name, reason="not a serah-record map (SPEC 7.4)")
                self.kind = "record"
                return [(0, value["records"][0])]
        return self._split_handover(data)

    def _split_handover(self, data: bytes) -> list:
        try:
            value = sce.decode(data)
        except sce.SCEError as exc:
            raise Unusable("input_bad_handover_file", path=self.name, reason=f"{exc.code} at byte {exc.offset}") from None
        if (
            type(value) is not dict
            or sorted(value) != ["format", "records", "v"]
            or value["format"] != "serah-handover"
            or type(value["v"]) is not int  # true == 1 in Python; SPEC 7.1 says the integer 1
            or value["v"] != 1
            or type(value["records"]) is not list
            or not value["records"]
            or not all(type(r) is bytes for r in value["records"])
        ):
            raise Unusable("input_bad_handover_file", path=self.name, reason="not a serah-handover map (SPEC 7.1)")
        return list(enumerate(value["records"]))
