"""Shared pytest fixtures.

Several engineers add fixtures here: keep each group in its own marked block.
"""

from __future__ import annotations

# ============================================================================
# BEGIN key files (owner: hardening): the suite creates and opens hundreds of
# key files, so it writes them with scrypt n = 2^10 instead of the production
# minimum 2^17 (SPEC 7.2). Only processes with this variable accept such
# files; production refuses them.
import os as _os

_os.environ["SERAH_INSECURE_TEST_KDF"] = "1"
# END key files
# ============================================================================

# ============================================================================
# BEGIN persistence fixtures (owner: persistence layer; see tests/support/pgserver.py)
#
#   db_url       parametrised: a fresh SQLite file path, then a fresh
#                PostgreSQL database URL.  Pass it to ledger.persistence.
#                environment() to run a test on both backends.
#   pg_url       a fresh, empty PostgreSQL database (superuser URL).
#   pg_server    session-wide server: SERAH_TEST_PG if set, else a throwaway
#                cluster started here.  No server binaries: PostgreSQL tests
#                SKIP locally, FAIL when CI=true.
#   marker       @pytest.mark.postgres (added automatically to tests using
#                the PostgreSQL fixtures; deselect with -m "not postgres").
# ============================================================================
import atexit
import os
from collections.abc import Iterator

import pytest

from support.pgserver import PgServer, PgUnavailable, dbname_of


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "postgres: needs a PostgreSQL server (started by the suite, or SERAH_TEST_PG)",
    )


_PG_FIXTURES = {"pg_server", "pg_url"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _PG_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    url = os.environ.get("SERAH_TEST_PG", "").strip()
    if url:
        server = PgServer.external(url)
    else:
        try:
            server = PgServer.start()
        except PgUnavailable as e:
            if _in_ci():
                pytest.fail(f"PostgreSQL unavailable in CI: {e}", pytrace=False)
            pytest.skip(f"PostgreSQL unavailable: {e}")
    atexit.register(server.stop)  # in case the session dies before teardown
    try:
        yield server
    finally:
        server.stop()
        atexit.unregister(server.stop)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    url = pg_server.create_database()
    try:
        yield url
    finally:
        pg_server.drop_database(dbname_of(url))


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "serah.sqlite")
    # Requested lazily so SQLite-only runs never start a server.
    return request.getfixturevalue("pg_url")


# ============================================================================
# END persistence fixtures
# ============================================================================
