"""``kill -9`` of ``serah serve`` while clients submit: every receipt is kept.

Rounds of: start the server, let four clients submit prepares and accepts
as fast as it answers, kill it with SIGKILL at a random moment, start it
again. A receipt is the log's signed promise; after all rounds, every record
that got one is in the ledger at the receipt's position, and the verifier
finds the ledger and its transparency log clean (nothing half-written).
On SQLite and on PostgreSQL; ``SERAH_KILL_ROUNDS`` (default 15 each) sets
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

from cli_support import PASSPHRASE
from ledger import keys, records
from ledger.application import Ledger
from server_support import Server

ROUNDS = int(os.environ.get("SERAH_KILL_ROUNDS", "15"))
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


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_kill_9_under_load_loses_no_receipted_record(backend, tmp_path, request):
    db = str(tmp_path / "crash.sqlite") if backend == "sqlite" else request.getfixturevalue("pg_url")
    setup(db)
    log_key = tmp_path / "log.key"
    keys.save(signer("log"), log_key, PASSPHRASE)
    receipts: list[dict] = []
    rng = random.Random(12)
    kills = 0
    for _ in range(ROUNDS):
        server = Server(db, log_key, tmp_path, "--rate", "100000", "--burst", "100000", "--quiet").start()
        ledger_id = bytes.fromhex(httpx.get(server.url + "/v1/ledger").json()["ledger"])
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(server.url, c, ledger_id, receipts, stop))
                   for c in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.2, 0.8))
        server.kill()
        kills += 1
        stop.set()
        for t in threads:
            t.join(30)
    assert kills == ROUNDS and len(receipts) > ROUNDS, len(receipts)
    print(f"{backend}: {kills} kills, {len(receipts)} receipts")
    # Every receipted record is in the ledger, at its receipt's position.
    ledger = Ledger(db)
    try:
        positions = ledger.positions([bytes.fromhex(r["record"]) for r in receipts])
        for r in receipts:
            assert positions.get(bytes.fromhex(r["record"])) == r["position"], r
    finally:
        ledger.close()
    # The receipts verify with the log key, and the verifier finds nothing wrong.
    from ledger.tlog.log import log_verifier_key
    from verifier.api import verify
    from verifier.receipts import check_receipt

    vkey = log_verifier_key("serah.test/crash", signer("log").public)
    for r in receipts[:: max(1, len(receipts) // 50)]:
        assert check_receipt(r["receipt"], vkey).position == r["position"]
    report = verify(db, log_key=vkey)
    assert report.fatal is None
    serious = {(f.label, f.severity) for f in report.findings if f.severity in ("error", "warning")}
    assert serious <= {("T3", "warning")}, serious  # T3: no witness has cosigned yet
