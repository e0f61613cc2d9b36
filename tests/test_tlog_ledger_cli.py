"""``serah checkpoint``, ``serah witness``, ``serah prove`` on a real ledger file with real keys.

Refusals are one line on stderr with a documented exit status, and leave the
ledger (and the witness's state) exactly as they were.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from cli_support import PASSPHRASE, Serah
from ledger import keys
from ledger.application import Ledger
from ledger.tlog.log import LogSigner, log_verifier_key, witness_verifier_key
from ledger.tlog.note import Checkpoint
from verifier import merkle as vm
from verifier import note as vn

NAME = "serah.kpu.go.id/3101/pemilu-2024"
WITNESS = "bawaslu.go.id/3101/w1"


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-tlog-cli:" + name.encode()).digest())


ROOT, LOG, W1, OTHER = signer("root"), signer("log"), signer("w1"), signer("other")


def grow(db: str, start: int, count: int) -> None:
    ledger = Ledger(db)
    try:
        if ledger.ledger_id is None:
            ledger.genesis([ROOT], NAME, "Pemilu 2024", "2024-02-14")
        for i in range(start, start + count):
            ledger.enrol(ROOT, signer(f"printer-{i}").public, "printer", "", f"Percetakan {i}", "PT Cetak")
    finally:
        ledger.close()


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    grow(serah.db, 0, 11)  # 12 records
    for name, key in (("log", LOG), ("w1", W1), ("other", OTHER)):
        keys.save(key, tmp_path / f"{name}.key", PASSPHRASE, name=name)
    (tmp_path / "log.vkey").write_text(log_verifier_key(NAME, LOG.public) + "\n")
    (tmp_path / "w1.vkey").write_text(witness_verifier_key(WITNESS, W1.public) + "\n")
    return serah


def p(s: Serah, name: str) -> str:
    return str(s.root / name)


def cosign(s: Serah, note: str, out: str, *extra):
    first = () if (s.root / "w1.json").exists() else ("--first-time",)  # the witness's first checkpoint
    return s("witness", "cosign", p(s, note), "--state", p(s, "w1.json"), "--key", p(s, "w1.key"),
             "--name", WITNESS, "--log", p(s, "log.vkey"), "-o", p(s, out), *first, *extra)


def one_line(result, code: int, *words: str) -> None:
    assert result.code == code, (result.code, result.err, result.out)
    assert len(result.err_lines) == 1, result.err
    for word in words:
        assert word in result.err, result.err


def test_checkpoint_witness_and_proofs(s):
    vkey = s.ok("checkpoint", "--verifier-key", "--key", p(s, "log.key")).out.strip()
    assert vkey == log_verifier_key(NAME, LOG.public) and vn.parse_verifier_key(vkey).sig_type == 0x01
    wkey = s.ok("witness", "key", "--key", p(s, "w1.key"), "--name", WITNESS, "--json").json()["verifier_key"]
    assert vn.parse_verifier_key(wkey).sig_type == 0x04

    signed = s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp12.note"), "--json").json()
    assert signed["new"] and signed["size"] == 12 and signed["origin"] == NAME
    again = s.ok("checkpoint", "--key", p(s, "log.key"), "--json").json()
    assert not again["new"] and again["note"] == signed["note"]

    out = cosign(s, "cp12.note", "cp12.cosigned")
    assert out.code == 0, out.err
    assert s.ok("witness", "add-cosignature", p(s, "cp12.cosigned"), "--witness", p(s, "w1.vkey")).code == 0
    shown = s.ok("checkpoint", "--show", "--json").json()
    assert [c["name"] for c in shown["cosignatures"]] == [WITNESS]
    vn.verify_checkpoint(shown["note"], vn.parse_verifier_key(vkey), [vn.parse_verifier_key(wkey)], quorum=1)
    assert "Cosigned by" in s.ok("checkpoint", "--show").out

    ledger = Ledger(s.db)
    try:
        records = [envelope for _, envelope in ledger.records()]
    finally:
        ledger.close()
    record_id = hashlib.sha256(records[4]).hexdigest()
    proof = s.ok("prove", "inclusion", record_id, "--json").json()
    assert proof["index"] == 4 and proof["size"] == 12 and proof["checkpoint"] == shown["note"]
    vm.verify_inclusion(vm.hash_leaf(records[4]), 4, 12, [bytes.fromhex(h) for h in proof["proof"]],
                        bytes.fromhex(shown["root"]))
    assert s.ok("prove", "inclusion", "4", "--json").json()["proof"] == proof["proof"]
    assert "valid" in s.ok("prove", "inclusion", "0", "--size", "5").out

    grow(s.db, 11, 6)  # 18 records
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp18.note"))
    assert cosign(s, "cp18.note", "cp18.cosigned").code == 0
    s.ok("witness", "add-cosignature", p(s, "cp18.cosigned"))  # the witness is known by now
    consistency = s.ok("prove", "consistency", "12", "18", "--json").json()
    vm.verify_consistency(12, 18, bytes.fromhex(consistency["old_root"]), bytes.fromhex(consistency["new_root"]),
                          [bytes.fromhex(h) for h in consistency["proof"]])
    assert sorted(consistency["checkpoints"]) == ["12", "18"]
    listed = s.ok("checkpoint", "--list", "--json").json()
    assert [(c["size"], len(c["cosignatures"])) for c in listed] == [(12, 1), (18, 1)]
    assert json.loads((s.root / "w1.json").read_text())["logs"][NAME]["size"] == 18


def test_witness_refusals_are_loud_and_change_nothing(s):
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp12.note"))
    grow(s.db, 11, 4)
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp16.note"))
    assert cosign(s, "cp16.note", "cp16.cosigned").code == 0
    state = (s.root / "w1.json").read_bytes()
    dump = s.dump()

    # Rollback: the older checkpoint after the newer one.
    one_line(cosign(s, "cp12.note", "x1"), 4, "rollback", "12", "16")
    # Split view: another root for size 16, signed with the log key.
    forged = Checkpoint(NAME, 16, hashlib.sha256(b"another history").digest()).sign(LogSigner(NAME, LOG))
    (s.root / "forged16.note").write_text(forged)
    one_line(cosign(s, "forged16.note", "x2"), 4, "split view")
    # A checkpoint of a larger tree with the same start but another end: not consistent.
    forged20 = Checkpoint(NAME, 20, hashlib.sha256(b"x").digest()).sign(LogSigner(NAME, LOG))
    (s.root / "forged20.note").write_text(forged20)
    one_line(cosign(s, "forged20.note", "x3"), 4, "20")
    # Not signed by the log key.
    other = Checkpoint(NAME, 16, hashlib.sha256(b"y").digest()).sign(LogSigner(NAME, OTHER))
    (s.root / "other.note").write_text(other)
    one_line(cosign(s, "other.note", "x4"), 4)
    # Another log's checkpoint.
    (s.root / "elsewhere.note").write_text(
        Checkpoint("example.org/log", 3, hashlib.sha256(b"z").digest()).sign(LogSigner("example.org/log", LOG)))
    one_line(cosign(s, "elsewhere.note", "x5"), 2)

    assert (s.root / "w1.json").read_bytes() == state
    assert s.dump() == dump
    assert not any((s.root / f"x{i}").exists() for i in range(1, 6))
    kept = sorted(Path(str(s.root / "w1.json") + ".refused").iterdir())
    assert len(kept) == 4  # rollback, split view, inconsistent, bad signature: evidence against the log
    assert json.loads(kept[0].read_text())["note"]


def test_log_refusals_are_one_line(s):
    one_line(s("checkpoint", "--show"), 2, "no checkpoint")
    one_line(s("prove", "inclusion", "zz"), 2)
    one_line(s("prove", "inclusion", "99"), 2, "99")
    one_line(s("prove", "consistency", "5", "3"), 2)
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp12.note"))
    grow(s.db, 11, 1)
    dump = s.dump()
    one_line(s("checkpoint", "--key", p(s, "other.key")), 3, "--new-log-key")
    assert cosign(s, "cp12.note", "cp12.cosigned").code == 0
    text, line = (s.root / "cp12.cosigned").read_text().rsplit("\u2014 ", 1)
    name, blob = line.split()
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1  # the witness's signature, one bit off
    (s.root / "forged.cosigned").write_text(f"{text}\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n")
    one_line(s("witness", "add-cosignature", p(s, "forged.cosigned"), "--witness", p(s, "w1.vkey")), 4)
    one_line(s("witness", "add-cosignature", p(s, "cp12.note"), "--witness", p(s, "w1.vkey")), 2)
    one_line(s("witness", "add-cosignature", p(s, "cp12.cosigned"), "--witness", "not-a-key"), 2)
    assert s.dump() == dump


def test_indonesian_by_default(s):
    s.env["SERAH_LANG"] = "id"
    assert "Checkpoint ditandatangani" in s.ok("checkpoint", "--key", p(s, "log.key")).out
    one_line(s("checkpoint", "--show", "--size", "5"), 2, "tidak punya checkpoint")


def test_witness_without_state_refuses_unless_told_it_is_the_first_time(s):
    """A witness that lost its state file must not cosign a shortened log as
    "consistent with size 0" (SPEC 10.5): it needs --first-time, given by its operator."""
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp12.note"))
    grow(s.db, 11, 4)
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp16.note"))
    assert cosign(s, "cp16.note", "cp16.cosigned").code == 0  # first time: --first-time given by the helper
    (s.root / "w1.json").unlink()  # the state is lost
    base = ("witness", "cosign", p(s, "cp12.note"), "--state", p(s, "w1.json"), "--key", p(s, "w1.key"),
            "--name", WITNESS, "--log", p(s, "log.vkey"), "-o", p(s, "short.cosigned"))
    one_line(s(*base), 2, "--first-time")
    assert not (s.root / "w1.json").exists() and not (s.root / "short.cosigned").exists()
    assert s(*base, "--first-time").code == 0  # the operator's explicit word
