"""The ledger's transparency log (SPEC 10), on real SQLite files and PostgreSQL.

Every record is a leaf, appended in the record's own transaction; roots and
proofs from the stored tree equal those the independent verifier computes
from the records; checkpoints and cosignatures are kept append-only; and the
attacks the log exists for (truncating the newest records, rewriting history
into a new, internally consistent tree, two checkpoints of one size) are
caught by the verifier and refused by the witness.
"""

from __future__ import annotations

import base64
import json

import pytest

import ledger.tlog.sync as tlog_sync
from ledger import persistence, records
from ledger.application import Ledger
from ledger.errors import AlreadyEnrolled
from ledger.tlog.log import (
    BadCosignature,
    BeyondLog,
    LogKeyChanged,
    TransparencyLog,
    TreeMismatch,
    cosign_checkpoint,
)
from ledger.tlog.witness import InconsistentProofError, RollbackError, SplitViewError
from support.tlog import (
    LOG,
    LOG_VKEY,
    NAME,
    ROOT,
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
    witness,
    witnessed_checkpoint,
)
from verifier import merkle as vm
from verifier import note as vn
from verifier import tlog_checks
from verifier.api import verify

# --- the tree follows the records ---------------------------------------------------------------


def test_every_record_is_a_leaf_in_order(db_url):
    ledger = new_ledger(db_url)
    try:
        enrol(ledger, 0, 70)
        # Several records in one save: one transaction, leaves in order.
        ledger.submit_many([enrol_envelope(ledger, i) for i in range(70, 75)])
        with pytest.raises(AlreadyEnrolled):  # refused: no record, so no leaf
            enrol(ledger, 3, 1)
        all_records = envelopes(ledger)
        assert len(all_records) == 76
        log = TransparencyLog(ledger)
        assert log.size == 76
        assert log.catch_up() == 0  # already level: the appends grew the tree themselves
        for size in (0, 1, 2, 7, 32, 33, 64, 75, 76):
            assert log.root(size) == vm.root_of(all_records[:size])
        for index in (0, 5, 31, 32, 75):
            proof = log.inclusion_proof(index, 76)
            vm.verify_inclusion(vm.hash_leaf(all_records[index]), index, 76, proof, log.root())
            assert log.leaf_index(records.record_id(all_records[index])) == index
            assert log.envelope_at(index) == all_records[index]
        for old, new in ((1, 76), (7, 76), (32, 33), (33, 64), (76, 76)):
            vm.verify_consistency(old, new, log.root(old), log.root(new), log.consistency_proof(old, new))
        positions = [position for position, _ in ledger.records()]
        assert log.leaf_indexes(positions) == {p: i for i, p in enumerate(positions)}
        with pytest.raises(BeyondLog):
            log.inclusion_proof(3, 77)
    finally:
        ledger.close()


def without_the_log(db, transparency_log=False, _environment=persistence.environment):
    """``persistence.environment`` as before the log existed: the library's recorders, no leaves."""
    return _environment(db)


def test_a_ledger_written_without_the_log_is_caught_up(db_url, monkeypatch):
    monkeypatch.setattr(tlog_sync, "_PAGE", 7)  # so that catching up reads several pages
    with monkeypatch.context() as plain:
        # Written by the plain recorders, as before the log existed: no leaves at all.
        plain.setattr(persistence, "environment", without_the_log)
        ledger = new_ledger(db_url)
        enrol(ledger, 0, 19)
        ledger.close()

    ledger = Ledger(db_url, clock=Clock())
    try:
        enrol(ledger, 19, 1)  # the append catches up 20 leaves in its own transaction, then adds its own
        assert TransparencyLog(ledger).root() == vm.root_of(envelopes(ledger))
    finally:
        ledger.close()

    with monkeypatch.context() as plain:
        plain.setattr(persistence, "environment", without_the_log)
        ledger = Ledger(db_url, clock=Clock())
        ledger._clock.now = START + 10**8
        enrol(ledger, 20, 16)  # more records without leaves
        ledger.close()

    ledger = Ledger(db_url, clock=Clock())
    try:
        log = TransparencyLog(ledger)
        seen = []
        assert log.catch_up(progress=seen.append) == 16
        assert seen == [7, 14]
        assert log.size == 37 and log.root() == vm.root_of(envelopes(ledger))
        assert log.catch_up() == 0
    finally:
        ledger.close()


