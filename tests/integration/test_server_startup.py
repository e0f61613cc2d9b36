"""A server's start-up checks the records under its own checkpoint by their
root, and falls back to checking every signature when the root differs."""

from __future__ import annotations

import hashlib
import logging
import sqlite3

from ledger import keys
from ledger.application import Ledger
from ledger.domain import RECORD_TOPIC
from ledger.server.config import ServerConfig
from ledger.server.service import Service


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-startup:" + name.encode()).digest())


def make_ledger(db: str) -> None:
    root = signer("kpu-ri")
    ledger = Ledger(db)
    try:
        ledger.genesis([root], "serah.test/startup", "Pemilu 2029", "2029-02-14", root_names=["KPU RI"])
        for i in range(5):
            ledger.enrol(root, signer(f"kpu-{i}").public, "kpu", "31", f"Ketua {i}", "KPU Provinsi")
    finally:
        ledger.close()


def serve_once(db: str) -> Service:
    service = Service(ServerConfig(db=db, checkpoint_every_s=0, checkpoint_every_records=0), signer("log"))
    service.start()
    service.stop()  # integrates and signs a checkpoint of everything
    return service


def test_a_restart_trusts_its_own_checkpoint_and_derives_the_same_state(tmp_path):
    db = str(tmp_path / "l.sqlite")
    make_ledger(db)
    first = serve_once(db)
    second = serve_once(db)
    assert second.integrator.integrated == second.state.size == first.state.size == 6
    assert second.state.tree.root() == first.state.tree.root()
    assert set(second.state.aggregates) == set(first.state.aggregates) and not second.state.skipped


def test_a_record_changed_under_the_checkpoint_is_caught_by_the_root(tmp_path, caplog):
    db = str(tmp_path / "l.sqlite")
    make_ledger(db)
    serve_once(db)
    with sqlite3.connect(db) as conn:  # an owner who drops the guards and rewrites a record's signature
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        rowid, state = conn.execute("SELECT rowid, state FROM stored_events WHERE topic = ? ORDER BY rowid DESC"
                                    " LIMIT 1", [RECORD_TOPIC]).fetchone()
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", [state[:-1] + bytes([state[-1] ^ 1]), rowid])
    with caplog.at_level(logging.ERROR, logger="serah.server"):
        service = Service(ServerConfig(db=db, checkpoint_every_s=0, checkpoint_every_records=0), signer("log"))
    assert "no longer give the root of checkpoint 6" in caplog.text
    assert [s.position for s in service.state.skipped] == [5]  # its signature was checked, and fails
    service.ledger.close()
