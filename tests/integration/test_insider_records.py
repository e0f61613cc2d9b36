"""What a corrupt insider with an enrolled key could sign: custody changed by
keys that never held the item, time bombs, oversized records (SPEC 4.11,
5.1, 3.7). The verifier, the ledger and its views agree.

Records are written by the test-only builder (tests/support/tamper/builder.py), so
each case is what a corrupt insider with an enrolled key could sign.
"""

from __future__ import annotations

from support.tamper.builder import Builder
from verifier.api import verify

TPS = "3101011001001"


def _base():
    b = Builder()
    k = {n: b.key(n) for n in ("root", "kab", "ppk", "escort", "witness")}
    b.genesis([k["root"]])
    b.enrol(k["root"], k["kab"], "kpu", "3101")
    b.enrol(k["kab"], k["ppk"], "ppk", "310101")
    b.enrol(k["kab"], k["escort"], "escort", "3101")
    b.enrol(k["kab"], k["witness"], "witness", "3101")
    b.register(k["kab"], [
        {"item": "BOX-1", "kind": "box", "dest": TPS, "election": "PPWP"},
        {"item": "BAL-1", "kind": "ballots", "dest": TPS, "qty": 300, "election": "PPWP", "dapil": "DKI"},
    ])
    return b, k


def _errors(report):
    return [(f.check, f.code, f.position) for f in report.findings if f.severity != "notice"]


def test_a_witness_loss_report_changes_no_custody_state(tmp_path):
    b, k = _base()
    b.incident(k["witness"], "loss", "kotak hilang", {"BOX-1": {}})
    b.incident(k["escort"], "loss", "50 lembar hilang", {"BAL-1": {"qty_lost": 50}})
    # The holder goes on as if nothing were recorded: the box is not lost, the qty unchanged.
    p = b.prepare(k["kab"], k["ppk"], ["BAL-1", "BOX-1"], declared={"BAL-1": {"qty": 300}})
    b.accept(k["ppk"], p, observed={"BAL-1": {"qty": 300}})
    path = tmp_path / "ledger.sqlite"
    b.write_sqlite(path)
    report = verify(path)
    assert _errors(report) == [], report.findings
    assert {f.code for f in report.findings if f.check == 18} == {"incident"}  # the reports are listed


def test_an_incident_dated_a_year_ahead_is_flagged_and_accuses_no_open_handover(tmp_path):
    b, k = _base()
    b.prepare(k["kab"], k["ppk"], ["BAL-1"])  # still open at the end, prepared a minute before the last record
    b.incident(k["witness"], "other", "catatan", {"BOX-1": {}}, at=b.time + 365 * 86_400_000)
    b.time -= 365 * 86_400_000  # the records after it are honest again
    b.enrol(k["kab"], b.key("late"), "witness", "3101")
    path = tmp_path / "ledger.sqlite"
    b.write_sqlite(path)
    report = verify(path)
    assert _errors(report) == [(16, "time_ahead", len(b.records) - 2)], report.findings
    assert not [f for f in report.findings if f.check == 19], report.findings  # no "still in transit" accusation


def test_a_time_beyond_the_verifiers_clock_is_an_error(tmp_path):
    b, k = _base()
    b.incident(k["witness"], "other", "catatan", {"BOX-1": {}}, at=2**63 - 1)
    path = tmp_path / "ledger.sqlite"
    b.write_sqlite(path)
    assert (16, "time_in_future", len(b.records) - 1) in _errors(verify(path))


def test_an_envelope_over_the_size_limit_is_a_v1_error(tmp_path):
    b, k = _base()
    b.incident(k["witness"], "other", "x" * 70_000, {"BOX-1": {}})
    path = tmp_path / "ledger.sqlite"
    b.write_sqlite(path)
    assert (1, "envelope_too_large", len(b.records) - 1) in _errors(verify(path))


def test_a_deleted_record_stops_the_log_from_growing_or_signing(tmp_path):
    """SPEC 10.8 / 9.4: after a record row is deleted, the log must not go on
    claiming it: no checkpoint over more leaves than records, and an append
    right after the deleted record is refused."""
    import sqlite3

    from support.cli import Serah, build_small_ledger
    from support.tamper import real

    s = Serah(tmp_path)
    items = build_small_ledger(s)
    s.ok("checkpoint", "--as", "kpu-ri")
    rows = real.read_records(s.db)
    real.delete(s.db, rows[len(rows) // 2][0])  # a record from the middle
    s.ok("incident", "damage", items["spare"], "--description", "basah", "--as", "kpu-3101")  # not seen at append
    refused = s("checkpoint", "--as", "kpu-ri")
    assert refused.code == 4 and "records" in refused.err and len(refused.err_lines) == 1, refused.err
    rows = real.read_records(s.db)
    real.delete(s.db, rows[-2][0])  # the record before the last
    before = sqlite3.connect(s.db).execute("SELECT COUNT(*) FROM stored_events").fetchone()
    appended = s("incident", "damage", items["spare"], "--description", "basah lagi", "--as", "kpu-3101")
    assert appended.code == 4 and len(appended.err_lines) == 1, (appended.code, appended.err)
    assert sqlite3.connect(s.db).execute("SELECT COUNT(*) FROM stored_events").fetchone() == before
