"""``serah serve`` signs a checkpoint after N records or T seconds, whichever comes first.

A real ``serah serve`` process on a loopback port with the timer off: the
count alone triggers the checkpoint, and fewer records than the count
trigger nothing.
"""

from __future__ import annotations

import time

import httpx

from support.cli import Serah, build_small_ledger
from support.serve import Server


def _served_size(server: Server) -> int | None:
    answer = httpx.get(server.url + "/checkpoint")
    return int(answer.text.split("\n")[1]) if answer.status_code == 200 else None


def _wait_for(server: Server, size: int, timeout: float = 10.0) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _served_size(server) != size:
        time.sleep(0.05)
    return _served_size(server)


def _enroll(s: Serah, server: Server, name: str) -> None:
    s.ok("key", "new", name)
    s.ok("--server", server.url, "enroll", name, "--role", "escort", "--region", "3101", "--name", f"Bripka {name}",
         "--org", "Ditpolairud Polda Metro Jaya", "--as", "kpu-3101")


def test_a_checkpoint_is_signed_after_n_records_with_the_timer_off(tmp_path):
    s = Serah(tmp_path / "office")
    build_small_ledger(s)
    s.ok("key", "new", "kpu-log")
    with Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0", "--checkpoint-records", "3") as server:
        _enroll(s, server, "escort-0")  # the records never checkpointed are more than 3: a checkpoint follows
        time.sleep(1.0)
        signed = _served_size(server)
        assert signed is not None
        n = 1
        while httpx.get(server.url + "/healthz").json()["size"] - signed < 2:
            _enroll(s, server, f"escort-{n}")
            n += 1
        time.sleep(1.0)
        assert _served_size(server) == signed  # two records of three: not yet
        _enroll(s, server, f"escort-{n}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _served_size(server) == signed:
            time.sleep(0.05)
        # the third record triggers it; it covers what the tree has integrated by then (at least the second)
        assert (_served_size(server) or 0) >= signed + 2


def test_a_negative_record_count_is_refused_in_one_line(tmp_path):
    s = Serah(tmp_path / "office")
    s.ok("key", "new", "kpu-log")
    answer = s("serve", "--log-key", s.key("kpu-log"), "--checkpoint-records", "-1")
    assert answer.code == 2 and len(answer.err_lines) == 1 and "checkpoint_records" in answer.err
