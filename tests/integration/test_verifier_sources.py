"""Inputs: SQLite, PostgreSQL, stream and handover files; garbage; parallel runs; the command line."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from support import REPO_ROOT
from support.tamper.builder import Builder, canonical, scenario, write_sqlite
from verifier.api import verify


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "verifier", *map(str, args)], cwd=REPO_ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


# --- garbage in, one line out, exit 2 -------------------------------------------------------


def _sqlite_without_table(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _sqlite_without_records(path):
    write_sqlite(path, [])


def _truncated_sqlite(path):
    b, _ = scenario()
    b.write_sqlite(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _sqlite_header_only(path):
    b, _ = scenario()
    b.write_sqlite(path)
    path.write_bytes(path.read_bytes()[:60])


GARBAGE = {
    "random bytes": (lambda p: p.write_bytes(os.urandom(4096)), "input_unknown_format"),
    "empty file": (lambda p: p.write_bytes(b""), "input_empty"),
    "a JSON file": (lambda p: p.write_text('{"records": []}'), "input_unknown_format"),
    "a PNG header": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100)), "input_unknown_format"),
    "truncated SQLite file": (_truncated_sqlite, "input_corrupt"),
    "SQLite header cut short": (_sqlite_header_only, "input_corrupt"),
    "SQLite file without the table": (_sqlite_without_table, "input_no_table"),
    "SQLite ledger without records": (_sqlite_without_records, "input_no_records"),
    "bad handover file": (lambda p: p.write_bytes(canonical({"format": "serah-handover", "v": 1, "records": 5})),
                          "input_bad_handover_file"),
    "handover file, not canonical": (lambda p: p.write_bytes(b"\x83\xa6format\xaeserah-handover\xa1v\x01"
                                                             b"\xa7records\x90\x00"), "input_bad_handover_file"),
}


@pytest.mark.parametrize("name", list(GARBAGE))
def test_garbage_gives_exit_2_and_one_line(tmp_path, name):
    make, code = GARBAGE[name]
    path = tmp_path / "input"
    make(path)
    report = verify(path)
    assert report.exit_code == 2 and report.fatal[0] == code, report.fatal
    done = cli(path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_missing_path_and_directory(tmp_path):
    assert verify(tmp_path / "nope.sqlite").fatal[0] == "input_missing"
    assert verify(tmp_path).fatal[0] == "input_not_file"
    done = cli(tmp_path / "nope.sqlite")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1


def test_json_output_for_unusable_input(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(os.urandom(100))
    done = cli(path, "--json")
    assert done.returncode == 2
    data = json.loads(done.stdout)
    assert data["exit_code"] == 2 and data["fatal"]["code"] == "input_unknown_format"


# --- the sources ----------------------------------------------------------------------------


def test_sqlite_is_opened_read_only_and_left_unchanged(tmp_path):
    b, _ = scenario()
    path = tmp_path / "ledger.sqlite"
    b.write_sqlite(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert verify(path).exit_code == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.sqlite"]


def test_rows_of_other_topics_are_ignored(tmp_path):
    b, _ = scenario()
    with_index = tmp_path / "a.sqlite"
    without = tmp_path / "b.sqlite"
    b.write_sqlite(with_index, other_topics=True)
    b.write_sqlite(without, other_topics=False)
    one, two = verify(with_index), verify(without)
    assert one.records == two.records == len(b.records)
    assert [f.as_dict() for f in one.findings] == [f.as_dict() for f in two.findings]


def test_stream_file_and_a_truncated_stream(tmp_path):
    b, _ = scenario()
    path = tmp_path / "ledger.stream"
    b.write_stream(path)
    report = verify(path)
    assert report.exit_code == 0 and report.records == len(b.records)
    path.write_bytes(path.read_bytes()[:-7])
    report = verify(path)
    assert report.exit_code == 1
    assert (1, "sce_truncated") in {(f.check, f.code) for f in report.findings if f.position == len(b.records) - 1}


def _handover(tmp_path, answer="accept", accepted_at=None, **observed):
    b = Builder()
    k = {n: b.key(n) for n in ("root", "kab", "ppk")}
    b.genesis([k["root"]])
    b.enrol(k["root"], k["kab"], "kpu", "3101")
    b.enrol(k["kab"], k["ppk"], "ppk", "310101")
    b.register(k["kab"], [{"item": "BAL-1", "kind": "ballots", "dest": "3101011001001", "qty": 300,
                           "election": "DPR", "dapil": "DKI 3"}])
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1"], at="2024-02-01T08:00:00+07:00")
    if answer == "accept":
        b.accept(k["ppk"], p, observed={"BAL-1": observed} if observed else None,
                 at=accepted_at or "2024-02-01T11:00:00+07:00")
    elif answer == "wrong":
        b.accept(k["kab"], p)
    else:
        b.refuse(k["ppk"], p)
    path = tmp_path / "tidung-001.serah"
    path.write_bytes(canonical({"format": "serah-handover", "v": 1, "records": b.records[-2:]}))
    return path


UNANCHORED = "handover_file_unanchored"  # every file report says what a file alone cannot show


def test_handover_file(tmp_path):
    report = verify(_handover(tmp_path))
    assert report.exit_code == 0 and report.records == 2 and report.codes() == {UNANCHORED}
    report = verify(_handover(tmp_path, qty=290))
    assert report.codes() == {"qty_observed", UNANCHORED} and report.exit_code == 0
    report = verify(_handover(tmp_path, answer="refuse"))
    assert report.codes() == {"refused", UNANCHORED}
    report = verify(_handover(tmp_path, answer="wrong"))
    assert (9, "not_receiver") in {(f.check, f.code) for f in report.findings}
    report = verify(_handover(tmp_path, accepted_at="2024-02-05T08:00:00+07:00"))  # 96 hours in transit
    assert report.codes() == {"custody_gap", UNANCHORED} and report.exit_code == 0


def test_a_handover_file_from_strangers_is_not_called_clean(tmp_path):
    """The review's file: signed by keys no ledger enrolled, with a made-up prev. The file is
    consistent, so no error, but neither front end may call it checked (SPEC 7.1)."""
    from support.cli import Serah
    from support.tamper.builder import Builder, Key, canonical, envelope

    b = Builder()
    root = b.key("root")
    b.genesis([root])
    giver, taker = Key("stranger-1"), Key("stranger-2")
    body = {"v": 1, "type": "handover.prepare", "time": 1_706_750_000_000, "author": giver.pub,
            "ledger": b"\x07" * 32, "to": taker.pub, "place": "3101", "site": "Dermaga", "purpose": "x",
            "lines": [{"item": "BAL-9", "prev": b"\x01" * 32, "qty": 10}]}
    prepare = envelope(canonical(body), giver)
    from hashlib import sha256

    answer = {"v": 1, "type": "handover.accept", "time": 1_706_750_060_000, "author": taker.pub,
              "ledger": b"\x07" * 32, "handover": sha256(prepare).digest(),
              "lines": [{"item": "BAL-9", "prev": sha256(prepare).digest(), "qty": 10, "condition": "ok"}]}
    path = tmp_path / "strangers.serah"
    path.write_bytes(canonical({"format": "serah-handover", "v": 1,
                                "records": [prepare, envelope(canonical(answer), taker)]}))
    report = verify(path)
    assert report.exit_code == 0 and UNANCHORED in report.codes()
    shown = Serah(tmp_path)("verify", str(path))
    assert shown.code == 0 and "CLEAN" not in shown.out and "without its ledger" in shown.out, shown.out
    show = Serah(tmp_path)("handover", "show", str(path))
    assert "not checked whether the signers are enrolled" in show.out, show.out


def test_handover_show_does_not_call_an_answer_by_the_giver_closed(tmp_path):
    from support.cli import Serah

    shown = Serah(tmp_path)("handover", "show", str(_handover(tmp_path, answer="wrong")))
    assert shown.code == 0 and "NOT CLOSED" in shown.out and "not the named receiver" in shown.out, shown.out
    data = Serah(tmp_path)("--json", "handover", "show", str(_handover(tmp_path, answer="wrong"))).json()
    assert data["closed_by"]["valid"] is False
    fine = Serah(tmp_path)("--json", "handover", "show", str(_handover(tmp_path))).json()
    assert fine["closed_by"]["valid"] is True


def test_postgresql_source(pg_url):
    psycopg = pytest.importorskip("psycopg")
    b, _ = scenario()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE stored_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
            "topic text, state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        )
        for raw in b.records:
            conn.execute("INSERT INTO stored_events (originator_id, originator_version, topic, state) "
                         "VALUES (gen_random_uuid(), 1, 'serah:record', %s)", (raw,))
            conn.execute("INSERT INTO stored_events (originator_id, originator_version, topic, state) "
                         "VALUES (gen_random_uuid(), 1, 'ledger:Index', %s)", (b"{}",))
    report = verify(pg_url)
    assert report.fatal is None and report.records == len(b.records)
    assert report.exit_code == 0
    assert "password" not in report.source
    assert verify(pg_url, jobs=2).records == len(b.records)


def test_postgresql_unreachable():
    report = verify("postgresql://nobody@127.0.0.1:1/none")
    assert report.exit_code == 2 and report.fatal[0] == "input_database"


# --- parallel, limits, progress, command line --------------------------------------------------


def _bigger(tmp_path, n_boxes=120):
    """Many items moving down and back, with a few faults, so batches and workers matter."""
    b, _ = scenario()
    k = b.keys
    items = [f"KS-{i:04d}" for i in range(n_boxes)]
    b.register(k["kab"], [{"item": i, "kind": "box", "dest": "3101011001001", "election": "DPR"} for i in items])
    for i in items:
        p = b.prepare(k["kab"], k["ppk"], [i])
        b.accept(k["ppk"], p)
        p = b.prepare(k["ppk"], k["pps"], [i], place="310101")
        b.accept(k["pps"], p, observed={i: {"condition": "wet"}} if i.endswith("7") else None)
    b.prepare(k["ppk"], k["pps"], items[:3])  # not the holder any more
    path = tmp_path / "bigger.sqlite"
    b.write_sqlite(path)
    return path, b


def test_parallel_and_sequential_reports_are_identical(tmp_path, monkeypatch):
    monkeypatch.setattr("verifier.source.ROWS_PER_BATCH", 64)  # many batches, out-of-order completion
    path, b = _bigger(tmp_path)
    one = verify(path, jobs=1)
    two = verify(path, jobs=2)
    assert one.records == two.records == len(b.records)
    assert one.signatures == two.signatures
    assert [f.as_dict() for f in one.sorted_findings()] == [f.as_dict() for f in two.sorted_findings()]
    assert one.counts["error"] == 3 and one.counts["notice"] > 10


def test_openssl_and_sodium_backends_agree(tmp_path):
    path, _ = _bigger(tmp_path, 20)
    a, b = verify(path, backend="sodium"), verify(path, backend="openssl")
    assert [f.as_dict() for f in a.findings] == [f.as_dict() for f in b.findings]
    assert a.backend != b.backend


def test_limit_keeps_counts(tmp_path):
    path, _ = _bigger(tmp_path)
    report = verify(path, limit=2)
    assert report.counts["notice"] > 10
    assert sum(1 for f in report.findings if f.check == 14 or f.check == 13) <= 2
    assert report.omitted > 0


def test_progress_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr("verifier.source.ROWS_PER_BATCH", 64)
    path, _ = _bigger(tmp_path, 30)
    calls = []
    verify(path, progress=lambda records, fraction: calls.append((records, fraction)))
    assert calls and calls[-1][1] == 1.0 and calls[-1][0] > 0


def test_command_line(tmp_path):
    path, b = _bigger(tmp_path, 10)
    done = cli(path, "--jobs", "2")
    assert done.returncode == 1
    assert "V9 error not_holder" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith(f"{len(b.records)} records")
    assert done.stderr == ""  # no progress when stderr is not a terminal
    done = cli(path, "--json", "--progress")
    data = json.loads(done.stdout)
    assert data["records"] == len(b.records) and data["exit_code"] == 1
    assert {"check", "severity", "code", "params", "record", "item", "position"} <= set(data["findings"][0])
    assert "records" in done.stderr  # forced progress (final line)
    clean = tmp_path / "clean.sqlite"
    scenario()[0].write_sqlite(clean)
    assert cli(clean, "--quiet").returncode == 0


def test_verifier_does_not_import_ledger_or_cli():
    import ast

    for path in (REPO_ROOT / "verifier").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"ledger", "cli"}, f"{path.name} imports {name}"


def test_damage_found_by_a_worker_is_reported_once(tmp_path, monkeypatch):
    monkeypatch.setattr("verifier.source.ROWS_PER_BATCH", 16)
    path = tmp_path / "ledger.sqlite"
    _truncated_sqlite(path)
    report = verify(path, jobs=2)
    assert report.exit_code == 2 and report.fatal[0] == "input_corrupt"


def test_postgresql_schema_parameter(pg_url):
    psycopg = pytest.importorskip("psycopg")
    b, _ = scenario()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA "kab 3101"')
        conn.execute(
            'CREATE TABLE "kab 3101".stored_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, '
            "topic text, state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        )
        for raw in b.records:
            conn.execute('INSERT INTO "kab 3101".stored_events (originator_id, originator_version, topic, state) '
                         "VALUES (gen_random_uuid(), 1, 'serah:record', %s)", (raw,))
    sep = "&" if "?" in pg_url else "?"
    report = verify(f"{pg_url}{sep}schema=kab+3101")
    assert report.fatal is None and report.records == len(b.records) and report.exit_code == 0
    assert verify(pg_url).fatal[0] == "input_no_table"  # nothing in public


def test_text_or_null_state_is_a_v1_finding(tmp_path):
    b, _ = scenario()
    path = tmp_path / "ledger.sqlite"
    b.write_sqlite(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO stored_events VALUES ('x', 1, 'serah:record', 'not bytes')")
    conn.execute("INSERT INTO stored_events VALUES ('y', 1, 'serah:record', NULL)")
    conn.commit()
    conn.close()
    report = verify(path)
    n = len(b.records)
    assert {(f.position, f.check) for f in report.findings if f.severity == "error"} == {
        (n, 1), (n + 1, 1), (n, "S2"), (n + 1, "S2")}  # not decodable, and not stored as a blob (SPEC 9.6)


def test_postgresql_schema_parameter_reaches_the_log_checks(pg_url, tmp_path):
    """SPEC 9, 10.8: the log tables sit beside the records, in the URL's schema."""
    psycopg = pytest.importorskip("psycopg")
    from ledger.tlog.log import TransparencyLog
    from support.tlog import LOG, LOG_VKEY, W1_VKEY, enrol, new_ledger, witness, witnessed_checkpoint

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute('CREATE SCHEMA kab_3102')
    sep = "&" if "?" in pg_url else "?"
    url = f"{pg_url}{sep}schema=kab_3102"
    ledger = new_ledger(url)
    try:
        enrol(ledger, 0, 5)
        log = TransparencyLog(ledger)
        witnessed_checkpoint(log, witness(tmp_path))
        enrol(ledger, 5, 2)
        log.sign_checkpoint(LOG)
    finally:
        ledger.close()
    report = verify(url, log_key=LOG_VKEY, witness_keys=[W1_VKEY])
    assert report.fatal is None and report.exit_code == 0, report.findings
    # Found only if the checkpoints were read from kab_3102: two unwitnessed records after size 6.
    assert {(f.label, f.code, f.params.get("records")) for f in report.findings} == {
        ("T3", "tlog_unwitnessed_records", 2)}
