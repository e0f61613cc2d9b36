"""``serah serve``: a real server on a loopback port, driven by the real CLI and by HTTP.

Every custodian here has their own key folder (their own machine) holding
only their key and the public files they need, and no database: the server
is the only process that opens it.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from ledger import keys, records
from ledger.application import Ledger
from ledger.encoding import encode
from support.cli import PASSPHRASE, Serah, build_small_ledger
from support.serve import Server


def machine(s: Serah, root: Path, own: str, *known: str) -> Serah:
    """A custodian's machine: only ``own``'s key, the public files of ``known``, no ledger."""
    other = Serah(root)
    (other.home / "keys").mkdir(parents=True, exist_ok=True)
    shutil.copy(s.key(own), other.key(own))
    for name in (own, *known):
        shutil.copy(str(s.key(name)) + ".pub", str(other.key(name)) + ".pub")
    other.env["SERAH_DB"] = str(root / "no-ledger-here.sqlite")
    return other


@pytest.fixture
def served(tmp_path):
    s = Serah(tmp_path / "office")
    items = build_small_ledger(s)
    s.ok("key", "new", "kpu-log")
    # No periodic checkpoints: tests compare database dumps to show nothing was written.
    server = Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0").start()
    try:
        yield s, items, server
    finally:
        server.stop()


def assert_verifies(s: Serah) -> None:
    """Clean, with the log key pinned (the server signs checkpoints; T3, no
    witness cosigned, stays a warning until a witness does)."""
    report = s("--json", "verify", s.db, "--log-key", _log_vkey(s)).json()
    warnings = {f.get("label", f.get("check")) for f in report["findings"] if f["severity"] == "warning"}
    assert report["summary"]["error"] == 0 and warnings <= {"T3"}, report["summary"]


def _integrated(server: Server) -> None:
    """Waits until the server has stored the tree's rows for every record it committed."""
    deadline = time.monotonic() + 10
    while (health := httpx.get(server.url + "/healthz").json())["tree"]["integrated"] < health["size"]:
        assert time.monotonic() < deadline, health
        time.sleep(0.02)


def _signer(s: Serah, name: str) -> keys.Signer:
    return keys.load(s.key(name), PASSPHRASE)


def _log_vkey(s: Serah) -> str:
    from ledger.tlog.log import log_verifier_key

    return log_verifier_key("serah.test/3101", _signer(s, "kpu-log").public)


def test_full_handover_through_the_server_from_two_machines(served, tmp_path):
    s, items, server = served
    box = items["box"]
    giver = machine(s, tmp_path / "kpu", "kpu-3101", "ppk")
    taker = machine(s, tmp_path / "ppk", "ppk", "kpu-3101")
    url = ["--server", server.url]
    file = tmp_path / "kpu" / "ke-ppk.serah"
    prep = giver.ok(*url, "--json", "handover", "prepare", box, "--to", "ppk", "--site", "Dermaga Kali Adem",
                    "--purpose", "distribusi", "-o", file, "--as", "kpu-3101").json()
    assert prep["submitted"] is True
    assert giver.ok(*url, "--json", "status", box).json()["state"] == "transit"
    shutil.copy(file, tmp_path / "ppk" / "ke-ppk.serah")
    accepted = taker.ok(*url, "--json", "handover", "accept", tmp_path / "ppk" / "ke-ppk.serah",
                        "--as", "ppk").json()
    status = taker.ok(*url, "--json", "status", box).json()
    assert status["state"] == "held" and status["holder"] == _signer(s, "ppk").public.hex()
    assert [h["type"] for h in taker.ok(*url, "--json", "history", box).json()][-2:] == [
        "handover.prepare", "handover.accept"]
    held = {h["id"] for h in taker.ok(*url, "--json", "holdings", "--as", "ppk").json()}
    assert box in held and items["ballots"] in held
    # Receipts sit next to each machine's handover file, signed by the log key, with the record's position.
    from verifier.receipts import check_receipt

    for folder, rid in ((tmp_path / "kpu", prep["record"]), (tmp_path / "ppk", accepted["record"])):
        (receipt,) = folder.glob(f"ke-ppk.serah.{rid[:16]}.receipt")
        checked = check_receipt(receipt.read_text(), _log_vkey(s))
        assert checked.record.hex() == rid
    # The server's trails (walked through the records) are the ones a direct reader prints.
    served_trails = {i: taker.ok(*url, "--json", "history", i).json() for i in (box, items["ballots"])}
    # Neither machine has a ledger file; the office ledger verifies clean.
    assert not (tmp_path / "kpu" / "no-ledger-here.sqlite").exists()
    server.stop()
    for i, trail in served_trails.items():
        assert s.ok("--json", "history", i).json() == trail
    assert_verifies(s)


