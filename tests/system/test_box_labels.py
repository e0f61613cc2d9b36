"""A box may carry a label in the register CSV (SPEC 4.4): bounded, no control
characters, shown by `where`, `history` and the evidence report."""

from __future__ import annotations

from support.cli import TPS, Serah, build_small_ledger
from support.field import export, html_text

BOX = f"KS-{TPS}-DPR"


def _register(s: Serah, label: str):
    rows = [{"item": BOX, "kind": "box", "dest": TPS, "election": "DPR", "label": label}]
    return s("item", "register", s.write_csv("boxes.csv", rows), "--as", "kpu-3101")


def test_a_box_label_is_shown_by_where_history_and_the_report(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    assert _register(s, "Kotak 3 gudang B").code == 0
    assert "Kotak 3 gudang B" in s.ok("where", BOX).out
    assert s.ok("where", BOX, "--json").json()["label"] == "Kotak 3 gudang B"
    assert "label=Kotak 3 gudang B" in s.ok("history", BOX).out
    assert "Kotak 3 gudang B" in s.ok("status", BOX).out
    paths = export(s, "--item", BOX, html=True)
    assert "Kotak 3 gudang B" in html_text(paths["html"])
    assert "CLEAN" in s.ok("verify").out  # the independent verifier accepts a labelled box (V2)


def test_a_label_too_long_or_with_a_control_character_is_refused_naming_its_line(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    before = s.dump()
    for label in ("x" * 121, "Kotak\x1b[8m"):
        result = _register(s, label)
        assert result.code == 2 and len(result.err_lines) == 1, result.err
        assert "line 2" in result.err and "120" in result.err
    assert s.dump() == before
    assert _register(s, "x" * 120).code == 0
