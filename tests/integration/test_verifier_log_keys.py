"""Log-key rotation and missing checkpoints (SPEC 10.6), on real ledgers.

A log may change its key (``serah checkpoint --new-log-key``); an auditor pins
the whole key history, oldest first. An honest note kept from before the
change must then verify clean, and a history rewritten and checkpointed
under the new key must be named for what it is (T4, T6), never blamed on
the auditor's note (T1). A ledger whose checkpoints were deleted is a T3
warning, pinned or not.
"""

from __future__ import annotations

import pytest

from ledger.application import Ledger
from ledger.tlog.log import (
    KeyWitness,
    TransparencyLog,
    cosign_checkpoint,
    log_verifier_key,
)
from ledger.tlog.note import Ed25519Verifier
from support.tlog import (
    LOG,
    LOG_VKEY,
    NAME,
    START,
    W1,
    W1_VKEY,
    WITNESS,
    Clock,
    drop_guards,
    enrol,
    enrol_envelope,
    envelopes,
    kept,
    new_ledger,
    signer,
    tlog_findings,
)
from verifier.api import verify

NEW = signer("kpu-log-2024-rotated")
NEW_VKEY = log_verifier_key(NAME, NEW.public)


def cosigned_under(log: TransparencyLog, tmp_path, log_signer, new_key: bool = False):
    """Sign a checkpoint with ``log_signer`` and have the (one) witness cosign it."""
    cp, _ = log.sign_checkpoint(log_signer, new_key=new_key)
    w = KeyWitness(WITNESS, W1, tmp_path / "w1.json", {NAME: Ed25519Verifier(NAME, log_signer.public)},
                   clock=lambda: 1707868800)
    w.first_time = not (tmp_path / "w1.json").exists()  # a new witness of this log
    cosigned, _ = cosign_checkpoint(log, w, cp.note)
    log.add_cosignatures(cosigned, [W1_VKEY])
    return log.checkpoint(cp.size)


def rotated(tmp_path) -> tuple[str, str]:
    """A ledger witnessed at 30 under LOG and at 40 under NEW; the note an auditor kept at 30."""
    db = str(tmp_path / "rotated.sqlite")
    ledger = new_ledger(db)
    try:
        enrol(ledger, 0, 29)
        log = TransparencyLog(ledger)
        old = cosigned_under(log, tmp_path, LOG)
        enrol(ledger, 29, 10)
        cosigned_under(log, tmp_path, NEW, new_key=True)
    finally:
        ledger.close()
    return db, kept(tmp_path, "auditor-30.note", old.full_note)


def test_a_rotated_ledger_verifies_clean_with_its_key_history_pinned(tmp_path):
    db, note = rotated(tmp_path)
    report = verify(db, checkpoints=[note], log_key=[LOG_VKEY, NEW_VKEY], witness_keys=[W1_VKEY], quorum=1)
    assert report.exit_code == 0 and tlog_findings(report) == set(), report.findings


def test_a_key_change_is_a_warning_when_no_history_is_pinned(tmp_path):
    db, note = rotated(tmp_path)
    unpinned = verify(db, checkpoints=[note])
    assert ("T1", "warning", "tlog_log_key_changed") in tlog_findings(unpinned)
    assert not {f for f in tlog_findings(unpinned) if f[1] == "error"}  # the auditor's note opens with a stored key
    assert unpinned.exit_code == 1
    # Only the old key pinned: the checkpoint under the new one is not trusted (T1), the old note is fine.
    old_only = tlog_findings(verify(db, checkpoints=[note], log_key=[LOG_VKEY], witness_keys=[W1_VKEY]))
    assert ("T1", "error", "tlog_checkpoint_signature") in old_only


def test_a_retired_key_signing_a_larger_tree_is_an_error(tmp_path):
    db, _note = rotated(tmp_path)
    ledger = Ledger(db, clock=Clock())
    ledger._clock.now = START + 10**9
    try:
        enrol(ledger, 100, 2)
        TransparencyLog(ledger).sign_checkpoint(LOG, new_key=True)  # the old key signs again after the change
    finally:
        ledger.close()
    found = tlog_findings(verify(db, log_key=[LOG_VKEY, NEW_VKEY], witness_keys=[W1_VKEY]))
    assert ("T1", "error", "tlog_retired_key") in found


