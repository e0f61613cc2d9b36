"""PostgreSQL: the only module that knows PostgreSQL's dialect, the
``psycopg`` driver and how ``eventsourcing.postgres`` works inside.

It holds :class:`PostgresStorage` (the :class:`~ledger.storage.base.Storage`
of a ledger in a PostgreSQL schema), the append-only guards (triggers,
privileges, the writer role; why, in ``ledger.persistence``) and the two
recorders: :class:`SerahPostgresApplicationRecorder` (the stock recorder,
pinned to ``stored_events``, locking through a SECURITY DEFINER function,
without pipeline mode) and :class:`TlogPostgresApplicationRecorder` (which
also grows the transparency log in the insert's transaction). The recorder
classes are built on first use so that a SQLite user never imports psycopg.

The library's internals used here, hence the ``eventsourcing<9.6`` pin: the
recorder's ``_insert_events`` (runs inside the insert's transaction, before
the rows), ``_insert_stored_events`` and ``_fetch_ids_after_insert_events``
(the stock insert, without its pipeline), ``_lock_table`` (the EXCLUSIVE
lock that keeps notification ids in commit order).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ledger.domain import RECORD_TOPIC
from ledger.persistence import (
    _ADVISORY_LOCK_KEY,
    _EVENT_COLUMNS,
    _ROLE_RE,
    EVENTS_TABLE,
    GUARD_MESSAGE,
    WRITER_ROLE,
    GuardsMissing,
    _connect_timeout,
    _is_pg,
    _parse_pg,
    _resolve,
    mask_token,
)
from ledger.storage.base import Dialect, Sql, Storage, first_and_last, pages, rows_to_events
from ledger.tlog.sql import TABLES, _ddl, _Names, names_of
from ledger.tlog.sync import _extend_for

__all__ = [  # and, built on first use, SerahPostgresApplicationRecorder, TlogPostgresApplicationRecorder
    "POSTGRES_TYPES",
    "PostgresStorage",
    "guard_table",
    "install_append_only_guards",
    "postgres_unreachable",
    "schema_lock",
]

POSTGRES_TYPES = {"blob": "BYTEA", "big": "BIGINT", "text": "TEXT"}


def _sql(connection: Any) -> Sql:
    from psycopg.rows import tuple_row

    return Sql(connection, connection.cursor(row_factory=tuple_row), "%s")


def settings(*, dbname: str, host: str, port: str, user: str, password: str, schema: str, connect_timeout: str,
             transparency_log: bool) -> dict[str, str]:
    """The ``eventsourcing`` settings of a ledger in one PostgreSQL schema,
    with :class:`TlogPostgresApplicationRecorder` (which also grows the
    transparency log in each insert's transaction) or, without
    ``transparency_log``, :class:`SerahPostgresApplicationRecorder`."""
    recorder = "TlogPostgresApplicationRecorder" if transparency_log else "SerahPostgresApplicationRecorder"
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": port,
        "POSTGRES_USER": user,
        "POSTGRES_PASSWORD": password,
        "POSTGRES_SCHEMA": schema,
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
        "POSTGRES_CONNECT_TIMEOUT": connect_timeout,
        "POSTGRES_MAX_OVERFLOW": "4",
        "APPLICATION_RECORDER_TOPIC": f"{__name__}:{recorder}",
        "CREATE_TABLE": "y",
        "ORIGINATOR_ID_TYPE": "uuid",
    }


#: PostgreSQL's part in the log's node tables (``ledger.tlog.sql``)
DIALECT = Dialect(param="%s", blob_type="BYTEA", table_options="", keys_as_values=False, explicit_begin=False)


class PostgresStorage(Storage):
    """A ledger in one PostgreSQL schema. The global order is ``notification_id``."""

    name = "postgres"
    dialect = DIALECT
    types = POSTGRES_TYPES
    order = "notification_id"

    def __init__(self, recorder: Any, event_store: Any = None) -> None:
        super().__init__(recorder, event_store)
        self.schema: str = recorder.datastore.schema or "public"

    def table(self, name: str) -> str:
        return f'"{self.schema}".{name}'

    def table_exists(self, sql: Sql, name: str) -> bool:
        row = sql.one("SELECT to_regclass(?)", [self.table(name)])
        return row is not None and row[0] is not None

    @contextmanager
    def _transaction(self, *, rollback: bool = False) -> Iterator[Any]:
        with self.recorder.datastore.get_connection() as conn, conn.transaction(force_rollback=rollback):
            yield conn

    def _in_schema(self, conn: Any) -> Sql:
        sql = _sql(conn)
        # View tables live beside the event table, in the ledger's schema.
        sql.execute(f'SET LOCAL search_path TO "{self.schema}"')
        return sql

    @contextmanager
    def reading(self) -> Iterator[Sql]:
        with self._transaction(rollback=True) as conn:
            yield self._in_schema(conn)

    @contextmanager
    def writing(self, *, lock_records: bool = False, bulk: bool = False) -> Iterator[Sql]:
        """``bulk``: ``SET LOCAL synchronous_commit = off`` (never corrupts; a
        crash can only lose the last commits, which the next rebuild writes again)."""
        with self._transaction() as conn:
            if lock_records:
                with conn.cursor() as curs:
                    self.recorder._lock_table(curs)
            sql = self._in_schema(conn)
            if bulk:
                sql.execute("SET LOCAL synchronous_commit = off")
            yield sql

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Nothing to open: each ``writing(bulk=True)`` turns synchronous commit off."""
        yield

    def serialise_schema_changes(self, sql: Sql) -> None:
        """PostgreSQL does not make concurrent ``CREATE TABLE IF NOT EXISTS``
        wait for each other: one of them fails. An advisory lock does."""
        sql.execute("SELECT pg_advisory_xact_lock(?)", (_VIEWS_SCHEMA_LOCK,))

    def guard(self, sql: Sql, table: str) -> None:
        guard_table(sql._connection, table, schema=self.schema)

    def harden(self, writer_role: str | None = WRITER_ROLE) -> None:
        with self._transaction() as conn:
            install_append_only_guards(conn, self.events_table, schema=self.schema, writer_role=writer_role)

    @contextmanager
    def raw_transaction(self) -> Iterator[Any]:
        with self._transaction() as conn:
            yield conn

    # --- the library's events, read in bulk (ids are uuid here)

    def _select(self, sql_text: str, page: list[UUID]) -> list[tuple[UUID, int, str, bytes]]:
        with self.reading() as sql:
            return [(r[0], r[1], r[2], r[3]) for r in sql.rows(sql_text, [page])]

    def select_events(self, ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
        rows: list[tuple[UUID, int, str, bytes]] = []
        for page in pages(ids):
            rows += self._select(
                f"SELECT originator_id, originator_version, topic, state FROM {self.events} "
                "WHERE originator_id = ANY(?) ORDER BY originator_id, originator_version",
                page,
            )
        return rows_to_events(rows)

    def select_first_and_last(self, ids: Sequence[UUID]) -> dict[UUID, tuple[StoredEvent, StoredEvent | None]]:
        rows: list[tuple[UUID, int, str, bytes]] = []
        for page in pages(ids):
            rows += self._select(
                "SELECT e.originator_id, e.originator_version, e.topic, e.state "
                "FROM unnest(?::uuid[]) AS k(id) "
                f"CROSS JOIN LATERAL (SELECT max(originator_version) AS v FROM {self.events} "
                "WHERE originator_id = k.id) AS m "
                f"JOIN {self.events} AS e ON e.originator_id = k.id AND e.originator_version IN (1, m.v)",
                page,
            )
        return first_and_last(rows)

    def last_versions(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        found: dict[UUID, int] = {}
        for page in pages(ids):
            with self.reading() as sql:
                found.update(
                    (r[0], int(r[1]))
                    for r in sql.rows(
                        f"SELECT originator_id, max(originator_version) FROM {self.events} "
                        "WHERE originator_id = ANY(?) GROUP BY originator_id",
                        [page],
                    )
                )
        return found


_VIEWS_SCHEMA_LOCK = 0x5E7A4  # advisory lock id taken while view tables are (re)created


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
    params: dict[str, Any] = {"dbname": t.dbname, "host": t.host, "port": t.port, "user": t.user,
                              "password": t.password}
    try:
        with psycopg.connect(connect_timeout=int(_connect_timeout()),
                             **{k: v for k, v in params.items() if v}):
            return None
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return mask_token(reason, t.password)



# --- the guards --------------------------------------------------------------------------

def install_append_only_guards(
    connection: Any, table_name: str = EVENTS_TABLE, *, schema: str | None = None,
    writer_role: str | None = WRITER_ROLE,
) -> None:
    """Guard an eventsourcing *event* table: :func:`guard_table`, plus the
    ordering guard (no row inserted before an existing one), the writer
    role's column-level INSERT grant and the lock function it needs."""
    _pg_guard(connection, schema or "public", table_name, writer_role, events=True)


def guard_table(
    connection: Any, table_name: str, *, schema: str | None = None, writer_role: str | None = WRITER_ROLE
) -> None:
    """A trigger refuses UPDATE, DELETE and TRUNCATE; ``writer_role`` gets
    SELECT, INSERT and USAGE on the table's sequences and nothing else.
    Idempotent; uses a savepoint inside an open transaction."""
    _pg_guard(connection, schema or "public", table_name, writer_role, events=False)


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



# --- the recorders -----------------------------------------------------------------------

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

        @property
        def storage(self) -> PostgresStorage:
            """The storage over this recorder (what the ledger, the log and the views use)."""
            return PostgresStorage(self)

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


def _make_postgres_recorder() -> type:
    """Built on first use, like the recorder it extends."""
    base = __getattr__("SerahPostgresApplicationRecorder")

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

        #: False in ``serah serve`` (see the SQLite recorder's ``grow_tree``).
        grow_tree = True

        def _names(self) -> _Names:
            return names_of(self.storage)


        def create_table(self) -> None:
            super().create_table()
            names = self._names()
            with self.datastore.get_connection() as conn, conn.transaction():
                # Processes opening a new database together would otherwise
                # race on CREATE TABLE IF NOT EXISTS (a duplicate pg_type row).
                schema_lock(conn)
                sql = _sql(conn)
                missing = [t for t in TABLES if not self.storage.table_exists(sql, t)]
                if missing:
                    for statement in _ddl(names):
                        sql.run(statement)
                for table in TABLES:
                    guard_table(conn, table, schema=names.schema)

        def _insert_events(self, curs: Any, stored_events: Sequence[Any], **kwargs: Any) -> None:
            super()._insert_events(curs, stored_events, **kwargs)
            if self.grow_tree and any(e.topic == RECORD_TOPIC for e in stored_events):
                self._lock_table(curs)
                _extend_for(_sql(curs.connection), self._names(), stored_events, before=None)

    TlogPostgresApplicationRecorder.__module__ = __name__
    TlogPostgresApplicationRecorder.__qualname__ = "TlogPostgresApplicationRecorder"
    return TlogPostgresApplicationRecorder



_lazy: dict[str, type] = {}
_MAKERS = {
    "SerahPostgresApplicationRecorder": _make_pg_recorder,
    "TlogPostgresApplicationRecorder": _make_postgres_recorder,
}


def __getattr__(name: str) -> Any:
    # PEP 562: eventsourcing resolves the recorder topic with getattr(module, name).
    if name in _MAKERS:
        if name not in _lazy:
            _lazy[name] = _MAKERS[name]()
        return _lazy[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
