"""Serah persistence layer: where ledger records are stored, and the
database-level guarantee that stored rows are never changed or removed.

Records are stored by an ``eventsourcing`` ``Application``.  This module does
not wrap the library: it produces the library's own environment settings and,
once the tables exist, installs guards *inside the database* so that an
UPDATE, DELETE or TRUNCATE of the event table is refused no matter which
program issues it (the CLI, an operator's ``sqlite3``/``psql`` shell, a buggy
migration).  The integrity proofs (hash chain, Merkle tree) detect tampering
after the fact; these guards stop the ordinary ways of tampering from working
at all.

How the application module uses it (this is the whole API it needs)::

    from ledger import persistence

    env = persistence.environment(db)      # db: the --db value; None -> $SERAH_DB -> ./serah.sqlite
    app = SerahApplication(env=env)        # any eventsourcing.Application subclass
    persistence.harden(app)                # right after construction; tables exist by then
    log.info("ledger at %s", persistence.redact(db))   # never print `db` itself

``harden(app)`` is idempotent and cheap (a few catalog queries), so call it on
every start.  On PostgreSQL, when the application connects as a non-owner
(the writer role), ``harden`` cannot change anything and instead *checks* that
the guards are installed, raising :class:`GuardsMissing` if not, so an
unguarded ledger is never written to silently.

Tables created later that must also be append-only (e.g. Merkle tree nodes)::

    with persistence.transaction(app) as conn:     # sqlite3 / psycopg connection
        conn.execute("CREATE TABLE IF NOT EXISTS merkle_nodes (...)")
        persistence.guard_table(conn, "merkle_nodes")

Backend notes (normative details are in SPEC.md section 9):

* SQLite: the library always uses table ``stored_events``; the global order is
  ``rowid``.  Triggers refuse UPDATE and DELETE (SQLite has no TRUNCATE; its
  truncate optimisation is disabled when a DELETE trigger exists), refuse
  ``INSERT OR REPLACE`` of an existing key (REPLACE deletes the old row
  *without* firing DELETE triggers) and refuse rows whose rowid is not the
  next one (an explicit rowid could otherwise insert a row "into the past").
  Anyone who can write the file can still drop the triggers; that is what the
  cryptographic proofs are for.
* PostgreSQL: the library would name the table ``<application name>_events``;
  :class:`SerahPostgresApplicationRecorder` (selected by ``environment()``)
  pins it to ``stored_events`` so renaming the Python class can never switch a
  deployment to a new, empty table, and so both backends store records under
  the same name.  A statement trigger (``ENABLE ALWAYS``, so it also fires
  under ``session_replication_role = replica``) refuses UPDATE, DELETE and
  TRUNCATE; a row trigger refuses notification ids that are not above every
  existing one.  Triggers can be dropped by the table owner, so the real
  boundary is privileges: the NOLOGIN role ``serah_writer`` may only SELECT,
  INSERT the four data columns (not ``notification_id``) and take values from
  the id sequence.  Run the application as a login role that is a member of
  it::

      CREATE ROLE serah_app LOGIN PASSWORD '...' IN ROLE serah_writer;

  The stock recorder takes ``LOCK TABLE ... IN EXCLUSIVE MODE`` before each
  insert (so notification ids are committed in order), which PostgreSQL only
  allows with UPDATE/DELETE/TRUNCATE privilege.  The Serah recorder takes the
  same lock through a ``SECURITY DEFINER`` function owned by the table owner,
  so the writer needs no such privilege.  When it connects as a non-owner it
  skips table creation (which would need ownership) instead of failing, so
  the first start must be as the owner.  It also inserts without psycopg's
  pipeline mode, in which one save of a few thousand events hangs forever.

Caveat: ``Application`` merges ``os.environ`` into its settings and the
library looks up ``<APPNAME>_<KEY>`` before ``<KEY>``; a stray
``LEDGER_POSTGRES_HOST`` (for a class named ``Ledger``) in the process environment would win
over what ``environment()`` returns.  Unprefixed keys returned here do win
over unprefixed ones in ``os.environ``.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ledger.errors import Category, SerahError

if TYPE_CHECKING:
    from eventsourcing.application import Application

__all__ = [
    "DEFAULT_DB",
    "EVENTS_TABLE",
    "GUARD_MESSAGE",
    "WRITER_ROLE",
    "GuardsMissing",
    "SerahPostgresApplicationRecorder",
    "environment",
    "guard_table",
    "harden",
    "install_append_only_guards",
    "redact",
    "schema_lock",
    "transaction",
]

DEFAULT_DB = "serah.sqlite"
"""Used when neither ``--db`` nor ``SERAH_DB`` is given (relative to the cwd)."""

EVENTS_TABLE = "stored_events"
"""Event table name in both backends (see module docstring for why PG is pinned)."""

WRITER_ROLE = "serah_writer"
"""PostgreSQL NOLOGIN role holding exactly the privileges the application needs."""

GUARD_MESSAGE = "serah: append-only"
"""Prefix of every error raised by the guards, in both backends."""

SQLITE_LOCK_TIMEOUT_SECONDS = 30
"""How long a SQLite writer waits for another writer's lock before failing.

