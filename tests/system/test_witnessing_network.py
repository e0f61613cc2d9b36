"""A log server and two witness services on loopback ports, all real HTTP.

The log collects cosignatures to its quorum and publishes only a checkpoint
that met it; a witness that was stopped is caught up when it returns; a
log operator that serves a rewritten history is refused by both witnesses
(the refused requests kept as evidence) and never reaches its quorum.
"""

from __future__ import annotations

import hashlib
import time

import httpx
import pytest

from ledger.application import Ledger
from ledger.tlog.log import TransparencyLog
from support.tlog import (
    NAME,
    START,
    Clock,
    enrol,
    enrol_envelope,
    envelopes,
    new_ledger,
)
from support.witnessing import W1, W2, log_server, quorum_checked, served_note, submit, witness_server
from verifier import note as vn


@pytest.fixture
def ledger_db(tmp_path):
    db = str(tmp_path / "kpu.sqlite")
    ledger = new_ledger(db)
    enrol(ledger, 0, 20)
    ledger.close()
    return db


def test_cosigned_to_quorum_and_a_returning_witness_is_caught_up(tmp_path, ledger_db):
    w1, s1 = witness_server(tmp_path, W1)
    w2, s2 = witness_server(tmp_path, W2)
    log, server = log_server(ledger_db, [s1, s2])
    writer = log.ledger.ledger_id
    try:
        quorum_checked(served_note(server, 21), 21)
        assert w1.state.load()[NAME][0] == w2.state.load()[NAME][0] == 21

        s2.stop()  # witness 2 goes away
        submit(server, writer, 100, 5)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (w1.state.load()[NAME][0] != 26):
            time.sleep(0.1)
        assert w1.state.load()[NAME][0] == 26  # witness 1 cosigned the new checkpoint ...
        time.sleep(0.5)
        assert httpx.get(server.url + "/checkpoint").text.split("\n")[1] == "21"  # ... but 1 < quorum
        status = {s["url"]: s for s in log.witnessing.snapshot()}  # type: ignore[union-attr]
        assert status[s2.url]["last_status"] is None  # unreachable, retried in the background

        submit(server, writer, 200, 3)
        s2.start()  # back on the same port, with its state file
        note = served_note(server, 29)  # caught up from 21 to 29 with one proof
        quorum_checked(note, 29)
        assert w2.state.load()[NAME][0] == 29
        assert not w1.evidence() and not w2.evidence()
    finally:
        server.stop()
        s1.stop()
        s2.stop()


def test_a_rewritten_history_is_refused_by_both_witnesses(tmp_path, ledger_db):
    w1, s1 = witness_server(tmp_path, W1)
    w2, s2 = witness_server(tmp_path, W2)
    log, server = log_server(ledger_db, [s1, s2])
    try:
        honest = served_note(server, 21)
    finally:
        server.stop()
    original = envelopes(Ledger(ledger_db))

    # The operator, holding the root and log keys, rebuilds the ledger from record 10 on
    # (other organisations), with a consistent new tree, and serves it at the same witnesses.
    fake_db = str(tmp_path / "rewritten.sqlite")
    fake = Ledger(fake_db, clock=Clock())
    fake.submit_many(original[:10])
    fake._clock.now = START + 10**8
    fake.submit_many([enrol_envelope(fake, i, org="PT Lain") for i in range(9, 24)])
    fake.close()
    states = (w1.state.path.read_bytes(), w2.state.path.read_bytes())
    log, server = log_server(fake_db, [s1, s2])
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (w1.evidence() and w2.evidence()):
            time.sleep(0.1)
        assert w1.evidence() and w2.evidence(), "both witnesses keep the refused, log-signed request"
        assert (w1.state.path.read_bytes(), w2.state.path.read_bytes()) == states
        status = log.witnessing.snapshot()  # type: ignore[union-attr]
        assert {s["last_status"] for s in status} <= {409, 422}
        assert httpx.get(server.url + "/checkpoint").status_code == 404  # never reached its quorum
        fake_tlog = TransparencyLog(log.ledger)
        assert fake_tlog.latest_checkpoint().size == 25
        assert fake_tlog.root(21) != vn.parse_checkpoint_text(honest[: honest.index("\n\n") + 1])[2]
    finally:
        server.stop()
        s1.stop()
        s2.stop()
    tmp_path.joinpath("honest-21.note").write_text(honest)
    assert hashlib.sha256(honest.encode()).digest()  # kept for the monitor test
