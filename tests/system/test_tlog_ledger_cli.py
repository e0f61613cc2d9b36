"""``serah checkpoint``, ``serah witness``, ``serah prove`` on a real ledger file with real keys;
``serah key show --note-name`` (C2SP verifier keys) and the transparency-log
options of ``serah verify`` (--checkpoint, --log-key, --witness-key, --quorum).

Refusals are one line on stderr with a documented exit status, and leave the
ledger (and the witness's state) exactly as they were.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from ledger import keys
from ledger.application import Ledger
from ledger.tlog.log import LogSigner, log_verifier_key, witness_verifier_key
from ledger.tlog.note import Checkpoint, sign_note
from support.cli import PASSPHRASE, Serah
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


# --- verifier keys, and verify with pinned keys, kept checkpoints and a quorum ---------------


def test_key_show_note_name_prints_c2sp_verifier_keys(tmp_path):
    s = Serah(tmp_path)
    made = s.ok("key", "new", "kpu-log", "--json").json()
    public = bytes.fromhex(made["public_key_hex"])

    log = s.ok("key", "show", "kpu-log", "--note-name", NAME, "--json").json()
    assert log["verifier_key"] == log_verifier_key(NAME, public)
    assert log["note_name"] == NAME and log["verifier_key_type"] == "log"
    parsed = vn.parse_verifier_key(log["verifier_key"])  # the independent reader agrees
    assert parsed.sig_type == 0x01 and parsed.name == NAME and parsed.public_key == public

    witness = s.ok("key", "show", s.key("kpu-log"), "--note-name", WITNESS, "--witness", "--json").json()
    assert witness["verifier_key"] == witness_verifier_key(WITNESS, public)
    assert vn.parse_verifier_key(witness["verifier_key"]).sig_type == 0x04

    text = s.ok("key", "show", "kpu-log", "--note-name", NAME).out
    assert f"log verifier key (C2SP)  {log['verifier_key']}" in text
    assert "kunci verifikasi log" in Serah(tmp_path, lang="id").ok("key", "show", "kpu-log", "--note-name", NAME).out

    one_line(s("key", "show", "kpu-log", "--note-name", "Pemilu 2024"), 2, "invalid signed-note key name")
    one_line(s("key", "show", "kpu-log", "--note-name", "a+b"), 2, "invalid signed-note key name")
    one_line(s("key", "show", "kpu-log", "--witness"), 2, "--note-name")


def _witnessed(s: Serah) -> None:
    """A checkpoint of the 12 records, signed by the log and cosigned by w1, stored."""
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "cp12.note"))
    assert cosign(s, "cp12.note", "cp12.cosigned").code == 0
    s.ok("witness", "add-cosignature", p(s, "cp12.cosigned"), "--witness", p(s, "w1.vkey"))


def _codes(result) -> set[str]:
    return {f["code"] for f in result.json()["findings"]}


def test_verify_pins_keys_and_checks_quorum(s):
    _witnessed(s)
    unpinned = s("--json", "verify")
    assert unpinned.code == 0 and {"tlog_log_key_unpinned", "tlog_witness_keys_unpinned"} <= _codes(unpinned)

    # Pinned from files, or as text: the notices about unpinned keys go away.
    pinned = s("--json", "verify", "--log-key", p(s, "log.vkey"), "--witness-key", p(s, "w1.vkey"), "--quorum", "1")
    assert pinned.code == 0 and not any(c.startswith("tlog_") for c in _codes(pinned)), pinned.out
    as_text = s("--json", "verify", "--log-key", log_verifier_key(NAME, LOG.public),
                "--witness-key", witness_verifier_key(WITNESS, W1.public))
    assert as_text.code == 0 and not any(c.startswith("tlog_") for c in _codes(as_text))

    # The wrong log key pinned (T1), or more witnesses required than cosigned (T2).
    wrong = s("--json", "verify", "--log-key", log_verifier_key(NAME, OTHER.public))
    assert wrong.code == 1 and "tlog_checkpoint_signature" in _codes(wrong)
    short = s("--json", "verify", "--log-key", p(s, "log.vkey"), "--witness-key", p(s, "w1.vkey"), "--quorum", "2")
    assert short.code == 1 and "tlog_quorum" in _codes(short)
    human = s("verify", "--witness-key", p(s, "w1.vkey"), "--quorum", "2")
    assert human.code == 1 and " T2 " in human.out


def test_verify_checks_checkpoint_files_the_auditor_kept(s):
    # A note kept by an auditor, signed by the log key, whose root does not
    # match the ledger's first 12 records: evidence of a rewrite (T4/T6).
    forged = sign_note(Checkpoint(NAME, 12, b"\x07" * 32).body(), [LogSigner(NAME, LOG)])
    (s.root / "kept.note").write_text(forged)
    s.ok("checkpoint", "--key", p(s, "log.key"), "-o", p(s, "fine.note"))  # the genuine one
    fine = s("--json", "verify", "--checkpoint", p(s, "fine.note"), "--log-key", p(s, "log.vkey"))
    assert fine.code in (0, 1) and "tlog_root_mismatch" not in _codes(fine)
    kept = s("--json", "verify", "--checkpoint", p(s, "fine.note"), "--checkpoint", p(s, "kept.note"),
             "--log-key", p(s, "log.vkey"))
    assert kept.code == 1 and "tlog_root_mismatch" in _codes(kept), kept.out


def test_verify_option_refusals_are_one_line(s, tmp_path):
    _witnessed(s)
    one_line(s("verify", "--log-key", "not-a-verifier-key+00+AAAA"), 2)
    one_line(s("verify", "--checkpoint", p(s, "missing.note")), 2)
    (s.root / "two.vkey").write_text(log_verifier_key(NAME, LOG.public) + "\n" + witness_verifier_key(WITNESS, W1.public))
    one_line(s("verify", "--log-key", p(s, "two.vkey")), 2, "expected 0x01")  # a witness key is no log key
    one_line(s("verify", "--quorum", "-1"), 2)
    (s.root / "bad.trust").write_text("log " + log_verifier_key(NAME, LOG.public) + "\nwitnes typo\n")
    one_line(s("verify", "--trust", p(s, "bad.trust")), 2, "line 2", "unknown word")
    from verifier.bundle import MAGIC

    bundle = tmp_path / "x.bukti"
    bundle.write_bytes(MAGIC + b"\x00")
    one_line(s("verify", str(bundle), "--checkpoint", p(s, "cp12.note")), 2, "own checkpoint")


def test_a_log_key_file_may_hold_the_key_history(s):
    """SPEC 10.6: several log keys, oldest first, as lines of one file or repeated options."""
    _witnessed(s)
    (s.root / "history.vkey").write_text(log_verifier_key(NAME, OTHER.public) + "\n" + log_verifier_key(NAME, LOG.public))
    history = s("--json", "verify", "--log-key", p(s, "history.vkey"), "--witness-key", p(s, "w1.vkey"))
    assert history.code == 0 and not any(c.startswith("tlog_") for c in _codes(history)), history.out
    repeated = s("--json", "verify", "--log-key", log_verifier_key(NAME, OTHER.public), "--log-key", p(s, "log.vkey"))
    assert repeated.code == 0, repeated.out


@pytest.mark.parametrize("lang,words", [("en", ["--witness-vkey", "--quorum", "Pin the log's verifier key"]),
                                        ("id", ["--witness-vkey", "Sematkan kunci verifikasi log", "saksi"])])
def test_verify_help_is_translated(tmp_path, lang, words):
    out = Serah(tmp_path, lang=lang).ok("verify", "--help").out
    for word in words:
        assert word in out
