"""Tests for ledger.persistence: --db mapping, and append-only guards that the
database itself enforces, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from typing import Any

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import resolve_topic

from ledger import persistence
from ledger.persistence import GUARD_MESSAGE, environment, harden, redact
from ledger.storage import sqlite as sqlite_storage
from ledger.storage import storage_for

# --------------------------------------------------------------------------
# A tiny aggregate and application, enough to make the library create and
# fill its tables the way the real ledger does.
# --------------------------------------------------------------------------


class Parcel(Aggregate):
    @event("Registered")
    def __init__(self, label: str) -> None:
        self.label = label
        self.holders: list[str] = []

    @event("HandedOver")
    def hand_over(self, to: str) -> None:
        self.holders.append(to)


class CustodyApp(Application[uuid.UUID]):
    def register(self, label: str, *holders: str) -> uuid.UUID:
        parcel = Parcel(label)
        for h in holders:
            parcel.hand_over(h)
        self.save(parcel)
        return parcel.id


def is_pg(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


@contextlib.contextmanager
def raw(db: str):
    """A connection of our own, outside the application (like an operator's shell)."""
    if is_pg(db):
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            yield conn
    else:
        conn = sqlite3.connect(db, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()


def rows(db: str) -> list[tuple[Any, ...]]:
    with raw(db) as conn:
        if is_pg(db):
            q = (
                "SELECT notification_id, originator_id::text, originator_version, topic, state "
                "FROM stored_events ORDER BY notification_id"
            )
        else:
            q = "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in conn.execute(q).fetchall()]


def refused(db: str, sql: str) -> Exception:
    """Run `sql` on a fresh raw connection; it must be refused by the database."""
    import psycopg

    with raw(db) as conn, pytest.raises((sqlite3.DatabaseError, psycopg.Error)) as info:
        conn.execute(sql)
    return info.value


@pytest.fixture
def app_factory():
    apps: list[Application[Any]] = []

    def make(db: str, **env: str) -> CustodyApp:
        app = CustodyApp(env={**environment(db), **env})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


# --------------------------------------------------------------------------
# environment() / redact()
# --------------------------------------------------------------------------


class TestEnvironment:
    def test_default_is_serah_sqlite_in_cwd(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("SERAH_DB", raising=False)
        env = environment(None)
        assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
        assert env["SQLITE_DBNAME"] == str(tmp_path / "serah.sqlite")
        assert int(env["SQLITE_LOCK_TIMEOUT"]) >= 10

    def test_serah_db_env_var_used_when_no_flag(self, tmp_path, monkeypatch):
        monkeypatch.setenv("SERAH_DB", str(tmp_path / "x.db"))
        assert environment(None)["SQLITE_DBNAME"] == str(tmp_path / "x.db")
        # an explicit --db wins over SERAH_DB
        assert environment(str(tmp_path / "y.db"))["SQLITE_DBNAME"] == str(tmp_path / "y.db")

    def test_relative_paths_are_made_absolute(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert environment("sub/l.sqlite")["SQLITE_DBNAME"] == str(tmp_path / "sub" / "l.sqlite")
        # not a SQLite URI (the library opens with uri=True)
        assert environment("file:l.db?mode=ro")["SQLITE_DBNAME"] == str(tmp_path / "file:l.db?mode=ro")
        monkeypatch.setenv("HOME", str(tmp_path))
        assert environment("~/h.sqlite")["SQLITE_DBNAME"] == str(tmp_path / "h.sqlite")

    def test_postgres_url(self, monkeypatch):
        monkeypatch.delenv("PGCONNECT_TIMEOUT", raising=False)
        env = environment("postgresql://serah:s%40cret@db.example:6543/ledger?schema=kpu")
        assert env == {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": "ledger",
            "POSTGRES_HOST": "db.example",
            "POSTGRES_PORT": "6543",
            "POSTGRES_USER": "serah",
            "POSTGRES_PASSWORD": "s@cret",
            "POSTGRES_SCHEMA": "kpu",
            "POSTGRES_GET_PASSWORD_TOPIC": "",
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "POSTGRES_POOL_SIZE": "1",
            "POSTGRES_MAX_OVERFLOW": "4",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "APPLICATION_RECORDER_TOPIC": "ledger.storage.postgres:SerahPostgresApplicationRecorder",
            "CREATE_TABLE": "y",
            "ORIGINATOR_ID_TYPE": "uuid",
        }

    def test_postgres_connect_timeout_follows_libpq(self, monkeypatch):
        monkeypatch.setenv("PGCONNECT_TIMEOUT", "3")
        assert environment("postgresql://u@h/d")["POSTGRES_CONNECT_TIMEOUT"] == "3"
        monkeypatch.setenv("PGCONNECT_TIMEOUT", "soon")  # not a number: the default, as libpq would not use it either
        assert environment("postgresql://u@h/d")["POSTGRES_CONNECT_TIMEOUT"] == "10"

    def test_postgres_variants(self):
        env = environment("postgres://u@h/d")
        assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_PASSWORD"]) == ("h", "5432", "")
        assert env["POSTGRES_SCHEMA"] == ""
        # unix socket directory, as a parameter or percent-encoded host
        env = environment("postgresql://u@/d?host=/var/run/postgresql&port=5433")
        assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("/var/run/postgresql", "5433")
        assert environment("postgresql://u@%2Ftmp%2FPg/d")["POSTGRES_HOST"] == "/tmp/Pg"
        env = environment("postgresql://u@[::1]:7000/d")
        assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("::1", "7000")
        assert environment("POSTGRESQL://u@h/d")["PERSISTENCE_MODULE"] == "eventsourcing.postgres"

    @pytest.mark.parametrize(
        "value, match",
        [
            ("", "empty"),
            ("   ", "empty"),
            ("mysql://u:p@h/d", "unsupported database URL scheme 'mysql'"),
            ("sqlite:///x.db", "unsupported database URL scheme"),
            ("postgresql://u@h", "no database name"),
            ("postgresql://u@h/", "no database name"),
            ("postgresql://u@h/d?sslmode=require", "unsupported PostgreSQL URL parameter 'sslmode'"),
            ("postgresql://u@h/d?schema=a&schema=b", "given twice"),
            ("postgresql://u@h/d?schema=Pemilu%202029", "schema name 'Pemilu 2029' is not supported"),
            ("postgresql://u@h/d?schema=KPU", "not supported"),  # PostgreSQL would fold it to kpu here and not there
            ("postgresql://u@h/d?schema=2029", "not supported"),
            ("postgresql://u@h:99999/d", "invalid port"),
            ("postgresql://u@h:abc/d", "invalid port"),
            ("postgresql://u@h1,h2/d", "several hosts"),
            ("dbname=ledger host=db", "key=value"),
            (":memory:", "in-memory"),
        ],
    )
    def test_errors(self, value, match):
        with pytest.raises(ValueError, match=match):
            environment(value)

    def test_directory_is_an_error(self, tmp_path):
        with pytest.raises(ValueError, match="directory"):
            environment(str(tmp_path))

    def test_environment_wins_over_stray_process_settings(self, tmp_path, monkeypatch):
        monkeypatch.setenv("CREATE_TABLE", "n")
        monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.popo")
        app = CustodyApp(env=environment(str(tmp_path / "l.sqlite")))
        try:
            app.register("C1-0001")  # table was created despite CREATE_TABLE=n
            from eventsourcing.sqlite import SQLiteApplicationRecorder

            assert isinstance(app.recorder, SQLiteApplicationRecorder)
        finally:
            app.close()

    def test_recorder_topic_resolves(self):
        from eventsourcing.postgres import PostgresApplicationRecorder

        from ledger.storage import postgres

        cls = resolve_topic(environment("postgresql://u@h/d")["APPLICATION_RECORDER_TOPIC"])
        assert issubclass(cls, PostgresApplicationRecorder)
        assert cls is postgres.SerahPostgresApplicationRecorder

    def test_the_ledger_asks_for_the_recorders_that_grow_the_log(self, tmp_path):
        """A ``Ledger`` grows its transparency log in each insert's transaction:
        the one setting that differs is the recorder, on both backends."""
        from eventsourcing.sqlite import SQLiteApplicationRecorder

        from ledger.storage import postgres

        for db in (str(tmp_path / "l.sqlite"), "postgresql://u@h/d"):
            plain, with_log = environment(db), environment(db, transparency_log=True)
            assert {k for k in plain if plain[k] != with_log[k]} == {"APPLICATION_RECORDER_TOPIC"}
        sqlite_topic = environment(str(tmp_path / "l.sqlite"), transparency_log=True)["APPLICATION_RECORDER_TOPIC"]
        assert issubclass(resolve_topic(sqlite_topic), SQLiteApplicationRecorder)
        pg_topic = environment("postgresql://u@h/d", transparency_log=True)["APPLICATION_RECORDER_TOPIC"]
        assert resolve_topic(pg_topic) is postgres.TlogPostgresApplicationRecorder


class TestRedact:
    def test_password_never_shown(self):
        shown = redact("postgresql://serah:hunter2@db:5432/ledger?schema=kpu")
        assert "hunter2" not in shown
        assert shown == "postgresql://serah:***@db:5432/ledger?schema=kpu"

    def test_query_password_and_socket(self):
        shown = redact("postgresql://serah@/ledger?host=/run/pg&password=hunter2")
        assert "hunter2" not in shown
        assert shown == "postgresql://serah:***@:5432/ledger?host=/run/pg"

    def test_no_password(self):
        assert redact("postgres://serah@db/ledger") == "postgres://serah@db:5432/ledger"

    @pytest.mark.parametrize(
        "url",
        [
            "postgresql://serah:hun/ter2@db/ledger",  # raw '/' in the password: malformed
            "postgresql://serah:hunter2@db:notaport/ledger",
            "postgresql://serah:x@y@db/ledger?password=hunter2&sslmode=x",
            "mysql://serah:hunter2@db/ledger",
        ],
    )
    def test_malformed_urls_still_masked(self, url):
        assert "hunter2" not in redact(url)
        assert "hun" not in redact(url).split("@")[0].split("//")[1].split(":", 1)[-1]

    def test_path(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("SERAH_DB", raising=False)
        assert redact(None) == str(tmp_path / "serah.sqlite")
        assert redact("a.sqlite") == str(tmp_path / "a.sqlite")


# --------------------------------------------------------------------------
# Append-only guards on both backends
# --------------------------------------------------------------------------


def test_update_delete_truncate_refused_by_database(db_url, app_factory):
    app = app_factory(db_url)
    ids = [app.register(f"C1-{i:04d}", "PPS", "PPK") for i in range(3)]
    harden(app)
    harden(app)  # idempotent
    before = rows(db_url)
    assert len(before) == 9

    statements = [
        "UPDATE stored_events SET state = state",
        "UPDATE stored_events SET topic = 'x' WHERE originator_version = 1",
        "DELETE FROM stored_events WHERE originator_version = 3",
        "DELETE FROM stored_events",
    ]
    if is_pg(db_url):
        statements += ["TRUNCATE stored_events", "TRUNCATE stored_events CASCADE"]
    for sql in statements:
        err = refused(db_url, sql)
        assert GUARD_MESSAGE in str(err), (sql, err)
    assert rows(db_url) == before

    # Appending (and reading back) still works with the guards in place,
    # through a brand-new application on the same database.
    app2 = app_factory(db_url)
    harden(app2)
    extra = app2.register("C1-9999", "KPU")
    parcel = app2.repository.get(ids[1])
    assert parcel.label == "C1-0001" and parcel.holders == ["PPS", "PPK"]
    after = rows(db_url)
    assert after[:9] == before and len(after) == 11
    ids_order = [r[0] for r in after]
    assert ids_order == sorted(ids_order)
    notes = app2.recorder.select_notifications(start=1, limit=100)
    assert [n.id for n in notes] == ids_order
    assert notes[-1].originator_id == extra


def test_conflicting_append_still_reports_integrity_error(db_url, app_factory):
    """Optimistic concurrency must keep working: two writers of the same
    aggregate version -> the library's IntegrityError, not a crash."""
    app = app_factory(db_url)
    pid = app.register("C1-0001")
    harden(app)
    a = app.repository.get(pid)
    b = app.repository.get(pid)
    a.hand_over("PPS")
    b.hand_over("PPK")
    app.save(a)
    with pytest.raises(IntegrityError):
        app.save(b)
    assert app.repository.get(pid).holders == ["PPS"]


def test_harden_existing_database(db_url, app_factory):
    """Guards can be added to a ledger written before they existed."""
    first = app_factory(db_url)
    first.register("C1-0001", "PPS")
    first.close()
    before = rows(db_url)
    with raw(db_url) as conn:
        conn.execute("DELETE FROM stored_events WHERE 1 = 0")  # not refused: no guards yet
    app = app_factory(db_url)
    harden(app)
    refused(db_url, "DELETE FROM stored_events")
    assert rows(db_url) == before


def test_guard_table_for_other_append_only_tables(db_url, app_factory):
    app = app_factory(db_url)
    app.register("C1-0001")
    harden(app)
    serial = "bigserial" if is_pg(db_url) else "INTEGER"
    with persistence.transaction(app) as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS merkle_nodes (id {serial} PRIMARY KEY, level INTEGER NOT NULL, "
            "idx INTEGER NOT NULL, hash BLOB, UNIQUE (level, idx))".replace("BLOB", "bytea" if is_pg(db_url) else "BLOB")
        )
    storage = storage_for(app)
    with storage.writing() as sql:
        storage.guard(sql, "merkle_nodes")
    with storage.writing() as sql:
        storage.guard(sql, "merkle_nodes")  # idempotent
    with persistence.transaction(app) as conn:
        conn.execute("INSERT INTO merkle_nodes (level, idx, hash) VALUES (0, 0, 'aa'), (0, 1, 'bb')")
    for sql in [
        "UPDATE merkle_nodes SET hash = NULL",
        "DELETE FROM merkle_nodes WHERE idx = 1",
        *(["TRUNCATE merkle_nodes"] if is_pg(db_url) else ["INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (0, 1, 'evil')"]),
    ]:
        assert GUARD_MESSAGE in str(refused(db_url, sql)), sql
    with raw(db_url) as conn:
        got = conn.execute("SELECT level, idx, hash FROM merkle_nodes ORDER BY idx").fetchall()
    assert [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in got] in (
        [(0, 0, "aa"), (0, 1, "bb")],
        [(0, 0, b"aa"), (0, 1, b"bb")],
    )


def test_guard_table_missing_table(db_url, app_factory):
    app = app_factory(db_url)
    storage = storage_for(app)
    with pytest.raises(LookupError), storage.writing() as sql:
        storage.guard(sql, "no_such_table")


def test_harden_rejects_in_memory_persistence():
    app = CustodyApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(TypeError, match="SQLite or PostgreSQL"):
        harden(app)


# -- SQLite specifics ---------------------------------------------------------


class TestSQLiteLoopholes:
    """Ways to change history in SQLite that are not UPDATE/DELETE statements."""

    @pytest.fixture
    def db(self, tmp_path, app_factory):
        path = str(tmp_path / "serah.sqlite")
        app = app_factory(path)
        app.register("C1-0001", "PPS", "PPK")
        harden(app)
        return path

    def test_insert_or_replace_refused(self, db):
        before = rows(db)
        oid, version = before[1][1], before[1][2]
        for verb in ("INSERT OR REPLACE", "REPLACE"):
            err = refused(db, f"{verb} INTO stored_events VALUES ('{oid}', {version}, 't', x'00')")
            assert GUARD_MESSAGE in str(err)
        err = refused(db, "INSERT OR REPLACE INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                      "VALUES (2, 'ff', 1, 't', x'00')")
        assert GUARD_MESSAGE in str(err)
        # upsert is an UPDATE
        err = refused(db, f"INSERT INTO stored_events VALUES ('{oid}', {version}, 't', x'00') "
                      "ON CONFLICT DO UPDATE SET state = excluded.state")
        assert GUARD_MESSAGE in str(err)
        assert rows(db) == before

    @pytest.mark.parametrize("rowid", [0, -5, 2, 99])
    def test_rows_cannot_be_placed_out_of_order(self, db, rowid):
        before = rows(db)
        err = refused(db, "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                      f"VALUES ({rowid}, 'ff', 1, 't', x'00')")
        assert GUARD_MESSAGE in str(err)
        assert rows(db) == before

    def test_explicit_next_rowid_is_fine(self, db):
        n = len(rows(db))
        with raw(db) as conn:
            conn.execute("INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                         f"VALUES ({n + 1}, 'ff', 1, 't', x'00')")
        assert [r[0] for r in rows(db)] == list(range(1, n + 2))

    def test_guard_table_on_plain_connection(self, tmp_path):
        conn = sqlite3.connect(tmp_path / "x.db")  # legacy (implicit transaction) mode
        conn.execute("CREATE TABLE nodes (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID")
        conn.commit()
        sqlite_storage.guard_table(conn, "nodes")
        assert not conn.in_transaction  # committed what it opened
        conn.execute("INSERT INTO nodes VALUES ('a', x'01')")
        conn.commit()
        with pytest.raises(sqlite3.IntegrityError, match=GUARD_MESSAGE):
            conn.execute("UPDATE nodes SET v = x'02'")
        conn.rollback()
        with pytest.raises(sqlite3.IntegrityError, match=GUARD_MESSAGE):
            conn.execute("INSERT OR REPLACE INTO nodes VALUES ('a', x'03')")
        conn.rollback()
        assert conn.execute("SELECT v FROM nodes").fetchall() == [(b"\x01",)]
        conn.close()


# -- PostgreSQL specifics -------------------------------------------------------


@pytest.fixture
def writer_login(pg_url):
    """A LOGIN role that is a member of serah_writer, and its URL."""
    import psycopg
    from psycopg.sql import SQL, Identifier

    name = "serah_test_app_" + uuid.uuid4().hex[:10]

    def url_as(user: str) -> str:
        return pg_url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)

    created = False

    def create() -> str:
        nonlocal created
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(Identifier(name), Identifier(persistence.WRITER_ROLE)))
        created = True
        return url_as(name)

    yield create
    if created:
        with contextlib.suppress(Exception), psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,)
            )
            conn.execute(SQL("DROP ROLE IF EXISTS {}").format(Identifier(name)))


class TestPostgresWriterRole:
    def test_writer_appends_but_cannot_change_history(self, pg_url, writer_login, app_factory):
        import psycopg

        owner_app = app_factory(pg_url)
        pid = owner_app.register("C1-0001", "PPS")
        harden(owner_app)
        writer_url = writer_login()

        # The application runs as the writer: starts (no table creation),
        # verifies the guards, appends (the EXCLUSIVE lock is taken via the
        # SECURITY DEFINER function) and reads.
        app = app_factory(writer_url)
        harden(app)
        parcel = app.repository.get(pid)
        parcel.hand_over("PPK")
        app.save(parcel)
        other = app.register("C1-0002", "KPPS")
        assert app.repository.get(pid).holders == ["PPS", "PPK"]
        assert app.repository.get(other).holders == ["KPPS"]
        before = rows(pg_url)
        assert len(before) == 5

        def as_writer_refused(sql: str) -> None:
            with psycopg.connect(writer_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)

        # The owner removes the triggers (or they were never installed):
        # the writer's privileges alone still refuse every change.
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP TRIGGER serah_append_only ON stored_events")
            conn.execute("DROP TRIGGER serah_append_in_order ON stored_events")
        for sql in [
            "UPDATE stored_events SET state = state",
            "DELETE FROM stored_events",
            "TRUNCATE stored_events",
            "INSERT INTO stored_events (originator_id, originator_version, topic, state, notification_id) "
            "VALUES (gen_random_uuid(), 1, 't', '\\x00', 0)",
            "SELECT setval(pg_get_serial_sequence('stored_events', 'notification_id'), 1)",
            "LOCK TABLE stored_events IN ACCESS EXCLUSIVE MODE",
            "ALTER TABLE stored_events DISABLE TRIGGER ALL",
            "DROP TABLE stored_events",
        ]:
            as_writer_refused(sql)
        assert rows(pg_url) == before

        # ... and the application, running as the writer, now refuses to start
        # writing to an unguarded ledger.
        with pytest.raises(persistence.GuardsMissing, match="serah_append_only"):
            harden(app)
        harden(owner_app)  # the owner reinstalls them
        harden(app)

    def test_owner_cannot_insert_before_existing_rows(self, pg_url, app_factory):
        app = app_factory(pg_url)
        app.register("C1-0001", "PPS")
        harden(app)
        before = rows(pg_url)
        err = refused(
            pg_url,
            "INSERT INTO stored_events (originator_id, originator_version, topic, state, notification_id) "
            "VALUES (gen_random_uuid(), 1, 't', '\\x00', 1)",
        )
        assert GUARD_MESSAGE in str(err)
        # rewinding the id sequence does not help either
        with raw(pg_url) as conn:
            conn.execute("SELECT setval(pg_get_serial_sequence('stored_events', 'notification_id'), 1, false)")
        err = refused(
            pg_url,
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
            "VALUES (gen_random_uuid(), 1, 't', '\\x00')",
        )
        assert GUARD_MESSAGE in str(err)
        assert rows(pg_url) == before

    def test_triggers_fire_in_replica_mode(self, pg_url, app_factory):
        app = app_factory(pg_url)
        app.register("C1-0001")
        harden(app)
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            with pytest.raises(psycopg.Error, match=GUARD_MESSAGE):
                conn.execute("DELETE FROM stored_events")

    def test_table_name_does_not_depend_on_application_class(self, pg_url, app_factory):
        class RenamedApp(CustodyApp):
            pass

        a = app_factory(pg_url)
        pid = a.register("C1-0001", "PPS")
        b = RenamedApp(env=environment(pg_url))
        try:
            assert b.recorder.events_table_name == "stored_events"
            assert b.repository.get(pid).holders == ["PPS"]
        finally:
            b.close()

    def test_schema_parameter(self, pg_url, app_factory):
        url = pg_url.replace("?", "?schema=kpu_2029&", 1)
        app = app_factory(url)
        app.register("C1-0001")
        harden(app)
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            n = conn.execute("SELECT count(*) FROM kpu_2029.stored_events").fetchone()[0]
            assert n == 1
            with pytest.raises(psycopg.Error, match=GUARD_MESSAGE):
                conn.execute("DELETE FROM kpu_2029.stored_events")

    def test_harden_without_writer_role(self, pg_url, app_factory):
        app = app_factory(pg_url)
        app.register("C1-0001")
        harden(app, writer_role=None)
        assert GUARD_MESSAGE in str(refused(pg_url, "DELETE FROM stored_events"))


def test_sqlite_default_file_created_in_cwd(tmp_path, monkeypatch, app_factory):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SERAH_DB", raising=False)
    app = app_factory(None)
    app.register("C1-0001")
    harden(app)
    assert os.path.exists(tmp_path / "serah.sqlite")


def test_large_save_does_not_hang(db_url, app_factory):
    """One save of thousands of events: the stock PostgreSQL recorder's
    pipelined insert hangs forever here (see SerahPostgresApplicationRecorder);
    run it in a thread so a regression fails instead of stalling the suite."""
    import threading

    app = app_factory(db_url)
    harden(app)
    parcels = [Parcel(f"C1-{i:05d}") for i in range(4000)]
    outcome: list[BaseException | None] = []

    def save() -> None:
        try:
            app.save(*parcels)
            outcome.append(None)
        except BaseException as e:  # noqa: BLE001 - reported below  # pragma: no cover
            outcome.append(e)

    worker = threading.Thread(target=save, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert outcome, "save() of 4000 events did not finish within 120 s"
    assert outcome[0] is None, outcome[0]
    assert len(rows(db_url)) == 4000


# -- the PostgreSQL fixtures themselves ----------------------------------------------


@pytest.mark.parametrize("ci", ["true", ""])
def test_missing_server_skips_locally_and_fails_in_ci(ci, tmp_path):
    import subprocess
    import sys

    from support import REPO_ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("SERAH_TEST_PG", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env.update(CI=ci, PG_BINDIR=str(tmp_path / "no-server-here"))
    proc = subprocess.run(
        [
            # -o addopts= drops the project's default "-n 2": with xdist off it would be a usage error
            sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", "-p", "no:xdist", "-rs",
            "tests/integration/test_persistence.py::TestPostgresWriterRole::test_harden_without_writer_role",
            "tests/integration/test_persistence.py::test_harden_existing_database",
        ],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    out = proc.stdout + proc.stderr
    if ci:
        assert proc.returncode == 1, out
        assert "PostgreSQL unavailable in CI" in out and "2 errors" in out and "1 passed" in out, out
    else:
        assert proc.returncode == 0, out
        assert "PostgreSQL unavailable: PostgreSQL server binaries" in out and "2 skipped" in out, out


def test_sqlite_harden_writes_nothing_when_current(tmp_path, app_factory):
    """Every start calls harden(): once the triggers are there it must not
    take the write lock or change the schema (which would invalidate other
    connections' prepared statements)."""
    path = str(tmp_path / "serah.sqlite")
    app = app_factory(path)
    app.register("C1-0001")
    harden(app)
    with raw(path) as conn:
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        harden(app_factory(path))  # would wait 30 s and fail if it wanted to write
        conn.execute("COMMIT")
        assert conn.execute("PRAGMA schema_version").fetchone()[0] == version
        # a trigger removed behind our back is put back
        conn.execute('DROP TRIGGER "serah_stored_events_no_delete"')
    harden(app)
    assert GUARD_MESSAGE in str(refused(path, "DELETE FROM stored_events"))