# --- checkpoints, witnesses, and the verifier -------------------------------------------------------


def test_checkpoints_cosignatures_and_a_clean_verification(db_url, tmp_path):
    ledger = new_ledger(db_url)
    try:
        enrol(ledger, 0, 29)
        log = TransparencyLog(ledger)
        w = witness(tmp_path)

        cp, new = log.sign_checkpoint(LOG)
        assert new and cp.size == 30 and cp.origin == NAME and cp.log_key == LOG_VKEY
        assert log.sign_checkpoint(LOG) == (cp, False)  # nothing new: the same checkpoint
        cosigned, proof = cosign_checkpoint(log, w, cp.note)
        assert proof == []  # first checkpoint this witness sees: every tree extends the empty one
        assert [c.name for c in log.add_cosignatures(cosigned, [W1_VKEY])] == [WITNESS]
        assert log.add_cosignatures(cosigned) == []  # already stored; the witness is now known
        stored = log.checkpoint()
        checked = vn.verify_checkpoint(stored.full_note, vn.parse_verifier_key(LOG_VKEY),
                                       [vn.parse_verifier_key(W1_VKEY)], quorum=1)
        assert (checked.size, checked.root_hash) == (30, vm.root_of(envelopes(ledger)))
        assert checked.cosigned_at == {WITNESS: 1707868800}

        enrol(ledger, 29, 10)
        cp2, new = log.sign_checkpoint(LOG)
        assert new and cp2.size == 40
        cosigned, proof = cosign_checkpoint(log, w, cp2.note)
        assert proof and proof == log.consistency_proof(30, 40)
        log.add_cosignatures(cosigned)
        state = json.loads((tmp_path / "w1.json").read_text())
        assert state["logs"][NAME]["size"] == 40
        assert [c.size for c in log.checkpoints()] == [30, 40]

        report = verify(db_url, log_key=LOG_VKEY, witness_keys=[W1_VKEY], quorum=1, jobs=2)
        assert report.exit_code == 0 and tlog_findings(report) == set(), report.findings
        unpinned = verify(db_url)
        assert unpinned.exit_code == 0
        assert {code for _, severity, code in tlog_findings(unpinned)} == {
            "tlog_log_key_unpinned", "tlog_witness_keys_unpinned"}

        enrol(ledger, 39, 3)
        later = verify(db_url, log_key=LOG_VKEY, witness_keys=[W1_VKEY])
        assert tlog_findings(later) == {("T3", "notice", "tlog_unwitnessed_records")}
        assert later.exit_code == 0
    finally:
        ledger.close()


def test_refusals_of_the_log_service(db_url, tmp_path):
    ledger = new_ledger(db_url)
    try:
        enrol(ledger, 0, 9)
        log = TransparencyLog(ledger)
        cp, _ = log.sign_checkpoint(LOG)
        enrol(ledger, 9, 1)
        with pytest.raises(LogKeyChanged):  # a custodian's key is not the log key
            log.sign_checkpoint(ROOT)
        cosigned, _ = cosign_checkpoint(log, witness(tmp_path), cp.note)
        text, line = cosigned.rsplit("\u2014 ", 1)
        name, blob = line.split(" ")
        raw = bytearray(base64.b64decode(blob))
        raw[-1] ^= 1  # a cosignature that does not verify
        forged = text + "\u2014 " + name + " " + base64.b64encode(bytes(raw)).decode() + "\n"
        with pytest.raises(BadCosignature):
            log.add_cosignatures(forged, [W1_VKEY])
        assert log.checkpoint(cp.size).cosignatures == ()
        # The log's tables are append-only, like the records.
        for statement in ("UPDATE serah_tlog_checkpoint SET note = 'x'", "DELETE FROM serah_tlog_node"):
            with pytest.raises(Exception, match="append-only"):
                with persistence.transaction(ledger) as conn:
                    conn.execute(statement)
        assert log.checkpoint(cp.size).note == cp.note and log.size == 11
    finally:
        ledger.close()


# --- attacks -------------------------------------------------------------------------------------


