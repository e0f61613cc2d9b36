"""Records a custodian writes by hand, through the real ``serah`` command
line: incidents, recounts, conditions, positions, readiness."""

from __future__ import annotations

import re

import pytest

from support.cli import TPS, Serah, build_small_ledger
from support.field import box_at_tps, export, hand, html_text


@pytest.fixture
def s(tmp_path):
    serah = Serah(tmp_path)
    serah.items = build_small_ledger(serah)
    return serah


def test_incident_is_recorded_once_and_answers_with_exit_0(s):
    box = s.items["box"]
    done = s("incident", "damage", box, "--condition", f"{box}=damaged", "--description", "penyok", "--as", "kpu-3101",
             "--json")
    assert done.code == 0, done.err
    assert done.json()["kind"] == "damage" and done.json()["type"] == "incident"
    history = s.ok("history", box, "--json").json()
    assert [r["type"] for r in history].count("incident") == 1


def test_incident_and_condition_may_be_typed_in_indonesian(tmp_path):
    s = Serah(tmp_path, lang="id")
    items = build_small_ledger(s)
    box = items["box"]
    done = s("incident", "kerusakan", box, "--condition", f"{box}=rusak", "--description", "penyok", "--as", "kpu-3101")
    assert done.code == 0, done.err
    assert "kejadian" in done.out  # the record type in the user's language
    assert s.ok("where", box, "--json").json()["condition"] == "damaged"
    bad = s("incident", "kebakaran", box, "--description", "x", "--as", "kpu-3101")
    assert bad.code == 2 and "kerusakan, kehilangan, banjir, lainnya" in bad.err


def test_a_recount_with_other_figures_is_a_discrepancy_not_a_silent_replacement(s):
    box_at_tps(s, s.items)
    ballots = s.items["ballots"]
    s.ok("tally", f"{ballots}=240,24,2", "--as", "kpps")
    s.ok("tally", f"{ballots}=240,24,2", "--as", "kpps")  # the same figures again: nothing to see
    s.ok("tally", f"{ballots}=250,14,2", "--as", "kpps")
    rows = [r for r in s.ok("discrepancies", "--json").json() if r["kind"] == "tally"]
    assert [(r["declared"], r["observed"]) for r in rows] == [([240, 24, 2], [250, 14, 2])]
    assert "count changed" in s.ok("discrepancies").out

    notices = s("verify", "--notices")
    assert "tallied again with other counts: used/unused/spoiled 240/24/2, now 250/14/2" in notices.out
    indonesian = s("verify", "--notices", env={"SERAH_LANG": "id"})
    assert "dihitung ulang dengan angka lain" in indonesian.out


def test_every_command_numbers_a_record_by_its_spec_position(s):
    box = s.items["box"]
    hand(s, [box], "kpu-3101", "ppk", "--condition", f"{box}=wet")
    history = s.ok("history", box, "--json").json()
    accept = history[-1]
    assert accept["type"] == "handover.accept"
    where = s.ok("where", box, "--json").json()
    assert (where["last_record"], where["last_position"]) == (accept["id"], accept["position"])
    (row,) = s.ok("discrepancies", "--json").json()
    assert (row["record"], row["position"]) == (accept["id"], accept["position"])
    (finding,) = [f for f in s("verify", "--notices", "--json").json()["findings"] if f["check"] == "V13"]
    assert (finding["record"], finding["position"]) == (accept["id"], accept["position"])
    # the views built again from nothing number the same way
    s.ok("rebuild")
    assert s.ok("where", box, "--json").json()["last_position"] == accept["position"]


def test_readiness_asks_what_this_ledger_plans_and_exits_1_until_every_tps_is_ready(s):
    late = s("readiness", "3101", "--at", "2099-01-01 00:00", "--json")
    assert late.code == 1
    (station,) = late.json()["tps"]  # one TPS in this ledger, not the 88 of Kepulauan Seribu
    assert station["tps"] == TPS and not station["ready"]
    assert [b["election"] for b in station["ballots"]] == ["PPWP"]  # no DPD demanded of a PPWP-only ledger
    text = s("readiness", "3101", "--at", "2099-01-01 00:00")
    assert text.code == 1 and "0 of 1 TPS ready" in text.out

    box_at_tps(s, s.items)
    for giver, receiver in (("kpu-3101", "ppk"), ("ppk", "pps"), ("pps", "kpps")):
        hand(s, [s.items["spare"]], giver, receiver)
    ready = s("readiness", "3101", "--at", "2099-01-01 00:00")
    assert ready.code == 0 and "1 of 1 TPS ready" in ready.out


