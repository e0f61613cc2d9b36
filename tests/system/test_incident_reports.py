"""SPEC 4.11 through the command line: an incident by an escort or a witness
is a report; only the holder's incident changes the item."""

from __future__ import annotations

from support.cli import Serah, build_small_ledger


def test_a_bystanders_loss_report_does_not_lock_out_the_holder(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    box, spare = items["box"], items["spare"]
    s.ok("incident", "loss", box, "--description", "kotak hilang", "--as", "pkd")  # a witness key
    s.ok("incident", "loss", spare, "--description", "5 hilang", "--qty-lost", f"{spare}=5", "--as", "polair")
    assert s.ok("status", box, "--json").json()["state"] == "held"
    assert s.ok("status", spare, "--json").json()["qty"] == 10
    where = s.ok("where", box, "--json").json()  # the views (projections) agree with the ledger
    assert where["custody"] == "held", where
    s.ok("handover", "prepare", box, spare, "--to", "ppk", "--site", "Gudang", "--purpose", "distribusi",
         "-o", tmp_path / "h.serah", "--as", "kpu-3101")
    s.ok("handover", "accept", tmp_path / "h.serah", "--observed-seals", f"{box}=SG-0001,SG-0002", "--as", "ppk")
    assert _clean(s)
    # The holder's own loss still counts.
    s.ok("incident", "loss", spare, "--description", "hilang", "--as", "ppk")
    assert s.ok("status", spare, "--json").json()["state"] == "lost"


def _clean(s: Serah) -> bool:
    """``serah verify``: no error and no warning about the records (the log's T checks aside: no checkpoint here)."""
    report = s("verify", "--json").json()
    return not [f for f in report["findings"] if f["severity"] != "notice" and not str(f["check"]).startswith("T")]