def _prepare(s: Serah, giver: str, to: str, item: str, head: bytes, site: str, time_ms: int | None = None) -> bytes:
    """A prepare signed here, declaring what the server says the item is (as the CLI does)."""
    url = _url(s)
    ledger_id = bytes.fromhex(httpx.get(url + "/v1/ledger").json()["ledger"])
    state = httpx.get(f"{url}/v1/items/{item}").json()
    line: dict = {"item": item, "prev": head}
    if state["qty"] is not None:
        line["qty"] = state["qty"]
    if state["kind"] == "box":
        line["seals"] = state["seals"]
        line["contents"] = [[c, httpx.get(f"{url}/v1/items/{c}").json()["qty"]] for c in sorted(state["contents"])]
    body = records.build("handover.prepare", _signer(s, giver), ledger_id, time_ms or records.now_ms(),
                         to=_signer(s, to).public, place="3101", site=site, purpose="distribusi", lines=[line])
    return records.sign_record(body, _signer(s, giver)).raw


_URLS: dict[str, str] = {}


def _url(s: Serah) -> str:
    return _URLS[s.db]


def _head(server: Server, item: str) -> bytes:
    return bytes.fromhex(httpx.get(f"{server.url}/v1/items/{item}").json()["head"])


def test_bad_submissions_are_refused_with_their_status_and_write_nothing(served):
    s, items, server = served
    _URLS[s.db] = server.url
    spare = items["spare"]
    before = s.dump()

    def post(body):
        return httpx.post(server.url + "/v1/submissions", content=body)

    # malformed: not SCE; SCE but not a record
    for body in (b"\xff\x00garbage", encode({"hello": "world"})):
        answer = post(body)
        assert answer.status_code == 400, answer.text
        assert "Traceback" not in answer.text
    # oversized: refused from the declared length, before reading
    assert post(b"\x00" * (1024 * 1024 + 1)).status_code == 413
    # bad signature: one byte of the signature changed
    good = _prepare(s, "kpu-3101", "ppk", spare, _head(server, spare), "Dermaga")
    tampered = bytearray(good)
    tampered[-1] ^= 1
    answer = post(bytes(tampered))
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "bad_signature"
    # future-dated: an hour after the server's clock
    future = _prepare(s, "kpu-3101", "ppk", spare, _head(server, spare), "Dermaga",
                      time_ms=records.now_ms() + 3_600_000)
    answer = post(future)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "future_record"
    # refused by the rules: the PPK does not hold the item (same code as the CLI's refusal)
    answer = post(_prepare(s, "ppk", "pps", spare, _head(server, spare), "Balai"))
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_holder"
    assert s.dump() == before
    # accepted once; the same bytes again: the same answer, nothing more written
    first = post(good)
    assert first.status_code == 201, first.text
    _integrated(server)  # the tree's rows are written after the commit
    after = s.dump()
    again = post(good)
    assert again.status_code == 200
    assert again.json()["records"][0]["position"] == first.json()["records"][0]["position"]
    assert again.json()["records"][0]["new"] is False
    assert s.dump() == after
    # a record of another ledger is refused as tamper
    other = dict(records.parse(good).body, ledger=b"\x01" * 32, site="Lain")
    answer = post(records.sign_record(other, _signer(s, "kpu-3101")).raw)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "wrong_ledger"
    assert s.dump() == after