def test_truncating_the_newest_records_is_detected_and_refused(tmp_path):
    db = str(tmp_path / "ledger.sqlite")
    ledger = new_ledger(db)
    w = witness(tmp_path)
    log = TransparencyLog(ledger)
    enrol(ledger, 0, 19)
    witnessed_checkpoint(log, w)
    last_row_at_20 = ledger.recorder.max_notification_id()
    enrol(ledger, 19, 10)
    cp30 = witnessed_checkpoint(log, w)
    auditor_copy = kept(tmp_path, "cp30.note", cp30.full_note)
    ledger.close()
    assert verify(db, log_key=LOG_VKEY, witness_keys=[W1_VKEY]).exit_code == 0

    # The newest ten records go, and with them every trace the attacker can reach.
    conn = drop_guards(db)
    conn.execute("DELETE FROM stored_events WHERE rowid > ?", (last_row_at_20,))
    conn.execute("DELETE FROM serah_tlog_node WHERE ((idx + 1) << level) > 20")
    conn.execute("DELETE FROM serah_tlog_checkpoint WHERE size = 30")
    conn.execute("DELETE FROM serah_tlog_cosignature WHERE size = 30")
    conn.close()

    # What the ledger still holds is consistent; the checkpoint the auditor kept is not.
    alone = verify(db, log_key=LOG_VKEY, witness_keys=[W1_VKEY])
    assert not [f for f in alone.findings if f.severity != "notice"]
    report = verify(db, log_key=LOG_VKEY, witness_keys=[W1_VKEY], checkpoints=[auditor_copy])
    assert ("T4", "error", "tlog_records_missing") in tlog_findings(report) and report.exit_code == 1

    # The log carries on from 20 with other records; the witness, who cosigned 30, refuses.
    ledger = Ledger(db, clock=Clock())
    try:
        ledger._clock.now = START + 10**9
        enrol(ledger, 100, 5)
        log = TransparencyLog(ledger)
        cp25, new = log.sign_checkpoint(LOG)
        assert new and cp25.size == 25
        state_before = (tmp_path / "w1.json").read_bytes()
        with pytest.raises(RollbackError):
            cosign_checkpoint(log, w, cp25.note)
        with pytest.raises(BeyondLog):  # shown the old checkpoint again: the ledger is too short for it
            cosign_checkpoint(log, w, cp30.note)
        assert (tmp_path / "w1.json").read_bytes() == state_before
    finally:
        ledger.close()
    both = verify(db, log_key=LOG_VKEY, witness_keys=[W1_VKEY], checkpoints=[auditor_copy])
    assert ("T4", "error", "tlog_records_missing") in tlog_findings(both)


def test_rewritten_history_is_detected_and_refused(db_url, tmp_path):
    # The real ledger, witnessed at 30 records.
    real = new_ledger(db_url)
    w = witness(tmp_path)
    enrol(real, 0, 29)
    original = envelopes(real)
    cp_real = witnessed_checkpoint(TransparencyLog(real), w)
    real.close()
    auditor_copy = kept(tmp_path, "real-30.note", cp_real.full_note)

    # A forger holding the root and log keys rewrites record 20 onwards (other
    # organisations), re-signs everything and builds a consistent new tree.
    fake_db = str(tmp_path / "rewritten.sqlite")
    fake = Ledger(fake_db, clock=Clock())
    fake.submit_many(original[:20])
    fake._clock.now = START + 10**8
    fake.submit_many([enrol_envelope(fake, i, org="PT Lain") for i in range(19, 29)])
    fake_log = TransparencyLog(fake)
    cp_fake, _ = fake_log.sign_checkpoint(LOG)
    assert cp_fake.size == 30 and cp_fake.root != cp_real.root
    fake_copy = kept(tmp_path, "fake-30.note", cp_fake.full_note)

    # Verified alone, the forgery is internally consistent, but no trusted witness vouches for it.
    alone = verify(fake_db, log_key=LOG_VKEY, witness_keys=[W1_VKEY])
    assert tlog_findings(alone) == {("T3", "warning", "tlog_not_witnessed")} and alone.exit_code == 1
    # With the checkpoint the auditor kept, the rewrite is plain: another root for 30 records.
    shown = tlog_findings(verify(fake_db, log_key=LOG_VKEY, witness_keys=[W1_VKEY], checkpoints=[auditor_copy]))
    assert {("T4", "error", "tlog_root_mismatch"), ("T6", "error", "tlog_split_view")} <= shown

    # The witness refuses the forged checkpoint, and any later one built on it.
    state_before = (tmp_path / "w1.json").read_bytes()
    with pytest.raises(SplitViewError):
        cosign_checkpoint(fake_log, w, cp_fake.note)
    enrol(fake, 29, 5)
    cp_fake35, _ = fake_log.sign_checkpoint(LOG)
    with pytest.raises(InconsistentProofError):
        cosign_checkpoint(fake_log, w, cp_fake35.note)
    assert (tmp_path / "w1.json").read_bytes() == state_before
    fake.close()

    # Two checkpoints of one size, shown to the verifier of the real ledger.
    both = verify(db_url, log_key=LOG_VKEY, witness_keys=[W1_VKEY], checkpoints=[fake_copy])
    found = tlog_findings(both)
    assert ("T6", "error", "tlog_split_view") in found and ("T4", "error", "tlog_root_mismatch") in found
    # The larger forged checkpoint contradicts the real, witnessed one.
    later = kept(tmp_path, "fake-35.note", cp_fake35.note)
    grown = Ledger(db_url, clock=Clock())
    grown._clock.now = START + 10**9
    enrol(grown, 200, 5)
    grown.close()
    assert ("T4", "error", "tlog_root_mismatch") in tlog_findings(
        verify(db_url, log_key=LOG_VKEY, witness_keys=[W1_VKEY], checkpoints=[later]))


