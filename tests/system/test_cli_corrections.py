"""Undoing a mistake without editing anything: a giver withdraws a
handover nobody answered, a clerk voids a mistaken registration, and a
registration to a TPS that does not exist is refused. Each correction is a
new signed record, listed by verify and in the evidence report."""

from __future__ import annotations

import pytest

from support.cli import TPS, Serah, build_small_ledger
from support.field import csv_rows, export, hand

GHOST_TPS = "3101011001999"  # Pulau Panggang has no TPS 999


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    serah.items = build_small_ledger(serah)
    return serah


def test_a_registration_to_a_tps_that_does_not_exist_is_refused_and_leaves_the_ledger_as_it_was(s):
    before = s.dump()
    csv = s.write_csv("ghost.csv", [{"item": f"KS-{GHOST_TPS}-PPWP", "kind": "box", "dest": GHOST_TPS,
                                     "election": "PPWP"}])
    refused = s("item", "register", csv, "--as", "kpu-3101")
    assert refused.code == 3 and len(refused.err_lines) == 1 and GHOST_TPS in refused.err, refused.err
    assert s.dump() == before


def test_the_giver_withdraws_a_handover_nobody_answered(s):
    box = s.items["box"]
    file = s.root / "ke-ppk.serah"
    prepared = s.ok("handover", "prepare", box, "--to", "ppk", "--site", "Dermaga", "--purpose", "distribusi",
                    "-o", file, "--as", "kpu-3101", "--json").json()
    assert s.ok("where", box, "--json").json()["state"] == "in_transit"
    not_mine = s("handover", "withdraw", file, "--reason", "x", "--as", "ppk")
    assert not_mine.code == 3 and "only its giver" in not_mine.err
    done = s.ok("handover", "withdraw", prepared["record"][:16], "--reason", "kapal batal berangkat",
                "--as", "kpu-3101", "--json").json()
    assert done["type"] == "handover.withdraw"
    where = s.ok("where", box, "--json").json()
    assert where["state"] == "in_store" and where["pending"] is None
    again = s("handover", "accept", file, "--as", "ppk")
    assert again.code == 3, again.err  # the handover is closed
    history = [r["type"] for r in s.ok("history", box, "--json").json()]
    assert history[-2:] == ["handover.prepare", "handover.withdraw"]  # the prepare stays, a new record follows
    notices = s("verify", "--notices").out
    assert "handover withdrawn by its giver: kapal batal berangkat" in notices
    hand(s, [box], "kpu-3101", "ppk")  # the box goes the next day, as a new handover
    paths = export(s, "--item", box, csv=True, html=True)
    outcomes = [r["record_type"] for r in csv_rows(paths["csv"]) if r["record_type"].startswith("handover")]
    assert outcomes == ["handover.withdrawn", "handover.accepted"]


def test_a_mistaken_registration_is_voided_and_counts_for_nothing(s):
    wrong = f"KS-{TPS}-PPWP-SS-SALAH"
    s.ok("item", "register", s.write_csv("wrong.csv", [{"item": wrong, "kind": "ballots", "dest": TPS, "qty": "300",
                                                        "election": "PPWP", "dapil": "INDONESIA"}]),
         "--as", "kpu-3101")
    printed = s.ok("accounting", "--json").json()
    s.ok("item", "void", wrong, "--reason", "jumlah salah ketik", "--as", "kpu-3101")
    assert s.ok("status", wrong, "--json").json()["state"] == "voided"
    assert s.ok("where", wrong, "--json").json()["state"] == "voided"
    assert wrong not in [h["id"] for h in s.ok("holdings", "--as", "kpu-3101", "--json").json()]
    after = s.ok("accounting", "--json").json()
    assert after != printed
    used = s("handover", "prepare", wrong, "--to", "ppk", "--site", "x", "--purpose", "x", "--as", "kpu-3101")
    assert used.code == 3 and "voided" in used.err
    assert "registration voided: jumlah salah ketik" in s("verify", "--notices").out

    box = s.items["box"]  # a registration that something followed cannot be voided
    late = s("item", "void", box, "--reason", "x", "--as", "kpu-3101")
    assert late.code == 3 and "only a registration nothing followed" in late.err


def test_one_handover_accepted_in_part_and_refused_in_part(s):
    box, spare = s.items["box"], s.items["spare"]
    prepared = s.ok("handover", "prepare", box, spare, "--to", "ppk", "--site", "Dermaga", "--purpose", "distribusi",
                    "--as", "kpu-3101", "-o", s.root / "ke-ppk.serah", "--json").json()
    no_reason = s("handover", "accept", prepared["record"], "--refuse", spare, "--as", "ppk")
    assert no_reason.code == 2 and "--reason" in no_reason.err
    done = s.ok("handover", "accept", prepared["record"], "--refuse", spare, "--reason", "bukan untuk kecamatan ini",
                "--as", "ppk", "--json").json()  # by id, from the ledger: no file needed
    assert done["type"] == "handover.partial" and done["refused"] == [spare] and done["items"] == [box]
    assert s.ok("where", box, "--json").json()["holder_name"].startswith("Ketua PPK")
    kept = s.ok("where", spare, "--json").json()
    assert kept["holder_name"].startswith("Ketua KPU") and kept["state"] == "in_store"
    refused = [r for r in s.ok("discrepancies", "--json").json() if r["kind"] == "refused"]
    assert [r["item"] for r in refused] == [spare]
    assert "handover refused: bukan untuk kecamatan ini" in s("verify", "--notices").out
    paths = export(s, "--item", spare, "--item", box, csv=True)
    rows = {r["item"]: r for r in csv_rows(paths["csv"]) if r["record_type"] == "handover.partial"}
    assert set(rows) == {box, spare} and rows[spare]["discrepancy"] == "1"


def test_enroll_shows_the_fingerprint_and_refusals_name_the_person(s):
    s.ok("key", "new", "kpps-2")
    made = s.ok("key", "show", "kpps-2", "--json").json()["fingerprint"]
    out = s.ok("enroll", "kpps-2", "--role", "kpps", "--region", "3101011001002", "--person", "Ketua KPPS 2",
               "--org", "KPPS TPS 002", "--as", "kpu-3101").out
    assert made in out and "Ketua KPPS 2" in out
    box = s.items["box"]
    s.ok("handover", "prepare", box, "--to", "ppk", "--site", "x", "--purpose", "x", "-o", s.root / "h.serah",
         "--as", "kpu-3101")
    s.ok("where", box)  # the views know the people once any view command ran
    wrong = s("handover", "accept", s.root / "h.serah", "--as", "pps")
    assert wrong.code == 3 and "Ketua PPK (PPK)" in wrong.err, wrong.err


def test_holdings_lists_what_is_on_its_way_and_it_is_accepted_by_that_id(s):
    box = s.items["box"]
    prepared = s.ok("handover", "prepare", box, "--to", "ppk", "--site", "x", "--purpose", "x",
                    "-o", s.root / "h.serah", "--as", "kpu-3101", "--json").json()
    (coming,) = s.ok("holdings", "--incoming", "--as", "ppk", "--json").json()
    assert coming["item"] == box and coming["handover"] == prepared["record"]
    text = s.ok("holdings", "--as", "ppk").out
    assert "On their way to you: 1 items" in text and prepared["handover"][:16] in text
    s.ok("handover", "accept", prepared["handover"][:16], "--as", "ppk")
    assert s.ok("holdings", "--incoming", "--as", "ppk", "--json").json() == []