def test_times_a_person_reads_are_local_and_json_keeps_utc(s):
    box_at_tps(s, s.items)  # the KPPS accepts today, the vote date: after H-1, a late delivery
    text = s("verify", "--notices").out
    late = next(ln for ln in text.splitlines() if "V17" in ln)  # the box, and the ballots packed in it
    assert "WIB" in late and "UTC" not in late, late
    assert re.search(r"after the H-1 deadline \d{4}-\d\d-\d\d 00:00 WIB", late), late
    data = s("verify", "--notices", "--json").json()
    finding = next(f for f in data["findings"] if f["check"] == "V17")
    assert finding["params"]["deadline"].endswith("UTC")

    paths = export(s, "--item", s.items["box"], html=True, csv=True)
    page = html_text(paths["html"])
    assert "H-1 deadline" in page and "UTC" not in page.split("H-1 deadline")[1][:40]


def test_the_indonesian_interface_has_no_english_words_left(tmp_path):
    s = Serah(tmp_path, lang="id")
    items = build_small_ledger(s)
    box = items["box"]
    s.ok("incident", "kerusakan", box, "--condition", f"{box}=rusak", "--description", "penyok", "--as", "kpu-3101")
    box_at_tps(s, items)
    english = re.compile(r"\b(condition|damaged|damage|wet|other|intact=True|handover\.\w+|register|ballots|box|"
                         r"kind|escort|witness|required|default|OPTIONS|COMMAND|ARGS)\b")
    for args in (["history", box], ["status", box], ["where", box], ["holdings", "--as", "kpps"],
                 ["discrepancies"], ["inventory", "3101"], ["--help"], ["handover", "--help"], ["open", "--help"],
                 ["handover", "show", next(tmp_path.glob("pps-kpps-*.serah"))], ["verify", "--notices"]):
        out = s(*args).out
        out = re.sub(r"KS-\S+|--[a-z-]+|serah \w+ \w*|SERAH_\w+|\$SERAH_HOME\S*", " ", out)  # ids, option names, examples
        out = re.sub(r"(?m)^  (witness|prepare|submit|accept|refuse|show|cosign)\b", " ", out)  # command names
        found = english.findall(out)
        assert not found, (args, found)
    usage = s("incident", "kebakaran", box, "--description", "x", "--as", "kpu-3101")
    assert "kerusakan, kehilangan, banjir, lainnya" in usage.err


def test_a_known_condition_carries_forward_until_someone_observes_otherwise(s):
    box = s.items["box"]
    s.ok("incident", "damage", box, "--condition", f"{box}=damaged", "--description", "penyok", "--as", "kpu-3101")
    hand(s, [box], "kpu-3101", "ppk")  # a plain accept: the PPK said nothing about the condition
    assert s.ok("where", box, "--json").json()["condition"] == "damaged"
    assert s.ok("status", box, "--json").json()["condition"] == "damaged"
    accept = s.ok("history", box, "--json").json()[-1]
    assert accept["type"] == "handover.accept" and accept["line"]["condition"] == "damaged"  # signed as such
    assert [r["kind"] for r in s.ok("discrepancies", "--json").json()] == ["incident"]  # nothing new

    hand(s, [box], "ppk", "pps", "--condition", f"{box}=ok")  # repaired on the way, the PPS says
    assert s.ok("where", box, "--json").json()["condition"] == "ok"
    changed = [r for r in s.ok("discrepancies", "--json").json() if r["kind"] == "condition"]
    assert [(r["declared"], r["observed"]) for r in changed] == [("damaged", "ok")]


def test_the_receivers_answer_and_the_register_list_the_same_differences(s):
    """``handover accept`` tells the receiver, at the moment of signing, the
    differences the discrepancy register will list: one rule for both."""
    box = s.items["box"]
    s.ok("incident", "damage", box, "--condition", f"{box}=damaged", "--description", "penyok", "--as", "kpu-3101")

    def accept_answer(giver, receiver, *observed):
        file = s.root / f"{giver}-{receiver}.serah"
        s.ok("handover", "prepare", box, "--to", receiver, "--site", "Dermaga", "--purpose", "distribusi", "-o", file,
             "--as", giver)
        return s.ok("handover", "accept", file, *observed, "--as", receiver, "--json").json()["discrepancies"]

    # seen damaged again: the known condition carries forward, no new difference anywhere
    assert accept_answer("kpu-3101", "ppk", "--condition", f"{box}=damaged") == []
    assert [r["kind"] for r in s.ok("discrepancies", "--json").json()] == ["incident"]
    # seen ok after being recorded damaged: one difference, the same in both
    said = accept_answer("ppk", "pps", "--condition", f"{box}=ok")
    assert [(d["field"], d["declared"], d["observed"]) for d in said] == [("condition", "damaged", "ok")]
    registered = [r for r in s.ok("discrepancies", "--json").json() if r["kind"] != "incident"]
    assert [(r["kind"], r["declared"], r["observed"]) for r in registered] == [("condition", "damaged", "ok")]
