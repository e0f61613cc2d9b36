"""A ledger writer to be killed with SIGKILL at random moments (tests/system/test_crash.py).

Run from tests/ as ``python -m support.crash_worker DB ACKS``: a *zygote* that imports
everything once and then, for each ``fork SEED`` line on stdin, forks a
writer and prints ``pid PID``. Forking keeps a kill-and-restart cycle in the
tens of milliseconds (a fresh interpreter would spend most of the test
importing), while every writer is still a process of its own, opening its
own connections, like a ``serah`` command. ``reap PID`` waits for a writer
and prints ``reaped PID STATUS``; ``quit`` (or end of input) ends.

A writer opens the ledger, prints ``ready PID`` and appends until it is
killed, choosing at random among:

* ``register`` of 1-40 new items (one record, one index event per item);
* an atomic handover: a prepare signed offline and its accept, appended
  together by ``accept`` in one transaction (two records);
* a prepare appended alone (items left in transit, as a giver's would be);
* the accept of a prepare it appended earlier.

Each writer moves only items it registered itself (finding out who holds
what would cost a replay of the whole ledger on every start); items an
earlier writer left in transit stay so, as a killed giver's would.

Before each call it appends ``call`` to ``ACKS``; after the call returns,
the ids of the records the call wrote, one hex line each, in one
``write()``: such a line is a record the ledger acknowledged, so the test
can demand it is still there.
"""

from __future__ import annotations

import os
import random
import sys

from ledger import records
from ledger.application import Ledger
from support.scenario import TPS1, Cast

PEOPLE = ("kpu_kab", "ppk")  # adjacent levels covering TPS 001: handovers both ways are on path


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # unbuffered: a forked child shares the zygote's stdout


class Writer:
    def __init__(self, db: str, acks: str, seed: int) -> None:
        self.rng = random.Random(seed)
        self.token = f"{seed:08X}"[-8:]  # item ids unique across writers
        self.count = 0
        self.acks = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.ledger = Ledger(db)
        self.people = {name: Cast.signer(name) for name in PEOPLE}
        # Each writer moves the items it registers itself: finding out who holds
        # what in the ledger would cost a replay of all of it on every start.
        self.held: dict[str, list[str]] = {name: [] for name in PEOPLE}
        self.pending: list[tuple[str, bytes]] = []  # (receiver, prepare envelope) appended, not yet answered

    @staticmethod
    def _other(name: str) -> str:
        return PEOPLE[1] if name == PEOPLE[0] else PEOPLE[0]

    def ack(self, *ids: bytes) -> None:
        os.write(self.acks, b"".join(i.hex().encode() + b"\n" for i in ids))

    def run(self) -> None:
        while True:
            os.write(self.acks, b"call\n")  # a kill before the ack lines is a kill inside a call
            choice = self.rng.random()
            if choice < 0.15 or not any(self.held.values()):
                self.register()
            elif choice < 0.55:
                self.move(submit_first=False)
            elif choice < 0.75 or not self.pending:
                self.move(submit_first=True)
            else:
                self.accept_pending()

    def register(self) -> None:
        lines = []
        for _ in range(self.rng.randint(1, 40)):
            self.count += 1
            lines.append({"item": f"KS-CRASH-{self.token}-{self.count:04d}", "kind": "form", "dest": TPS1, "qty": 1})
        rid = self.ledger.register(self.people["kpu_kab"], lines)
        self.ack(rid)
        self.held["kpu_kab"] += [line["item"] for line in lines]

    def move(self, *, submit_first: bool) -> None:
        giver = self.rng.choice([n for n in PEOPLE if self.held[n]])
        taker = self._other(giver)
        items = self.rng.sample(self.held[giver], min(len(self.held[giver]), self.rng.randint(1, 20)))
        prep = self.ledger.prepare(
            self.people[giver], self.people[taker].public, items, "310101", "Dermaga Kali Adem", "distribusi",
            submit=submit_first,
        )
        self.held[giver] = [i for i in self.held[giver] if i not in items]
        if submit_first:
            self.ack(records.record_id(prep))
            self.pending.append((taker, prep))
            return
        # Offline giver: the accept appends the prepare and itself together.
        rid = self.ledger.accept(self.people[taker], prep)
        self.ack(records.record_id(prep), rid)
        self.held[taker] += items

    def accept_pending(self) -> None:
        taker, prep = self.pending.pop(self.rng.randrange(len(self.pending)))
        rid = self.ledger.accept(self.people[taker], prep)
        self.ack(rid)
        self.held[taker] += [line["item"] for line in records.parse(prep, verify=False).lines]


def _writer(db: str, acks: str, seed: int) -> None:
    try:
        import time
        t0 = time.perf_counter()
        writer = Writer(db, acks, seed)
        _say(f"ready {os.getpid()} {time.perf_counter() - t0:.3f}")
        writer.run()
    except BaseException:  # noqa: BLE001 - a writer must never stop on its own: say why it did
        import traceback

        traceback.print_exc()
        os._exit(3)


def main(db: str, acks: str) -> None:
    if db.startswith(("postgresql://", "postgres://")):
        # What Ledger() would import lazily in every writer: a third of a second each.
        from ledger.storage import postgres

        postgres.TlogPostgresApplicationRecorder  # noqa: B018 - builds the recorder classes (imports psycopg)
    while line := sys.stdin.readline():
        command, _, arg = line.strip().partition(" ")
        if command == "fork":
            pid = os.fork()
            if pid == 0:
                sys.stdin.close()
                _writer(db, acks, int(arg))
                os._exit(0)  # not reached
            _say(f"pid {pid}")
        elif command == "reap":
            _, status = os.waitpid(int(arg), 0)
            _say(f"reaped {arg} {status}")
        elif command == "quit":
            break


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
