"""``serah verify --receipt FILE``: a kept receipt against a served log or a ledger (SPEC 12.2, R1).

A real ``serah serve`` on a loopback port; the custodian's CLI submits a
handover with ``--server`` and keeps the receipts next to the file. Those
receipts then check clean against the served log (tiles) and against the
ledger file; a receipt the log key signed for a record the log does not
hold is evidence against the operator (exit 1, said so); a receipt beyond
the checkpoint is "not yet"; a forged or unreadable receipt proves nothing
(one line, exit 2). ``serah verify --server URL`` verifies the served log,
never a local file. ``python -m verifier --receipt`` gives the same verdicts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ledger import keys
from support import REPO_ROOT
from support.cli import PASSPHRASE, Serah, build_small_ledger
from support.serve import Server


@pytest.fixture
def handed_over(tmp_path):
    """A ledger served with checkpoints every 0.1 s, one handover prepared
    through it by the CLI (receipt kept), and a checkpoint covering it."""
    s = Serah(tmp_path / "office")
    items = build_small_ledger(s)
    s.ok("key", "new", "kpu-log")
    server = Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0.1").start()
    try:
        file = tmp_path / "ke-ppk.serah"
        prep = s.ok("--server", server.url, "--json", "handover", "prepare", items["box"], "--to", "ppk",
                    "--site", "Dermaga Kali Adem", "--purpose", "distribusi", "-o", file, "--as", "kpu-3101").json()
        (receipt,) = tmp_path.glob(f"ke-ppk.serah.{prep['record'][:16]}.receipt")
        position = int(receipt.read_text().split("\n")[3])
        deadline = time.monotonic() + 20
        while _served_size(server) <= position:
            assert time.monotonic() < deadline, "no checkpoint covered the receipt"
            time.sleep(0.1)
        yield s, server, receipt, prep["record"]
    finally:
        server.stop()


def _served_size(server: Server) -> int:
    """The size of the served checkpoint; 0 while the server has signed none (404 "no checkpoint yet")."""
    answer = httpx.get(server.url + "/checkpoint")
    if answer.status_code == 404:
        return 0
    return int(answer.text.split("\n")[1])


def _log_vkey(s: Serah) -> str:
    from ledger.tlog.log import log_verifier_key

    return log_verifier_key("serah.test/3101", keys.load(s.key("kpu-log"), PASSPHRASE).public)


def _signed_receipt(s: Serah, folder: Path, record: bytes, position: int) -> Path:
    """A receipt made with the log key itself: what an operator signed."""
    from ledger.server.receipts import make_receipt
    from ledger.tlog.signers import LogSigner

    signer = LogSigner("serah.test/3101", keys.load(s.key("kpu-log"), PASSPHRASE))
    receipt = make_receipt(signer, "serah.test/3101", record, position, int(time.time() * 1000))
    path = folder / f"made-{position}.receipt"
    path.write_text(receipt.note)
    return path


def test_a_kept_receipt_checks_clean_against_the_served_log_and_the_ledger(handed_over):
    s, server, receipt, record = handed_over
    served = s("--server", server.url, "verify", "--receipt", receipt, "--log-vkey", _log_vkey(s))
    assert served.code == 0, served.out + served.err
    assert f"R1 ok {receipt}: record {record[:16]}" in served.out and "1 receipts: 1 in the log" in served.out
    on_file = s("--json", "verify", s.db, "--receipt", receipt, "--log-vkey", _log_vkey(s))
    assert on_file.code == 0, on_file.out + on_file.err
    (verdict,) = on_file.json()["receipts"]
    assert verdict["status"] == "kept" and verdict["record"] == record and verdict["check"] == "R1"


def test_a_receipt_whose_record_the_log_lacks_is_evidence_against_the_operator(handed_over, tmp_path):
    s, server, receipt, record = handed_over
    never_appended = bytes(32)  # the log key signed a promise for a record that is not at position 2
    lost = _signed_receipt(s, tmp_path, never_appended, 2)
    later = _signed_receipt(s, tmp_path, never_appended, 10**6)
    for where in (["--server", server.url, "verify"], ["verify", s.db]):
        result = s(*where, "--receipt", receipt, "--receipt", lost, "--receipt", later, "--log-vkey", _log_vkey(s))
        assert result.code == 1, result.out + result.err
        assert f"R1 ok {receipt}" in result.out
        assert f"R1 error {lost}: the log promised record {'00' * 8} at position #2" in result.out
        assert "evidence against the log operator" in result.out
        assert f"R1 warning {later}" in result.out and "not yet covered" in result.out
        assert "3 receipts: 1 in the log, 1 missing, 1 not yet covered." in result.out


def test_a_forged_or_unreadable_receipt_proves_nothing_in_one_line(handed_over, tmp_path):
    s, server, receipt, _record = handed_over
    forged = tmp_path / "forged.receipt"
    text = receipt.read_text().split("\n")
    text[3] = str(int(text[3]) + 1)  # moved to another position: the log's signature no longer holds
    forged.write_text("\n".join(text))
    url = ["--server", server.url]
    for args in (["--receipt", forged, "--log-vkey", _log_vkey(s)],
                 ["--receipt", tmp_path / "absent.receipt", "--log-vkey", _log_vkey(s)],
                 ["--receipt", receipt]):  # no pinned log key: a receipt binds only the published key
        result = s(*url, "verify", *args)
        assert result.code == 2 and len(result.err_lines) == 1 and not result.out, (args, result.out, result.err)
    assert "log key" in s(*url, "verify", "--receipt", receipt).err


def test_verify_with_server_checks_the_served_log_not_a_local_file(handed_over, tmp_path):
    s, server, _receipt, _record = handed_over
    elsewhere = Serah(tmp_path / "elsewhere")  # its SERAH_DB names a file that does not exist
    result = elsewhere("--server", server.url, "verify", "--log-vkey", _log_vkey(s), "--state", tmp_path / "mon")
    assert result.code == 0, result.out + result.err
    assert f"Checkpoint {_served_size(server)}" in result.out or "Checkpoint" in result.out
    assert not Path(elsewhere.db).exists()
    unpinned = elsewhere("--server", server.url, "verify")
    assert unpinned.code == 2 and len(unpinned.err_lines) == 1 and "log key" in unpinned.err


def test_python_m_verifier_checks_a_receipt_without_serah(handed_over, tmp_path):
    s, server, receipt, _record = handed_over
    lost = _signed_receipt(s, tmp_path, bytes(32), 1)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "verifier", *map(str, args)], capture_output=True, text=True,
                              env=env, cwd=str(tmp_path), timeout=120)

    for target in (server.url, s.db):
        ok = run(target, "--receipt", receipt, "--log-vkey", _log_vkey(s))
        assert ok.returncode == 0 and "R1 ok" in ok.stdout, ok.stdout + ok.stderr
        bad = run(target, "--receipt", lost, "--log-vkey", _log_vkey(s), "--json")
        assert bad.returncode == 1, bad.stdout + bad.stderr
        assert json.loads(bad.stdout)["receipts"][0]["status"] == "missing"
    unpinned = run(server.url, "--receipt", receipt)
    assert unpinned.returncode == 2 and "log key" in unpinned.stderr
