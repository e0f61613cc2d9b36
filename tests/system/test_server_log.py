"""The served log: tiles and entry bundles read with the auditor's own reader,
checkpoints the server signs, cosignatures it serves only when they verify,
and receipts held against a checkpoint (R1)."""

from __future__ import annotations

import hashlib
import time

import httpx
import pytest

from ledger import keys
from ledger.application import Ledger
from ledger.tlog.log import TransparencyLog, WitnessSigner, log_verifier_key, witness_verifier_key
from support.cli import PASSPHRASE, Serah, build_small_ledger
from support.serve import Server
from verifier import merkle
from verifier import note as vn
from verifier import tiles as vt
from verifier.receipts import check_receipt, check_receipt_in_checkpoint

NAME = "serah.test/3101"
WITNESS = "bawaslu.go.id/saksi"


def seeded(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-test-server-log:" + name.encode()).digest())


@pytest.fixture
def served(tmp_path):
    s = Serah(tmp_path / "office")
    items = build_small_ledger(s)
    s.ok("key", "new", "kpu-log")
    witness = WitnessSigner(WITNESS, seeded("bawaslu"), clock=lambda: 1707868800)
    server = Server(s.db, s.key("kpu-log"), s.home, "--witness-key", witness.verifier_key(),
                    "--checkpoint-every", "0.2").start()
    try:
        yield s, items, server, witness
    finally:
        server.stop()


def _checkpoint(server: Server, size: int) -> str:
    for _ in range(100):
        answer = httpx.get(server.url + "/checkpoint")
        if answer.status_code == 200 and answer.text.split("\n")[1] == str(size):
            return answer.text
        time.sleep(0.1)
    raise AssertionError("no checkpoint of the whole log")


def test_tiles_and_bundles_give_the_checkpoint_root_to_an_independent_reader(served, tmp_path):
    s, items, server, _ = served
    file = tmp_path / "h.serah"
    s.ok("--server", server.url, "handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang",
         "--purpose", "distribusi", "-o", file, "--as", "kpu-3101")
    s.ok("--server", server.url, "handover", "accept", file, "--as", "ppk")
    size = httpx.get(server.url + "/healthz").json()["size"]
    log_key = log_verifier_key(NAME, keys.load(s.key("kpu-log"), PASSPHRASE).public)
    checkpoint = vn.verify_checkpoint(_checkpoint(server, size), vn.parse_verifier_key(log_key))
    fetched = vt.TileHashes()
    for level, index, width in vt.tiles_for_range(0, size, size):
        answer = httpx.get(f"{server.url}/{vt.tile_url_path((level, index, width))}")
        assert answer.status_code == 200
        fetched.add(level, index, vt.split_tile(answer.content, width))
    assert fetched.root(size) == checkpoint.root_hash
    bundle = httpx.get(f"{server.url}/{vt.tile_url_path((vt.BUNDLE, 0, size))}")
    assert bundle.headers["cache-control"].startswith("public, max-age=5")  # partial: it will grow
    entries = vt.split_bundle(bundle.content, size)
    assert vt.check_bundle(entries, fetched.tiles[(0, 0)]) is None
    assert merkle.root_of(entries) == checkpoint.root_hash
    # R1: the receipts kept next to the file hold in the checkpoint.
    for receipt_file in tmp_path.glob("h.serah.*.receipt"):
        receipt = check_receipt(receipt_file.read_text(), log_key)
        proof = [fetched.range_hash(lo, hi) for lo, hi in vt.inclusion_ranges(receipt.position, size)]
        note = _checkpoint(server, size)
        assert check_receipt_in_checkpoint(receipt, note, log_key, entries[receipt.position], proof) is None
        # The same receipt against the wrong bytes is evidence against the log.
        finding = check_receipt_in_checkpoint(receipt, note, log_key, entries[0], proof)
        assert finding is not None and "not the receipted one" in finding.detail
    assert httpx.get(f"{server.url}/tile/0/001").status_code == 404  # beyond the log
    assert httpx.get(f"{server.url}/tile/0/../../etc/passwd").status_code == 404


def test_a_forged_witness_cosignature_is_never_served(served):
    """Issue 12's second attack: a fake witness key named like Bawaslu's, and its cosignature, in the table."""
    s, _, server, witness = served
    size = httpx.get(server.url + "/healthz").json()["size"]
    note = _checkpoint(server, size)
    body = note[: note.index("\n\n") + 1]
    fake = WitnessSigner(WITNESS, seeded("not-bawaslu"), clock=lambda: 1707868800)
    ledger = Ledger(s.db)
    try:
        log = TransparencyLog(ledger)
        log.add_cosignatures(note + fake.sign(body).line(), [fake.verifier_key()])
        log.add_cosignatures(note + witness.sign(body).line(), [witness.verifier_key()])
        assert len(log.checkpoint(size).cosignatures) == 2  # the table now holds both
    finally:
        ledger.close()
    served_note = httpx.get(server.url + "/checkpoint").text
    assert witness.sign(body).line() in served_note and fake.sign(body).line() not in served_note
    log_key = log_verifier_key(NAME, keys.load(s.key("kpu-log"), PASSPHRASE).public)
    checked = vn.verify_checkpoint(served_note, vn.parse_verifier_key(log_key),
                                   [vn.parse_verifier_key(witness_verifier_key(WITNESS, witness.public_key))], quorum=1)
    assert checked.cosigned_at == {WITNESS: 1707868800}
