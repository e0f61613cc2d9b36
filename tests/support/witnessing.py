"""A log server and witness services on loopback ports, for the witnessing and monitor tests."""

from __future__ import annotations

import time

import httpx

from ledger import records
from ledger.application import Ledger
from ledger.server.app import create_app
from ledger.server.config import ServerConfig
from ledger.server.service import Service
from ledger.server.witnessing import WitnessEndpoint
from ledger.tlog.log import WitnessSigner
from ledger.tlog.note import Ed25519Verifier
from ledger.tlog.witness_service import WitnessService, make_app
from support.loopback import RunningServer
from support.tlog import (
    LOG,
    LOG_VKEY,
    NAME,
    ROOT,
    START,
    signer,
)
from verifier import note as vn

W1 = WitnessSigner("bawaslu.go.id/3101/w1", signer("net-w1"), clock=lambda: 1707868800)
W2 = WitnessSigner("bawaslu.go.id/3101/w2", signer("net-w2"), clock=lambda: 1707868800)


def witness_server(tmp_path, w: WitnessSigner, port: int = 0) -> tuple[WitnessService, RunningServer]:
    service = WitnessService(w, tmp_path / f"{w.name.rsplit('/', 1)[1]}.json",
                             {NAME: Ed25519Verifier(NAME, LOG.public)}, first_time=[NAME])
    return service, RunningServer(make_app(service), port).start()


def log_server(db: str, witnesses: list[RunningServer]) -> tuple[Service, RunningServer]:
    endpoints = tuple(WitnessEndpoint(s.url, w.verifier_key()) for s, w in zip(witnesses, (W1, W2), strict=False))
    config = ServerConfig(db=db, checkpoint_every_s=0.2, witnesses=endpoints, quorum=2,
                          witness_keys=tuple(e.verifier_key for e in endpoints))
    service = Service(config, LOG, ledger=Ledger(db))
    service.witnessing.retry_s = 0.3  # type: ignore[union-attr]
    return service, RunningServer(create_app(service)).start()


def served_note(server: RunningServer, size: int, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = httpx.get(server.url + "/checkpoint")
        if answer.status_code == 200 and answer.text.split("\n")[1] == str(size):
            return answer.text
        time.sleep(0.1)
    raise AssertionError(f"no quorum-cosigned checkpoint of size {size}: {answer.status_code} {answer.text[:200]}")


def submit(server: RunningServer, ledger_id: bytes, first: int, count: int) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for i in range(first, first + count):
            body = records.build("enrol", ROOT, ledger_id, START + 10**9 + i * 60_000, key=signer(f"printer-{i}").public,
                                 role="printer", region="", name=f"Percetakan {i}", org="PT Cetak")
            answer = client.post("/v1/submissions", content=records.sign(body, ROOT))
            assert answer.status_code < 300, answer.text


def quorum_checked(note: str, size: int) -> vn.VerifiedCheckpoint:
    keys = [vn.parse_verifier_key(w.verifier_key()) for w in (W1, W2)]
    checked = vn.verify_checkpoint(note, vn.parse_verifier_key(LOG_VKEY), keys, quorum=2)
    assert checked.size == size
    return checked
