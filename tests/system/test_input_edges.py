"""Small inputs at their edges, through the real command line: a one-letter
database password, a handover file whose version is ``true``, a CSV
quantity too large for a count."""

from __future__ import annotations

import socket

import msgpack

from ledger.encoding import decode
from support.cli import TPS, Serah, build_small_ledger


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_password_is_masked_only_where_it_stands_as_a_whole_token(tmp_path):
    s = Serah(tmp_path)
    result = s("status", "KS-1", env={"SERAH_DB": f"postgresql://serah:o@127.0.0.1:{_closed_port()}/ledger"})
    assert result.code == 2, result.err
    assert "onnection" in result.err and "***nn" not in result.err, result.err  # libpq's reason, readable
    assert "serah:***@" in result.err


def test_handover_file_with_boolean_version_is_refused_by_show_and_verify(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    good = tmp_path / "h.serah"
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", good, "--offline", "--as", "kpu-3101")
    outer = decode(good.read_bytes())
    bad = tmp_path / "v-true.serah"
    bad.write_bytes(msgpack.packb({"format": "serah-handover", "records": outer["records"], "v": True}, use_bin_type=True))
    assert s("handover", "show", bad).code == 2
    assert s("verify", bad).code == 2
    assert s("verify", good).code == 0


def test_csv_quantity_beyond_a_count_is_a_usage_error_naming_the_line(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    before = s.dump()
    rows = [{"item": "KS-X-1", "kind": "form", "dest": TPS, "qty": "1"},
            {"item": "KS-X-2", "kind": "form", "dest": TPS, "qty": str(10**23)}]
    result = s("item", "register", s.write_csv("big.csv", rows), "--as", "kpu-3101")
    assert result.code == 2 and len(result.err_lines) == 1 and "line 3" in result.err, result.err
    assert s.dump() == before
