"""``serah export --server URL``: an evidence bundle built from a served log, no database.

A real ``serah serve`` process asks two real witness services (loopback
ports) to cosign; the exporter, with nothing but the URL, reads the tiles
and entries, proves against the checkpoint both witnesses cosigned, and the
bundle verifies offline (``serah verify``, ``python -m verifier``) and
carries the same records as the bundle exported from the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ledger import keys
from ledger.encoding import decode
from ledger.tlog.log import WitnessSigner
from ledger.tlog.note import Ed25519Verifier
from ledger.tlog.witness_service import WitnessService, make_app
from support import REPO_ROOT
from support.cli import PASSPHRASE, Serah, build_small_ledger
from support.loopback import RunningServer
from support.serve import Server

ORIGIN = "serah.test/3101"


def _witness(tmp_path: Path, name: str, seed: bytes, log_public: bytes) -> tuple[WitnessSigner, RunningServer]:
    signer = WitnessSigner(f"bawaslu.go.id/3101/{name}", keys.from_seed(seed * 32), clock=lambda: 1707868800)
    service = WitnessService(signer, tmp_path / f"{name}.json", {ORIGIN: Ed25519Verifier(ORIGIN, log_public)},
                             first_time=[ORIGIN])
    return signer, RunningServer(make_app(service)).start()


@pytest.fixture
def served(tmp_path):
    s = Serah(tmp_path / "office")
    items = build_small_ledger(s)
    s.ok("key", "new", "kpu-log")
    log_public = keys.load(s.key("kpu-log"), PASSPHRASE).public
    (w1, s1), (w2, s2) = _witness(tmp_path, "w1", b"\x01", log_public), _witness(tmp_path, "w2", b"\x02", log_public)
    server = Server(s.db, s.key("kpu-log"), s.home, "--witness", f"{s1.url},{w1.verifier_key()}",
                    "--witness", f"{s2.url},{w2.verifier_key()}", "--quorum", "2", "--checkpoint-every", "0.2")
    server.start()
    try:
        size = httpx.get(server.url + "/healthz").json()["size"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            answer = httpx.get(server.url + "/checkpoint")
            if answer.status_code == 200 and answer.text.split("\n")[1] == str(size):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("no checkpoint cosigned by both witnesses")
        yield s, items, server, (w1, w2)
    finally:
        server.stop()
        s1.stop()
        s2.stop()


def _parts(path: Path) -> dict:
    return {name: decode(data) for name, data in decode(path.read_bytes())["parts"].items()}


def test_a_bundle_from_the_served_log_verifies_offline_and_equals_the_database_export(served, tmp_path):
    s, items, server, witnesses = served
    prosecutor = Serah(tmp_path / "prosecutor")  # no ledger file, no key: only the URL
    out = tmp_path / "box.bukti"
    written = prosecutor("export", "--server", server.url, "--item", items["box"], "-o", out)
    assert written.code == 0, written.err + written.out
    assert "Bundle written" in written.out and "read" in written.out and not Path(prosecutor.db).exists()
    parts = _parts(out)
    assert parts["checkpoint"]["witnesses"] == sorted(w.verifier_key() for w in witnesses)  # both cosigned
    assert {e[0] for e in parts["records"]} >= {0}

    checked = prosecutor("verify", out)
    assert checked.code == 0, checked.out + checked.err
    independent = subprocess.run([sys.executable, "-m", "verifier", str(out)], capture_output=True, text=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, cwd=str(tmp_path), timeout=120)
    assert independent.returncode == 0, independent.stdout + independent.stderr

    local = tmp_path / "box-db.bukti"
    s.ok("export", "--item", items["box"], "-o", local)  # the same trail, read from the database
    db_parts = _parts(local)
    assert parts["records"] == db_parts["records"] and parts["keys"] == db_parts["keys"]


def test_the_global_server_option_exports_a_place(served, tmp_path):
    _, items, server, _ = served
    prosecutor = Serah(tmp_path / "prosecutor")
    out = tmp_path / "tps.bukti"
    prosecutor.ok("--server", server.url, "export", "--tps", "3101011001001", "-o", out)
    subject = decode(decode(out.read_bytes())["manifest"])["subject"]
    assert set(items.values()) <= set(subject)


def test_what_the_served_log_cannot_give_is_one_line(served, tmp_path):
    _, _, server, _ = served
    prosecutor = Serah(tmp_path / "prosecutor")
    unknown = prosecutor("export", "--server", server.url, "--item", "KS-NOT-THERE", "-o", tmp_path / "x.bukti")
    assert unknown.code != 0 and len(unknown.err_lines) == 1 and not (tmp_path / "x.bukti").exists()
    bad = prosecutor("export", "--server", "ftp://127.0.0.1/", "--item", "KS-1", "-o", tmp_path / "y.bukti")
    assert bad.code == 2 and len(bad.err_lines) == 1
    silent = RunningServer(make_app(WitnessService(
        WitnessSigner("bawaslu.go.id/x", keys.from_seed(b"\x03" * 32)), tmp_path / "x.json", {}))).start()
    try:  # a witness service is not a log: /v1/ledger is 404
        gone = prosecutor("export", "--server", silent.url, "--item", "KS-1", "-o", tmp_path / "z.bukti")
    finally:
        silent.stop()
    assert gone.code == 3 and len(gone.err_lines) == 1 and "v1/ledger" in gone.err, gone.err


def _tampering_proxy(upstream: str, change):
    """A server that relays the log's answers, with ``change(path, body)`` applied (a hostile mirror)."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def relay(request):
        path = request.url.path.lstrip("/")
        answer = httpx.get(f"{upstream}/{path}")
        return Response(change(path, answer.content), status_code=answer.status_code,
                        media_type=answer.headers.get("content-type"))

    return RunningServer(Starlette(routes=[Route("/{path:path}", relay)])).start()


