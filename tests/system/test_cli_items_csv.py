"""The register CSV as a warehouse clerk has it: semicolons (the Indonesian
spreadsheet default), every bad line named at once, and a count of what was
registered."""

from __future__ import annotations

from support.cli import TPS, Serah, build_small_ledger


def test_semicolons_every_bad_line_and_the_count(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    before = s.dump()
    bad = tmp_path / "bad.csv"
    bad.write_text("item;kind;dest;qty;election\n"
                   f"KS-{TPS}-DPR;box;{TPS};;DPR\n"
                   f"KS-{TPS}-DPR-SS;ballots;{TPS};abc;DPR\n"
                   f"KS-{TPS}-DPD;kotak;{TPS};;DPD\n", encoding="utf-8")
    result = s("item", "register", bad, "--as", "kpu-3101")
    assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert "2 bad CSV lines" in result.err and "line 3" in result.err and "line 4" in result.err
    assert s.dump() == before
    good = tmp_path / "good.csv"
    good.write_text("item;kind;dest;qty;election;dapil\n"
                    f"KS-{TPS}-DPR;box;{TPS};;DPR;\n"
                    f"KS-{TPS}-DPR-SS;ballots;{TPS};266;DPR;DKI JAKARTA II\n", encoding="utf-8")
    done = s.ok("item", "register", good, "--as", "kpu-3101")
    assert "2 items registered" in done.out