The library default (5 s) is short for a ledger that several operators' CLI
processes may append to at once while a long verification read is running;
waiting is always preferable to losing a hand-over record to "database is
locked"."""

_PG_SCHEMES = ("postgresql", "postgres")
_PG_QUERY_KEYS = {"host", "port", "user", "password", "dbname", "schema"}
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_EVENT_COLUMNS = ("originator_id", "originator_version", "topic", "state")
_ADVISORY_LOCK_KEY = "serah:append-only-guards"


class GuardsMissing(SerahError):
    """The event table is not guarded and this connection may not guard it:
    the ledger refuses to write unguarded (run it once as the table owner)."""

    code = "guards_missing"
    category = Category.REFUSED


# --------------------------------------------------------------------------
# --db / SERAH_DB  ->  eventsourcing environment
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _PgTarget:
    user: str
    password: str
    host: str
    port: str
    dbname: str
    schema: str


_PLAIN_SCHEMA = re.compile(r"[a-z_][a-z0-9_]*")


def _resolve(db: str | None) -> str:
    if db is None:
        db = os.environ.get("SERAH_DB") or DEFAULT_DB
    return db


def _is_pg(value: str) -> bool:
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    return scheme in _PG_SCHEMES


def _parse_pg(url: str) -> _PgTarget:
    """Parse a libpq-style URL; only the parts eventsourcing can pass on.

    Parsed by hand rather than via ``urlsplit().hostname`` because that
    lower-cases and does not unquote the host, which breaks socket
    directories written as ``%2Fvar%2Frun%2Fpostgresql``.
    """
    parts = urlsplit(url)
    if parts.fragment:
        raise ValueError("PostgreSQL URL must not contain a '#fragment'")
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at:
        userinfo, hostport = "", parts.netloc
    user, _, password = userinfo.partition(":")
    if "," in hostport:
        raise ValueError("PostgreSQL URL with several hosts is not supported")
    if hostport.startswith("["):  # IPv6 literal
        host, _, rest = hostport[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        if rest and not rest.startswith(":"):
            raise ValueError("malformed IPv6 host in PostgreSQL URL")
    else:
        host, _, port = hostport.partition(":")
    fields = {
        "user": unquote(user),
        "password": unquote(password),
        "host": unquote(host),
        "port": port,
        "dbname": unquote(parts.path[1:] if parts.path.startswith("/") else parts.path),
        "schema": "",
    }
    seen: set[str] = set()
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in _PG_QUERY_KEYS:
            raise ValueError(
                f"unsupported PostgreSQL URL parameter {key!r} (supported: "
                f"{', '.join(sorted(_PG_QUERY_KEYS))}); other libpq settings such "
                "as sslmode can be given as PG* environment variables (e.g. PGSSLMODE)"
            )
        if key in seen:
            raise ValueError(f"PostgreSQL URL parameter {key!r} given twice")
        seen.add(key)
        fields[key] = value  # like libpq: query parameters override the URL parts
    if not fields["dbname"]:
        raise ValueError("PostgreSQL URL has no database name (postgresql://user@host/DBNAME)")
    if fields["port"]:
        if not fields["port"].isdigit() or not 0 < int(fields["port"]) < 65536:
            raise ValueError(f"invalid port {fields['port']!r} in PostgreSQL URL")
    else:
        fields["port"] = "5432"
    if len(fields["schema"].encode()) > 63:
        raise ValueError("schema name longer than 63 bytes")
    if fields["schema"] and not _PLAIN_SCHEMA.fullmatch(fields["schema"]):
        # The library writes the schema into some statements unquoted, so a
        # name PostgreSQL would fold or need quotes for cannot work.
        raise ValueError(
            f"schema name {fields['schema']!r} is not supported: use lower-case letters, digits and _, "
            "starting with a letter or _ (for example pemilu_2029)"
        )
    return _PgTarget(**fields)


def environment(db: str | None = None) -> dict[str, str]:
    """Map a ``--db`` / ``SERAH_DB`` value to eventsourcing settings.

    * ``None`` -> ``$SERAH_DB`` if set, else ``./serah.sqlite``.
    * ``postgresql://user:pass@host:port/dbname?schema=s`` (or ``postgres://``;
      ``?host=/socket/dir`` for a unix socket; no password -> libpq's
      ``PGPASSWORD`` / ``~/.pgpass``) -> ``eventsourcing.postgres``.
    * anything else without a ``scheme://`` -> a SQLite file path, made
      absolute now so a later ``chdir`` cannot move the ledger (and so a name
      beginning with ``file:`` is not taken for a SQLite URI).

    Raises ``ValueError`` for other URL schemes, malformed PostgreSQL URLs,
    an empty value or a libpq ``key=value`` string.

    Besides the connection, the result pins the settings that decide the
    stored layout (table creation, id type, which recorder) so that stray
    variables in ``os.environ`` cannot change it; mapper settings
    (transcoder, cipher, compressor) are left to the application.
    """
    value = _resolve(db)
    if not value or not value.strip():
        raise ValueError("empty database location; give a file path or a postgresql:// URL")
    if _is_pg(value):
        t = _parse_pg(value)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": t.dbname,
            "POSTGRES_HOST": t.host,
            "POSTGRES_PORT": t.port,
            "POSTGRES_USER": t.user,
            "POSTGRES_PASSWORD": t.password,
            "POSTGRES_SCHEMA": t.schema,
            # A password topic in os.environ would make the library ignore ours.
            "POSTGRES_GET_PASSWORD_TOPIC": "",
            # The DB-function insert path skips the table lock that keeps
            # notification ids in commit order.
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            # A CLI process needs one connection, not the library default of 5.
            "POSTGRES_POOL_SIZE": "1",
            # How long to wait for the server: the library's 30 s leaves a
            # custodian on a bad line staring at nothing; libpq's own
            # PGCONNECT_TIMEOUT, when set, says how long instead.
            "POSTGRES_CONNECT_TIMEOUT": _connect_timeout(),
            "POSTGRES_MAX_OVERFLOW": "4",
            "APPLICATION_RECORDER_TOPIC": f"{__name__}:SerahPostgresApplicationRecorder",
            "CREATE_TABLE": "y",
            "ORIGINATOR_ID_TYPE": "uuid",
        }
    if _URL_RE.match(value):
        scheme = value.split("://", 1)[0]
        raise ValueError(
            f"unsupported database URL scheme {scheme!r}: use a SQLite file path "
            "or a postgresql:// URL"
        )
    if re.match(r"^\s*[A-Za-z_]+\s*=", value):
        raise ValueError(
            "this looks like a libpq 'key=value' string; write it as a "
            "postgresql://user@host:port/dbname URL"
        )
    if ":memory:" in value or "mode=memory" in value:
        raise ValueError("in-memory SQLite is not a ledger; give a file path")
    path = os.path.abspath(os.path.expanduser(value))
    if os.path.isdir(path):
        raise ValueError(f"{path} is a directory; give the path of a SQLite file")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": path,
        "SQLITE_LOCK_TIMEOUT": str(SQLITE_LOCK_TIMEOUT_SECONDS),
        "APPLICATION_RECORDER_TOPIC": "",
        "CREATE_TABLE": "y",
        "ORIGINATOR_ID_TYPE": "uuid",
    }


