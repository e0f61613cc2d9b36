"""A hand-made scenario, not the demo: one ballot box from the printer to
its TPS and back, with the corrections a field custodian needs on the way,
run through the real ``serah`` command line in Bahasa Indonesia, and its
evidence bundle rendered in both languages (HTML in headless Chromium, PDF
through pdftoppm) and read back for who signed, who was named but never
signed, and the page numbering; the printable BAST (berita acara serah
terima) of the offline KPU -> PPK trip, read back and its QR text checked.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from support.cli import TPS, Serah, build_small_ledger
from support.field import HAVE_PDFTOTEXT, checkpoint, hand, html_text, pdf_text

BOX, BALLOTS = f"KS-{TPS}-DPR", f"KS-{TPS}-DPR-SS"
PANWAS = "Pengawas (Panwaslu Kelurahan Pulau Panggang)"
ESCORT = "Bripka (Ditpolairud Polda Metro Jaya)"


def _chromium_screenshot(html, folder) -> bytes:
    shot, profile = folder / "page.png", folder / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", "--window-size=1280,1800", f"--screenshot={shot}", html.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return shot.read_bytes()


@pytest.mark.skipif(shutil.which("chromium") is None or shutil.which("pdftoppm") is None or not HAVE_PDFTOTEXT,
                    reason="needs chromium and poppler-utils")
def test_one_box_from_the_printer_to_the_tps_and_back_with_every_correction(tmp_path):
    s = Serah(tmp_path, lang="id")
    build_small_ledger(s)
    s.ok("key", "new", "printer")
    s.ok("enroll", "printer", "--role", "printer", "--region", "3101", "--person", "Manajer Produksi",
         "--org", "Percetakan Negara", "--as", "kpu-3101")

    # The printer's clerk types a TPS that does not exist: refused, nothing written.
    ghost = s.write_csv("ghost.csv", [{"item": "KS-3101011001999-DPR", "kind": "box", "dest": "3101011001999",
                                       "election": "DPR"}])
    assert s("item", "register", ghost, "--as", "printer").code == 3
    # A batch registered with a wrong count is voided and registered again under a new id.
    rows = [{"item": BOX, "kind": "box", "dest": TPS, "election": "DPR"},
            {"item": BALLOTS + "-X", "kind": "ballots", "dest": TPS, "qty": "2660", "election": "DPR",
             "dapil": "DKI JAKARTA II"}]
    s.ok("item", "register", s.write_csv("cetak.csv", rows), "--as", "printer")
    s.ok("item", "void", BALLOTS + "-X", "--reason", "salah ketik jumlah", "--as", "printer")
    s.ok("item", "register", s.write_csv("cetak2.csv", [{**rows[1], "item": BALLOTS, "qty": "266"}]),
         "--as", "printer")

    # Printer -> KPU: the first trip is withdrawn (the truck broke down), then made again.
    first = s.ok("handover", "prepare", BOX, BALLOTS, "--to", "kpu-3101", "--site", "Percetakan", "--purpose",
                 "pengiriman", "-o", tmp_path / "cetak-kpu.serah", "--as", "printer", "--json").json()
    s.ok("handover", "withdraw", first["record"][:16], "--reason", "truk mogok", "--as", "printer")
    hand(s, [BOX, BALLOTS], "printer", "kpu-3101", site="Gudang KPU")
    s.ok("item", "pack", BOX, BALLOTS, "--as", "kpu-3101")
    s.ok("seal", BOX, "SG-3101-000101", "SG-3101-000102", "--as", "kpu-3101")

    # KPU -> PPK offline, naming an escort and a Panwas; only the escort co-signs. The box arrives damaged.
    to_ppk = tmp_path / "ke-ppk.serah"
    s.ok("handover", "prepare", BOX, "--to", "ppk", "--site", "Dermaga Kali Adem", "--purpose", "distribusi",
         "--escort", "polair", "--witness", "pkd", "--offline", "-o", to_ppk, "--as", "kpu-3101")
    s.ok("handover", "cosign", to_ppk, "--as", "polair")
    # The paper both parties sign at the quay: the BAST, printed from the co-signed file.
    bast = s.ok("bast", "print", to_ppk, "-o", tmp_path / "bast-ke-ppk.pdf", "--json").json()
    if HAVE_PDFTOTEXT:
        paper = " ".join(pdf_text(tmp_path / "bast-ke-ppk.pdf").split())
        for words in ("BERITA ACARA SERAH TERIMA", "Pihak Pertama", "Pihak Kedua", "Ketua KPU", "Ketua PPK",
                      "Bripka", BOX, "SG-3101-000101", "SG-3101-000102", "Dermaga Kali Adem", "WIB",
                      bast["record"]):
            assert words in paper, words
    assert "cocok" in s.ok("bast", "check", bast["payload"], "--handover", to_ppk).out
    s.ok("handover", "accept", to_ppk, "--condition", f"{BOX}=rusak", "--note", "sudut penyok", "--as", "ppk")
    hand(s, [BOX], "ppk", "pps")  # a plain accept: the box stays damaged
    assert s.ok("where", BOX, "--json").json()["condition"] == "damaged"
    hand(s, [BOX], "pps", "kpps")

    # Voting day: opened before the Panwas (on their key here), counted, recounted, repacked, resealed.
    s.ok("open", BOX, "--seals", "SG-3101-000101,SG-3101-000102", "--intact", "--reason", "pemungutan suara",
         "--witness-as", "pkd", "--as", "kpps")
    s.ok("tally", f"{BALLOTS}=240,24,2", "--as", "kpps")
    s.ok("tally", f"{BALLOTS}=241,23,2", "--as", "kpps")
    s.ok("item", "pack", BOX, BALLOTS, "--as", "kpps")
    s.ok("seal", BOX, "SG-3101-000201", "--as", "kpps")

    # The way back; the PPK takes it by id (no file), the KPU receives it.
    hand(s, [BOX], "kpps", "pps")
    back = s.ok("handover", "prepare", BOX, "--to", "ppk", "--site", "Kantor PPS", "--purpose", "pengembalian",
                "-o", tmp_path / "balik.serah", "--as", "pps", "--json").json()
    s.ok("handover", "accept", back["record"][:16], "--as", "ppk")
    hand(s, [BOX], "ppk", "kpu-3101", site="Gudang KPU")
    assert s.ok("where", BOX, "--json").json()["holder_name"].startswith("Ketua KPU")
    assert s("readiness", "3101").code in (0, 1)

    notices = s("verify", "--notices").out
    for words in ("ditarik oleh pemberinya: truk mogok", "pendaftaran dibatalkan: salah ketik jumlah",
                  "dihitung ulang dengan angka lain"):
        assert words in notices, words
    assert "UTC" not in "\n".join(ln for ln in notices.splitlines() if ln.startswith("#"))

    for lang, named, page in (("id", "Disebut, tidak menandatangani", "Halaman 1 dari"),
                              ("en", "Named, did not sign", "Page 1 of")):
        paths = _export(s, lang)
        text = html_text(paths["html"])
        # the KPU -> PPK handover: the escort signed; the Panwas was named and did not
        assert f"{ESCORT} {named}: {PANWAS}" in text
        assert _chromium_screenshot(paths["html"], tmp_path)[:8] == b"\x89PNG\r\n\x1a\n"
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(paths["pdf"]), str(tmp_path / f"p-{lang}")],
                       capture_output=True, timeout=120, check=True)
        images = sorted(tmp_path.glob(f"p-{lang}-*.png"))
        pdf = " ".join(pdf_text(paths["pdf"]).split())
        total = len(images)
        assert total >= 2 and f"{page} {total}" in pdf
        assert f"Bripka (Ditpolairud Polda Metro Jaya) {named}: Pengawas (Panwaslu Kelurahan Pulau Panggang)" in pdf
        for word in (BOX, "SG-3101-000201", "SG-3101-000101"):
            assert word in pdf


def _export(s: Serah, lang: str) -> dict:
    """Export in ``lang``: a fresh checkpoint covers every record first."""
    checkpoint(s)
    paths = {k: s.root / f"bukti-{lang}.{k}" for k in ("bukti", "html", "pdf")}
    s.ok("--lang", lang, "export", "--item", BOX, "-o", paths["bukti"], "--html", paths["html"], "--pdf", paths["pdf"])
    return paths
