"""`serah demo`: the Kepulauan Seribu election, end to end, with right figures."""

from __future__ import annotations

import csv

import pytest

from support import REPO_ROOT
from support.cli import Serah

CSV = REPO_ROOT / "ledger" / "data" / "kepulauan_seribu_tps.csv"


def expected_ballots_per_type() -> int:
    """Sum over TPS of ceil(1.02 * voters), in integers, straight from the CSV."""
    with CSV.open(encoding="utf-8") as f:
        return sum(-(-int(row["voters"]) * 102 // 100) for row in csv.DictReader(f))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    s = Serah(root)
    db = root / "demo.sqlite"
    result = s("--json", "demo", "--db", db)
    assert result.code == 0, result.err
    return s, db, result.json()


def test_demo_figures(demo):
    _, _, summary = demo
    assert summary["tps"] == {"total": 88, "regular": 80, "special": 8}
    assert summary["voters"] == 22036
    per_type = expected_ballots_per_type()
    assert summary["ballots_per_type"] == {k: per_type for k in ("PPWP", "DPR", "DPD", "DPRD_PROV")}
    assert summary["ballots_total"] == 4 * per_type
    assert summary["supplementary"] == 6
    assert summary["custodians"] == {"kpu": 3, "printer": 1, "ppk": 2, "pps": 6, "kpps": 88, "escort": 3, "witness": 9}
    levels = {lv["level"]: (lv["handovers"], lv["items"]) for lv in summary["levels"]}
    assert levels == {
        "kpu": (2, 353), "ppk": (2, 352), "pps": (6, 352), "kpps": (88, 352),
        "pps-return": (88, 352), "ppk-return": (6, 352), "kpu-return": (2, 352),
    }
    for kind, row in summary["tally"].items():
        assert row["received"] == per_type, kind  # the short batch was made good
        assert row["used"] + row["unused"] + row["spoiled"] == row["received"]
        assert 0 < row["used"] <= 22036
    assert summary["final"] == {"boxes_at_kpu": 352, "boxes_sealed": 352, "boxes": 352}


def test_demo_incidents_discrepancies_and_late_delivery(demo):
    _, _, summary = demo
    fields = sorted((d["field"], d["item"]) for d in summary["discrepancies"])
    assert fields == [("condition", "KS-3101021002003-DPRD_PROV"), ("qty", "KS-3101021003002-DPD-SS")]
    short = next(d for d in summary["discrepancies"] if d["field"] == "qty")
    assert short["declared"] - short["observed"] == 6
    assert sorted(i["kind"] for i in summary["incidents"]) == ["damage", "other"]
    assert [late["tps"] for late in summary["late"]] == ["3101021003005"]


def test_demo_times_run_from_november_to_february(demo):
    s, db, _ = demo
    history = s.ok("--db", db, "--json", "history", "KS-3101011001001-PPWP-SS").json()
    times = [h["time"] for h in history]
    assert times == sorted(times)
    assert times[0] == 1702256400000  # 2023-12-11 08:00 WIB, printed
    assert times[-1] < 1708300800000  # before 2024-02-19 07:00 WIB


def test_demo_ledger_verifies_clean_with_the_expected_notices(demo):
    s, db, _ = demo
    result = s("--json", "verify", db)
    assert result.code == 0, result.out[:2000]
    report = result.json()
    assert report["summary"]["error"] == 0 and report["summary"]["warning"] == 0
    # T1, T3: the checkpoint's log and witness keys were taken from the ledger itself
    assert report["summary"]["by_check"] == {"T1": 1, "T3": 1, "V13": 2, "V17": 1, "V18": 2}
    keys = demo[2]["checkpoint"]
    pinned = s("--json", "verify", db, "--log-key", keys["log_key"], "--witness-key", keys["witness_keys"][0])
    assert pinned.code == 0, pinned.out[:2000]
    assert pinned.json()["summary"]["by_check"] == {"V13": 2, "V17": 1, "V18": 2}


def test_demo_human_summary_in_both_languages(demo):
    s, db, _ = demo
    # Rendering is pure: feed the same summary through both languages.
    from cli.commands.demo import render
    from cli.demo import Summary
    from cli.i18n import set_lang

    data = s.ok("--db", db, "--json", "status", "KS-3101011001001-PPWP").json()
    assert data["holder"]  # the box is back with KPU
    summary = Summary(**demo[2])
    try:
        set_lang("id")
        indonesian = render(summary)
        set_lang("en")
        english = render(summary)
    finally:
        set_lang(None)
    assert "22.036" in indonesian and "22,036" in english
    assert "Kepulauan Seribu" in indonesian and indonesian != english


def test_demo_refuses_to_overwrite(demo):
    s, db, _ = demo
    before = db.read_bytes()
    result = s("demo", "--db", db)
    assert result.code == 2 and len(result.err_lines) == 1 and "--force" in result.err
    assert db.read_bytes() == before


def test_demo_log_is_checkpointed_and_cosigned(demo):
    """The demo ends with a checkpoint of every record, cosigned by Bawaslu's
    witness key, so an evidence bundle can be exported and verified at once."""
    s, db, summary = demo
    assert summary["checkpoint"]["size"] == summary["records"]
    assert summary["checkpoint"]["witnesses"] == ["bawaslu.go.id/3101/demo"]
    shown = s.ok("--db", db, "--json", "checkpoint", "--show").json()
    assert shown["size"] == summary["records"]
    assert [c["name"] for c in shown["cosignatures"]] == ["bawaslu.go.id/3101/demo"]
    bundle = db.parent / "tps.bukti"
    s.ok("--db", db, "export", "--tps", "3101021003005", "-o", bundle)
    from verifier.bundle import verify_file

    report = verify_file(bundle)
    assert report.exit_code == 0, [f.code for f in report.findings]


def test_demo_damaged_box_stays_damaged_in_where(demo):
    from cli.demo import DAMAGED_TPS, DAMAGED_TYPE, box_id

    s, db, _ = demo
    where = s.ok("--db", db, "where", box_id(DAMAGED_TPS, DAMAGED_TYPE), "--json").json()
    assert where["condition"] == "damaged"  # carried through every later handover (SPEC 4.9)
