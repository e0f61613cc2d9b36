"""A log operator rewrites its own database; the witnesses refuse and a monitor holds the evidence.

One story, real parts only: ``serah serve`` (in-process app on a loopback
port) cosigned by two witness services; a monitor verifies the log. The
operator, holding the root and log keys, then edits the SQLite file in place:
drops the append-only triggers, replaces record 150 by a re-signed one,
deletes the tree and the checkpoints, rebuilds the tree from the records and
signs a new checkpoint of the same size. Served again at the same witnesses,
both refuse it (409/422) and keep the log-signed request; the monitor, given
the note a witness kept, reports a split view and writes both log-signed
notes into one evidence file a prosecutor can take.
"""

from __future__ import annotations

import json
import sqlite3
import time

import httpx

from ledger.application import Ledger
from ledger.encoding import decode, encode
from ledger.tlog.log import TransparencyLog
from support.cli import Serah
from support.tlog import LOG, LOG_VKEY, ROOT, enrol, new_ledger
from support.witnessing import W1, W2, log_server, served_note, witness_server
from verifier import note as vn
from verifier.monitor import Monitor

KEYS = [W1.verifier_key(), W2.verifier_key()]


def _rewrite_in_place(db: str, position: int) -> None:
    """What the triggers and the tree were there to stop: one record replaced, history re-signed."""
    ledger = Ledger(db)
    rows = list(ledger.records())
    ledger.close()
    old = rows[position][1]
    outer = decode(old)
    body = decode(outer["body"])
    body["org"] = "PT Cetak Lain"  # same key, same place in the log: another organisation
    new_body = encode(body)
    new = encode({"body": new_body, "sigs": [[ROOT.public, ROOT.sign(b"serah/record/v1\x00" + new_body)]]})
    conn = sqlite3.connect(db)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    changed = conn.execute("UPDATE stored_events SET state = ? WHERE state = ?", (new, old)).rowcount
    assert changed == 1
    for table in ("serah_tlog_cosignature", "serah_tlog_checkpoint", "serah_tlog_node"):
        conn.execute(f"DELETE FROM {table}")
    conn.commit()
    conn.close()
    ledger = Ledger(db)
    tlog = TransparencyLog(ledger)
    tlog.catch_up()
    tlog.sign_checkpoint(LOG)
    ledger.close()


def test_a_database_rewritten_in_place_is_refused_by_both_witnesses_and_is_a_split_view(tmp_path):
    db = str(tmp_path / "kpu.sqlite")
    ledger = new_ledger(db)
    enrol(ledger, 0, 299)
    ledger.close()
    w1, s1 = witness_server(tmp_path, W1)
    w2, s2 = witness_server(tmp_path, W2)
    folder = tmp_path / "bawaslu-monitor"
    try:
        log, server = log_server(db, [s1, s2])
        try:
            honest = served_note(server, 300)
            assert Monitor(server.url, folder, LOG_VKEY, KEYS, quorum=2).run().report.exit_code == 0
        finally:
            server.stop()
        witness_states = (w1.state.path.read_bytes(), w2.state.path.read_bytes())

        _rewrite_in_place(db, 150)
        rewritten = TransparencyLog(Ledger(db)).latest_checkpoint()
        assert rewritten is not None and rewritten.size == 300
        assert rewritten.note.split("\n")[2] != honest.split("\n")[2]  # same size, another root hash

        log, server = log_server(db, [s1, s2])
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (w1.evidence() and w2.evidence()):
                time.sleep(0.1)
            assert w1.evidence() and w2.evidence(), "both witnesses keep the refused, log-signed request"
            assert (w1.state.path.read_bytes(), w2.state.path.read_bytes()) == witness_states
            assert {s["last_status"] for s in log.witnessing.snapshot()} <= {409, 422}  # type: ignore[union-attr]
            assert httpx.get(server.url + "/checkpoint").status_code == 404  # never reached its quorum

            # What the witness kept is the log's own signed note of the rewritten tree: given to the
            # monitor beside the URL, it is a split view against the note the monitor verified.
            kept = json.loads(w1.evidence()[0].read_text())["request"]
            refused_note = kept[kept.index("\n\n") + 2 :]
            note_file = tmp_path / "witness-kept.note"
            note_file.write_text(refused_note)
            answer = Serah(tmp_path / "auditor")(
                "verify", server.url, "--log-vkey", LOG_VKEY, "--witness-vkey", KEYS[0], "--witness-vkey", KEYS[1],
                "--quorum", "2", "--state", folder, "--checkpoint", note_file, "--json")
            said = Serah(tmp_path / "auditor")("verify", server.url, "--log-vkey", LOG_VKEY, "--state", folder,
                                                "--checkpoint", note_file)
            assert said.code == 2 and "split-view" in said.out.lower() and "404" in said.err, said.out + said.err
        finally:
            server.stop()
    finally:
        s1.stop()
        s2.stop()
    report = json.loads(answer.out)
    assert answer.code != 0
    assert any(f["check"] == "T6" and f["code"] == "tlog_split_view" for f in report["findings"]), report
    [path] = report["monitor"]["evidence"]
    evidence = json.loads(open(path).read())
    assert evidence["note_verified_before"] == honest and evidence["note_served_now"] == refused_note
    for note in (evidence["note_verified_before"], evidence["note_served_now"]):  # both carry the log's signature
        assert vn.verify_checkpoint(note, vn.parse_verifier_key(LOG_VKEY)).size == 300
