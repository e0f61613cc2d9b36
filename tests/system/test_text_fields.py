"""Text fields hold no control or bidirectional formatting characters
(SPEC 2.2): refused when typed, refused in files, flagged by the verifier,
escaped on a terminal, and CSV report cells never run as formulas."""

from __future__ import annotations

import csv
import io

import pytest

from ledger import records
from ledger.encoding import decode, encode
from support.cli import Serah, build_small_ledger


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    serah.items = build_small_ledger(serah)
    return serah


@pytest.mark.parametrize("option, text", [
    ("--purpose", "distribusi\nclosed by   handover.accept"),
    ("--site", "Gudang \x1b[8m"),
    ("--site", "Gudang \u202eKPU"),
    ("--purpose", "C1 \x85 control"),
])
def test_typed_control_and_bidi_characters_are_refused_naming_the_field(s, option, text):
    before = s.dump()
    args = {"--site": "Gudang", "--purpose": "distribusi", option: text}
    result = s("handover", "prepare", s.items["box"], "--to", "ppk", "--site", args["--site"],
               "--purpose", args["--purpose"], "-o", s.root / "h.serah", "--as", "kpu-3101")
    assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert option.lstrip("-") in result.err and "U+" in result.err
    assert s.dump() == before and not (s.root / "h.serah").exists()
    enrol = s("enroll", "ppk", "--role", "ppk", "--region", "310101", "--name", "Siti \u202eanimA",
              "--org", "PPK", "--as", "kpu-3101")
    assert enrol.code == 2 and "name" in enrol.err


def test_a_handover_file_with_a_forged_line_is_refused_and_flagged(s):
    good = s.root / "h.serah"
    s.ok("handover", "prepare", s.items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", good, "--offline", "--as", "kpu-3101")
    # A giver signs a purpose with a newline by other means (the signature is valid).
    from ledger import keys
    from support.cli import PASSPHRASE

    signer = keys.load(s.key("kpu-3101"), PASSPHRASE)
    prepare = records.parse(decode(good.read_bytes())["records"][0])
    body = dict(prepare.body, purpose="distribusi\nDitutup oleh   handover.accept 0000")
    raw = encode({"body": encode(body), "sigs": [[signer.public, signer.sign(records.SIG_PREFIX + encode(body))]]})
    forged = s.root / "forged.serah"
    forged.write_bytes(records.handover_file_bytes([raw]))
    shown = s("handover", "show", forged)
    assert shown.code == 4 and "U+000A" in shown.err, shown.err
    checked = s("verify", forged, "--json")
    assert checked.code == 1 and "schema_bad_text" in checked.out, checked.out


def test_csv_report_cells_never_start_a_formula(s):
    handover = s.root / "h.serah"
    s.ok("handover", "prepare", s.items["box"], "--to", "ppk", "--site", '=HYPERLINK("http://x.example","klik")',
         "--purpose", "distribusi", "-o", handover, "--as", "kpu-3101")
    s.ok("handover", "accept", handover, "--note", "@SUM(A1:A9)", "--as", "ppk")
    s.ok("checkpoint", "--as", "kpu-ri")
    sheet = s.root / "r.csv"
    assert s("export", "--item", s.items["box"], "-o", s.root / "b.bukti", "--csv", sheet).code == 1  # B6: no witness
    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://x.example\",\"klik\")" in cells and "'@SUM(A1:A9)" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
