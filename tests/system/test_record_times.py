"""SPEC 5.1 through the command line: a record dated far ahead is refused by
the ledger, and a time no calendar holds never crashes a command."""

from __future__ import annotations

from ledger import keys, records
from ledger.application import Ledger
from ledger.encoding import decode
from support.cli import PASSPHRASE, Serah, build_small_ledger

FOREVER = 2**63 - 1


def _resign(s: Serah, path, name: str, **changes) -> bytes:
    """The first record of a handover file, changed and signed again by its author."""
    signer = keys.load(s.key(name), PASSPHRASE)
    prepare = records.parse(decode(path.read_bytes())["records"][0])
    return records.sign(dict(prepare.body, **changes), signer)


def test_a_record_dated_ahead_is_refused_and_its_file_is_still_shown(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    honest = tmp_path / "h.serah"
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", honest, "--offline", "--as", "kpu-3101")
    before = s.dump()
    for when in (FOREVER, records.now_ms() + 365 * 86_400_000):
        bomb = tmp_path / f"bomb-{when}.serah"
        bomb.write_bytes(records.handover_file_bytes([_resign(s, honest, "kpu-3101", time=when)]))
        shown = s("handover", "show", bomb)
        assert shown.code == 0, shown.err
        submitted = s("handover", "submit", bomb)
        assert submitted.code == 3 and "clock" in submitted.err and len(submitted.err_lines) == 1, submitted.err
        assert s.dump() == before
    assert "9223372036854775807" in s("handover", "show", tmp_path / f"bomb-{FOREVER}.serah").out


def test_history_and_where_show_a_time_beyond_any_calendar(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    # A ledger written by a process whose clock was wrong (or a file an insider edited).
    ledger = Ledger(s.db, clock=lambda: FOREVER)
    try:
        ledger.incident(keys.load(s.key("kpu-3101"), PASSPHRASE), "damage", "basah", {items["spare"]: {}})
    finally:
        ledger.close()
    for args in (("history", items["spare"]), ("where", items["spare"]), ("status", items["spare"])):
        result = s(*args)
        assert result.code == 0, (args, result.code, result.err)
    assert "9223372036854775807" in s("history", items["spare"]).out
    verified = s("verify", "--json")
    assert verified.code == 1 and "time_in_future" in verified.out