def test_a_record_changed_in_place(tmp_path):
    db = str(tmp_path / "ledger.sqlite")
    ledger = new_ledger(db)
    enrol(ledger, 0, 9)
    log = TransparencyLog(ledger)
    log.sign_checkpoint(LOG)
    last = ledger.recorder.max_notification_id()
    ledger.close()

    conn = drop_guards(db)
    rowid = conn.execute("SELECT max(rowid) FROM stored_events WHERE topic = 'serah:record'").fetchone()[0]
    assert rowid <= last
    state = bytearray(conn.execute("SELECT state FROM stored_events WHERE rowid = ?", (rowid,)).fetchone()[0])
    state[-1] ^= 1  # one bit of the newest record's signature
    conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (bytes(state), rowid))
    conn.close()

    report = verify(db, log_key=LOG_VKEY)
    assert ("T4", "error", "tlog_root_mismatch") in tlog_findings(report)

    # The ledger will not grow, or sign, a tree that does not describe its records.
    ledger = Ledger(db, clock=Clock())
    try:
        ledger._clock.now = START + 10**9
        before = ledger.recorder.max_notification_id()
        with pytest.raises(TreeMismatch):
            enrol(ledger, 50, 1)
        assert ledger.recorder.max_notification_id() == before
        with pytest.raises(TreeMismatch):
            TransparencyLog(ledger).sign_checkpoint(LOG)
    finally:
        ledger.close()


