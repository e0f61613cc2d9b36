"""kill -9 during bulk appends, again and again, on SQLite and PostgreSQL.

A writer process (tests/support/crash_worker.py) appends registrations and
handovers and writes each acknowledged record id to a file after the call
returns; this test SIGKILLs it at a random moment, starts a new one, and so
on, at least ``KILLS`` times while it was appending (and now and then while
it was still opening the ledger). Afterwards the ledger must:

* open, and take appends again (no lock or half transaction left behind);
* hold every acknowledged record;
* have no half-written handover: every accept follows its prepare, and every
  record's index events are all there or none are (each index event names
  its record, so both a record without its index and an index without its
  record show);
* have a transparency log of exactly the records: size = record count,
  root = the root recomputed from the records, nothing to catch up;
* verify clean (no error, no warning).

Set ``SERAH_CRASH_SEED`` to replay a run's kill times.
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from ledger import records
from ledger.application import Ledger
from ledger.domain import RECORD_TOPIC, item_uuid
from ledger.tlog.log import TransparencyLog
from support import TESTS
from support.scenario import TPS1, Cast, Clock
from verifier import merkle
from verifier.api import verify

KILLS = 50  # kills while appending, per backend
MAX_PAUSE = 0.2  # seconds a writer may append before it is killed
OPENING_KILLS = 0.1  # share of writers killed while still opening the ledger
WORKER = "support.crash_worker"  # run as a module from tests/ (support/ holds modules named like top-level packages)
HEX_ID = re.compile(rb"^[0-9a-f]{64}$")


class Zygote:
    """Drives tests/support/crash_worker.py: fork a writer, kill it, reap it."""

    def __init__(self, db: str, acks: Path, errors: Path) -> None:
        self.acks, self.errors = acks, errors
        self._err = open(errors, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", WORKER, db, str(acks)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            cwd=TESTS,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.ready: set[int] = set()
        self.open_times: list[float] = []  # seconds each writer took to open the ledger
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.decode().strip())
        self.lines.put("eof")

    def _send(self, line: str) -> None:
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def _expect(self, word: str, pid: int | None = None, timeout: float = 60) -> list[str]:
        """Reads lines until ``word [pid] ...``; ``ready`` lines are noted on the way."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no '{word}' from the crash worker; stderr:\n{self.stderr()}") from None
            parts = line.split()
            if parts[0] == "eof":
                raise AssertionError(f"crash worker ended; stderr:\n{self.stderr()}")
            if parts[0] == "ready":
                self.ready.add(int(parts[1]))
                self.open_times.append(float(parts[2]))
            if parts[0] == word and (pid is None or int(parts[1]) == pid):
                return parts

    def fork(self, seed: int) -> int:
        self._send(f"fork {seed}")
        return int(self._expect("pid")[1])

    def wait_ready(self, pid: int) -> None:
        if pid not in self.ready:
            self._expect("ready", pid)

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        self._send(f"reap {pid}")
        status = int(self._expect("reaped", pid)[2])
        # A writer only ever stops by our SIGKILL; anything else is a failure.
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, self.stderr()
        with open(self.acks, "ab") as f:
            f.write(b"killed\n")

    def stderr(self) -> str:
        self._err.flush()
        return self.errors.read_text(errors="replace")[-4000:]

    def close(self) -> None:
        try:
            self._send("quit")
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._err.close()


def _setup(db: str) -> None:
    clock = Clock()
    ledger = Ledger(db, clock=clock)
    try:
        Cast().setup(ledger, clock)
    finally:
        ledger.close()