def test_a_rewrite_under_a_new_key_is_named_a_root_mismatch_and_a_split_view(tmp_path):
    # The real ledger, witnessed at 30 under the published key; the auditor keeps that note.
    real = new_ledger(str(tmp_path / "real.sqlite"))
    enrol(real, 0, 29)
    original = envelopes(real)
    honest = cosigned_under(TransparencyLog(real), tmp_path, LOG)
    real.close()
    auditor = kept(tmp_path, "auditor-30.note", honest.full_note)

    # An insider holding the new (also published) log key rewrites records 20 onwards
    # and checkpoints the rewritten history under it.
    fake_db = str(tmp_path / "rewritten.sqlite")
    fake = Ledger(fake_db, clock=Clock())
    fake.submit_many(original[:20])
    fake._clock.now = START + 10**8
    fake.submit_many([enrol_envelope(fake, i, org="PT Lain") for i in range(19, 29)])
    TransparencyLog(fake).sign_checkpoint(NEW)
    fake.close()

    found = tlog_findings(verify(fake_db, checkpoints=[auditor], log_key=[LOG_VKEY, NEW_VKEY],
                                 witness_keys=[W1_VKEY]))
    assert ("T4", "error", "tlog_root_mismatch") in found and ("T6", "error", "tlog_split_view") in found
    assert not {f for f in found if f[0] == "T1"}, found  # the honest note is not blamed
    # Unpinned, the note's key is not in the rewritten ledger: a warning says to pin, not that the note is bad.
    unpinned = tlog_findings(verify(fake_db, checkpoints=[auditor]))
    assert ("T1", "warning", "tlog_note_key_unknown") in unpinned
    assert ("T1", "error", "tlog_checkpoint_signature") not in unpinned


@pytest.mark.parametrize("pinned", [False, True])
def test_deleted_checkpoint_rows_hide_nothing(tmp_path, pinned):
    """A record re-signed by its author and the log's checkpoint rows deleted: T3 warns."""
    db = str(tmp_path / "stripped.sqlite")
    ledger = new_ledger(db)
    try:
        enrol(ledger, 0, 9)
        cosigned_under(TransparencyLog(ledger), tmp_path, LOG)
    finally:
        ledger.close()
    clean = verify(db, log_key=LOG_VKEY, witness_keys=[W1_VKEY])
    assert clean.exit_code == 0, clean.findings

    conn = drop_guards(db)
    rowid, state = conn.execute("SELECT max(rowid), state FROM stored_events WHERE topic = 'serah:record'").fetchone()
    conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (_resigned(state), rowid))
    conn.execute("DELETE FROM serah_tlog_cosignature")
    conn.execute("DELETE FROM serah_tlog_checkpoint")
    conn.close()

    report = verify(db, log_key=LOG_VKEY, witness_keys=[W1_VKEY]) if pinned else verify(db)
    assert ("T3", "warning", "tlog_no_checkpoint") in tlog_findings(report)
    assert report.exit_code == 1


def _resigned(state: bytes) -> bytes:
    """The last enrol, its organisation changed and signed again by its real author (the root)."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from support.tamper.builder import Key, canonical, decode_envelope, envelope

    body, _ = decode_envelope(bytes(state))
    body["org"] = "PT Palsu"
    root = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"serah-tlog-test:kpu-ri").digest())
    return envelope(canonical(body), Key("root", root))


def test_both_front_ends_follow_the_key_history(tmp_path, capsys):
    """``serah verify`` and ``python -m verifier``: the same exit codes and T findings."""
    from support.cli import Serah
    from verifier.__main__ import main

    db, note = rotated(tmp_path)
    trust = tmp_path / "published.trust"
    trust.write_text(f"log {LOG_VKEY}\nlog {NEW_VKEY}\nwitness {W1_VKEY}\nquorum 1\n")
    s = Serah(tmp_path)
    assert s("verify", db, "--checkpoint", note, "--trust", str(trust)).code == 0
    assert s("verify", db, "--checkpoint", note, "--log-vkey", LOG_VKEY, "--log-vkey", NEW_VKEY,
             "--witness-vkey", W1_VKEY).code == 0
    assert main([db, "--quiet", "--checkpoint", note, "--trust", str(trust)]) == 0
    capsys.readouterr()
    unpinned = s("--json", "verify", db, "--checkpoint", note)
    assert unpinned.code == 1 and "tlog_log_key_changed" in {f["code"] for f in unpinned.json()["findings"]}
    assert main([db, "--quiet", "--checkpoint", note]) == 1
    assert "tlog_log_key_changed" in capsys.readouterr().out
