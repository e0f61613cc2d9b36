"""SPEC 3.7: no record over 65,535 bytes. A large CSV import becomes several
register records; an oversized text is refused; the verifier flags one."""

from __future__ import annotations

from ledger.application import Ledger
from ledger.records import MAX_RECORD_BYTES
from support.cli import TPS, Serah, build_small_ledger


def _envelopes(s: Serah) -> list[bytes]:
    ledger = Ledger(s.db)
    try:
        return [envelope for _, envelope in ledger.records()]
    finally:
        ledger.close()


def test_a_large_csv_import_is_split_into_records_within_the_limit(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    before = len(_envelopes(s))
    rows = [{"item": f"KS-B-{i:05d}", "kind": "ballots", "dest": TPS, "qty": "266", "election": "DPR",
             "dapil": "DKI JAKARTA III", "serial_first": f"DPR-{i:07d}", "serial_last": f"DPR-{i + 265:07d}"}
            for i in range(2_000)]
    out = s.ok("item", "register", s.write_csv("big.csv", rows), "--as", "kpu-3101", "--json").json()
    added = _envelopes(s)[before:]
    assert len(out["records"]) == len(added) > 1 and out["items"] == 2_000
    assert max(map(len, added)) <= MAX_RECORD_BYTES
    assert s.ok("status", "KS-B-01999", "--json").json()["qty"] == 266
    assert _clean(s)


def test_a_text_that_would_make_a_record_too_large_is_refused(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    before = s.dump()
    result = s("incident", "damage", items["spare"], "--description", "x" * 70_000, "--as", "kpu-3101")
    assert result.code == 2 and "65" in result.err and len(result.err_lines) == 1, result.err
    assert s.dump() == before


def _clean(s: Serah) -> bool:
    """``serah verify``: no error and no warning about the records (the log's T checks aside: no checkpoint here)."""
    report = s("verify", "--json").json()
    return not [f for f in report["findings"] if f["severity"] != "notice" and not str(f["check"]).startswith("T")]
