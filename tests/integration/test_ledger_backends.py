"""The ledger behaves the same on SQLite and PostgreSQL (``db_url`` runs each
test on both): records are stored as their envelope bytes, batched loads and
positions work, refusals write nothing, and racing writers conflict."""

from __future__ import annotations

import pytest

from ledger import records
from ledger.application import Ledger
from ledger.errors import Conflict, DuplicateRecord, NotHolder
from support.scenario import BALLOTS, BOX, TPS1, Cast, Clock


def _world(db_url):
    clock, cast = Clock(), Cast()
    ledger = Ledger(db_url, clock=clock)
    cast.setup(ledger, clock)
    clock.set("2024-01-20 09:00")
    ledger.register(
        cast.kpu_kab,
        [
            {"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"},
            {"item": BALLOTS, "kind": "ballots", "dest": TPS1, "qty": 306, "election": "PPWP", "dapil": "DKI"},
        ]
        + [{"item": f"KS-BATCH-{i:04d}", "kind": "form", "dest": TPS1, "qty": 1} for i in range(600)],
    )
    return ledger, clock, cast


def _snapshot(ledger):
    return [p for p, _ in ledger.records()], ledger.recorder.max_notification_id()


def test_same_behaviour_on_both_backends(db_url):
    ledger, clock, cast = _world(db_url)
    ledger.pack(cast.kpu_kab, BOX, [BALLOTS])
    ledger.seal(cast.kpu_kab, BOX, ["SGL-1"])
    # More items than one page of ids (500): batched loads page correctly.
    batch = [BOX] + [f"KS-BATCH-{i:04d}" for i in range(600)]
    prep = ledger.prepare(cast.kpu_kab, cast.ppk.public, batch, "310101", "Dermaga", "distribusi")
    ledger.accept(cast.ppk, prep, {"KS-BATCH-0007": {"qty": 0, "condition": "missing"}})
    assert ledger.item(BALLOTS).holder == cast.ppk.public
    assert ledger.item("KS-BATCH-0007").qty == 0
    assert len(ledger.holdings(cast.ppk.public)) == 602

    history = ledger.history(BALLOTS)
    positions = [v.position for v in history]
    assert None not in positions and positions == sorted(positions)
    assert [v.type for v in history] == ["register", "pack", "seal", "handover.prepare", "handover.accept"]

    envelopes = list(ledger.records())
    assert [records.parse(e).id for _, e in envelopes][0] == ledger.ledger_id
    assert list(ledger.records(after=envelopes[-2][0])) == envelopes[-1:]

    before = _snapshot(ledger)
    with pytest.raises(NotHolder):
        ledger.prepare(cast.pps, cast.kpps.public, [BOX], TPS1, "s", "p")
    with pytest.raises(DuplicateRecord):
        ledger.submit(prep)
    assert _snapshot(ledger) == before

    again = Ledger(db_url)
    assert again.item(BOX) == ledger.item(BOX)
    again.close()
    ledger.close()


def test_racing_writers_conflict_on_both_backends(db_url):
    ledger, clock, cast = _world(db_url)
    prep = ledger.prepare(cast.kpu_kab, cast.ppk.public, [BOX], "310101", "Dermaga", "distribusi")
    other = Ledger(db_url, clock=lambda: clock() + 1)
    # Both check the same state; the first save wins, the second conflicts.
    work_a, work_b = ledger._work(), other._work()
    rec_a = _accept_record(ledger, work_a, cast, prep, clock())
    rec_b = _accept_record(other, work_b, cast, prep, clock() + 7)
    ledger._commit(work_a)
    before = _snapshot(ledger)
    with pytest.raises(Conflict):
        other._commit(work_b)
    assert _snapshot(ledger) == before
    assert ledger.item(BOX).head == rec_a.id != rec_b.id
    other.close()
    ledger.close()


def _accept_record(ledger, work, cast, prep, time_ms):
    body = records.build(
        "handover.accept", cast.ppk, ledger.ledger_id, time_ms, handover=records.record_id(prep),
        lines=[{"item": BOX, "prev": records.record_id(prep), "seals": [], "condition": "ok"}],
    )
    rec = records.sign_record(body, cast.ppk)
    ledger._apply(rec, work)
    return rec
