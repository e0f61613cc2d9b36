"""A small ledger with a transparency log, for the log's tests and the
verifier's: its name, root and log keys, one witness (Bawaslu's W1), a
clock of one minute per record, and helpers to grow the ledger and to sign
and cosign a checkpoint.
"""

from __future__ import annotations

import hashlib
import sqlite3

from ledger import keys, records
from ledger.application import Ledger
from ledger.tlog.log import (
    KeyWitness,
    TransparencyLog,
    cosign_checkpoint,
    log_verifier_key,
    witness_verifier_key,
)
from ledger.tlog.note import Ed25519Verifier

NAME = "serah.kpu.go.id/3101/pemilu-2024"
WITNESS = "bawaslu.go.id/3101/w1"
START = 1_698_800_400_000  # 2023-11-01 08:00 WIB


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-tlog-test:" + name.encode()).digest())


ROOT, LOG, W1 = signer("kpu-ri"), signer("kpu-log"), signer("bawaslu-w1")
LOG_VKEY = log_verifier_key(NAME, LOG.public)
W1_VKEY = witness_verifier_key(WITNESS, W1.public)


class Clock:
    """One minute per record, so record times are distinct and increasing."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        self.now += 60_000
        return self.now


def new_ledger(db: str) -> Ledger:
    ledger = Ledger(db, clock=Clock())
    ledger.genesis([ROOT], NAME, "Pemilu 2024", "2024-02-14", root_names=["Ketua KPU RI"])
    return ledger


def enrol(ledger: Ledger, start: int, count: int) -> None:
    for i in range(start, start + count):
        ledger.enrol(ROOT, signer(f"printer-{i}").public, "printer", "", f"Percetakan {i}", "PT Cetak")


def enrol_envelope(ledger: Ledger, i: int, org: str = "PT Cetak") -> bytes:
    body = records.build("enrol", ROOT, ledger.ledger_id, ledger._clock(), key=signer(f"printer-{i}").public,
                         role="printer", region="", name=f"Percetakan {i}", org=org)
    return records.sign(body, ROOT)


def envelopes(ledger: Ledger) -> list[bytes]:
    return [envelope for _, envelope in ledger.records()]


def witness(tmp_path, name: str = "w1.json") -> KeyWitness:
    w = KeyWitness(WITNESS, W1, tmp_path / name, {NAME: Ed25519Verifier(NAME, LOG.public)}, clock=lambda: 1707868800)
    w.first_time = True  # a new witness of this log
    return w


def witnessed_checkpoint(log: TransparencyLog, w: KeyWitness):
    """Sign a checkpoint, have ``w`` cosign it, store the cosignature; the stored checkpoint."""
    cp, _ = log.sign_checkpoint(LOG)
    cosigned, _ = cosign_checkpoint(log, w, cp.note)
    log.add_cosignatures(cosigned, [W1_VKEY])
    return log.checkpoint(cp.size)


def tlog_findings(report) -> set[tuple[str, str, str]]:
    return {(f.label, f.severity, f.code) for f in report.findings if f.label.startswith("T")}


def drop_guards(path) -> sqlite3.Connection:
    """What an attacker with the database file does first: remove the append-only triggers."""
    conn = sqlite3.connect(path, isolation_level=None)
    for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{trigger}"')
    return conn


def kept(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
