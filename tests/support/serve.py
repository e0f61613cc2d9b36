"""A real ``serah serve`` process on a free loopback port, for the server tests.

The server runs as its own process (``python -m cli.main serve``), exactly as
an operator starts it, so tests can also ``kill -9`` it. Only 127.0.0.1 is
ever used.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from support import REPO_ROOT
from support.cli import PASSPHRASE


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``serah --db DB serve --log-key KEY`` on 127.0.0.1:<free port>."""

    def __init__(self, db: str, log_key: Path, home: Path, *extra: str, log: Path | None = None) -> None:
        self.db = db
        self.log_key = log_key
        self.home = home
        self.extra = extra
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(str(log_key) + f".serve-{self.port}.log")
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> Server:
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "SERAH_PASSPHRASE": PASSPHRASE,
            "SERAH_HOME": str(self.home),
            "SERAH_LANG": "en",
        }
        env.pop("SERAH_SERVER", None)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "--db", self.db, "serve", "--listen", f"127.0.0.1:{self.port}",
                 "--log-key", str(self.log_key), *self.extra],
                env=env, stdout=log, stderr=log, cwd=str(REPO_ROOT),
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serah serve exited {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"serah serve did not start:\n{self.log.read_text()}")

    def stop(self) -> int | None:
        """SIGTERM: the server drains and exits; returns its exit status."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def kill(self) -> None:
        """``kill -9``: no draining, no clean-up."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