PG_CONNECT_TIMEOUT_SECONDS = 10


def _connect_timeout() -> str:
    value = os.environ.get("PGCONNECT_TIMEOUT", "")
    return value if value.isdigit() and int(value) > 0 else str(PG_CONNECT_TIMEOUT_SECONDS)


def postgres_unreachable(db: str | None = None) -> str | None:
    """Why the PostgreSQL server of ``db`` cannot be reached, or None if it can.

    The library's connection pool retries until its timeout and then says
    only "couldn't get a connection"; one direct attempt recovers libpq's
    reason ("connection refused", "password authentication failed", ...)
    so the user is told what to fix. The reason never contains the password.
    """
    value = _resolve(db)
    if not _is_pg(value):
        return None
    import psycopg

    t = _parse_pg(value)
    params = {"dbname": t.dbname, "host": t.host, "port": t.port, "user": t.user, "password": t.password}
    try:
        with psycopg.connect(connect_timeout=int(_connect_timeout()),
                             **{k: v for k, v in params.items() if v}):
            return None
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return mask_token(reason, t.password)


def mask_token(text: str, secret: str) -> str:
    """``text`` with every whole-token occurrence of ``secret`` replaced by ``***``.

    Only where ``secret`` stands as a token (not inside a longer run of
    letters and digits): a password ``o`` must not turn "connection
    refused" into "c***nnecti***n", which hides the reason and tells
    anyone reading the line what the password is.
    """
    if not secret:
        return text
    return re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", "***", text)


