"""The views of the `serah demo` ledger (Kepulauan Seribu, Pemilu 2024).

The expected figures are computed here from the scenario's own data (the
reference TPS list, the dapil table and the scripted incidents in
cli/demo.py), never read from the views or the ledger.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from cli import demo
from ledger import regions
from ledger.application import Ledger
from ledger.projections import Views
from support.projections import snapshot


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    demo.build(path)
    return Views(Ledger(path))


TPS = regions.kepulauan_seribu_tps()
DAPIL = {k: v["value"] for k, v in regions.dki_election()["kepulauan_seribu"]["dapil"].items()}


def expected_tally(t) -> dict[tuple[str, str], dict[str, int]]:
    """What the KPPS of TPS ``t`` counted, per election type (the demo's rule:
    every voter present takes one ballot of each type, a few are spoiled)."""
    present = t.voters * (70 + demo.h(t.tps_code, "turnout") % 19) // 100
    out = {}
    for k in demo.TYPES:
        spoiled = demo.h(t.tps_code, k, "spoiled") % 3
        out[k] = {"used": present, "spoiled": spoiled, "unused": t.ballots_per_type - present - spoiled}
    return out


def test_demo_readiness_at_h1(views):
    report = views.readiness("3101")
    assert report["vote_date"] == demo.VOTE_DATE
    assert report["at"] == demo.wib("2024-02-14 00:00") - 1
    by = {s["tps"]: s for s in report["tps"]}
    assert set(by) == {t.tps_code for t in TPS}
    for t in TPS:
        s = by[t.tps_code]
        extra = 1 if t.tps_code == demo.SHORT_TPS else 0  # the supplementary ballot batch
        assert s["required"] == 3 * len(demo.TYPES) + extra  # box, ballots, forms per type
        want = {k: t.ballots_per_type for k in demo.TYPES}
        if t.tps_code == demo.LATE_TPS:
            assert not s["ready"] and s["present"] == 0 and len(s["missing"]) == s["required"]
            assert {b["election"]: b["have"] for b in s["ballots"]} == {k: 0 for k in demo.TYPES}
        else:
            assert s["ready"] and s["present"] == s["required"], t.tps_code
            # the short batch plus its supplement make exactly DPT + 2 %
            assert {b["election"]: b["have"] for b in s["ballots"]} == want
        assert {b["election"]: b["need"] for b in s["ballots"]} == want
    per_district = defaultdict(lambda: [0, 0])
    for t in TPS:
        per_district[t.district_code][0] += 1
        per_district[t.district_code][1] += t.tps_code != demo.LATE_TPS
    assert {d["district"]: [d["tps"], d["ready"]] for d in report["districts"]} == dict(per_district)
    assert [d["not_ready"] for d in report["districts"] if d["not_ready"]] == [[demo.LATE_TPS]]


def test_demo_readiness_after_the_late_boat(views):
    by = {s["tps"]: s["ready"] for s in views.readiness("3101", at_ms=demo.wib("2024-02-14 06:00"))["tps"]}
    assert all(by.values()) and len(by) == len(TPS)
    # before the PPS deliveries nothing is ready
    by = {s["tps"]: s["ready"] for s in views.readiness("3101", at_ms=demo.wib("2024-02-11 12:00"))["tps"]}
    assert not any(by.values())


def test_demo_ballot_accounting(views):
    report = views.accounting("3101")
    rows = {(g["tps"], g["election"]): g for g in report["tps"]}
    assert len(rows) == len(TPS) * len(demo.TYPES)
    dapil = defaultdict(lambda: defaultdict(int))
    for t in TPS:
        tally = expected_tally(t)
        for k in demo.TYPES:
            g = rows[(t.tps_code, k)]
            short = demo.SHORT_BY if (t.tps_code, k) == (demo.SHORT_TPS, demo.SHORT_TYPE) else 0
            want = {
                "printed": t.ballots_per_type + short,  # the short batch as printed, and its supplement
                "received": t.ballots_per_type,
                "short": short,
                "lost": 0,
                "destroyed": 0,
                **tally[k],
            }
            assert {f: g[f] for f in want} == want, (t.tps_code, k)
            assert g["issues"] == (["short"] if short else [])
            for f, v in want.items():
                dapil[DAPIL[k]][f] += v
    assert [(g["tps"], g["election"]) for g in report["unreconciled"]] == [(demo.SHORT_TPS, demo.SHORT_TYPE)]
    got = {g["dapil"]: g for g in report["dapil"]}
    assert set(got) == set(dapil)
    for name, want in dapil.items():
        assert {f: got[name][f] for f in want} == dict(want), name
    voters = sum(t.voters for t in TPS)
    assert voters == 22_036  # KPU's figure for Kepulauan Seribu
    totals = report["totals"]
    assert totals["printed"] == len(demo.TYPES) * sum(t.ballots_per_type for t in TPS) + demo.SHORT_BY
    assert totals["used"] + totals["unused"] + totals["spoiled"] + totals["short"] == totals["printed"]


def test_demo_discrepancies_and_inventory(views):
    rows = views.discrepancies()
    got = sorted((r["kind"], r["item"]) for r in rows)
    late_boxes = [demo.box_id(demo.LATE_TPS, k) for k in demo.TYPES]
    damaged = demo.box_id(demo.DAMAGED_TPS, demo.DAMAGED_TYPE)
    assert got == sorted(
        [("qty", demo.ballots_id(demo.SHORT_TPS, demo.SHORT_TYPE)), ("condition", damaged), ("incident", damaged)]
        + [("incident", b) for b in late_boxes]
    )
    assert not any(r["resolved"] for r in rows)  # nobody attested them in the demo
    qty = next(r for r in rows if r["kind"] == "qty")
    per_type = next(t.ballots_per_type for t in TPS if t.tps_code == demo.SHORT_TPS)
    assert (qty["declared"], qty["observed"], qty["place"]) == (per_type, per_type - demo.SHORT_BY, "3101")
    # At the end every box is back, resealed, at the KPU warehouse.
    inventory = views.inventory("3101")
    boxes = [r for r in inventory["totals"] if r["kind"] == "box"]
    assert {r["state"] for r in boxes} == {"resealed"}
    assert sum(r["items"] for r in boxes) == len(TPS) * len(demo.TYPES)
    assert set(inventory["regions"]) == {"3101"}


def test_demo_views_rebuild_to_the_same_rows(views):
    views.catch_up()
    before = snapshot(views)
    views.rebuild()
    assert snapshot(views) == before
