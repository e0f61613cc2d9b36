"""The paper the field uses, through the real ``serah`` command line: the
BAST of one handover (A4 PDF, read back with pdftotext, its QR code decoded
from the rendered page and checked with ``serah bast check``), QR label
sheets for a TPS, label texts accepted wherever an item id is, and a truck
of items selected in one command."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cli.paper.check_digit import ALPHABET, check_digits, label_text, valid
from support.cli import TPS, Serah, build_small_ledger
from support.field import HAVE_PDFTOTEXT, pdf_text

needs_poppler = pytest.mark.skipif(not HAVE_PDFTOTEXT or shutil.which("pdftoppm") is None,
                                   reason="needs poppler-utils")


def _qr_texts(pdf, folder) -> list[str]:
    """Every QR code on the PDF's pages, rendered at 150 dpi and decoded by zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(folder / "page")], check=True, timeout=120,
                   capture_output=True)
    texts = []
    for image in sorted(folder.glob("page-*.png")):
        texts += [r.text for r in zxingcpp.read_barcodes(Image.open(image))]
        image.unlink()
    return texts


@pytest.fixture
def field(tmp_path):
    s = Serah(tmp_path, lang="id")
    items = build_small_ledger(s)
    return s, items


# --- check digits and scanned labels -----------------------------------------------------------


def test_a_label_with_one_character_changed_or_two_neighbours_swapped_is_refused():
    for item in ("KS-3101011001001-PPWP", "SG3101-00066", "A1", "X.Y_Z/9"):
        check = check_digits(item)
        assert valid(item, check)
        for n in range(len(item)):
            for c in ALPHABET:
                if c != item[n]:
                    assert not valid(item[:n] + c + item[n + 1:], check), (item, n, c)
            if n + 1 < len(item) and item[n] != item[n + 1]:
                assert not valid(item[:n] + item[n + 1] + item[n] + item[n + 2:], check)
        wrong = f"{(int(check) + 1) % 100:02d}"
        assert not valid(item, wrong)


def test_a_scanned_label_is_accepted_wherever_an_item_id_is(field):
    s, items = field
    box = items["box"]
    assert s.ok("where", label_text(box), "--json").json()["item"] == box
    file = s.root / "h.serah"
    s.ok("handover", "prepare", label_text(items["spare"]).lower(), "--to", "ppk", "--site", "Gudang",
         "--purpose", "distribusi", "-o", file, "--as", "kpu-3101")
    s.ok("handover", "accept", file, "--observed-qty", f"{label_text(items['spare'])}=9", "--as", "ppk")
    assert s.ok("where", items["spare"], "--json").json()["holder_name"].startswith("Ketua PPK")


def test_a_label_with_a_wrong_check_digit_is_one_line_exit_2_and_nothing_is_written(field):
    s, items = field
    good = label_text(items["spare"])
    bad = good[:-2] + f"{(int(good[-2:]) + 1) % 100:02d}"
    before = s.dump()
    result = s("handover", "prepare", bad, "--to", "ppk", "--site", "Gudang", "--purpose", "x",
               "-o", s.root / "h.serah", "--as", "kpu-3101")
    assert result.code == 2 and len(result.err_lines) == 1
    assert "angka periksa label salah" in result.err and bad in result.err
    assert s.dump() == before and not (s.root / "h.serah").exists()
    english = s("--lang", "en", "where", bad)
    assert english.code == 2 and "wrong check digits" in english.err


# --- a truck in one command ----------------------------------------------------------------------


def test_a_truck_is_prepared_from_a_list_file_of_ids_and_labels(field):
    s, items = field
    listing = s.root / "truk.txt"
    listing.write_text(f"# truk B 1234 XY\n{items['box']}\n\n{label_text(items['spare'])}\n",
                       encoding="utf-8")
    out = s.ok("handover", "prepare", "--items-from", listing, "--to", "ppk", "--site", "Gudang",
               "--purpose", "distribusi", "-o", s.root / "h.serah", "--as", "kpu-3101", "--json").json()
    assert out["items"] == [items["box"], items["spare"]]
    listing.write_text(f"{items['box']}\n{label_text(items['box'])}\n", encoding="utf-8")
    twice = s("handover", "prepare", "--items-from", listing, "--to", "ppk", "--site", "G", "--purpose", "x",
              "-o", s.root / "h2.serah", "--as", "kpu-3101")
    assert twice.code == 2 and "baris 2" in twice.err  # a box scanned twice is a miscount, said before the trip


def test_a_bad_line_in_a_list_file_names_its_line_and_writes_nothing(field):
    s, items = field
    listing = s.root / "truk.txt"
    listing.write_text(f"{items['box']}\nbukan kode!\n", encoding="utf-8")
    before = s.dump()
    result = s("handover", "prepare", "--items-from", listing, "--to", "ppk", "--site", "G", "--purpose", "x",
               "-o", s.root / "h.serah", "--as", "kpu-3101")
    assert result.code == 2 and len(result.err_lines) == 1 and "baris 2" in result.err
    listing.write_text("A\n" * 10_001, encoding="utf-8")
    too_many = s("handover", "prepare", "--items-from", listing, "--to", "ppk", "--site", "G", "--purpose", "x",
                 "-o", s.root / "h.serah", "--as", "kpu-3101")
    assert too_many.code == 2 and "10000" in too_many.err.replace(".", "")
    assert s.dump() == before