def redact(db: str | None = None) -> str:
    """Display form of a database location, with any password masked.

    Use this for every log line, error message and ``--help`` output: the
    ``--db`` value may carry a PostgreSQL password.  A malformed URL is
    masked conservatively (everything between ``user:`` and the last ``@``).
    """
    value = _resolve(db)
    if _is_pg(value):
        try:
            t = _parse_pg(value)
        except ValueError:
            scheme, _, rest = value.partition("://")
            head, at, tail = rest.rpartition("@")
            if at and ":" in head:
                rest = head.split(":", 1)[0] + ":***@" + tail
            return scheme + "://" + re.sub(r"(?i)(password=)[^&]*", r"\1***", rest)
        scheme = value.split("://", 1)[0]
        userinfo = quote(t.user, safe="") + (":***" if t.password else "")
        hostpart = t.host if t.host and not t.host.startswith("/") else ""
        if ":" in hostpart:
            hostpart = f"[{hostpart}]"
        query = []
        if t.host.startswith("/"):
            query.append("host=" + quote(t.host, safe="/"))
        if t.schema:
            query.append("schema=" + quote(t.schema, safe=""))
        netloc = (userinfo + "@" if userinfo else "") + hostpart + ":" + t.port
        return f"{scheme}://{netloc}/{quote(t.dbname, safe='')}" + ("?" + "&".join(query) if query else "")
    if _URL_RE.match(value):  # not ours, but never echo a credential
        scheme, _, rest = value.partition("://")
        head, at, tail = rest.rpartition("@")
        return scheme + "://" + (("***@" + tail) if at else rest)
    return os.path.abspath(os.path.expanduser(value))


# --------------------------------------------------------------------------
# Guards
# --------------------------------------------------------------------------


def _is_sqlite(conn: Any) -> bool:
    return isinstance(conn, sqlite3.Connection)


def _is_psycopg(conn: Any) -> bool:
    return type(conn).__module__.startswith("psycopg")


def harden(app: Application[Any], *, writer_role: str | None = WRITER_ROLE) -> None:
    """Install (or, as a non-owner, verify) the append-only guards of ``app``'s
    event table.  Finds the recorder's datastore and table name itself.

    ``writer_role=None`` skips creating/granting the PostgreSQL writer role
    (e.g. when the owner account may not create roles); the triggers are
    still installed.  Raises ``TypeError`` for backends other than SQLite and
    PostgreSQL (an in-memory "popo" ledger has nothing to guard, and silently
    accepting it would hide a misconfiguration).
    """
    table = _events_table(app)
    with _sqlite_connection(app) as raw:
        if raw is not None:
            # Outside a transaction: the guard looks first and takes the write
            # lock only when a trigger is missing or outdated.
            install_append_only_guards(raw, table)
            return
    with transaction(app) as conn:
        install_append_only_guards(conn, table, schema=_schema(app), writer_role=writer_role)


def _events_table(app: Application[Any]) -> str:
    name = getattr(app.recorder, "events_table_name", None)
    if not name:
        raise TypeError(
            f"{type(app.recorder).__qualname__} has no event table to guard: "
            "Serah stores records in SQLite or PostgreSQL only"
        )
    return name