@pytest.mark.parametrize("target", ["tile/entries/", "tile/0/"])
def test_a_mirror_that_changes_an_entry_or_a_hash_tile_is_refused(served, tmp_path, target):
    _, items, server, _ = served

    def flip(path: str, body: bytes) -> bytes:
        if not path.startswith(target) or len(body) < 40:
            return body
        return body[:-5] + bytes([body[-5] ^ 1]) + body[-4:]  # one bit of the last entry / hash

    mirror = _tampering_proxy(server.url, flip)
    try:
        answer = Serah(tmp_path / "p")("export", "--server", mirror.url, "--item", items["box"], "-o",
                                       tmp_path / "m.bukti")
    finally:
        mirror.stop()
    assert answer.code == 3 and len(answer.err_lines) == 1, answer.err + answer.out
    assert "root" in answer.err or "prove" in answer.err
    assert not (tmp_path / "m.bukti").exists()


def test_an_export_from_the_served_log_signed_by_a_kpu_key_carries_its_signature(served, tmp_path):
    s, items, server, _ = served
    out = tmp_path / "signed.bukti"
    s.ok("export", "--server", server.url, "--item", items["box"], "-o", out, "--as", "kpu-3101")
    assert decode(out.read_bytes())["signature"]["key"] == keys.load(s.key("kpu-3101"), PASSPHRASE).public
    checked = s("verify", out, "--json")
    assert checked.code == 0 and not [f for f in checked.json()["findings"] if f["check"] == "B11"
                                      and f["severity"] == "error"], checked.out
    refused = s("export", "--server", server.url, "--item", items["box"], "-o", tmp_path / "n.bukti", "--as", "ppk")
    assert refused.code == 3 and len(refused.err_lines) == 1 and not (tmp_path / "n.bukti").exists()


def test_a_time_window_is_read_in_the_ledgers_local_time(served, tmp_path):
    _, items, server, _ = served
    prosecutor = Serah(tmp_path / "prosecutor")
    out = tmp_path / "window.bukti"
    prosecutor.ok("export", "--server", server.url, "--since", "2000-01-01", "-o", out)
    manifest = decode(decode(out.read_bytes())["manifest"])
    assert manifest["scope"]["since"] == 946_659_600_000  # 2000-01-01 00:00 WIB (UTC+7)
    assert set(items.values()) <= set(manifest["subject"])
