"""Throwaway PostgreSQL server for the test suite.

Why this exists: the ledger must behave identically on SQLite and PostgreSQL,
so the suite runs its storage tests against a real server.  We do not want
developers or CI to maintain a long-lived database for that, so the suite
starts its own cluster (``initdb`` + ``pg_ctl``) in a temporary directory,
listening on a unix socket inside that directory and on a free loopback port,
with ``trust`` authentication (nothing but the local machine can reach it).

PostgreSQL refuses to run as root.  CI runs as root, so when we are root the
cluster directory is handed to the ``postgres`` system user (created by the
distribution's ``postgresql`` package) and every server command runs through
``runuser -u postgres --`` (or ``su postgres -s /bin/sh -c`` where runuser is
missing).

If ``SERAH_TEST_PG`` is set it must be a ``postgresql://`` URL of an account
that may CREATE DATABASE (and CREATE ROLE, for the writer-role tests); no
server is started then.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

SERVER_USER = "postgres"  # OS user the server runs as when we are root
SUPERUSER = "postgres"  # database superuser created by initdb


# Runs beside the test process and stops the cluster if that process dies
# without tearing down (SIGKILL, SIGTERM from a CI timeout, a crash): it blocks
# reading a pipe whose only writer is the test process, so EOF means "gone".
_WATCHDOG = r"""
import json, os, shutil, subprocess, sys
sys.stdin.buffer.read()
tmp, stop_argv = sys.argv[1], json.loads(sys.argv[2])
if os.path.exists(os.path.join(tmp, "data", "postmaster.pid")):
    subprocess.run(stop_argv, cwd=tmp, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
shutil.rmtree(tmp, ignore_errors=True)
"""


class PgUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine (a skip locally, a failure in CI)."""


def find_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl/postgres, newest version first.

    ``PG_BINDIR``, when set, is the only place looked at (so a test run can
    also pretend there is no server).  Debian/Ubuntu keep the server binaries
    out of PATH (``/usr/lib/postgresql/<major>/bin``), so look there before PATH.
    """
    override = os.environ.get("PG_BINDIR")
    if override is not None:
        candidates = [Path(override)]
    else:

        def major(p: str) -> float:
            m = re.search(r"/postgresql/(\d+(?:\.\d+)?)/bin$", p)
            return float(m.group(1)) if m else 0.0

        candidates = [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=major, reverse=True)]
        candidates += [Path(p) for p in sorted(glob.glob("/usr/pgsql-*/bin"), reverse=True)]
        on_path = shutil.which("pg_ctl")
        if on_path:
            candidates.append(Path(on_path).resolve().parent)
    for d in candidates:
        if all((d / exe).is_file() and os.access(d / exe, os.X_OK) for exe in ("initdb", "pg_ctl", "postgres")):
            return d
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_connect(url: str, **kwargs):
    """psycopg connection in autocommit mode (CREATE/DROP DATABASE need it)."""
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10, **kwargs)


def dbname_of(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def with_dbname(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(dbname, safe="")))


class PgServer:
    """A PostgreSQL cluster (started by us, or external via SERAH_TEST_PG).

    ``admin_url`` connects as a superuser to the ``postgres`` maintenance
    database; ``create_database()`` returns the URL of a new empty database.
    """

    def __init__(
        self,
        admin_url: str,
        *,
        owned_dir: Path | None = None,
        bindir: Path | None = None,
        run_as: str | None = None,
    ):
        self.admin_url = admin_url
        self.owned_dir = owned_dir  # temp dir we created (data, socket, log); None if external
        self.bindir = bindir
        self.run_as = run_as  # OS user for server commands when we are root
        self._created: list[str] = []
        self._watchdog: subprocess.Popen[bytes] | None = None

    # -- starting / stopping -------------------------------------------------

    @classmethod
    def external(cls, url: str) -> PgServer:
        server = cls(url)
        with admin_connect(url) as conn:  # fail early with a clear error
            conn.execute("SELECT 1")
        return server

    @classmethod
    def start(cls, *, bindir: Path | None = None, durable: bool = False) -> PgServer:
        """``durable``: keep PostgreSQL's crash-safety settings (fsync,
        synchronous_commit, full_page_writes), for benchmarks that compare
        durable commits; the test suite turns them off for speed."""
        bindir = bindir or find_bindir()
        if bindir is None:
            raise PgUnavailable(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; "
                "install them with `apt-get install -y postgresql`, set PG_BINDIR, "
                "or point SERAH_TEST_PG at a server"
            )
        as_root = os.geteuid() == 0
        run_as: str | None = None
        if as_root:
            try:
                pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PgUnavailable(
                    f"running as root but there is no '{SERVER_USER}' OS user to run the "
                    "server as (install the distribution's postgresql package)"
                ) from None
            run_as = SERVER_USER

        # Unix socket paths are limited to ~107 bytes, and the server user must
        # be able to reach the directory: use /tmp when root or TMPDIR is long.
        parent = None
        if as_root or len(tempfile.gettempdir()) > 40:
            parent = "/tmp"
        tmp = Path(tempfile.mkdtemp(prefix="serah-pg-", dir=parent))
        server = cls("", owned_dir=tmp, bindir=bindir, run_as=run_as)
        try:
            if run_as:
                shutil.chown(tmp, user=run_as)
            data = tmp / "data"
            server._watchdog = subprocess.Popen(
                [sys.executable, "-c", _WATCHDOG, str(tmp), json.dumps(server._stop_argv())],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # survives a Ctrl-C / kill of our process group
            )
            server._run(
                [
                    str(bindir / "initdb"),
                    "-D", str(data),
                    "-U", SUPERUSER,
                    "-A", "trust",
                    "-E", "UTF8",
                    "--no-locale",
                    "--no-sync",
                    "--no-instructions",
                ],
                timeout=120,
            )
            last_error = ""
            for _attempt in range(5):  # a free port can be taken between probe and bind
                port = _free_port()
                opts = " ".join(
                    [
                        f"-p {port}",
                        f"-k {shlex.quote(str(tmp))}",
                        "-c listen_addresses=127.0.0.1",
                        "-c max_connections=200",
                    ]
                    # durability is pointless for a throwaway cluster; speed is not
                    + ([] if durable else ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"])
                )
                proc = server._run(
                    [
                        str(bindir / "pg_ctl"),
                        "-D", str(data),
                        "-l", str(tmp / "server.log"),
                        "-o", opts,
                        "-w", "-t", "60",
                        "start",
                    ],
                    timeout=90,
                    check=False,
                )
                if proc.returncode == 0:
                    server.admin_url = (
                        f"postgresql://{SUPERUSER}@/postgres?host={quote(str(tmp), safe='/')}&port={port}"
                    )
                    return server
                last_error = proc.stdout + proc.stderr + server._log_tail()
            raise RuntimeError(f"pg_ctl start failed:\n{last_error}")
        except BaseException:
            server.stop()
            raise

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            assert self.owned_dir is not None
            return (self.owned_dir / "server.log").read_text(errors="replace")[-4000:]
        return ""

    def _as_server_user(self, argv: list[str]) -> list[str]:
        if not self.run_as:
            return argv
        if shutil.which("runuser"):
            return ["runuser", "-u", self.run_as, "--", *argv]
        return ["su", self.run_as, "-s", "/bin/sh", "-c", shlex.join(argv)]

    def _pg_ctl_stop(self) -> list[str]:
        assert self.bindir is not None and self.owned_dir is not None
        return [str(self.bindir / "pg_ctl"), "-D", str(self.owned_dir / "data"), "-m", "immediate", "-w", "stop"]

    def _stop_argv(self) -> list[str]:
        return self._as_server_user(self._pg_ctl_stop())

    def _run(self, argv: list[str], *, timeout: float, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = self._as_server_user(argv)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        proc = subprocess.run(
            argv,
            cwd=self.owned_dir,  # the server user may not be able to read our cwd
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(f"{shlex.join(argv)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
        return proc

    def stop(self) -> None:
        if self.owned_dir is None:
            for name in list(self._created):
                self.drop_database(name)
            return
        try:
            if (self.owned_dir / "data" / "postmaster.pid").exists():
                self._run(self._pg_ctl_stop(), timeout=60, check=False)
        finally:
            shutil.rmtree(self.owned_dir, ignore_errors=True)
            if self._watchdog is not None:
                with contextlib.suppress(Exception):
                    self._watchdog.stdin.close()  # type: ignore[union-attr]
                    self._watchdog.wait(timeout=30)
                self._watchdog = None

    # -- databases -------------------------------------------------------------

    def create_database(self, prefix: str = "serah_test") -> str:
        """Create an empty database; return its URL (superuser credentials)."""
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        name = f"{prefix}_{worker}_{uuid.uuid4().hex[:12]}".replace("__", "_")
        with admin_connect(self.admin_url) as conn:
            # template0 + FILE_COPY: smallest possible template, no WAL-logging
            # of every block (PostgreSQL >= 15 defaults to WAL_LOG).
            strategy = " STRATEGY = FILE_COPY" if conn.info.server_version >= 150000 else ""
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0{strategy}')
        self._created.append(name)
        return with_dbname(self.admin_url, name)

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception), admin_connect(self.admin_url) as conn:
            force = " WITH (FORCE)" if conn.info.server_version >= 130000 else ""
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"{force}')
        with contextlib.suppress(ValueError):
            self._created.remove(name)

