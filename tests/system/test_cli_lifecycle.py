"""The custody lifecycle through `serah`, with real keys, files and signatures.

KPU warehouse -> PPK (online, escort co-signs the file) -> PPS (offline file,
appended by the receiver) -> KPPS -> voting day: open before a witness,
tally -> pemusnahan of spare ballots -> independent verification.
"""

from __future__ import annotations

import os
import stat

import pytest

from support.cli import PASSPHRASE, TPS, Serah, build_small_ledger


@pytest.fixture
def s(tmp_path):
    return Serah(tmp_path)


def test_key_new_writes_encrypted_key_and_never_shows_the_passphrase(s):
    result = s.ok("key", "new", "kpps-001", "--label", "Ketua KPPS 001")
    key = s.key("kpps-001")
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    text = key.read_text()
    assert "SERAH PRIVATE KEY" in text and "kdf: scrypt" in text and PASSPHRASE not in text
    assert PASSPHRASE not in result.out + result.err
    shown = s.ok("--json", "key", "show", "kpps-001").json()
    assert shown["name"] == "Ketua KPPS 001"
    assert len(shown["fingerprint"]) == 23 and shown["fingerprint"].count("-") == 3
    assert shown["verifier_key"].startswith("KetuaKPPS001+")
    # a key is never overwritten
    again = s("key", "new", "kpps-001")
    assert again.code == 6 and len(again.err_lines) == 1


def test_lifecycle_from_warehouse_to_tally_and_destruction(s, tmp_path):
    items = build_small_ledger(s)
    box, ballots = items["box"], items["ballots"]

    # KPU -> PPK, recorded at once; status shows the box in transit.
    prep = s.ok("--json", "handover", "prepare", box, "--to", "ppk", "--site", "Dermaga Kali Adem",
                "--purpose", "distribusi ke PPK", "-o", tmp_path / "to-ppk.serah", "--as", "kpu-3101").json()
    assert prep["submitted"] is True
    status = s.ok("--json", "status", box).json()
    assert status["state"] == "transit"
    shown = s.ok("--json", "handover", "show", tmp_path / "to-ppk.serah").json()
    assert shown["lines"][0]["seals"] == ["SG-0001", "SG-0002"]
    accepted = s.ok("--json", "handover", "accept", tmp_path / "to-ppk.serah", "--as", "ppk").json()
    assert accepted["discrepancies"] == []
    assert accepted["receipt"] == str(tmp_path / "to-ppk.serah")
    closed = s.ok("--json", "handover", "show", tmp_path / "to-ppk.serah").json()
    assert closed["closed_by"]["type"] == "handover.accept"
    # The escort was not there to co-sign the file: a late attestation instead.
    attested = s.ok("--json", "attest", tmp_path / "to-ppk.serah", "--statement", "mengawal penyeberangan",
                    "--as", "polair").json()
    assert attested["target"] == closed["prepare"]

    # PPK -> PPS offline: the escort co-signs the file, the PPS appends both records.
    s.ok("handover", "prepare", box, "--to", "pps", "--site", "Dermaga Pulau Panggang", "--purpose", "distribusi",
         "--escort", "polair", "--offline", "-o", tmp_path / "to-pps.serah", "--as", "ppk")
    assert s.ok("--json", "status", box).json()["state"] == "held"  # nothing recorded yet
    s.ok("handover", "cosign", tmp_path / "to-pps.serah", "--as", "polair")
    shown = s.ok("--json", "handover", "show", tmp_path / "to-pps.serah").json()
    assert len(shown["signatures"]) == 2
    s.ok("handover", "accept", tmp_path / "to-pps.serah", "--as", "pps",
         "--observed-seals", f"{box}=SG-0001,SG-0002", "--note", "diterima utuh")
    assert s.ok("--json", "status", box).json()["location"] == TPS[:10]

    # PPS -> KPPS; the KPPS sees one seal differently: a recorded discrepancy.
    s.ok("handover", "prepare", box, "--to", "kpps", "--site", "TPS 001", "--purpose", "distribusi ke TPS",
         "-o", tmp_path / "to-kpps.serah", "--as", "pps")
    accepted = s.ok("--json", "handover", "accept", tmp_path / "to-kpps.serah", "--as", "kpps",
                    "--observed-seals", f"{box}=SG-0001,SG-0009").json()
    assert accepted["discrepancies"] == [
        {"item": box, "field": "seals", "declared": ["SG-0001", "SG-0002"], "observed": ["SG-0001", "SG-0009"]}
    ]
    holdings = s.ok("--json", "holdings", "--as", "kpps").json()
    assert {h["id"] for h in holdings} >= {box, ballots}

    # Voting day: open before the witness, count.
    s.ok("open", box, "--seals", "SG-0001,SG-0009", "--intact", "--reason", "pemungutan suara",
         "--witness-key", s.key("pkd"), "--as", "kpps")
    assert s.ok("--json", "status", ballots).json()["container"] is None
    s.ok("tally", f"{ballots}=240,24,2", "--as", "kpps")
    assert s.ok("--json", "status", ballots).json()["tally"] == {"used": 240, "unused": 24, "spoiled": 2}

    # Pemusnahan of the spare batch, witnessed.
    s.ok("destroy", items["spare"], "--method", "dibakar", "--reason", "surat suara cadangan tidak terpakai",
         "--witness-key", s.key("pkd"), "--as", "kpu-3101")
    assert s.ok("--json", "status", items["spare"]).json()["state"] == "destroyed"

    history = s.ok("--json", "history", box).json()
    types = [h["type"] for h in history]
    assert types[:3] == ["register", "pack", "seal"]
    assert types.count("handover.accept") == 3 and types[-1] == "open"
    text = s.ok("history", box)
    assert "handover (acceptance)" in text.out  # the record type in words

    # Revocation: a revoked key can no longer sign.
    s.ok("revoke", "pps-other", "--reason", "ponsel hilang", "--as", "kpu-3101")

    # The independent verifier agrees: no errors, no warnings (notices allowed).
    # (one warning: no checkpoint was ever signed, SPEC 10.6 T3).
    report = s("--json", "verify", s.db)
    data = report.json()
    assert data["summary"]["error"] == 0, report.out
    assert [f["code"] for f in data["findings"] if f["severity"] == "warning"] == ["tlog_no_checkpoint"]
    assert "V14" in data["summary"]["by_check"]  # the seal discrepancy, as a notice


