"""``serah witness serve`` through the real command line: a real process on a loopback port."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys

import httpx
import pytest

from ledger import keys
from ledger.tlog.log import LogSigner, log_verifier_key, witness_verifier_key
from ledger.tlog.note import Checkpoint
from ledger.tlog.tree import MemoryNodeStore, MerkleTree
from ledger.tlog.witness_service import format_request
from support import REPO_ROOT
from support.cli import PASSPHRASE, Serah
from verifier import note as vn

NAME = "serah.kpu.go.id/3101/pemilu-2024"
WITNESS = "bawaslu.go.id/3101/w1"


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-witness-serve:" + name.encode()).digest())


LOG, W1 = signer("log"), signer("w1")


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    keys.save(W1, tmp_path / "w1.key", PASSPHRASE, name="w1")
    (tmp_path / "log.vkey").write_text(log_verifier_key(NAME, LOG.public) + "\n")
    return serah


def start(s: Serah, *extra: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "SERAH_PASSPHRASE": PASSPHRASE, "SERAH_LANG": "en", "PYTHONPATH": str(REPO_ROOT),
           "SERAH_HOME": str(s.home)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import main; main()", "witness", "serve",
         "--state", str(s.root / "w1.json"), "--key", str(s.root / "w1.key"), "--name", WITNESS,
         "--log", str(s.root / "log.vkey"), "--listen", "127.0.0.1:0", *extra],
        env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    line = process.stderr.readline()
    assert "serving http://127.0.0.1:" in line, line
    url = line.split("serving ", 1)[1].split(" ", 1)[0].removesuffix("/add-checkpoint")
    return process, url


def test_witness_serve_cosigns_over_http_and_keeps_its_state(s):
    tree = MerkleTree(MemoryNodeStore())
    tree.extend(i.to_bytes(2, "big") for i in range(30))
    log = LogSigner(NAME, LOG)
    process, url = start(s, "--first-time", NAME)
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            assert client.get("/").text.strip() == witness_verifier_key(WITNESS, W1.public)
            note12 = Checkpoint(NAME, 12, tree.root(12)).sign(log)
            answer = client.post("/add-checkpoint", content=format_request(0, [], note12))
            assert answer.status_code == 200, answer.text
            vn.verify_checkpoint(note12 + answer.text, vn.parse_verifier_key(log_verifier_key(NAME, LOG.public)),
                                 [vn.parse_verifier_key(witness_verifier_key(WITNESS, W1.public))])
            note30 = Checkpoint(NAME, 30, tree.root(30)).sign(log)
            stale = client.post("/add-checkpoint", content=format_request(0, [], note30))
            assert (stale.status_code, stale.text, stale.headers["content-type"]) == (409, "12\n", "text/x.tlog.size")
            fresh = client.post("/add-checkpoint", content=format_request(12, tree.consistency_proof(12, 30), note30))
            assert fresh.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
    assert '"size": 30' in (s.root / "w1.json").read_text()


def one_line(result, *words: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err
    for word in words:
        assert word in result.err, result.err


def test_witness_serve_refuses_bad_settings_in_one_line(s):
    base = ("witness", "serve", "--state", str(s.root / "w1.json"), "--key", str(s.root / "w1.key"),
            "--name", WITNESS)
    log = ("--log", str(s.root / "log.vkey"))
    one_line(s(*base, *log, "--listen", "nowhere"), "HOST:PORT")
    one_line(s(*base, *log, "--listen", "127.0.0.1:99999"), "HOST:PORT")
    one_line(s(*base, "--log", "not-a-key"), "not-a-key")
    one_line(s(*base, *log, "--first-time", "example.com/other"), "example.com/other")
    one_line(s("witness", "serve", "--state", str(s.root / "no" / "w1.json"), "--key", str(s.root / "w1.key"),
               "--name", WITNESS, *log), "no")
    assert not (s.root / "w1.json").exists()