def _schema(app: Application[Any]) -> str | None:
    return getattr(app.recorder.datastore, "schema", None)  # type: ignore[attr-defined]


@contextmanager
def _sqlite_connection(app: Application[Any]) -> Iterator[sqlite3.Connection | None]:
    """The SQLite application's raw connection (no transaction open), or None."""
    from eventsourcing.sqlite import SQLiteDatastore

    datastore = getattr(app.recorder, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore):
        yield None
        return
    with datastore.get_connection(commit=True) as connection:
        yield connection.cursor().sqlite_cursor.connection


@contextmanager
def transaction(app: Application[Any]) -> Iterator[Any]:
    """The application's own database connection, inside a write transaction
    that commits on success and rolls back on error.

    Yields a ``sqlite3.Connection`` or a ``psycopg.Connection``.  Using the
    application's datastore (rather than opening a new connection from the
    settings) means the same file/role/schema and the same lock timeout.

    On SQLite the transaction is ``BEGIN IMMEDIATE``, not the library's
    deferred ``BEGIN``: a deferred transaction that reads before it writes
    fails at once with "database is locked" (WAL mode) if another connection
    committed in between, whereas IMMEDIATE waits for the write lock up to
    the lock timeout.
    """
    with _sqlite_connection(app) as raw:
        if raw is not None:
            with _sqlite_tx(raw):
                yield raw
            return
    datastore = getattr(app.recorder, "datastore", None)
    if type(datastore).__name__ == "PostgresDatastore":
        with datastore.get_connection() as conn, conn.transaction():  # type: ignore[union-attr]
            yield conn
        return
    raise TypeError(
        f"unsupported persistence {type(datastore).__module__}.{type(datastore).__qualname__}: "
        "Serah stores records in SQLite or PostgreSQL only"
    )


def install_append_only_guards(
    connection: Any,
    table_name: str = EVENTS_TABLE,
    *,
    schema: str | None = None,
    writer_role: str | None = WRITER_ROLE,
) -> None:
    """Guard an eventsourcing *event* table (``stored_events``).

    ``connection`` is a ``sqlite3.Connection`` or ``psycopg.Connection`` (use
    :func:`harden` when you have the Application).  Does everything
    :func:`guard_table` does, plus the ordering guard (no row may be inserted
    before an existing one in the global order) and, on PostgreSQL, the
    writer role's column-level INSERT grant and the lock function it needs.
    Idempotent; safe to call concurrently and on an existing database.
    """
    if _is_sqlite(connection):
        _sqlite_guard(connection, table_name, ordered=True)
    elif _is_psycopg(connection):
        _pg_guard(connection, schema or "public", table_name, writer_role, events=True)
    else:
        raise TypeError(f"expected a sqlite3 or psycopg connection, got {type(connection).__qualname__}")


def guard_table(
    connection: Any,
    table_name: str,
    *,
    schema: str | None = None,
    writer_role: str | None = WRITER_ROLE,
) -> None:
    """Make any existing table append-only, enforced by the database.

    SQLite: triggers refuse UPDATE, DELETE and an INSERT that would replace an
    existing row (``INSERT OR REPLACE`` on the primary key, a unique index or
    the rowid).  PostgreSQL: a trigger refuses UPDATE, DELETE and TRUNCATE;
    if ``writer_role`` is given, that role gets SELECT, INSERT and USAGE on the
    table's sequences and nothing else.  Idempotent.  Commits only a
    transaction it opened itself (SQLite) / uses a savepoint inside an open
    one (psycopg).
    """
    if _is_sqlite(connection):
        _sqlite_guard(connection, table_name, ordered=False)
    elif _is_psycopg(connection):
        _pg_guard(connection, schema or "public", table_name, writer_role, events=False)
    else:
        raise TypeError(f"expected a sqlite3 or psycopg connection, got {type(connection).__qualname__}")


# -- SQLite -----------------------------------------------------------------


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


# -- PostgreSQL ---------------------------------------------------------------

_PG_TRIGGER = "serah_append_only"
_PG_ORDER_TRIGGER = "serah_append_in_order"
_PG_REFUSE_FN = "serah_refuse_change"
_PG_ORDER_FN_PREFIX = "serah_in_order_"
_PG_LOCK_FN_PREFIX = "serah_lock_"