def test_verifier_checks_on_their_own():
    """T1-T6 without a database: a stream of records and notes."""
    from ledger.tlog.log import LogSigner, WitnessSigner
    from ledger.tlog.note import Checkpoint

    leaves = [b"record %d" % i for i in range(12)]
    log_signer, witness_signer = LogSigner(NAME, LOG), WitnessSigner(WITNESS, W1, clock=lambda: 1707868800)

    def note(size, root=None, cosign=True):
        text = Checkpoint(NAME, size, root or vm.root_of(leaves[:size])).body()
        lines = [log_signer.sign(text)] + ([witness_signer.sign(text)] if cosign else [])
        return tlog_checks.Presented(text + "\n" + "".join(s.line() for s in lines), source=f"cp{size}")

    ok = tlog_checks.check_log(leaves, [note(5), note(12)], log_key=LOG_VKEY, witness_keys=[W1_VKEY])
    assert ok.findings == [] and ok.witnessed == 12

    wrong = vm.root_of([b"other"] + leaves[1:5])
    bad = tlog_checks.check_log(leaves, [note(5, wrong), note(12), note(13, vm.root_of(leaves))],
                                log_key=LOG_VKEY, witness_keys=[W1_VKEY])
    codes = {(f.check, f.code) for f in bad.findings}
    assert codes == {("T4", "tlog_root_mismatch"), ("T6", "tlog_inconsistent"), ("T4", "tlog_records_missing")}

    forged = note(12).note.replace(log_signer.sign(Checkpoint(NAME, 12, vm.root_of(leaves)).body()).line(),
                                   LogSigner(NAME, ROOT).sign(Checkpoint(NAME, 12, vm.root_of(leaves)).body()).line())
    result = tlog_checks.check_log(leaves, [tlog_checks.Presented(forged, "forged")], log_key=LOG_VKEY)
    assert ("T1", "tlog_checkpoint_signature") in {(f.check, f.code) for f in result.findings}

    unwitnessed = tlog_checks.check_log(leaves, [note(12, cosign=False)], log_key=LOG_VKEY, witness_keys=[W1_VKEY],
                                        quorum=1)
    assert {(f.check, f.code) for f in unwitnessed.findings} == {("T2", "tlog_quorum"), ("T3", "tlog_not_witnessed")}

    # T5 and T6 on proofs presented on their own.
    from ledger.tlog.tree import MemoryNodeStore, MerkleTree

    tree = MerkleTree(MemoryNodeStore())
    tree.extend(leaves)
    path = tree.inclusion_proof(3, 12)
    assert tlog_checks.check_inclusion(leaves[3], 3, 12, path, tree.root()) is None
    assert tlog_checks.check_inclusion(leaves[4], 3, 12, path, tree.root()).check == "T5"
    proof = tree.consistency_proof(5, 12)
    assert tlog_checks.check_consistency(5, tree.root(5), 12, tree.root(), proof) is None
    assert tlog_checks.check_consistency(5, wrong, 12, tree.root(), proof).code == "tlog_inconsistent"
    assert tlog_checks.check_consistency(12, wrong, 12, tree.root(), []).code == "tlog_split_view"


def test_evidence_bundle_from_a_stored_checkpoint(tmp_path):
    """``for_export`` freezes the log at a stored, cosigned checkpoint: what SPEC 11 bundles prove against."""
    from ledger.export.bundle import encode_bundle
    from ledger.export.ledger_source import LedgerSource
    from ledger.export.trail import Scope, collect
    from verifier import bundle

    ledger = new_ledger(str(tmp_path / "ledger.sqlite"))
    try:
        kab = signer("kpu-kab")
        ledger.enrol(ROOT, kab.public, "kpu", "3101", "Ketua KPU Kep. Seribu", "KPU Kab. Kep. Seribu")
        ledger.register(kab, [{"item": "KS-3101011001001-PPWP", "kind": "box", "dest": "3101011001001",
                               "election": "PPWP"}])
        log = TransparencyLog(ledger)
        witnessed_checkpoint(log, witness(tmp_path))
        enrol(ledger, 0, 2)  # after the checkpoint: not in the bundle
        view = log.for_export()
        assert view.size == 3
        trail = collect(LedgerSource(ledger, view), Scope(items=("KS-3101011001001-PPWP",)))
        data = encode_bundle(trail, view, created=1, software="test")
    finally:
        ledger.close()
    result = bundle.verify(data, bundle.Pins(log_key=LOG_VKEY, witnesses=(W1_VKEY,)))
    assert result.exit_code == 0, result.findings
    assert result.checkpoint.size == 3 and set(result.checkpoint.cosigned) == {WITNESS}


def _enrol_from_process(db: str, first: int, barrier, start_lock) -> None:
    # Opening is serialised, as in test_ledger_concurrency: persistence.harden()
    # may find the database locked when two processes start at the same moment.
    with start_lock:
        ledger = Ledger(db, clock=Clock())
    try:
        ledger._clock.now = START + first * 10**7  # distinct times: no two processes sign the same bytes
        barrier.wait(timeout=30)
        enrol(ledger, first, 15)
    finally:
        ledger.close()


def test_writers_in_two_processes_keep_one_tree(db_url):
    import multiprocessing

    ledger = new_ledger(db_url)
    ledger.close()
    context = multiprocessing.get_context("fork")
    barrier, start_lock = context.Barrier(2), context.Lock()
    workers = [context.Process(target=_enrol_from_process, args=(db_url, first, barrier, start_lock))
               for first in (100, 200)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    ledger = Ledger(db_url)
    try:
        log = TransparencyLog(ledger)
        assert log.catch_up() == 0  # every append grew the tree itself, in the global order
        assert log.size == 31 and log.root() == vm.root_of(envelopes(ledger))
    finally:
        ledger.close()