def test_a_truck_is_prepared_by_destination_from_what_the_giver_holds(field):
    s, items = field
    out = s.ok("handover", "prepare", "--for-destination", TPS[:6], "--to", "ppk", "--site", "Gudang",
               "--purpose", "distribusi", "-o", s.root / "h.serah", "--as", "kpu-3101", "--json").json()
    assert out["items"] == [items["box"], items["spare"]]  # the box carries its contents
    nothing = s("handover", "prepare", "--for-destination", "3172", "--to", "ppk", "--site", "G", "--purpose", "x",
                "-o", s.root / "h2.serah", "--as", "kpu-3101")
    assert nothing.code == 2 and "3172" in nothing.err
    assert s("handover", "prepare", "--to", "ppk", "--site", "G", "--purpose", "x", "--as", "kpu-3101").code == 2


# --- the BAST ------------------------------------------------------------------------------------


@needs_poppler
def test_the_bast_names_both_parties_items_seals_and_record_and_its_qr_checks(field):
    s, items = field
    file = s.root / "ke-ppk.serah"
    prepared = s.ok("handover", "prepare", items["box"], items["spare"], "--to", "ppk", "--site", "Dermaga Kali Adem",
                    "--purpose", "distribusi", "--escort", "polair", "--offline", "-o", file,
                    "--as", "kpu-3101", "--json").json()
    s.ok("handover", "cosign", file, "--as", "polair")
    pdf = s.root / "bast.pdf"
    printed = s.ok("bast", "print", file, "-o", pdf, "--json").json()
    record = printed["record"]
    assert record != prepared["record"]  # co-signed: the file's current prepare
    text = " ".join(pdf_text(pdf).split())
    for words in ("BERITA ACARA SERAH TERIMA", "Ketua KPU Kep. Seribu", "Ketua PPK", "Bripka", items["box"],
                  items["spare"], "SG-0001 SG-0002", record, "WIB", "Pihak Pertama", "Pihak Kedua",
                  "Berkas luring: belum dicatat"):
        assert words in text, words
    assert _qr_texts(pdf, s.root) == [printed["payload"]]

    # the QR text checks against the handover file now, and against the ledger once accepted
    checked = s.ok("bast", "check", printed["payload"], "--handover", file)
    assert "cocok" in checked.out and "Ketua PPK" in checked.out
    s.ok("handover", "accept", file, "--as", "ppk")
    scanned = s.root / "scan.txt"
    scanned.write_text(printed["payload"] + "\n", encoding="utf-8")
    answer = s.ok("bast", "check", scanned, "--json").json()
    assert answer["record"] == record and answer["status"].startswith("Diterima")

    # once accepted, a reprint says so; an existing PDF needs --force; English on request
    assert s("bast", "print", file, "-o", pdf).code == 2
    s.ok("--lang", "en", "bast", "print", record, "-o", pdf, "--force")
    english = " ".join(pdf_text(pdf).split())
    assert "HANDOVER CERTIFICATE" in english and "Accepted by the Second Party" in english


def test_a_bast_code_that_is_not_ours_or_not_a_code_is_refused(field):
    s, items = field
    out = s.ok("handover", "prepare", items["spare"], "--to", "ppk", "--site", "G", "--purpose", "x",
               "-o", s.root / "h.serah", "--as", "kpu-3101", "--json").json()
    payload = s.ok("bast", "print", out["record"], "-o", s.root / "b.pdf", "--json").json()["payload"]
    forged = payload[:-1] + ("0" if payload[-1] != "0" else "1")
    result = s("bast", "check", forged)
    assert result.code == 4 and len(result.err_lines) == 1
    other = payload.replace("serah.test/3101", "serah.test/9999")
    assert s("bast", "check", other).code == 4
    garbage = s("bast", "check", "halo dunia")
    assert garbage.code == 2 and "bukan kode QR BAST" in garbage.err
    assert s("bast", "check", "x" * 100_000).code == 2
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "G", "--purpose", "x",
         "-o", s.root / "h2.serah", "--as", "kpu-3101")
    mismatch = s("bast", "check", payload, "--handover", s.root / "h2.serah")
    assert mismatch.code == 4


# --- label sheets --------------------------------------------------------------------------------


@needs_poppler
def test_a_label_sheet_for_a_tps_holds_one_scannable_label_per_item(field):
    s, items = field
    pdf = s.root / "label.pdf"
    out = s.ok("label", "sheet", "--tps", TPS, "-o", pdf, "--json").json()
    assert out["labels"] == 4 and out["pages"] == 1
    assert sorted(_qr_texts(pdf, s.root)) == sorted(label_text(i) for i in items.values())
    text = pdf_text(pdf)
    assert label_text(items["box"]) in text and "kotak suara" in text
    assert s("label", "sheet", "--tps", TPS, "-o", pdf).code == 2  # never over an existing file
    assert s("label", "sheet", "--tps", TPS[:6], "-o", s.root / "x.pdf").code == 2
    none = s("label", "sheet", "--tps", "3101011001009", "-o", s.root / "x.pdf")
    assert none.code == 2 and "3101011001009" in none.err and not (s.root / "x.pdf").exists()


def test_a_label_sheet_of_many_items_runs_over_pages(field):
    s, _ = field
    rows = [{"item": f"KS-{TPS}-B{n:03d}", "kind": "other", "dest": TPS, "qty": "1"} for n in range(40)]
    s.ok("item", "register", s.write_csv("many.csv", rows), "--as", "kpu-3101")
    out = s.ok("label", "sheet", "--tps", TPS, "-o", s.root / "l.pdf", "--json").json()
    assert out["labels"] == 44 and out["pages"] == 3
