"""Monitor mode: a served log followed over C2SP tlog-tiles, run after run.

The log is a real ``serah serve`` app on a loopback port, cosigned by two
real witness services; the monitor is ``verifier.monitor`` (standard
library HTTP, its own tile reader). The second run reads only what is new;
a rewritten history served at the same URL is reported as a split view
with both signed notes saved as evidence.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from ledger.application import Ledger
from ledger.server.app import create_app
from ledger.server.config import ServerConfig
from ledger.server.service import Service
from ledger.tlog.log import TransparencyLog
from support.cli import Serah
from support.loopback import RunningServer
from support.tlog import LOG, LOG_VKEY, START, Clock, enrol, enrol_envelope, envelopes, new_ledger
from support.witnessing import W1, W2, log_server, served_note, submit, witness_server
from verifier.monitor import Monitor

KEYS = [W1.verifier_key(), W2.verifier_key()]


@pytest.fixture
def network(tmp_path):
    db = str(tmp_path / "kpu.sqlite")
    ledger = new_ledger(db)
    enrol(ledger, 0, 299)  # 300 records: one full bundle and a partial one
    ledger.close()
    w1, s1 = witness_server(tmp_path, W1)
    w2, s2 = witness_server(tmp_path, W2)
    log, server = log_server(db, [s1, s2])
    try:
        served_note(server, 300)
        yield db, log, server, (s1, s2), (w1, w2)
    finally:
        server.stop()
        s1.stop()
        s2.stop()


def monitor(server: RunningServer, folder, **kw) -> Monitor:
    return Monitor(server.url, folder, LOG_VKEY, KEYS, quorum=2, **kw)


def test_the_second_run_reads_only_the_new_records(network, tmp_path):
    db, log, server, _, _ = network
    folder = tmp_path / "monitor"
    first = monitor(server, folder).run()
    assert first.report.exit_code == 0, [f.as_dict() for f in first.report.findings]
    assert (first.size, first.new_records, first.report.records) == (300, 300, 300)
    state = json.loads((folder / "state.json").read_text())
    assert state["size"] == 300 and state["root"] == TransparencyLog(log.ledger).root(300).hex()

    again = monitor(server, folder).run()  # nothing new: one checkpoint fetched, nothing else
    assert (again.new_records, again.requests, again.report.exit_code) == (0, 1, 0)

    submit(server, log.ledger.ledger_id, 1000, 20)
    served_note(server, 320)
    second = monitor(server, folder).run()
    assert second.report.exit_code == 0, [f.as_dict() for f in second.report.findings]
    assert (second.previous_size, second.size, second.new_records) == (300, 320, 20)
    assert second.bytes_fetched < first.bytes_fetched / 4
    assert json.loads((folder / "state.json").read_text())["size"] == 320


def test_a_rewritten_history_is_a_split_view_with_both_notes_as_evidence(network, tmp_path):
    db, log, server, (s1, s2), _ = network
    folder = tmp_path / "monitor"
    assert monitor(server, folder).run().report.exit_code == 0
    honest = (folder / "state.json").read_text()
    port = server.port
    server.stop()
    original = envelopes(Ledger(db))
    fake_db = str(tmp_path / "rewritten.sqlite")
    fake = Ledger(fake_db, clock=Clock())
    fake.submit_many(original[:100])
    fake._clock.now = START + 10**8
    fake.submit_many([enrol_envelope(fake, i, org="PT Lain") for i in range(99, 299)])
    fake.close()
    # The operator serves the rewrite at the same address; its witnesses refuse it, so it
    # can only show the monitor a checkpoint without their quorum...
    config = ServerConfig(db=fake_db, checkpoint_every_s=0.2)
    fake_server = RunningServer(create_app(Service(config, LOG, ledger=Ledger(fake_db))), port).start()
    try:
        time.sleep(0.5)
        refused = monitor(fake_server, folder).run()
        assert refused.report.exit_code == 1
        assert {f.label for f in refused.report.findings} == {"T2"}
        # ... and once it has dropped the quorum (a monitor pinned to it still requires one,
        # a careless one does not), the rewrite itself is caught against the last verified view.
        careless = Monitor(fake_server.url, folder, LOG_VKEY, KEYS, quorum=0).run()
    finally:
        fake_server.stop()
    assert {(f.label, f.code) for f in careless.report.findings} == {("T6", "tlog_split_view")}
    assert len(careless.evidence) == 1
    evidence = json.loads(open(careless.evidence[0]).read())
    assert evidence["note_verified_before"] == json.loads(honest)["note"]
    assert evidence["note_served_now"].split("\n")[1] == "300"
    assert evidence["note_served_now"] != evidence["note_verified_before"]
    assert (folder / "state.json").read_text() == honest  # the monitor's view did not move


def test_serah_verify_url_runs_the_monitor(network, tmp_path):
    _, _, server, _, _ = network
    s = Serah(tmp_path / "auditor")
    folder = tmp_path / "bawaslu-monitor"
    args = ("verify", server.url, "--log-vkey", LOG_VKEY, "--witness-vkey", KEYS[0], "--witness-vkey", KEYS[1],
            "--quorum", "2", "--state", folder)
    first = s(*args, "--json")
    assert first.code == 0, first.err
    data = first.json()
    assert data["monitor"]["size"] == 300 and data["monitor"]["new_records"] == 300
    second = s(*args)
    assert second.code == 0 and "300" in second.out
    missing = s("verify", server.url, "--state", folder)
    assert missing.code == 2 and len(missing.err_lines) == 1
    assert httpx.get(server.url + "/checkpoint").status_code == 200


def test_a_gzip_bomb_or_an_oversized_body_is_refused_not_read(tmp_path):
    import gzip

    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from support.loopback import serving
    from verifier.monitor import MAX_CHECKPOINT, FetchError, HttpLog

    bomb = gzip.compress(b"\0" * (50 * MAX_CHECKPOINT))  # 3.2 MB of zeros in a few KB

    async def checkpoint(request):
        return Response(bomb, headers={"Content-Encoding": "gzip"})

    async def big(request):
        return Response(b"x" * (MAX_CHECKPOINT * 3))

    app = Starlette(routes=[Route("/checkpoint", checkpoint), Route("/big", big)])
    with serving(app) as server:
        client = HttpLog(server.url)
        with pytest.raises(FetchError, match="decompresses to more than"):
            client.get("checkpoint", MAX_CHECKPOINT)
        with pytest.raises(FetchError, match="more than"):
            client.get("big", MAX_CHECKPOINT)
        result = Monitor(server.url, tmp_path / "m", LOG_VKEY, KEYS, quorum=2).run()
    assert result.report.exit_code == 2 and not (tmp_path / "m" / "state.json").exists()


def _first_run(server, folder) -> dict:
    assert monitor(server, folder).run().report.exit_code == 0
    return json.loads((folder / "state.json").read_text())


def test_the_state_folder_is_json_and_msgpack_and_resumes_to_the_same_verdict(network, tmp_path):
    _, log, server, _, _ = network
    folder = tmp_path / "monitor"
    saved = _first_run(server, folder)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["state.json", saved["checks"]["file"]]) and saved["version"] == 2
    assert not any(name.endswith(".pickle") for name in names)
    from verifier.monitor_state import decode_rules, encode_rules

    blob = (folder / saved["checks"]["file"]).read_bytes()
    assert encode_rules(decode_rules(blob, None)) == blob  # every value of the checks' state survives the trip
    submit(server, log.ledger.ledger_id, 2000, 5)
    served_note(server, 305)
    second = monitor(server, folder).run()
    assert second.report.exit_code == 0 and second.new_records == 5
    assert len(list(folder.glob("checks-*.msgpack"))) == 1  # the older checks file is removed


def test_a_swapped_pickle_in_the_state_folder_is_refused_and_never_run(network, tmp_path):
    import hashlib
    import pickle

    _, _, server, _, _ = network
    folder = tmp_path / "monitor"
    saved = _first_run(server, folder)
    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    hostile = pickle.dumps(Payload())
    (folder / saved["checks"]["file"]).write_bytes(hostile)  # a party that can write the folder fixes the hash too
    saved["checks"].update(bytes=len(hostile), sha256=hashlib.sha256(hostile).hexdigest())
    (folder / "state.json").write_text(json.dumps(saved))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    s = Serah(tmp_path / "auditor")
    answer = s("verify", server.url, "--log-vkey", LOG_VKEY, "--state", folder)
    assert answer.code == 2 and len(answer.err_lines) == 1 and "state" in answer.err, answer.err
    assert not marker.exists()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # left as it was, for a person to look at


@pytest.mark.parametrize("damage", ["oversized", "not_json", "wrong_version", "truncated_checks", "old_pickle"])
def test_a_corrupt_or_oversized_state_is_one_line_exit_2(network, tmp_path, damage):
    _, _, server, _, _ = network
    folder = tmp_path / "monitor"
    saved = _first_run(server, folder)
    state, checks_file = folder / "state.json", folder / saved["checks"]["file"]
    if damage == "oversized":
        state.write_text(json.dumps({**saved, "pad": "x" * (1024 * 1024)}))
    elif damage == "not_json":
        state.write_bytes(b"\x80\x04not json")
    elif damage == "wrong_version":
        state.write_text(json.dumps({**saved, "version": 1}))
    elif damage == "truncated_checks":
        checks_file.write_bytes(checks_file.read_bytes()[:-10])
    else:
        state.unlink()
        checks_file.rename(folder / "checks.pickle")
    result = monitor(server, folder).run()
    assert result.report.exit_code == 2 and result.report.fatal[0] == "monitor_state", result.report.fatal
    answer = Serah(tmp_path / "auditor")("verify", server.url, "--log-vkey", LOG_VKEY, "--state", folder)
    assert answer.code == 2 and len(answer.err_lines) == 1, answer.err