def _kill_loop(db: str, tmp_path: Path) -> tuple[Counter, set[bytes]]:
    seed = int(os.environ.get("SERAH_CRASH_SEED") or random.randrange(2**32))
    print(f"\nSERAH_CRASH_SEED={seed}")
    rng = random.Random(seed)
    acks = tmp_path / "acks"
    zygote = Zygote(db, acks, tmp_path / "worker.err")
    kills: Counter = Counter()
    try:
        while kills["appending"] < KILLS:
            pid = zygote.fork(rng.randrange(2**31))
            if rng.random() < OPENING_KILLS:
                time.sleep(rng.uniform(0, 0.03))
                kills["opening" if pid not in zygote.ready else "appending"] += 1
            else:
                zygote.wait_ready(pid)
                time.sleep(rng.uniform(0, MAX_PAUSE))
                kills["appending"] += 1
            zygote.kill(pid)
    finally:
        zygote.close()
    acked, in_call = set(), False
    for line in acks.read_bytes().splitlines():
        if HEX_ID.match(line):
            acked.add(bytes.fromhex(line.decode()))
            in_call = False
        elif line == b"call":
            in_call = True
        elif line == b"killed":
            kills["inside a call"] += in_call
            in_call = False
    return kills, acked


def _index_events(ledger: Ledger) -> dict[str, list]:
    """Every index event that names a record, by that record's id (hex)."""
    found: dict[str, list] = defaultdict(list)
    start = 1
    while page := ledger.recorder.select_notifications(start=start, limit=1000):
        for row in page:
            if row.topic != RECORD_TOPIC:
                event = ledger.mapper.to_domain_event(row)
                if hasattr(event, "record"):
                    found[event.record].append(event.originator_id)
        start = page[-1].id + 1
    return found


def test_kill_9_during_appends(db_url, tmp_path):
    _setup(db_url)
    started = time.monotonic()
    kills, acked = _kill_loop(db_url, tmp_path)
    looped = time.monotonic() - started

    ledger = Ledger(db_url)
    try:
        log = TransparencyLog(ledger)
        assert log.catch_up() == 0  # every committed record came with its leaf
        # Still writable: no lock, no open transaction was left behind.
        ledger.register(Cast.signer("kpu_kab"), [{"item": "KS-CRASH-AFTER", "kind": "form", "dest": TPS1, "qty": 1}])

        envelopes = [e for _, e in ledger.records()]
        parsed = [records.parse(e) for e in envelopes]
        position = {rec.id: i for i, rec in enumerate(parsed)}
        assert len(position) == len(parsed)

        assert acked and acked <= set(position), f"{len(acked - set(position))} acknowledged records lost"

        types = Counter(rec.type for rec in parsed)
        items = {item_uuid(line["item"]) for rec in parsed if rec.type == "register" for line in rec.lines}
        for rec in parsed:
            if rec.type == "handover.accept":
                prep = rec.body["handover"]
                assert prep in position and position[prep] < position[rec.id], rec.id.hex()
                assert parsed[position[prep]].type == "handover.prepare"

        index = _index_events(ledger)
        assert set(index) <= {rec.id.hex() for rec in parsed}, "index events of a record that is not stored"
        for rec in parsed:
            if rec.type in ("register", "handover.prepare", "handover.accept"):
                # One event per item line (other index events, of keys, may come with them).
                named = sorted(item_uuid(line["item"]) for line in rec.lines)
                got = sorted(uid for uid in index.get(rec.id.hex(), []) if uid in items)
                assert got == named, (rec.type, rec.id.hex())

        assert log.size == len(envelopes)
        assert log.root() == merkle.root_of(envelopes)
    finally:
        ledger.close()

    report = verify(db_url)
    # Clean but for SPEC 10.6 T3: no checkpoint was signed in this test.
    assert report.counts["error"] == 0 and report.by_check.get("T3") == report.counts["warning"] == 1, \
        report.as_dict()["findings"][:5]
    assert report.records == len(envelopes)

    unacked = len(parsed) - len(acked) - len(Cast.PEOPLE) - 1  # minus setup and the final register
    print(
        f"kills: {dict(kills)} in {looped:.1f} s; records {len(parsed)} {dict(types)}; "
        f"acknowledged {len(acked)}, committed but killed before the ack {unacked}"
    )