def test_a_client_that_leaves_mid_body_is_logged_as_gone_not_as_an_internal_error(served):
    s, items, server = served
    url = httpx.URL(server.url)
    with socket.create_connection((url.host, url.port)) as sock:
        sock.sendall(b"POST /v1/submissions HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial")
        time.sleep(0.2)
    deadline = time.monotonic() + 10
    while '"error": "client_disconnected"' not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    log_text = server.log.read_text()
    assert '"error": "client_disconnected"' in log_text, log_text
    assert "internal error" not in log_text
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_the_cli_shows_a_server_refusal_as_its_own_line_and_exit_status(served, tmp_path):
    s, items, server = served
    thief = machine(s, tmp_path / "ppk", "ppk", "pps")
    result = thief("--server", server.url, "handover", "prepare", items["spare"], "--to", "pps", "--site", "X",
                   "--purpose", "Y", "-o", tmp_path / "ppk" / "x.serah", "--as", "ppk")
    assert result.code == 3 and len(result.err_lines) == 1 and "not held by key" in result.err
    down = thief("--server", "http://127.0.0.1:9", "status", items["spare"])
    assert down.code == 2 and len(down.err_lines) == 1 and "cannot be reached" in down.err


def test_a_refusal_through_the_server_exits_with_the_same_status_as_on_the_ledger_itself(served, tmp_path):
    """The exit status is the refusal's category, whichever way it travelled:
    an unknown item is unusable input (2) locally and through --server alike,
    never "refused" (3) for want of the class on this side."""
    s, items, server = served
    for where in ((), ("--server", server.url)):
        result = s(*where, "status", "NO-SUCH-ITEM")
        assert result.code == 2 and len(result.err_lines) == 1, (where, result.err)
    answer = httpx.get(server.url + "/v1/items/NO-SUCH-ITEM").json()["error"]
    assert (answer["code"], answer["category"]) == ("unknown_item", "input")


def test_a_forged_index_row_makes_nothing_acceptable_and_stops_nothing(served, tmp_path):
    """Issue 12's first attack: a CustodyMoved row for a PPK who never received the box."""
    s, items, server = served
    _URLS[s.db] = server.url
    box = items["box"]
    from ledger.application import Ledger
    from ledger.domain import Item, item_uuid

    ppk = _signer(s, "ppk").public
    forger = Ledger(s.db)
    aggregate = forger.repository.get(item_uuid(box))
    aggregate.record_event(Item.CustodyMoved, "00" * 32, records.now_ms(), holder=ppk.hex(), location="310101",
                           qty=None, seals=None, condition="ok")
    forger.save(aggregate)
    assert forger.item(box).holder == ppk  # a direct reader of the index is fooled
    forger.close()
    # The server never read that row: the PPK's prepare is refused, the status is unchanged.
    answer = httpx.post(server.url + "/v1/submissions", content=_prepare(s, "ppk", "pps", box, _head(server, box), "X"))
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_holder"
    assert httpx.get(f"{server.url}/v1/items/{box}").json()["holder"] == _signer(s, "kpu-3101").public.hex()
    # The real holder still hands the box over: the forged row does not halt the item.
    file = tmp_path / "h.serah"
    s.ok("--server", server.url, "handover", "prepare", box, "--to", "ppk", "--site", "Gudang", "--purpose", "p",
         "-o", file, "--as", "kpu-3101")
    s.ok("--server", server.url, "handover", "accept", file, "--as", "ppk")
    # A restarted server derives the same state from the records alone.
    server.stop()
    with Server(s.db, s.key("kpu-log"), s.home) as again:
        state = httpx.get(f"{again.url}/v1/items/{box}").json()
        assert state["holder"] == ppk.hex() and state["state"] == "held"
        history = httpx.get(f"{again.url}/v1/items/{box}/history").json()
        assert isinstance(history, list), history
        assert "00" * 32 not in [h["id"] for h in history]