def _pg_fn_name(prefix: str, table: str) -> str:
    return (prefix + table)[:63]


def _pg_lock_function_sql(schema: str, table: str) -> list[Any]:
    """Statements creating the SECURITY DEFINER function that takes the
    recorder's EXCLUSIVE table lock on behalf of roles without UPDATE/DELETE/
    TRUNCATE privilege (which PostgreSQL requires for that lock mode)."""
    from psycopg.sql import SQL, Identifier

    fn = Identifier(schema, _pg_fn_name(_PG_LOCK_FN_PREFIX, table))
    return [
        SQL(
            "CREATE OR REPLACE FUNCTION {fn}() RETURNS void LANGUAGE plpgsql "
            "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
            "$serah$ BEGIN LOCK TABLE {table} IN EXCLUSIVE MODE; END $serah$"
        ).format(fn=fn, table=Identifier(schema, table)),
        SQL("REVOKE ALL ON FUNCTION {fn}() FROM PUBLIC").format(fn=fn),
    ]


def _pg_rows(conn: Any, query: Any, params: Any = None) -> list[tuple[Any, ...]]:
    """Tuple rows whatever the connection's row factory (the library's is dict_row)."""
    from psycopg.rows import tuple_row

    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute(query, params)
        return cur.fetchall() if cur.description else []


def _pg_owns(conn: Any, schema: str, table: str) -> bool | None:
    """Whether the current user may act as the table's owner; None if no such table."""
    rows = _pg_rows(
        conn,
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p')",
        (schema, table),
    )
    return bool(rows[0][0]) if rows else None


def _pg_triggers(conn: Any, rel: str) -> dict[str, str]:
    """User trigger name -> tgenabled ('A' = ALWAYS) for a regclass text."""
    return dict(
        _pg_rows(
            conn,
            "SELECT tgname, tgenabled::text FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            (rel,),
        )
    )


def _pg_missing_guards(conn: Any, schema: str, table: str, *, events: bool) -> list[str]:
    from psycopg.sql import SQL, Identifier

    rel = SQL("{}").format(Identifier(schema, table)).as_string(conn)
    want = {_PG_TRIGGER: "A"}
    if events:
        want[_PG_ORDER_TRIGGER] = "A"
    have = _pg_triggers(conn, rel)
    missing = [f"trigger {name} (enabled ALWAYS)" for name, mode in want.items() if have.get(name) != mode]
    if events:
        fn = _pg_fn_name(_PG_LOCK_FN_PREFIX, table)
        found = _pg_rows(
            conn,
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = %s AND p.proname = %s",
            (schema, fn),
        )
        if not found:
            missing.append(f"function {schema}.{fn}()")
    return missing


