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

Tables created later that must also be append-only (e.g. Merkle tree nodes)
are guarded through the application's storage (``ledger.storage``)::

    storage = storage_for(app)
    with storage.writing() as sql:
        sql.run(f"CREATE TABLE IF NOT EXISTS {storage.table('merkle_nodes')} (...)")
        storage.guard(sql, "merkle_nodes")

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
from collections.abc import Iterator
from contextlib import contextmanager
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
    "environment",
    "harden",
    "redact",
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


def environment(db: str | None = None, *, transparency_log: bool = False) -> dict[str, str]:
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
    (transcoder, cipher, compressor) are left to the application. Which
    settings a backend needs is its storage module's ``settings()``: this is
    the one place that decides the backend, from the value alone.
    ``transparency_log``: the recorders that also grow the log in each
    insert's transaction (the ``Ledger`` always; a bare application, as a
    benchmark's baseline or a guard test, without).
    """
    value = _resolve(db)
    if not value or not value.strip():
        raise ValueError("empty database location; give a file path or a postgresql:// URL")
    if _is_pg(value):
        from ledger.storage import postgres

        t = _parse_pg(value)
        return postgres.settings(dbname=t.dbname, host=t.host, port=t.port, user=t.user, password=t.password,
                                 schema=t.schema, connect_timeout=_connect_timeout(),
                                 transparency_log=transparency_log)
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
    from ledger.storage import sqlite

    return sqlite.settings(path, transparency_log=transparency_log)


PG_CONNECT_TIMEOUT_SECONDS = 10


def _connect_timeout() -> str:
    value = os.environ.get("PGCONNECT_TIMEOUT", "")
    return value if value.isdigit() and int(value) > 0 else str(PG_CONNECT_TIMEOUT_SECONDS)


def postgres_unreachable(db: str | None = None) -> str | None:
    """Why the PostgreSQL server of ``db`` cannot be reached, or None if it can
    (or ``db`` is not a PostgreSQL URL); see ``ledger.storage.postgres``."""
    if not _is_pg(_resolve(db)):
        return None
    from ledger.storage import postgres

    return postgres.postgres_unreachable(db)


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
# Guards: each backend's are in ledger.storage.sqlite / ledger.storage.postgres
# --------------------------------------------------------------------------


def harden(app: Application[Any], *, writer_role: str | None = WRITER_ROLE) -> None:
    """Install (or, as a non-owner, verify) the append-only guards of ``app``'s
    event table.

    ``writer_role=None`` skips creating/granting the PostgreSQL writer role
    (e.g. when the owner account may not create roles); the triggers are
    still installed.  Raises ``TypeError`` for backends other than SQLite and
    PostgreSQL (an in-memory "popo" ledger has nothing to guard, and silently
    accepting it would hide a misconfiguration).
    """
    from ledger.storage import storage_for

    storage_for(app).harden(writer_role)


@contextmanager
def transaction(app: Application[Any]) -> Iterator[Any]:
    """The application's own database connection (``sqlite3`` or ``psycopg``),
    inside a write transaction that commits on success and rolls back on
    error: same file/role/schema and the same lock timeout as the
    application. On SQLite ``BEGIN IMMEDIATE`` (waits for the write lock)."""
    from ledger.storage import storage_for

    with storage_for(app).raw_transaction() as connection:
        yield connection
