"""``serah key show --note-name`` (C2SP verifier keys) and the transparency-log
options of ``serah verify`` (--checkpoint, --log-key, --witness-key, --quorum)."""

from __future__ import annotations

import pytest

from cli_support import Serah
from ledger.tlog.log import LogSigner, log_verifier_key, witness_verifier_key
from ledger.tlog.note import Checkpoint, sign_note
from test_tlog_ledger_cli import LOG, NAME, OTHER, W1, WITNESS, cosign, one_line, p
from test_tlog_ledger_cli import s as s
from verifier import note as vn


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
