"""The C2SP tlog-witness add-checkpoint service, over real HTTP on a loopback port.

Every status the C2SP text names is in the table below, with the state it
must leave behind; the race the text describes (two concurrent requests
rolling the witness back) is run for real, with a slowed-down disk to widen
the window, in one service and across two services sharing a state file.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.tlog.note import Checkpoint, Ed25519Signer, parse_note, sign_note
from ledger.tlog.tree import MemoryNodeStore, MerkleTree
from ledger.tlog.witness import CosignatureSigner, CosignatureVerifier, WitnessState
from ledger.tlog.witness_service import (
    MAX_BODY,
    WitnessService,
    format_request,
    make_app,
    parse_request,
)
from support.loopback import serving
from verifier import note as vn

ORIGIN = "serah.kpu.go.id/3101/pemilu-2024"
WITNESS = "bawaslu.go.id/3101/w1"


def key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


LOG = Ed25519Signer(ORIGIN, key("log"))
OTHER = Ed25519Signer(ORIGIN, key("not the log"))
STRANGER = Ed25519Signer("example.com/other-log", key("other"))
W1 = CosignatureSigner(WITNESS, key("w1"), clock=lambda: 1707868800)


def tree(count: int, salt: bytes = b"") -> MerkleTree:
    t = MerkleTree(MemoryNodeStore())
    t.extend(salt + i.to_bytes(4, "big") for i in range(count))
    return t


TREE = tree(400)
FORK = tree(100, salt=b"fork")


def note(size: int, t: MerkleTree = TREE, signer: Ed25519Signer = LOG, origin: str = ORIGIN) -> str:
    return Checkpoint(origin, size, t.root(size)).sign(signer)


def service(tmp_path, state: dict | None = None, first_time: bool = False) -> WitnessService:
    path = tmp_path / "w1.json"
    if state is not None:
        WitnessState(path).save({ORIGIN: (state["at"], TREE.root(state["at"]))})
    return WitnessService(W1, path, {ORIGIN: LOG.verifier()}, first_time=[ORIGIN] if first_time else [])


def state_of(svc: WitnessService):
    return svc.state.load().get(ORIGIN)


def body(old: int, size: int, t: MerkleTree = TREE, **kw) -> bytes:
    return format_request(old, TREE.consistency_proof(old, size) if old and t is TREE else [], note(size, t, **kw))


def cosigned_ok(note_text: str, line: str) -> None:
    vkey = vn.parse_verifier_key(W1.verifier_key())
    log = vn.parse_verifier_key(LOG.verifier_key())
    vn.verify_checkpoint(note_text + line, log, [vkey])
    sig = parse_note(note_text + line).signatures[-1]
    assert CosignatureVerifier(WITNESS, W1.public_key).verify(parse_note(note_text).text, sig.signature)


# --- the table --------------------------------------------------------------------------------

BAD_PROOF = format_request(10, [b"\x00" * 32] * 3, note(20))
CASES = [
    # (name, stored size or None, first_time, body, status, reason, content type, stored after)
    ("first checkpoint, first-time flag", None, True, body(0, 10), 200, "cosigned", None, 10),
    ("first checkpoint without the flag", None, False, body(0, 10), 404, "no_state", None, None),
    ("extends what was cosigned", 10, False, body(10, 20), 200, "cosigned", None, 20),
    ("same checkpoint again", 10, False, body(10, 10), 200, "cosigned", None, 10),
    ("unknown origin", 10, False, body(0, 5, signer=STRANGER, origin=STRANGER.name), 404, "unknown_log",
     None, 10),
    ("signed by another key of the same name", 10, False, body(10, 20, signer=OTHER), 403, "forbidden",
     None, 10),
    ("old size larger than the checkpoint", 10, False, format_request(30, [], note(20)), 400, "bad_request",
     None, 10),
    ("old size not what was cosigned", 10, False, body(5, 20), 409, "conflict", "text/x.tlog.size", 10),
    ("old 0 to learn the cosigned size", 10, False, body(0, 20), 409, "conflict", "text/x.tlog.size", 10),
    ("rollback below the cosigned size", 20, False, body(10, 10), 409, "conflict", "text/x.tlog.size", 20),
    ("same size, another root", 10, False, format_request(10, [], note(10, FORK)), 409, "split_view",
     "text/x.tlog.size", 10),
    ("a fork: proof does not verify", 10, False, format_request(10, TREE.consistency_proof(10, 20),
                                                                   note(20, FORK)), 422, "inconsistent", None, 10),
    ("a garbage proof", 10, False, BAD_PROOF, 422, "inconsistent", None, 10),
    ("a proof with old size 0", None, True, format_request(0, [b"\x00" * 32], note(10)), 422, "inconsistent",
     None, None),
    ("no old line", 10, False, b"10\n\n" + note(20).encode(), 400, "bad_request", None, 10),
    ("old with a leading zero", 10, False, b"old 010\n\n" + note(20).encode(), 400, "bad_request", None, 10),
    ("proof line not base64", 10, False, b"old 10\n!!!!\n\n" + note(20).encode(), 400, "bad_request", None, 10),
    ("proof line not 32 bytes", 10, False, b"old 10\nAAAA\n\n" + note(20).encode(), 400, "bad_request", None, 10),
    ("64 proof lines", 10, False, format_request(10, [b"\x00" * 32] * 64, note(20)), 400, "bad_request", None, 10),
    ("no empty line", 10, False, b"old 10\n" + note(20).encode().replace(b"\n\n", b"\n"), 400, "bad_request",
     None, 10),
    ("not UTF-8", 10, False, b"old 10\n\n\xff\xfe", 400, "bad_request", None, 10),
    ("text changed after signing", 10, False,
     format_request(10, [], f"{ORIGIN}\n20\ny\n\n" + parse_note(note(20)).signatures[0].line()),
     403, "forbidden", None, 10),
    ("signed, but not a checkpoint", 10, False, format_request(10, [], sign_note(f"{ORIGIN}\nx\ny\n", [LOG])),
     400, "bad_request", None, 10),
]


@pytest.mark.parametrize("name, stored, first_time, request_body, status, reason, ctype, after", CASES,
                         ids=[c[0] for c in CASES])
def test_every_status_of_add_checkpoint(tmp_path, name, stored, first_time, request_body, status, reason,
                                        ctype, after):
    svc = service(tmp_path, {"at": stored} if stored is not None else None, first_time)
    with serving(make_app(svc)) as server, httpx.Client(base_url=server.url) as client:
        response = client.post("/add-checkpoint", content=request_body)
    assert response.status_code == status, response.text
    assert svc.add_checkpoint(request_body).reason == reason or status == 200  # same decision in-process
    if ctype:
        assert response.headers["content-type"] == ctype
        assert response.text == f"{stored}\n"
    if status == 200:
        line = response.text
        assert line.startswith("\u2014 " + WITNESS + " ") and line.endswith("\n")
        cosigned_ok(parse_request(request_body).note, line)
    assert (state_of(svc) or (None,))[0] == after
    kept = svc.evidence()
    assert bool(kept) == (reason in ("split_view", "inconsistent"))
    for path in kept:
        record = json.loads(path.read_text())
        assert record["request"] == request_body.decode()


def test_a_body_over_the_limit_is_413_and_changes_nothing(tmp_path):
    svc = service(tmp_path, {"at": 10})
    with serving(make_app(svc)) as server, httpx.Client(base_url=server.url) as client:
        response = client.post("/add-checkpoint", content=b"old 10\n" + b"A" * (MAX_BODY + 1))
        assert response.status_code == 413
        assert client.get("/").text == W1.verifier_key() + "\n"
        assert client.get("/add-checkpoint").status_code == 405
    assert state_of(svc)[0] == 10


def test_the_409_body_lets_the_log_retry_from_the_cosigned_size(tmp_path):
    svc = service(tmp_path, {"at": 37})
    first = svc.add_checkpoint(body(0, 60))
    assert (first.status, first.body) == (409, b"37\n")
    retry = svc.add_checkpoint(body(int(first.body), 60))
    assert retry.status == 200
    assert state_of(svc) == (60, TREE.root(60))


# --- the race ---------------------------------------------------------------------------------


class SlowState(WitnessState):
    """A disk that takes 20 ms to store the state: the window of the C2SP race."""

    def save(self, logs) -> None:
        time.sleep(0.02)
        super().save(logs)


def race(services: list[WitnessService], sizes: list[int], old: int) -> list[tuple[int, int]]:
    results: list[tuple[int, int]] = []
    start = threading.Barrier(len(sizes), timeout=30)

    def submit(svc: WitnessService, size: int) -> None:
        request = body(old, size)
        start.wait()
        results.append((size, svc.add_checkpoint(request).status))

    threads = [threading.Thread(target=submit, args=(services[i % len(services)], size))
               for i, size in enumerate(sizes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("instances", [1, 2], ids=["one service", "two services, one state file"])
def test_concurrent_requests_never_roll_the_witness_back(tmp_path, instances):
    services = [service(tmp_path, {"at": 10}) for _ in range(instances)]
    for svc in services:
        svc.state = SlowState(svc.state.path)
    for _round in range(5):
        old = state_of(services[0])[0]
        sizes = [old + 1 + i * 7 for i in range(6)]  # six checkpoints, all from the same old size
        results = race(services, sizes, old)
        winners = [size for size, status in results if status == 200]
        assert len(winners) == 1, results
        assert all(status == 409 for size, status in results if size not in winners)
        assert state_of(services[0]) == (winners[0], TREE.root(winners[0]))
    assert state_of(services[0])[0] > 10


def test_over_http_concurrent_requests_leave_the_largest_cosigned_only_if_it_won(tmp_path):
    """Request A (N) and B (N+K) at once over HTTP: whichever is second gets 409, none rolls back."""
    svc = service(tmp_path, {"at": 10})
    svc.state = SlowState(svc.state.path)
    with serving(make_app(svc)) as server:
        statuses: dict[int, int] = {}

        def post(size: int) -> None:
            with httpx.Client(base_url=server.url) as client:
                statuses[size] = client.post("/add-checkpoint", content=body(10, size)).status_code

        threads = [threading.Thread(target=post, args=(size,)) for size in (40, 90)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(statuses.values()) == [200, 409]
    won = next(size for size, status in statuses.items() if status == 200)
    assert state_of(svc)[0] == won
