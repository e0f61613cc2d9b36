"""The human tables of cli.output: long text wraps inside its column."""

from __future__ import annotations

from cli import output

ITEMS = [f"KS-3101021003005-{e}-SS" for e in ("DPD", "DPR", "DPRD_PROV", "PPWP")]


def test_a_long_cell_wraps_within_its_column_between_words():
    text = output.table(["TPS", "missing", "n"], [["3101021003005", ITEMS, 12], ["3101021003006", "-", 7]])
    lines = text.splitlines()
    column = lines[0].index("missing")
    # every line of the table fits the cap plus the other columns
    assert all(len(line[column:].split("  ")[0]) <= output.WRAP for line in lines[2:])
    # the list continues on a line of its own, aligned under its column, the others blank there
    assert len(lines) > 4
    continuation = lines[3]
    assert continuation[:column].strip() == ""
    assert continuation[column:].startswith("KS-")
    # no item id is cut: each appears whole, once
    body = " ".join(lines[2:-1])
    for item in ITEMS:
        assert body.count(item) == 1
    # the next row starts on a line of its own, its number right-aligned
    assert lines[-1].startswith("3101021003006")
    assert lines[-1].endswith(" 7")


def test_short_cells_are_one_line_per_row():
    text = output.table(["a", "b"], [["x", 1], ["y", 22]])
    assert text.splitlines() == ["a   b", "-  --", "x   1", "y  22"]


def test_a_single_word_longer_than_the_cap_is_kept_whole():
    word = "X" * (output.WRAP + 10)
    lines = output.table(["id"], [[word]]).splitlines()
    assert lines[2] == word
