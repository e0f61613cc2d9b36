"""One numbering for records (SPEC 1): a record's position is its 0-based
index in the global order, the same as its transparency-log leaf index."""

from __future__ import annotations

import pytest

from ledger import records
from ledger.application import Ledger
from ledger.errors import UnknownRecord
from ledger.tlog.log import TransparencyLog
from support.cli import Serah, build_small_ledger
from support.scenario import BOX, TPS1, Cast, Clock


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("positions") / "ledger.sqlite")
    clock, cast = Clock(), Cast()
    ledger = Ledger(path, clock=clock)
    cast.setup(ledger, clock)
    clock.set("2024-02-08 07:00")
    ledger.register(cast.kpu_kab, [{"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"}])
    for giver, taker, place in [(cast.kpu_kab, cast.ppk, "310101"), (cast.ppk, cast.pps, "3101011001")]:
        prep = ledger.prepare(giver, taker.public, [BOX], place, "gudang", "distribusi")
        ledger.accept(taker, prep)
    yield ledger, cast
    ledger.close()


def test_history_positions_are_0_based_places_in_global_order(world):
    ledger, _ = world
    rows = list(ledger.records())
    order = {records.record_id(envelope): i for i, (_, envelope) in enumerate(rows)}
    # Storage row numbers have gaps (index rows sit between records): they
    # are a cursor, not the position.
    assert [n for n, _ in rows] != list(range(1, len(rows) + 1))

    history = ledger.history(BOX)
    assert [v.type for v in history][:1] == ["register"] and len(history) == 5
    assert [v.position for v in history] == [order[v.id] for v in history]
    assert ledger.position(ledger.ledger_id) == 0

    log = TransparencyLog(ledger)
    for view in history:
        assert log.leaf_index(view.id) == view.position
        assert log.envelope_at(view.position) == ledger.record(view.id)
    assert ledger.positions([]) == {}
    with pytest.raises(UnknownRecord):
        ledger.position(b"\x00" * 32)


def test_cli_history_and_status_show_positions(tmp_path):
    s = Serah(tmp_path)
    items = build_small_ledger(s)
    ledger = Ledger(s.db)
    order = {records.record_id(e).hex(): i for i, (_, e) in enumerate(ledger.records())}
    ledger.close()

    history = s.ok("--json", "history", items["box"]).json()
    assert [h["position"] for h in history] == [order[h["id"]] for h in history]
    status = s.ok("--json", "status", items["box"]).json()
    assert status["head_position"] == order[status["head"]] == history[-1]["position"]
    text = s.ok("status", items["box"]).out
    assert "last record pos." in text and f"{history[-1]['position']}" in text
