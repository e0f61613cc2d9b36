"""``kill -9`` of ``serah serve`` while clients submit: every receipt is kept.

Rounds of: start the server, let four clients submit prepares and accepts
as fast as it answers, kill it with SIGKILL at a random moment, start it
again. A receipt is the log's signed promise. After every kill, on the
database as the kill left it: every record that got a receipt so far is in
the ledger at the receipt's position, and the verifier finds the ledger and
its transparency log clean (nothing half-written). After every restart, the
server serves each of those records at its position. At the end, a sample
of the receipts checks (R1) against the ledger's last checkpoint.
On SQLite and on PostgreSQL; ``SERAH_KILL_ROUNDS`` (default 30 each) sets
the rounds.
"""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time

import httpx
import pytest

from ledger import keys, records
from ledger.application import Ledger
from support.cli import PASSPHRASE
from support.serve import Server

ROUNDS = int(os.environ.get("SERAH_KILL_ROUNDS", "30"))
CLIENTS = 4
ITEMS = 60
TPS = "3101011001001"


def signer(name: str) -> keys.Signer:
    return keys.from_seed(hashlib.sha256(b"serah-crash:" + name.encode()).digest())


def setup(db: str) -> None:
    root, dki = signer("kpu-ri"), signer("kpu-dki")
    ledger = Ledger(db)
    try:
        ledger.genesis([root], "serah.test/crash", "Pemilu 2029", "2029-02-14", root_names=["KPU RI"])
        ledger.enrol(root, dki.public, "kpu", "31", "Ketua KPU DKI", "KPU Provinsi DKI Jakarta")
        for c in range(CLIENTS):
            kab, ppk = signer(f"kab-{c}"), signer(f"ppk-{c}")
            ledger.enrol(dki, kab.public, "kpu", "3101", f"KPU Kab. {c}", "KPU Kab.")
            ledger.enrol(kab, ppk.public, "ppk", "310101", f"PPK {c}", "PPK")
            ledger.register(kab, [{"item": f"KS-CR-{c}-{i:03d}", "kind": "form", "dest": TPS, "qty": 1}
                                  for i in range(ITEMS)])
    finally:
        ledger.close()


def client(url: str, c: int, ledger_id: bytes, receipts: list, stop: threading.Event) -> None:
    """Moves this client's items between its two keys until the server dies."""
    kab, ppk = signer(f"kab-{c}"), signer(f"ppk-{c}")
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            for i in range(ITEMS * 1000):
                if stop.is_set():
                    return
                item = f"KS-CR-{c}-{i % ITEMS:03d}"
                state = http.get(f"/v1/items/{item}").json()
                if state["state"] == "transit":
                    prep = records.parse(http.get(f"/v1/records/{state['pending_handover']}").content)
                    giver, taker = (kab, ppk) if prep.author == kab.public else (ppk, kab)
                else:
                    giver, taker = (kab, ppk) if state["holder"] == kab.public.hex() else (ppk, kab)
                    place = "3101" if giver is kab else "310101"
                    prep = records.sign_record(records.build(
                        "handover.prepare", giver, ledger_id, records.now_ms(), to=taker.public, place=place,
                        site="s", purpose="p", lines=[{"item": item, "prev": bytes.fromhex(state["head"]), "qty": 1}]),
                        giver)
                    answer = http.post("/v1/submissions", content=prep.raw)
                    if answer.status_code != 201:
                        continue
                    receipts.append(answer.json()["records"][0])
                acc = records.sign_record(records.build(
                    "handover.accept", taker, ledger_id, records.now_ms(), handover=prep.id,
                    lines=[{"item": item, "prev": prep.id, "condition": "ok", "qty": 1}]), taker)
                answer = http.post("/v1/submissions", content=acc.raw)
                if answer.status_code == 201:
                    receipts.append(answer.json()["records"][0])
    except httpx.HTTPError:
        return  # the server was killed: this client's round is over


def assert_kept_on_disk(db: str, receipts: list[dict], vkey: str) -> None:
    """The database as a kill left it: every receipted record at its
    position, and the verifier clean (T3, no witness yet, is the one warning)."""
    from verifier.api import verify

    ledger = Ledger(db)
    try:
        positions = ledger.positions([bytes.fromhex(r["record"]) for r in receipts])
    finally:
        ledger.close()
    lost = [r for r in receipts if positions.get(bytes.fromhex(r["record"])) != r["position"]]
    assert not lost, lost[:3]
    report = verify(db, log_key=vkey)
    assert report.fatal is None, report.fatal
    serious = {(f.label, f.severity) for f in report.findings if f.severity in ("error", "warning")}
    assert serious <= {("T3", "warning")}, serious


def assert_served(url: str, receipts: list[dict], new: int) -> None:
    """After a restart: the log is at least as long as every receipt says,
    and the server serves each of the last round's (``receipts[new:]``)
    receipted records at its position."""
    with httpx.Client(base_url=url, timeout=10) as http:
        assert http.get("/v1/ledger").json()["size"] > max(r["position"] for r in receipts)
        for r in receipts[new:]:
            answer = http.get(f"/v1/records/{r['record']}")
            assert answer.status_code == 200 and int(answer.headers["Serah-Position"]) == r["position"], r
            assert hashlib.sha256(answer.content).hexdigest() == r["record"]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_kill_9_under_load_loses_no_receipted_record(backend, tmp_path, request):
    from ledger.tlog.log import log_verifier_key
    from verifier.receipt_check import KEPT, NOT_YET, check_receipts
    from verifier.receipts import check_receipt

    db = str(tmp_path / "crash.sqlite") if backend == "sqlite" else request.getfixturevalue("pg_url")
    setup(db)
    log_key = tmp_path / "log.key"
    keys.save(signer("log"), log_key, PASSPHRASE)
    vkey = log_verifier_key("serah.test/crash", signer("log").public)
    receipts: list[dict] = []
    rng = random.Random(12)
    started = time.monotonic()
    previous = 0  # receipts before the last round: already checked as served
    for _ in range(ROUNDS):
        server = Server(db, log_key, tmp_path, "--rate", "100000", "--burst", "100000", "--quiet",
                        "--checkpoint-every", "0.2").start()
        if receipts:  # restarted: what the killed server promised is served where it said
            assert_served(server.url, receipts, previous)
        previous = len(receipts)
        ledger_id = bytes.fromhex(httpx.get(server.url + "/v1/ledger").json()["ledger"])
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(server.url, c, ledger_id, receipts, stop))
                   for c in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.15, 0.6))
        server.kill()
        stop.set()
        for t in threads:
            t.join(30)
        assert_kept_on_disk(db, receipts, vkey)
    seconds = time.monotonic() - started
    assert len(receipts) > ROUNDS, len(receipts)
    print(f"{backend}: {ROUNDS} kills, {len(receipts)} receipts, {seconds:.1f} s")
    # The receipts are the log key's notes, and a sample checks (R1) against the ledger's checkpoint.
    for r in receipts:
        assert check_receipt(r["receipt"], vkey).position == r["position"]
    sample = receipts[:: max(1, len(receipts) // 40)]
    files = []
    for i, r in enumerate(sample):
        files.append(str(tmp_path / f"{i}.receipt"))
        (tmp_path / f"{i}.receipt").write_text(r["receipt"])
    verdicts = check_receipts(db, files, vkey)
    assert {v.status for v in verdicts} <= {KEPT, NOT_YET} and verdicts[0].status == KEPT, verdicts
