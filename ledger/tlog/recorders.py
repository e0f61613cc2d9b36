"""The application recorders that grow the transparency log in the same
transaction as the records (selected through eventsourcing's
``APPLICATION_RECORDER_TOPIC`` by :func:`environment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteApplicationRecorder

from ledger.domain import RECORD_TOPIC
from ledger.tlog.sql import TABLES, _ddl, _Names, _postgres_names, _Sql, _sqlite_names
from ledger.tlog.sync import _extend_for
from ledger.tlog.tree import POSTGRES, SQLITE

__all__ = ["TlogSQLiteApplicationRecorder", "environment"]


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
