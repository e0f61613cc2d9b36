"""The PDF report never splits an item id or a seal number over two lines."""

from __future__ import annotations

import itertools

import pytest

from support.cli import TPS, Serah, build_small_ledger
from support.field import HAVE_PDFTOTEXT, export, hand, pdf_text

LONG_BOX = f"KS-{TPS}-PPWP-KOTAK-CADANGAN-GUDANG-KECAMATAN-2024"
SEALS = ["SG3101-0000066/1", "SG3101-0000066/2"]


@pytest.mark.skipif(not HAVE_PDFTOTEXT, reason="pdftotext not installed (apt-get install poppler-utils)")
def test_pdf_keeps_long_item_ids_and_seal_numbers_whole(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    s.ok("item", "register", s.write_csv("more.csv", [{"item": LONG_BOX, "kind": "box", "dest": TPS,
                                                        "election": "PPWP"}]), "--as", "kpu-3101")
    s.ok("seal", LONG_BOX, *SEALS, "--as", "kpu-3101")
    hand(s, [LONG_BOX], "kpu-3101", "ppk", "--observed-seals", f"{LONG_BOX}={SEALS[0]},SG3101-0000099/9")
    paths = export(s, "--item", LONG_BOX, pdf=True)
    lines = pdf_text(paths["pdf"]).splitlines()
    for word in (LONG_BOX, *SEALS, "SG3101-0000099/9"):
        assert any(word in line for line in lines), f"{word} is split in the PDF"
        # and no line ends with a piece of it that the next line completes
        for here, after in itertools.pairwise(lines):
            for cut in range(4, len(word) - 3):
                assert not (here.endswith(word[:cut]) and after.startswith(word[cut:])), (word, here, after)


def test_local_zone_follows_the_province():
    from cli.output import local_time, zone_offset

    noon_utc = 1707825600000  # 2024-02-13 12:00 UTC
    assert local_time(noon_utc, zone_offset("3101011001001")) == "2024-02-13 19:00 WIB"
    assert local_time(noon_utc, zone_offset("5171")) == "2024-02-13 20:00 WITA"  # Denpasar
    assert local_time(noon_utc, zone_offset("9471")) == "2024-02-13 21:00 WIT"  # Jayapura
    assert zone_offset(None, 480) == 480 and zone_offset("", 540) == 540