def schema_lock(conn: Any) -> None:
    """Serialise, across processes, the creation of Serah's PostgreSQL tables,
    functions and guards: every DDL transaction of the ledger takes this
    transaction-scoped advisory lock first (released at commit or rollback).
    PostgreSQL does not make concurrent ``CREATE TABLE IF NOT EXISTS`` or
    ``CREATE OR REPLACE FUNCTION`` wait for each other: one of them fails."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (_ADVISORY_LOCK_KEY,))


def _pg_guard(conn: Any, schema: str, table: str, writer_role: str | None, *, events: bool) -> None:
    from psycopg import errors
    from psycopg.sql import SQL, Identifier

    if writer_role is not None and not _ROLE_RE.match(writer_role):
        raise ValueError(f"writer role name {writer_role!r} must be a plain lower-case identifier")
    tbl = Identifier(schema, table)
    with conn.transaction():
        # Serialise concurrent hardening (CREATE OR REPLACE FUNCTION and
        # GRANT/REVOKE race with "tuple concurrently updated" otherwise).
        schema_lock(conn)
        owner = _pg_owns(conn, schema, table)
        if owner is None:
            raise LookupError(f"table {schema}.{table} does not exist (create it before guarding it)")
        if not owner:
            # Not the owner (e.g. the application runs as the writer role):
            # nothing may be changed, but refuse to run unguarded.
            missing = _pg_missing_guards(conn, schema, table, events=events)
            if missing:
                raise GuardsMissing(
                    f"{schema}.{table} is not append-only guarded (missing: {', '.join(missing)}); "
                    "run the ledger once as the table owner to install the guards"
                )
            return

        refuse_fn = Identifier(schema, _PG_REFUSE_FN)
        conn.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $serah$ "
                "BEGIN RAISE EXCEPTION '{msg}: % on %.% refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME "
                "USING ERRCODE = 'insufficient_privilege'; END $serah$"
            ).format(fn=refuse_fn, msg=SQL(GUARD_MESSAGE))
        )
        triggers = {
            _PG_TRIGGER: SQL(
                "CREATE TRIGGER {name} BEFORE UPDATE OR DELETE OR TRUNCATE ON {tbl} "
                "FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
            ).format(name=Identifier(_PG_TRIGGER), tbl=tbl, fn=refuse_fn),
        }
        if events:
            order_fn = Identifier(schema, _pg_fn_name(_PG_ORDER_FN_PREFIX, table))
            # notification_id is the global order; a row may only be appended
            # after every existing one (guards explicit ids and a rewound sequence).
            conn.execute(
                SQL(
                    "CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $serah$ "
                    "BEGIN IF NEW.notification_id <= (SELECT max(notification_id) FROM {tbl}) THEN "
                    "RAISE EXCEPTION '{msg}: notification_id % is not after the last one', "
                    "NEW.notification_id USING ERRCODE = 'insufficient_privilege'; END IF; "
                    "RETURN NEW; END $serah$"
                ).format(fn=order_fn, tbl=tbl, msg=SQL(GUARD_MESSAGE))
            )
            triggers[_PG_ORDER_TRIGGER] = SQL(
                "CREATE TRIGGER {name} BEFORE INSERT ON {tbl} FOR EACH ROW EXECUTE FUNCTION {fn}()"
            ).format(name=Identifier(_PG_ORDER_TRIGGER), tbl=tbl, fn=order_fn)
            for statement in _pg_lock_function_sql(schema, table):
                conn.execute(statement)

        rel = SQL("{}").format(tbl).as_string(conn)
        existing = _pg_triggers(conn, rel)
        for name, create in triggers.items():
            if name not in existing:
                conn.execute(create)
            if existing.get(name) != "A":
                # ALWAYS: also fire under session_replication_role = replica.
                conn.execute(SQL("ALTER TABLE {} ENABLE ALWAYS TRIGGER {}").format(tbl, Identifier(name)))
        conn.execute(SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM PUBLIC").format(tbl))

        if writer_role is None:
            return
        role = Identifier(writer_role)
        if not _pg_rows(conn, "SELECT 1 FROM pg_roles WHERE rolname = %s", (writer_role,)):
            try:
                with conn.transaction():
                    conn.execute(
                        SQL(
                            "DO $serah$ BEGIN CREATE ROLE {} NOLOGIN; "
                            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $serah$"
                        ).format(role)
                    )
            except errors.InsufficientPrivilege as e:
                raise PermissionError(
                    f"cannot create role {writer_role!r} ({e}); create it once as a superuser "
                    f"(CREATE ROLE {writer_role} NOLOGIN) or pass writer_role=None"
                ) from e
        conn.execute(SQL("GRANT USAGE ON SCHEMA {} TO {}").format(Identifier(schema), role))
        # Reset to exactly the intended privileges (also drops column grants).
        conn.execute(SQL("REVOKE ALL ON {} FROM {}").format(tbl, role))
        conn.execute(SQL("GRANT SELECT ON {} TO {}").format(tbl, role))
        if events:
            cols = SQL(", ").join(Identifier(c) for c in _EVENT_COLUMNS)
            conn.execute(SQL("GRANT INSERT ({}) ON {} TO {}").format(cols, tbl, role))
            conn.execute(
                SQL("GRANT EXECUTE ON FUNCTION {}() TO {}").format(
                    Identifier(schema, _pg_fn_name(_PG_LOCK_FN_PREFIX, table)), role
                )
            )
        else:
            conn.execute(SQL("GRANT INSERT ON {} TO {}").format(tbl, role))
        # USAGE allows nextval() but not setval(): the writer cannot rewind ids.
        for (seq,) in _pg_rows(
            conn,
            "SELECT s.oid::regclass::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid "
            "WHERE d.refobjid = %s::regclass AND d.classid = 'pg_class'::regclass "
            "AND s.relkind = 'S' AND d.deptype IN ('a', 'i')",
            (rel,),
        ):
            conn.execute(SQL("REVOKE ALL ON SEQUENCE {} FROM {}").format(SQL(seq), role))
            conn.execute(SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(SQL(seq), role))


# --------------------------------------------------------------------------
# PostgreSQL recorder (selected by environment() via APPLICATION_RECORDER_TOPIC)
# --------------------------------------------------------------------------


def _make_pg_recorder() -> type:
    """Build the recorder class on first use, so that importing this module
    (every CLI start, SQLite included) does not pay for importing psycopg."""
    from eventsourcing.persistence import InterfaceError, OperationalError
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
    from eventsourcing.utils import retry
    from psycopg.errors import DuplicateObject
    from psycopg.sql import SQL, Identifier

    class SerahPostgresApplicationRecorder(PostgresApplicationRecorder):
        """Stock recorder with four changes (see the module docstring):

        * the event table is always ``stored_events``;
        * the EXCLUSIVE table lock is taken via a SECURITY DEFINER function,
          so a role with only INSERT/SELECT can append;
        * connected as a non-owner of an existing table, table creation is
          skipped (it needs ownership) and only type adapters are loaded;
          a non-``public`` schema is created when missing;
        * inserts do not use psycopg pipeline mode: with eventsourcing 9.5.6
          and psycopg 3.3.9 (pure-Python and binary builds alike) one save()
          of ~3000 events hangs forever in ``Pipeline.sync()``.  Without the
          pipeline the same statements cost three extra round trips per
          save, and large batches work.
        """

        def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = EVENTS_TABLE, **kw: Any):
            super().__init__(datastore, events_table_name=EVENTS_TABLE, **kw)
            schema = self.datastore.schema
            self.lock_function_name = _pg_fn_name(_PG_LOCK_FN_PREFIX, EVENTS_TABLE)
            self.lock_table_statements = [
                SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout),
                SQL("SELECT {0}()").format(Identifier(schema, self.lock_function_name)),
            ]
            self.sql_create_statements.extend(_pg_lock_function_sql(schema, EVENTS_TABLE))

        @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
        def insert_events(self, stored_events: Any, **kwargs: Any) -> Any:
            # Same statements and transaction as the stock method, minus the pipeline.
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
                if not stored_events:
                    return None
                self._insert_stored_events(curs, stored_events, **kwargs)
                return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)

        def create_table(self) -> None:
            """The library's statements, in ONE transaction under the schema
            lock: run concurrently (several processes opening one database at
            once), ``CREATE ... IF NOT EXISTS`` and ``CREATE OR REPLACE
            FUNCTION`` fail with a duplicate ``pg_type`` row or "tuple
            concurrently updated" instead of waiting for each other."""
            schema = self.datastore.schema
            with self.datastore.get_connection() as conn, conn.transaction():
                schema_lock(conn)
                owner = _pg_owns(conn, schema, self.events_table_name)
                if owner is False:
                    missing = _pg_missing_guards(conn, schema, self.events_table_name, events=True)
                    lock_missing = [m for m in missing if m.startswith("function")]
                    if lock_missing:
                        raise GuardsMissing(
                            f"{schema}.{self.events_table_name} lacks {lock_missing[0]}; "
                            "run the ledger once as the table owner"
                        )
                else:
                    if owner is None and schema != "public":
                        conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(schema)))
                    with conn.cursor() as curs:
                        for statement in self.sql_create_statements:
                            if "CREATE TYPE" in statement.as_string():
                                # No IF NOT EXISTS for types: a savepoint keeps the transaction.
                                with suppress(DuplicateObject), conn.transaction():
                                    curs.execute(statement, prepare=False)
                            else:
                                curs.execute(statement, prepare=False)
            self.datastore.register_type_adapters()

    SerahPostgresApplicationRecorder.__module__ = __name__
    SerahPostgresApplicationRecorder.__qualname__ = "SerahPostgresApplicationRecorder"
    return SerahPostgresApplicationRecorder


_lazy: dict[str, type] = {}


def __getattr__(name: str) -> Any:
    # PEP 562: eventsourcing resolves the recorder topic with getattr(module, name).
    if name == "SerahPostgresApplicationRecorder":
        if name not in _lazy:
            _lazy[name] = _make_pg_recorder()
        return _lazy[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
