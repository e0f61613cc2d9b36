"""A handover's number (SPEC 3.2, 7.1) is the one a giver writes on paper:
the same at prepare, after escorts and witnesses co-sign the file, in the
receiver's incoming list, in `verify` and `show`, and when the receiver
accepts by typing it, through the real command line."""

from __future__ import annotations

from support.cli import Serah, build_small_ledger


def test_the_number_printed_at_prepare_survives_co_signatures_and_finds_the_handover(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    file = tmp_path / "bast.serah"
    prepared = s.ok("handover", "prepare", items["box"], "--to", "ppk", "--site", "Gudang KPU", "--purpose",
                    "distribusi", "--escort", "polair", "--witness", "pkd", "--offline", "-o", file,
                    "--as", "kpu-3101", "--json").json()
    number = prepared["handover"]
    assert len(number) == 64 and number != prepared["record"]
    human = s.ok("handover", "show", file).out
    assert number[:16] in human

    records = {prepared["record"]}
    for cosigner in ("polair", "pkd"):
        cosigned = s.ok("handover", "cosign", file, "--as", cosigner, "--json").json()
        assert cosigned["handover"] == number
        records.add(cosigned["record"])
    assert len(records) == 3  # each co-signature made another record id; the number stayed
    assert s.ok("handover", "show", file, "--json").json()["handover"] == number
    assert f"handover number {number[:16]}" in s("verify", file).out

    s.ok("handover", "submit", file)
    incoming = s.ok("holdings", "ppk", "--incoming", "--json").json()
    assert {r["number"] for r in incoming} == {number}
    assert number[:16] in s.ok("holdings", "ppk", "--incoming").out
    assert number[:16] in s.ok("status", items["box"]).out
    assert number[:16] in s.ok("where", items["box"]).out

    assert s.ok("handover", "show", number[:16], "--json").json()["handover"] == number
    accepted = s.ok("handover", "accept", number[:16], "--as", "ppk", "--json").json()
    assert accepted["handover"] == number and accepted["prepare"] in records
    assert s.ok("where", items["box"], "--json").json()


def test_a_number_no_open_handover_has_is_one_clear_refusal(tmp_path):
    s = Serah(tmp_path)
    build_small_ledger(s)
    s("handover", "accept", "0123456789abcdef", "--as", "ppk")  # the first read builds the views (a cache)
    before = s.dump()
    result = s("handover", "accept", "0123456789abcdef", "--as", "ppk")
    assert result.code == 2 and len(result.err_lines) == 1 and "0123456789abcdef" in result.err
    assert s.dump() == before


def test_a_receiver_refuses_by_the_number_without_the_file(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    prepared = s.ok("handover", "prepare", items["spare"], "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
                    "-o", tmp_path / "h.serah", "--as", "kpu-3101", "--json").json()
    refused = s.ok("handover", "refuse", prepared["handover"][:16], "--reason", "salah alamat", "--as", "ppk",
                   "--json").json()
    assert refused["handover"] == prepared["handover"] and refused["receipt"] is None
    assert s.ok("holdings", "ppk", "--incoming", "--json").json() == []


def test_through_a_server_the_receiver_lists_and_accepts_by_the_number(tmp_path):
    """`--server`: holdings --incoming lists the number (one row per item,
    as on a local ledger) and `handover accept NUMBER` finds the handover
    among those on their way to the receiver's key."""
    from support.serve import Server

    s = Serah(tmp_path)
    items = build_small_ledger(s)
    s.ok("key", "new", "kpu-log")
    with Server(s.db, s.key("kpu-log"), s.home, "--checkpoint-every", "0") as server:
        url = ["--server", server.url]
        prepared = s.ok(*url, "handover", "prepare", items["spare"], "--to", "ppk", "--site", "Gudang", "--purpose",
                        "distribusi", "-o", tmp_path / "h.serah", "--as", "kpu-3101", "--json").json()
        number = prepared["handover"]
        (row,) = s.ok(*url, "holdings", "ppk", "--incoming", "--json").json()
        assert row["item"] == items["spare"] and row["number"] == number
        assert number[:16] in s.ok(*url, "holdings", "ppk", "--incoming").out
        accepted = s.ok(*url, "handover", "accept", number[:16], "--as", "ppk", "--json").json()
        assert accepted["handover"] == number
        assert s.ok(*url, "holdings", "ppk", "--incoming", "--json").json() == []
