"""The evidence report says who signed a handover, and apart from them who
was named as escort or witness but never signed (HTML, PDF and CSV)."""

from __future__ import annotations

import pytest

from support.cli import Serah, build_small_ledger
from support.field import HAVE_PDFTOTEXT, csv_rows, export, html_text, pdf_text

ESCORT = "Bripka (Ditpolairud Polda Metro Jaya)"
PANWAS = "Pengawas (Panwaslu Kelurahan Pulau Panggang)"
KPPS = "Ketua KPPS (KPPS TPS 001 Pulau Panggang)"


@pytest.fixture
def handed(tmp_path):
    """A prepare naming the escort and the Panwas, co-signed by the escort
    and an unrelated KPPS only, then accepted by the PPK."""
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    file = tmp_path / "ke-ppk.serah"
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Dermaga", "--purpose", "distribusi",
         "--escort", "polair", "--witness", "pkd", "--offline", "-o", file, "--as", "kpu-3101")
    s.ok("handover", "cosign", file, "--as", "polair")
    s.ok("handover", "cosign", file, "--as", "kpps")
    s.ok("handover", "accept", file, "--as", "ppk")
    s.file, s.items = file, items
    return s


def test_report_lists_signers_and_apart_the_named_who_did_not_sign(handed):
    paths = export(handed, "--item", handed.items["box"], html=True, pdf=True, csv=True)
    (row,) = [r for r in csv_rows(paths["csv"]) if r["record_type"] == "handover.accepted"]
    assert sorted(row["witnesses_escorts_signed"].split("; ")) == [ESCORT, KPPS]  # in signature order
    assert row["named_did_not_sign"] == PANWAS

    text = html_text(paths["html"])
    assert f"Named, did not sign: {PANWAS}" in text and text.count(PANWAS) == 1  # not also as a signer
    if HAVE_PDFTOTEXT:
        pdf = " ".join(pdf_text(paths["pdf"]).split())
        assert "Named, did not sign:" in pdf and "Pengawas" in pdf.split("Named, did not sign:")[1][:80]


def test_a_late_attestation_makes_a_named_witness_a_signer_once(handed):
    handed.ok("attest", handed.file, "--statement", "Saya hadir di dermaga", "--as", "pkd")
    handed.ok("attest", handed.file, "--statement", "Sekali lagi", "--as", "pkd")
    paths = export(handed, "--item", handed.items["box"], csv=True)
    (row,) = [r for r in csv_rows(paths["csv"]) if r["record_type"] == "handover.accepted"]
    assert sorted(row["witnesses_escorts_signed"].split("; ")) == [ESCORT, KPPS, PANWAS]
    assert row["named_did_not_sign"] == ""
