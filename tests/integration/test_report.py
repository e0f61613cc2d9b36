"""Reports on a verified bundle: HTML in headless Chromium, PDF through pdftoppm, CSV.

The two rendering tests need ``chromium`` and ``pdftoppm`` (Debian packages
chromium and poppler-utils); without them they are skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest

from cli.i18n import set_lang
from ledger.export import Scope, encode_bundle
from ledger.export.ledger_source import checkpointed_trail
from support import export_story as story
from verifier import bundle as vb


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    ledger = story.story_ledger(tmp_path_factory.mktemp("story"))
    try:
        trail, source = checkpointed_trail(ledger, Scope(places=("3101",)))
        data = encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test")
    finally:
        ledger.close()
    return vb.verify(data)


@pytest.fixture(autouse=True)
def indonesian():
    set_lang("id")
    yield
    set_lang(None)


def render(result, tmp_path, **kinds):
    from cli.report import render as write

    return write(result, **{kind: tmp_path / name for kind, name in kinds.items()})


def test_html_is_self_contained_and_complete(result, tmp_path):
    (path,) = render(result, tmp_path, html="r.html")
    page = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)  # nothing fetched
    assert "<link" not in page and "<script" not in page and "@import" not in page
    assert result.fingerprint in page and "<svg" in page  # fingerprint as text and as QR
    for text in ("Laporan Jejak Kustodi", "Bripka Andi", "Siti Rahma", "S-000101", "BASAH", "WIB",
                 "Yang tidak dibuktikan berkas ini", story.BOX1, story.BALLOTS1):
        assert text in page
    set_lang("en")
    (path,) = render(result, tmp_path, html="en.html")
    assert "Handover timeline" in path.read_text(encoding="utf-8")


def test_qr_code_carries_the_fingerprint():
    segno = pytest.importorskip("segno")
    from cli.report.html import qr_svg

    code = segno.make("sha256:" + "ab" * 32, error="m")
    assert code.designator.endswith("-M") and "<svg" in qr_svg("sha256:" + "ab" * 32)


def test_csv(result, tmp_path):
    (path,) = render(result, tmp_path, csv="r.csv")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0].keys() >= {"barang", "diserahkan_oleh", "diterima_oleh", "jumlah_dinyatakan", "kondisi"}
    wet = [r for r in rows if r["kondisi"] == "wet"]
    assert wet and wet[0]["barang"] == story.BOX2 and wet[0]["selisih"] == "1"
    assert any(r["jenis_rekaman"] == "handover.accepted" and r["saksi_pengawal_menandatangani"] for r in rows)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed (apt-get install chromium)")
def test_html_renders_in_chromium(result, tmp_path):
    (path,) = render(result, tmp_path, html="r.html")
    shot = tmp_path / "page.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", "--window-size=1280,1800", f"--screenshot={shot}",
                    path.as_uri()], capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a page with content, not a blank one


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed (apt-get install poppler-utils)")
def test_pdf_renders_through_pdftoppm(result, tmp_path):
    (path,) = render(result, tmp_path, pdf="r.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], capture_output=True,
                   timeout=120, check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 5_000 for p in pages)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert result.fingerprint in text and "Serah terima" in text and "BASAH" in text
