"""The court report's own blocks, through the real ``serah export`` command:
who exported it, when (WIB) and for which case, a place to sign, a key to
what each kind of signature and each check code means, the timeline one
block per handover, and a chain diagram per box; in both languages, the
HTML rendered in headless Chromium and the PDF through pdftoppm/pdftotext.
Typed values a court will read are bounded and refused with control
characters, and a refusal writes nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from support.cli import TPS, Serah, build_small_ledger
from support.field import HAVE_PDFTOTEXT, checkpoint, hand, html_text, pdf_text

BOX = f"KS-{TPS}-PPWP"
CASE = "Perkara PHPU No. 12/PHPU.PRES-XXII/2024"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """The small ledger, its box carried KPU -> PPK (escorted, the Panwas named and not signing) -> PPS."""
    s = Serah(tmp_path_factory.mktemp("court"), lang="id")
    build_small_ledger(s)
    to_ppk = s.root / "ke-ppk.serah"
    s.ok("handover", "prepare", BOX, "--to", "ppk", "--site", "Dermaga Kali Adem", "--purpose", "distribusi", "--escort", "polair",
         "--witness", "pkd", "--offline", "-o", to_ppk, "--as", "kpu-3101")
    s.ok("handover", "cosign", to_ppk, "--as", "polair")
    s.ok("handover", "accept", to_ppk, "--as", "ppk")
    hand(s, [BOX], "ppk", "pps", site="Kantor PPS")
    checkpoint(s)
    return s


def _export(s: Serah, lang: str, *extra: str) -> dict:
    paths = {k: s.root / f"court-{lang}.{k}" for k in ("bukti", "html", "pdf")}
    for p in paths.values():
        p.unlink(missing_ok=True)
    s.ok("--lang", lang, "export", "--tps", TPS, "-o", paths["bukti"], "--html", paths["html"], "--pdf",
         paths["pdf"], *extra)
    return paths


WORDS = {
    "id": ("Keterangan ekspor", "Untuk perkara", "Diekspor oleh", "Laporan dibuat", "Yang mengekspor",
           "Yang menerima laporan", "Keterangan tanda tangan dan kode pemeriksaan", "Rantai kustodi per kotak",
           "Jumlah: yang dinyatakan, diterima dan dihitung", "Disebut, tidak menandatangani: pemberi menyebut"),
    "en": ("About this export", "For case", "Exported by", "Report made", "Received by",
           "Key to signatures and check codes", "Chain of custody per box",
           "Counts: declared, received and tallied", "Named, did not sign: the giver named"),
}


@pytest.mark.skipif(not HAVE_PDFTOTEXT or shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_names_the_case_the_exporter_by_the_as_key_and_the_local_time(ledger, lang):
    paths = _export(ledger, lang, "--case", CASE, "--as", "kpu-3101")
    html = html_text(paths["html"])
    pdf = " ".join(pdf_text(paths["pdf"]).split())
    for text in (html, pdf):
        assert CASE in text
        # --exported-by defaults to the enrolled name of the --as key
        assert "Ketua KPU Kep. Seribu (KPU Kab. Adm. Kepulauan Seribu)" in text
        assert re.search(r"(Laporan dibuat|Report made):? \d{4}-\d\d-\d\d \d\d:\d\d WIB", text), text[:2000]
        for words in WORDS[lang]:
            assert words in text, words
        for code in ("V1", "V19", "T6", "B12", "R1"):
            assert f"{code} " in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(paths["pdf"]), str(ledger.root / f"court-{lang}")],
                   capture_output=True, timeout=120, check=True)
    pages = sorted(ledger.root.glob(f"court-{lang}-*.png"))
    page = "Halaman 1 dari" if lang == "id" else "Page 1 of"
    assert pages and f"{page} {len(pages)}" in pdf


def test_exported_by_given_wins_and_nothing_given_says_not_stated(ledger):
    paths = _export(ledger, "id", "--exported-by", "Jaksa Penuntut Umum Kejari Jakarta Utara")
    text = html_text(paths["html"])
    assert "Diekspor oleh Jaksa Penuntut Umum Kejari Jakarta Utara" in text
    assert "Untuk perkara (tidak disebutkan)" in text
    paths = _export(ledger, "en")
    assert "Exported by (not stated)" in html_text(paths["html"])


@pytest.mark.parametrize("option,value,why", [
    ("--case", "PHPU 12\n\x1b[2JDiekspor oleh: Ketua KPU RI", "karakter kendali"),
    ("--exported-by", "Jaksa\u202eUmum", "karakter kendali"),
    ("--case", "x" * 201, "lebih dari 200 karakter"),
    ("--case", "   ", "kosong"),
])
def test_a_typed_value_the_court_reads_is_bounded_and_refused_with_control_characters(ledger, option, value, why):
    out = ledger.root / "refused.bukti"
    html = ledger.root / "refused.html"
    result = ledger("export", "--tps", TPS, "-o", out, "--html", html, option, value)
    assert result.code == 2
    assert why in result.err and option in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not out.exists() and not html.exists()


def test_timeline_is_one_block_per_handover_not_one_row_per_item(ledger):
    paths = _export(ledger, "id")
    page = paths["html"].read_text(encoding="utf-8")
    timeline = page.split("Kronologi serah terima", 1)[1].split("</table>", 1)[0]
    rows = timeline.count("<tr")
    # register (4 items), pack (3), seal (1) by one person at once: one block; the box's two handovers: two
    assert rows == 1 + 3, rows
    assert "Pendaftaran, Pengemasan, Penyegelan (3 rekaman)" in timeline and "4 barang" in timeline
    assert timeline.count("Serah terima (diterima)") == 2
    text = html_text(paths["html"]).split("Kronologi serah terima", 1)[1]
    # the seals stay on the box's own line inside the merged block
    assert f"{BOX} SG-0001, SG-0002" in text


def test_chain_diagram_shows_the_box_holders_places_and_signers_in_order(ledger):
    paths = _export(ledger, "id")
    text = html_text(paths["html"])
    chain = text.split("Rantai kustodi per kotak", 1)[1].split("Selisih dan kejadian", 1)[0]
    assert chain.index(BOX) < chain.index("1 Ketua KPU Kep. Seribu") < chain.index("2 Ketua PPK") \
        < chain.index("Dermaga Kali Adem") < chain.index("3 Ketua PPS") < chain.index("Kantor PPS")
    assert "saksi: Bripka" in chain and "disebut, tidak menandatangani: Pengawas" in chain
    page = paths["html"].read_text(encoding="utf-8")
    assert "<img" not in page and "url(" not in page  # drawn inline, nothing fetched
    if HAVE_PDFTOTEXT:
        pdf = " ".join(pdf_text(paths["pdf"]).split())
        section = pdf.split("Rantai kustodi per kotak", 1)[1]
        assert section.index("1 Ketua KPU Kep. Seribu") < section.index("2 Ketua PPK") < section.index("3 Ketua PPS")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_report_with_the_new_blocks_renders_in_chromium(ledger, tmp_path):
    paths = _export(ledger, "en", "--case", CASE)
    shot, profile = tmp_path / "page.png", tmp_path / "profile"
    profile.mkdir()
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", "--window-size=1280,1800", f"--screenshot={shot}",
                    paths["html"].as_uri()], capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_an_item_that_differs_is_spelled_out_first_in_its_handover_block(tmp_path):
    """Box 002 of the export story arrives wet with a seal missing: its handover block is marked, and
    the box's line (declared against observed) comes before the items that arrived as declared."""
    from cli.i18n import set_lang
    from cli.report import render
    from ledger.export import Scope, encode_bundle
    from ledger.export.ledger_source import checkpointed_trail
    from support import export_story as story
    from verifier import bundle as vb

    ledger = story.story_ledger(tmp_path)
    try:
        trail, source = checkpointed_trail(ledger, Scope(places=("3101",)))
        data = encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test")
    finally:
        ledger.close()
    set_lang("id")
    try:
        (path,) = render(vb.verify(data), html=tmp_path / "r.html")
    finally:
        set_lang(None)
    page = path.read_text(encoding="utf-8")
    timeline = page.split("Kronologi serah terima", 1)[1]
    wet = next(row for row in timeline.split("<tr")[1:] if "BASAH" in row)
    assert wet.startswith(" class=discrepant") or "class=bad" in wet
    items = wet.split('<ul class="its">', 1)[1]
    assert items.startswith(f"<li class=bad>{story.BOX2}")