def test_eight_clients_racing_for_the_same_items_one_wins_each(served):
    s, items, server = served
    _URLS[s.db] = server.url
    receivers = ["ppk", "pps-other"]
    targets = [items["box"], items["spare"]]
    heads = {item: _head(server, item) for item in targets}
    racers = []
    for n in range(8):
        racers.append([_prepare(s, "kpu-3101", receivers[n % 2], item, heads[item], f"racer {n}") for item in targets])
    answers: list[list[int]] = [[] for _ in racers]
    start = threading.Barrier(len(racers))

    def race(n: int) -> None:
        with httpx.Client(base_url=server.url) as client:
            start.wait()
            for envelope in racers[n]:
                answers[n].append(client.post("/v1/submissions", content=envelope).status_code)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(len(racers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(len(targets)):
        codes = [a[i] for a in answers]
        assert codes.count(201) == 1, codes
        assert set(codes) <= {201, 409, 422}, codes
    server.stop()
    assert_verifies(s)


def test_healthz_and_unknown_things(served):
    server = served[2]
    health = httpx.get(server.url + "/healthz").json()
    assert health["ok"] is True and health["size"] == 11
    assert httpx.get(server.url + "/v1/items/NO-SUCH-ITEM").status_code == 404
    assert httpx.get(server.url + "/v1/records/" + "ab" * 32).status_code == 404
    assert httpx.get(server.url + "/v1/records/zz").status_code == 400
    assert httpx.get(server.url + "/nothing-here").status_code == 404


def test_the_whole_lifecycle_runs_through_the_server(tmp_path):
    """Every command that signs a record, with SERAH_SERVER set: only `init` opens the database."""
    from support.cli import DISTRICT, TPS, VILLAGE, today_wib

    s = Serah(tmp_path)
    people = {
        "kpu-3101": ("kpu", "3101", "Ketua KPU Kep. Seribu", "KPU Kab. Adm. Kepulauan Seribu"),
        "ppk": ("ppk", DISTRICT, "Ketua PPK", "PPK Kepulauan Seribu Utara"),
        "pps": ("pps", VILLAGE, "Ketua PPS", "PPS Pulau Panggang"),
        "kpps": ("kpps", TPS, "Ketua KPPS", "KPPS TPS 001"),
        "pkd": ("witness", VILLAGE, "Pengawas", "Panwaslu Kelurahan"),
        "polair": ("escort", "3101", "Bripka", "Ditpolairud"),
    }
    for name in ("kpu-ri", "kpu-log", *people):
        s.ok("key", "new", name)
    s.ok("init", "--root", s.key("kpu-ri"), "--name", "serah.test/3101", "--election", "Pemilu 2024",
         "--vote-date", today_wib())
    with Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0") as server:
        s.env["SERAH_SERVER"] = server.url
        s.env["SERAH_DB"] = str(tmp_path / "not-here.sqlite")
        for name, (role, region, person, org) in people.items():
            s.ok("enroll", name, "--role", role, "--region", region, "--name", person, "--org", org,
                 "--as", "kpu-ri" if name == "kpu-3101" else "kpu-3101")
        box, ballots, spare = f"KS-{TPS}-PPWP", f"KS-{TPS}-PPWP-SS", f"KS-{TPS}-SPARE"
        s.ok("item", "register", s.write_csv("items.csv", [
            {"item": box, "kind": "box", "dest": TPS, "election": "PPWP"},
            {"item": ballots, "kind": "ballots", "dest": TPS, "qty": "266", "election": "PPWP", "dapil": "INDONESIA"},
            {"item": spare, "kind": "ballots", "dest": TPS, "qty": "10", "election": "PPWP", "dapil": "INDONESIA"},
        ]), "--as", "kpu-3101")
        s.ok("item", "pack", box, ballots, "--as", "kpu-3101")
        s.ok("seal", box, "SG-0001", "SG-0002", "--as", "kpu-3101")
        # online, then an attestation of the escort who was not there to co-sign
        s.ok("handover", "prepare", box, "--to", "ppk", "--site", "Dermaga", "--purpose", "distribusi",
             "-o", tmp_path / "1.serah", "--as", "kpu-3101")
        s.ok("handover", "accept", tmp_path / "1.serah", "--as", "ppk")
        s.ok("attest", tmp_path / "1.serah", "--statement", "mengawal", "--as", "polair")
        # offline, co-signed by the escort, appended with the acceptance
        s.ok("handover", "prepare", box, "--to", "pps", "--site", "Pulau Panggang", "--purpose", "distribusi",
             "--escort", "polair", "--offline", "-o", tmp_path / "2.serah", "--as", "ppk")
        assert s.ok("--json", "status", box).json()["state"] == "held"
        s.ok("handover", "cosign", tmp_path / "2.serah", "--as", "polair")
        s.ok("handover", "accept", tmp_path / "2.serah", "--as", "pps")
        assert len(list(tmp_path.glob("2.serah.*.receipt"))) == 2  # the prepare's and the accept's
        # a refusal, then the handover again
        s.ok("handover", "prepare", box, "--to", "kpps", "--site", "TPS 001", "--purpose", "distribusi",
             "-o", tmp_path / "3.serah", "--as", "pps")
        s.ok("handover", "refuse", tmp_path / "3.serah", "--reason", "segel rusak", "--as", "kpps")
        s.ok("handover", "prepare", box, "--to", "kpps", "--site", "TPS 001", "--purpose", "distribusi",
             "-o", tmp_path / "4.serah", "--as", "pps")
        s.ok("handover", "accept", tmp_path / "4.serah", "--as", "kpps", "--observed-seals", f"{box}=SG-0001,SG-0002")
        s.ok("open", box, "--seals", "SG-0001,SG-0002", "--intact", "--reason", "pemungutan suara",
             "--witness-key", s.key("pkd"), "--as", "kpps")
        s.ok("tally", f"{ballots}=240,24,2", "--as", "kpps")
        s.ok("destroy", spare, "--method", "dibakar", "--reason", "cadangan", "--witness-key", s.key("pkd"),
             "--as", "kpu-3101")
        s.ok("revoke", "polair", "--reason", "pindah tugas", "--as", "kpu-3101")
        assert s.ok("--json", "status", ballots).json()["tally"] == {"used": 240, "unused": 24, "spoiled": 2}
        types = [h["type"] for h in s.ok("--json", "history", box).json()]
        assert types[:3] == ["register", "pack", "seal"] and types[-1] == "open"
        assert "handover.refuse" in types
        assert not (tmp_path / "not-here.sqlite").exists()
    s.env["SERAH_SERVER"] = None
    s.env["SERAH_DB"] = s.db
    assert_verifies(s)


def test_sigterm_finishes_what_it_took_and_exits_cleanly(served):
    s, items, server = served
    _URLS[s.db] = server.url
    envelopes = [_prepare(s, "kpu-3101", "ppk", item, _head(server, item), "Gudang")
                 for item in (items["box"], items["spare"])]
    answers: list[httpx.Response] = []

    def send(envelope: bytes) -> None:
        try:
            answers.append(httpx.post(server.url + "/v1/submissions", content=envelope, timeout=30))
        except httpx.HTTPError:
            pass  # refused at the door once the server stopped listening: nothing promised

    threads = [threading.Thread(target=send, args=(e,)) for e in envelopes]
    for t in threads:
        t.start()
    assert server.stop() == 0
    for t in threads:
        t.join()
    ledger = Ledger(s.db)
    try:
        for answer in answers:
            if answer.status_code == 201:
                record = answer.json()["records"][0]
                assert ledger.position(bytes.fromhex(record["record"])) == record["position"]
    finally:
        ledger.close()


def test_a_forged_tree_row_is_without_effect_and_raises_an_alarm(served, tmp_path):
    """Issue 12's third attack, one forged serah_tlog_node row where the next
    leaf goes (and one further up): the server's tree is derived from the
    records, so a full handover through the real CLI still goes through, the
    server raises an alarm (/healthz), and the checkpoint it signs has the
    root an independent reader computes from the records."""
    import sqlite3

    from ledger.tlog.note import Checkpoint, parse_note
    from verifier import merkle

    s, items, server = served
    size = httpx.get(server.url + "/healthz").json()["size"]
    with sqlite3.connect(s.db) as db:
        db.execute("INSERT INTO serah_tlog_node (level, idx, hash) VALUES (0, ?, ?)", (size, b"\x07" * 32))
        db.execute("INSERT INTO serah_tlog_node (level, idx, hash) VALUES (5, 3, ?)", (b"\x08" * 32,))
    box = items["box"]
    giver = machine(s, tmp_path / "kpu", "kpu-3101", "ppk")
    taker = machine(s, tmp_path / "ppk", "ppk", "kpu-3101")
    url = ["--server", server.url]
    file = tmp_path / "kpu" / "ke-ppk.serah"
    giver.ok(*url, "handover", "prepare", box, "--to", "ppk", "--site", "Dermaga", "--purpose", "distribusi",
             "-o", file, "--as", "kpu-3101")
    shutil.copy(file, tmp_path / "ppk" / "ke-ppk.serah")
    taker.ok(*url, "handover", "accept", tmp_path / "ppk" / "ke-ppk.serah", "--as", "ppk")
    assert taker.ok(*url, "--json", "status", box).json()["state"] == "held"
    assert server.stop() == 0  # integrates everything and signs the last checkpoint
    restarted = Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0").start()
    try:
        tree = httpx.get(restarted.url + "/healthz").json()["tree"]
        note = httpx.get(restarted.url + "/checkpoint").text
    finally:
        restarted.stop()
    log_text = server.log.read_text()
    assert f"ALARM: stored tree row (0, {size})" in log_text, log_text
    assert tree["integrated"] == size + 2
    checkpoint = Checkpoint.parse(parse_note(note).text)
    ledger = Ledger(s.db)
    try:
        envelopes = [envelope for _, envelope in ledger.records()]
    finally:
        ledger.close()
    assert checkpoint.size == len(envelopes) == size + 2
    assert checkpoint.root_hash == merkle.root_of(envelopes)


def test_a_forged_tree_row_shows_in_healthz_while_appends_go_on(served):
    import sqlite3

    s, items, server = served
    _URLS[s.db] = server.url
    size = httpx.get(server.url + "/healthz").json()["size"]
    with sqlite3.connect(s.db) as db:
        db.execute("INSERT INTO serah_tlog_node (level, idx, hash) VALUES (0, ?, ?)", (size, b"\x07" * 32))
    answer = httpx.post(server.url + "/v1/submissions",
                        content=_prepare(s, "kpu-3101", "ppk", items["spare"], _head(server, items["spare"]), "X"))
    assert answer.status_code == 201, answer.text
    assert answer.json()["records"][0]["position"] == size
    _integrated(server)
    tree = httpx.get(server.url + "/healthz").json()["tree"]
    assert tree["mismatches"] == 1 and tree["alarms"][0]["index"] == size
    assert httpx.get(f"{server.url}/v1/items/{items['spare']}").json()["state"] == "transit"


def test_queue_submits_the_outbox_once_and_names_a_refused_file(served, tmp_path):
    s, items, server = served
    outbox = tmp_path / "keluar"
    outbox.mkdir()
    s.ok("handover", "prepare", items["spare"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "--offline", "-o", outbox / "a.serah", "--as", "kpu-3101")
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "--offline", "-o", outbox / "b.serah", "--as", "kpu-3101")
    # b's box is handed over first by other means: b's prepare is then stale and refused
    s.ok("--server", server.url, "handover", "prepare", items["box"], "--to", "pps-other", "--site", "Gudang",
         "--purpose", "distribusi", "--exception", "langsung ke PPS", "-o", tmp_path / "other.serah", "--as", "kpu-3101")
    first = s("--server", server.url, "--json", "handover", "queue", outbox)
    assert first.code == 3, first.err
    results = {Path(r["file"]).name: r["result"] for r in first.json()}
    assert results == {"a.serah": "submitted", "b.serah": "refused"}
    assert len(list(outbox.glob("a.serah.*.receipt"))) == 1
    assert httpx.get(f"{server.url}/v1/items/{items['spare']}").json()["state"] == "transit"
    again = s("--server", server.url, "--json", "handover", "queue", outbox)
    assert [Path(r["file"]).name for r in again.json()] == ["b.serah"]  # a has its receipt: not sent again
    no_server = s("handover", "queue", outbox)
    assert no_server.code == 2 and len(no_server.err_lines) == 1


def test_serve_refuses_bad_options_in_one_line(tmp_path):
    s = Serah(tmp_path)
    s.ok("key", "new", "log")
    for args, code in ((["--listen", "nowhere"], 2), (["--listen", "127.0.0.1:99999"], 2)):
        result = s("serve", "--log-key", s.key("log"), *args)
        assert result.code == code and len(result.err_lines) == 1, result.err
    result = s("--server", "http://127.0.0.1:9", "serve", "--log-key", s.key("log"))
    assert result.code == 2 and len(result.err_lines) == 1
    result = s("serve", "--log-key", s.key("log"))  # no ledger here
    assert result.code == 2 and len(result.err_lines) == 1


def test_commands_that_read_the_database_say_so_over_a_server(tmp_path):
    s = Serah(tmp_path)
    for args in (["where", "KS-1"], ["inventory"]):
        result = s("--server", "http://127.0.0.1:9", *args)
        assert result.code == 2 and "run it on the server" in result.err and len(result.err_lines) == 1, result.err