def test_handover_submit_is_idempotent(s, tmp_path):
    items = build_small_ledger(s)
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "--offline", "-o", tmp_path / "h.serah", "--as", "kpu-3101")
    first = s.ok("--json", "handover", "submit", tmp_path / "h.serah").json()
    assert [r["result"] for r in first] == ["appended"]
    second = s.ok("--json", "handover", "submit", tmp_path / "h.serah").json()
    assert [r["result"] for r in second] == ["present"]


def test_item_register_accepts_dotted_regions_and_reports_count(s):
    build_small_ledger(s)
    path = s.write_csv("more.csv", [{"item": "KS-3101011001002-INK", "kind": "other", "dest": "31.01.01.1001",
                                     "qty": "2", "label": "tinta"}])
    result = s.ok("--json", "item", "register", path, "--as", "kpu-3101").json()
    assert result["items"] == 1
    assert s.ok("--json", "status", "ks-3101011001002-ink").json()["dest"] == "3101011001"


def test_accept_is_recorded_even_when_the_receipt_cannot_be_written(s, tmp_path):
    items = build_small_ledger(s)
    s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", tmp_path / "h.serah", "--as", "kpu-3101")
    result = s("--json", "handover", "accept", tmp_path / "h.serah", "-o", tmp_path / "no" / "such" / "dir.serah",
               "--as", "ppk")
    assert result.code == 0, result.err
    assert result.json()["receipt"] is None and "receipt" in result.err
    assert s.ok("--json", "status", items["box"]).json()["state"] == "held"
