"""Materialised views (ledger/projections): real ledgers, real keys, real files.

Each view is checked against figures worked out here from the scenario, not
from the views, and the custody view against the ledger's own item state.
"""

from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner

from cli.main import cli
from ledger.projections import Views
from ledger.projections.readiness import deadline_ms
from ledger.projections.runner import Stale
from support.projections import (
    ALL_TPS,
    DISTRICTS,
    KAB,
    TPS,
    TYPES,
    VILLAGES,
    VOTE_DATE,
    World,
    assert_custody_matches_ledger,
    boxes,
    copy_sqlite,
    distribute,
    hand,
    ledger_holdings,
    make_world,
    reference_need,
    return_trip,
    snapshot,
    stock,
    vote,
    wib,
)

H1 = wib("2024-02-13 23:59") + 59_999  # the last millisecond of 13 Feb, WIB


@pytest.fixture
def world(tmp_path) -> World:
    return make_world(str(tmp_path / "ledger.sqlite"))


def rebuilt_copy(w: World, tmp_path) -> dict:
    """Snapshot of views rebuilt from nothing on a copy of the ledger."""
    from ledger.application import Ledger

    copy = str(tmp_path / "copy.sqlite")
    copy_sqlite(w.ledger.recorder.datastore.pool.db_name, copy)
    other = Views(Ledger(copy))
    other.rebuild()
    return snapshot(other)


# --- keeping up ---------------------------------------------------------------------


def test_views_follow_every_append_without_rebuild(world):
    L, views = world.ledger, Views(world.ledger)
    t = ALL_TPS[0]
    L.register(world.kab, [{"item": "BX-A", "kind": "box", "dest": t, "election": "PPWP"},
                           {"item": "SS-A", "kind": "ballots", "dest": t, "qty": 300, "election": "PPWP", "dapil": "X"}])  # fmt: skip
    assert views.item("BX-A")["state"] == "in_store"
    assert views.item("BX-A")["holder"] == world.kab.public
    assert views.item("BX-A")["location"] == KAB
    L.pack(world.kab, "BX-A", ["SS-A"])
    assert views.item("SS-A")["container"] == "BX-A"
    L.seal(world.kab, "BX-A", ["S-1", "S-2"])
    assert views.item("BX-A")["seals"] == ["S-1", "S-2"] and views.item("BX-A")["sealed"]
    d = t[:6]
    envelope = L.prepare(world.kab, world.ppk[d].public, ["BX-A"], d, "Dermaga", "distribusi")
    for item in ("BX-A", "SS-A"):  # the contents travel with the box
        assert views.item(item)["state"] == "in_transit"
    L.accept(world.ppk[d], envelope)
    for item in ("BX-A", "SS-A"):
        row = views.item(item)
        assert (row["state"], row["holder"], row["location"]) == ("in_store", world.ppk[d].public, d)
    hand(world, world.ppk[d], world.pps[t[:10]], ["BX-A"], t[:10])
    hand(world, world.pps[t[:10]], world.kpps[t], ["BX-A"], t)
    assert views.item("SS-A")["state"] == "at_tps"
    # The position moved with every record: nothing left to apply.
    assert views.position() == views.store.last_position()
    assert views.catch_up() == 0


def test_custody_view_equals_the_ledger_state_and_holdings(world, tmp_path):
    items = stock(world, short=(ALL_TPS[1], "DPD"))
    distribute(world, late=ALL_TPS[3])
    L, views = world.ledger, Views(world.ledger)
    # some refusals, incidents and a loss on the way back
    t = ALL_TPS[0]
    envelope = L.prepare(world.kpps[t], world.pps[t[:10]].public, [f"BX-{t}-DPR"], t[:10], "TPS", "kembali")
    L.refuse(world.pps[t[:10]], envelope, "belum waktunya")
    L.incident(world.kpps[t], "damage", "basah", {f"BX-{t}-DPD": {"condition": "wet"}})
    L.incident(world.escort, "loss", "hanyut", {f"BX-{ALL_TPS[2]}-DPD": {}})
    assert_custody_matches_ledger(L, views, items)
    for who in [world.kab, *world.ppk.values(), *world.pps.values(), *world.kpps.values()]:
        assert views.holdings_states(who.public) == ledger_holdings(L, who.public, items) == L.holdings(who.public)
    assert views.item("NOPE") is None


def test_an_item_lost_in_transit_and_refused_stays_lost(world, tmp_path):
    # Found by the property test: the view put a refused item back to "held"
    # even when it had been lost while in transit (the ledger keeps it lost).
    L, t = world.ledger, ALL_TPS[0]
    d = t[:6]
    L.register(world.kab, [{"item": "BX-L", "kind": "box", "dest": t, "election": "DPR"}])
    views = Views(L)
    envelope = L.prepare(world.kab, world.ppk[d].public, ["BX-L"], d, "Dermaga", "distribusi")
    L.incident(world.escort, "loss", "hanyut", {"BX-L": {}})  # a report (SPEC 4.11): no state change
    assert views.item("BX-L")["custody"] == L.item("BX-L").state == "transit"
    L.incident(world.kab, "loss", "hanyut", {"BX-L": {}})  # the holder's: lost
    L.refuse(world.ppk[d], envelope, "tidak sampai")
    assert views.item("BX-L")["custody"] == L.item("BX-L").state == "lost"
    assert_custody_matches_ledger(L, views, ["BX-L"])
    assert rebuilt_copy(world, tmp_path) == snapshot(views)


def test_rebuild_from_nothing_equals_incremental(world, tmp_path):
    views = Views(world.ledger)
    stock(world)
    views.catch_up()
    distribute(world)
    views.catch_up(batch_size=3)  # any batch size
    vote(world)
    return_trip(world)
    views.catch_up()
    incremental = snapshot(views)
    assert incremental == rebuilt_copy(world, tmp_path)
    views.rebuild(max_items=7)  # tiny memory bound: many writes, same result
    assert snapshot(views) == incremental


def test_rebuild_leaves_the_ledgers_own_connections_as_they_were(world):
    """The rebuild's relaxed syncing is on a connection of its own, closed
    afterwards: the connections that append records keep their setting."""
    stock(world)

    def synchronous():
        with world.ledger.recorder.datastore.get_connection(commit=True) as conn:
            return conn.cursor().sqlite_cursor.connection.execute("PRAGMA synchronous").fetchone()[0]

    before = synchronous()
    views = Views(world.ledger)
    views.rebuild()
    assert views.store.storage._bulk is None and not views.store._bulk
    assert synchronous() == before
    distribute(world)  # the ledger still appends, and the views follow
    assert views.catch_up() > 0


def test_envelope_body_is_sliced_exactly():
    import msgpack

    from ledger.projections.model import body_bytes

    for size in (0, 17, 255, 256, 65535, 65536):  # bin 8, bin 16 and bin 32 headers
        body = bytes(range(256)) * (size // 256) + bytes(size % 256)
        envelope = msgpack.packb({"body": body, "sigs": [[b"k" * 32, b"s" * 64]]}, use_bin_type=True)
        assert body_bytes(envelope) == body
    # anything else is decoded the slow way rather than misread
    odd = msgpack.packb({"sigs": [], "body": b"xyz"}, use_bin_type=True)
    assert body_bytes(odd) == b"xyz"


def test_records_decode_to_the_fields_the_views_read():
    import hashlib

    import msgpack

    from ledger.projections.model import ViewError, decode

    body = {
        "v": 1, "type": "handover.accept", "time": 1_700_000_000_000, "author": b"a" * 32, "ledger": b"l" * 32,
        "handover": b"h" * 32,
        "lines": [
            {"item": "BX-1", "prev": b"p" * 32, "seals": ["S-1"], "condition": "ok"},
            {"item": "SS-1", "prev": b"q" * 32, "qty": 7, "note": "kurang"},
        ],
    }  # fmt: skip
    envelope = msgpack.packb({"body": msgpack.packb(body, use_bin_type=True), "sigs": []}, use_bin_type=True)
    (rec,) = decode([(42, envelope)])
    assert (rec.position, rec.id, rec.type, rec.time, rec.author) == (
        42, hashlib.sha256(envelope).digest(), "handover.accept", 1_700_000_000_000, b"a" * 32,
    )  # fmt: skip
    box, ballots = rec.lines
    assert (box.item, box.seals, box.condition, box.qty) == ("BX-1", ["S-1"], "ok", None)
    assert (ballots.item, ballots.qty, ballots.note, ballots.seals, ballots.condition) == ("SS-1", 7, "kurang", None, None)
    assert rec.box is None and rec.seals is None  # fields of other types: absent
    # a field of an unexpected type is an error, never a silently misread view
    bad = msgpack.packb({"body": msgpack.packb({**body, "time": "noon"}, use_bin_type=True), "sigs": []}, use_bin_type=True)
    with pytest.raises(ViewError, match="position 43"):
        list(decode([(43, bad)]))


def test_a_batch_is_applied_exactly_once(world):
    stock(world)
    views = Views(world.ledger)
    views.catch_up()
    before = snapshot(views)
    rows = views.store.records(0, 50)
    with pytest.raises(Stale):
        views.apply(rows, 0)  # already applied: refused, nothing written
    assert snapshot(views) == before
    assert views.catch_up() == 0
    assert snapshot(views) == before


def test_concurrent_readers_apply_each_record_once(world, tmp_path):
    from ledger.application import Ledger

    stock(world)
    distribute(world)
    path = world.ledger.recorder.datastore.pool.db_name
    errors = []

    def catch_up(views):
        try:
            views.catch_up()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    # Four processes' worth of connections (opened one after the other: opening
    # ledgers concurrently is the persistence layer's business, not the views').
    readers = [Views(Ledger(path), batch_size=n) for n in (1, 3, 5, 7)]
    threads = [threading.Thread(target=catch_up, args=(v,)) for v in readers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    views = Views(world.ledger)
    assert views.catch_up() == 0
    assert snapshot(views) == rebuilt_copy(world, tmp_path)


def test_an_old_schema_is_rebuilt_on_first_use(world):
    stock(world)
    views = Views(world.ledger)
    views.catch_up()
    good = snapshot(views)
    with views.store.transaction() as cur:
        cur.execute("UPDATE proj_meta SET value = 'old' WHERE key = 'schema'")
        cur.execute("DELETE FROM proj_item")
    assert Views(world.ledger).item(f"BX-{ALL_TPS[0]}-PPWP") is not None
    assert snapshot(views) == good


# --- inventory ----------------------------------------------------------------------


def test_inventory_counts_and_rolls_up(world):
    stock(world)
    need = reference_need()
    views = Views(world.ledger)
    everything = views.inventory(KAB)
    ballots = {r["election"]: r for r in everything["totals"] if r["kind"] == "ballots"}
    for e in TYPES:  # all packed in sealed boxes at the warehouse
        assert ballots[e]["items"] == len(ALL_TPS)
        assert ballots[e]["qty"] == sum(need[t] for t in ALL_TPS)
        assert ballots[e]["state"] == "in_store"
    box_total = sum(r["items"] for r in everything["totals"] if r["kind"] == "box")
    assert box_total == len(ALL_TPS) * len(TYPES)
    assert set(everything["holders"]) == {world.kab.public}

    distribute(world)
    t = ALL_TPS[0]
    at_tps = views.inventory(t)
    box_rows = [r for r in at_tps["totals"] if r["kind"] == "box"]
    assert {r["state"] for r in box_rows} == {"at_tps"} and sum(r["items"] for r in box_rows) == 4
    assert sum(r["qty"] for r in at_tps["totals"] if r["kind"] == "ballots") == sum(need[t] for _ in TYPES)
    # kelurahan -> its TPS; kecamatan -> its kelurahan; kab/kota -> its kecamatan
    village = views.inventory(t[:10])
    assert set(village["regions"]) == set(TPS[t[:10]])
    district = views.inventory(t[:6])
    assert set(district["regions"]) == {t[:10]}
    regency = views.inventory(KAB)
    assert set(regency["regions"]) == set(DISTRICTS)
    for code in DISTRICTS:
        n = sum(r["qty"] for r in regency["regions"][code] if r["kind"] == "ballots")
        assert n == sum(need[x] * len(TYPES) for x in ALL_TPS if x.startswith(code))
    # per holder
    mine = views.inventory(None, world.kpps[t].public)
    assert sum(r["items"] for r in mine["totals"]) == 4 + 4 + 1  # boxes, ballots, form
    assert views.inventory("3175")["totals"] == []


# --- readiness ----------------------------------------------------------------------


def test_readiness_at_h1_and_at_any_past_moment(world):
    short_tps, late_tps = ALL_TPS[1], ALL_TPS[3]
    stock(world, short=(short_tps, "DPD"), short_by=5)
    views = Views(world.ledger)
    assert deadline_ms(VOTE_DATE, 420) == H1
    before = {s["tps"]: s for s in views.readiness(KAB)["tps"]}
    assert not any(before[t]["ready"] for t in ALL_TPS)
    distribute(world, late=late_tps)
    need = reference_need()

    def check(report):
        by = {s["tps"]: s for s in report["tps"]}
        for t in (ALL_TPS[0], ALL_TPS[2]):
            assert by[t]["ready"], by[t]
            assert by[t]["required"] == by[t]["present"] == 4 + 4 + 1
        short = by[short_tps]
        assert not short["ready"] and short["missing"] == [] and short["ballots_short"] == ["DPD"]
        assert {b["election"]: (b["have"], b["need"]) for b in short["ballots"]}["DPD"] == (need[short_tps] - 5, need[short_tps])
        late = by[late_tps]
        assert not late["ready"] and late["present"] == 0 and len(late["missing"]) == 9
        assert sorted(late["ballots_short"]) == sorted(TYPES)
        return by

    at_h1 = views.readiness(KAB)
    assert at_h1["at"] == H1 and at_h1["vote_date"] == VOTE_DATE
    by = check(at_h1)
    # A TPS of the reference data that this ledger sends nothing to is not this ledger's TPS.
    other = next(t for t in need if t not in ALL_TPS)
    assert other not in by
    districts = {d["district"]: d for d in at_h1["districts"]}
    assert short_tps in districts[short_tps[:6]]["not_ready"]
    assert late_tps in districts[late_tps[:6]]["not_ready"]

    # On voting day at dawn the late delivery has arrived.
    dawn = {s["tps"]: s for s in views.readiness(KAB, at_ms=wib("2024-02-14 06:00"))["tps"]}
    assert dawn[late_tps]["ready"]
    assert not any(views.readiness(KAB, at_ms=wib("2024-02-11 12:00"))["tps"][i]["ready"] for i in range(4))

    # After voting and the return trip nothing is at the TPS any more, yet
    # readiness at H-1 is still what it was then.
    vote(world)
    return_trip(world)
    check(views.readiness(KAB))
    now = {s["tps"]: s for s in views.readiness(KAB, at_ms=wib("2024-03-01 00:00"))["tps"]}
    assert not any(now[t]["ready"] for t in ALL_TPS)
    # --vote-date moves H-1
    assert views.readiness(KAB, vote_date="2024-02-13")["at"] == wib("2024-02-12 23:59") + 59_999


# --- discrepancies ------------------------------------------------------------------


def test_discrepancy_register_and_its_resolution_rule(world):
    L = world.ledger
    t = ALL_TPS[0]
    d, v = t[:6], t[:10]
    L.register(world.kab, [
        {"item": "SS-LOOSE", "kind": "ballots", "dest": t, "qty": 100, "election": "DPR", "dapil": "X"},
        {"item": "BX-1", "kind": "box", "dest": t, "election": "DPR"},
        {"item": "BX-2", "kind": "box", "dest": t, "election": "DPD"},
    ])  # fmt: skip
    L.seal(world.kab, "BX-1", ["S-1"])
    L.seal(world.kab, "BX-2", ["S-2"])
    views = Views(L)
    # short count, different seal, damaged box, in one acceptance
    short_accept = L.accept(
        world.ppk[d],
        L.prepare(world.kab, world.ppk[d].public, ["SS-LOOSE", "BX-1", "BX-2"], d, "Dermaga", "distribusi"),
        observed={"SS-LOOSE": {"qty": 97, "note": "kurang 3"}, "BX-1": {"seals": ["S-9"]},
                  "BX-2": {"condition": "damaged"}},
    )  # fmt: skip
    # refused, then handed over again and accepted: the refusal resolves itself
    refused = L.prepare(world.ppk[d], world.pps[v].public, ["BX-2"], v, "Kantor PPS", "distribusi")
    refusal = L.refuse(world.pps[v], refused, "kotak rusak")
    hand(world, world.ppk[d], world.pps[v], ["BX-2"], v)
    # an incident, and a broken seal found by the KPU at an audit
    incident = L.incident(world.ppk[d], "loss", "tercecer", {"SS-LOOSE": {"qty_lost": 7}})
    hand(world, world.ppk[d], world.kab, ["BX-1"], KAB)
    opened = L.open_box(world.kab, "BX-1", ["S-8"], False, "audit", [world.witness])

    rows = views.discrepancies()
    kinds = sorted((r["kind"], r["item"]) for r in rows)
    assert kinds == sorted([
        ("qty", "SS-LOOSE"), ("seals", "BX-1"), ("condition", "BX-2"), ("refused", "BX-2"),
        ("incident", "SS-LOOSE"), ("broken_seal", "BX-1"), ("seal_mismatch", "BX-1"),
    ])  # fmt: skip
    by = {(r["kind"], r["item"]): r for r in rows}
    qty = by[("qty", "SS-LOOSE")]
    assert (qty["declared"], qty["observed"], qty["detail"]) == (100, 97, "kurang 3")
    assert (qty["author"], qty["counterpart"], qty["place"], qty["record"]) == (world.ppk[d].public, world.kab.public, d, short_accept)
    assert by[("seals", "BX-1")]["declared"] == ["S-1"] and by[("seals", "BX-1")]["observed"] == ["S-9"]
    assert by[("broken_seal", "BX-1")]["declared"] == ["S-9"] and by[("broken_seal", "BX-1")]["observed"] == ["S-8"]
    assert by[("broken_seal", "BX-1")]["record"] == opened
    assert by[("incident", "SS-LOOSE")]["observed"] == {"incident": "loss", "qty_lost": 7}
    assert by[("incident", "SS-LOOSE")]["record"] == incident
    assert by[("refused", "BX-2")]["record"] == refusal
    assert by[("refused", "BX-2")]["detail"] == "kotak rusak"
    assert by[("refused", "BX-2")]["resolved"]  # accepted later
    assert [r["kind"] for r in rows if r["resolved"]] == ["refused"]

    # The acceptor attesting its own record resolves nothing ...
    L.witness(world.ppk[d], short_accept, "sudah dicek")
    assert not any(r["resolved"] for r in views.discrepancies() if r["record"] == short_accept)
    # ... an independent witness does, for every discrepancy of that record.
    attest = L.witness(world.witness, short_accept, "selisih 3 lembar dicatat dalam berita acara")
    resolved = {r["kind"]: r for r in views.discrepancies() if r["record"] == short_accept}
    assert all(r["resolved"] and r["resolved_by"] == attest for r in resolved.values())
    assert resolved["qty"]["resolution"] == "selisih 3 lembar dicatat dalam berita acara"
    assert {r["kind"] for r in views.discrepancies(open_only=True)} == {"incident", "broken_seal", "seal_mismatch"}
    # by place: the kecamatan sees what happened in it and below; another kab/kota nothing
    assert {r["place"] for r in views.discrepancies(d)} == {d, v}
    assert {r["kind"] for r in views.discrepancies(v)} == {"refused"}
    assert views.discrepancies("3175") == []


# --- accounting ---------------------------------------------------------------------


def test_ballot_accounting_per_tps_and_dapil_reconciles(world):
    short_tps = ALL_TPS[1]
    stock(world, short=(short_tps, "DPD"), short_by=0)
    # the batch for short_tps/DPR loses 4 ballots at the PPK (before it was packed? no: in its box)
    need = reference_need()
    distribute(world)
    L = world.ledger
    # One box's ballots come up 3 short when counted at the TPS (recorded as an incident).
    t_lost = ALL_TPS[2]
    L.open_box(world.kpps[t_lost], f"BX-{t_lost}-DPR", [f"SG-{t_lost}-DPR-1"], True, "cek isi", [world.witness],
               exception="pemeriksaan isi sebelum hari H")  # fmt: skip
    L.incident(world.kpps[t_lost], "loss", "3 lembar tidak ada", {f"SS-{t_lost}-DPR": {"qty_lost": 3}})
    L.pack(world.kpps[t_lost], f"BX-{t_lost}-DPR", [f"SS-{t_lost}-DPR"])
    L.seal(world.kpps[t_lost], f"BX-{t_lost}-DPR", [f"SG-{t_lost}-DPR-1b"])
    # remember that seal for vote(): open with the seal it has now
    tallies = {}
    w = world
    w.clock.at(VOTE_DATE + " 07:00")
    for t in ALL_TPS:
        for e in TYPES:
            seal = f"SG-{t}-{e}-1b" if (t, e) == (t_lost, "DPR") else f"SG-{t}-{e}-1"
            L.open_box(w.kpps[t], f"BX-{t}-{e}", [seal], True, "pemungutan suara", [w.witness])
        lines = {}
        for e in TYPES:
            qty = L.item(f"SS-{t}-{e}").qty
            lines[f"SS-{t}-{e}"] = {"used": qty - 10, "unused": 8, "spoiled": 2}
        L.tally(w.kpps[t], lines)
        tallies.update(lines)
    # Spoiled and unused ballots of one TPS go back and are destroyed.
    t_destroy = ALL_TPS[0]
    w.clock.at("2024-02-20 08:00")
    for e in TYPES:
        L.pack(w.kpps[t_destroy], f"BX-{t_destroy}-{e}", [f"SS-{t_destroy}-{e}"])
    hand(w, w.kpps[t_destroy], w.pps[t_destroy[:10]], boxes(t_destroy), t_destroy[:10])
    hand(w, w.pps[t_destroy[:10]], w.ppk[t_destroy[:6]], boxes(t_destroy), t_destroy[:6])
    hand(w, w.ppk[t_destroy[:6]], w.kab, boxes(t_destroy), KAB)
    for e in TYPES:
        L.open_box(w.kab, f"BX-{t_destroy}-{e}", [], True, "pemusnahan", [w.witness])
    L.destroy(w.kab, [f"SS-{t_destroy}-{e}" for e in TYPES], "dicacah", "sisa surat suara", [w.witness])

    report = Views(L).accounting(KAB)
    rows = {(g["tps"], g["election"]): g for g in report["tps"]}
    for t in ALL_TPS:
        for e in TYPES:
            g = rows[(t, e)]
            qty = need[t]
            lost = 3 if (t, e) == (t_lost, "DPR") else 0
            assert (g["printed"], g["received"], g["lost"], g["short"]) == (qty, qty, lost, 0)
            assert (g["used"], g["unused"], g["spoiled"]) == (qty - lost - 10, 8, 2)
            assert g["destroyed"] == (qty - lost if t == t_destroy else 0)
            expected = ["tally_differs", "lost"] if lost else []
            assert g["issues"] == expected, (t, e, g["issues"])
    assert report["unreconciled"] == [rows[(t_lost, "DPR")]]
    dapil = {g["dapil"]: g for g in report["dapil"]}
    for e in TYPES:
        g = dapil[f"DAPIL-{e}"]
        assert g["printed"] == sum(need[t] for t in ALL_TPS)
        assert g["used"] + g["unused"] + g["spoiled"] + g["lost"] == g["printed"]
        assert "conservation" not in g["issues"]
    totals = report["totals"]
    assert totals["printed"] == len(TYPES) * sum(need[t] for t in ALL_TPS)
    assert totals["lost"] == 3 and totals["destroyed"] == sum(need[t_destroy] for _ in TYPES)
    # a place filter narrows to its TPS
    assert {g["tps"] for g in Views(L).accounting(ALL_TPS[0][:6])["tps"]} == set(TPS[VILLAGES[ALL_TPS[0][:6]]])


# --- both backends -------------------------------------------------------------------


def test_views_on_sqlite_and_postgres(db_url, tmp_path):
    w = make_world(db_url)
    items = stock(w)
    views = Views(w.ledger)
    views.catch_up()
    distribute(w)
    assert_custody_matches_ledger(w.ledger, views, items)
    incremental = snapshot(views)
    ready = {s["tps"]: s["ready"] for s in views.readiness(KAB)["tps"]}
    assert all(ready[t] for t in ALL_TPS)
    assert views.inventory(KAB)["totals"]
    views.rebuild()
    assert snapshot(views) == incremental


# --- the CLI ---------------------------------------------------------------------------


def run(db, *args, lang="en"):
    result = CliRunner().invoke(cli, ["--db", db, "--lang", lang, *args], env={"SERAH_DB": None})
    return result.exit_code, result.stdout, result.stderr


def test_cli_read_commands(world, tmp_path):
    stock(world, short=(ALL_TPS[1], "DPD"))
    distribute(world, late=ALL_TPS[3])
    db = world.ledger.recorder.datastore.pool.db_name
    t = ALL_TPS[0]

    code, out, _ = run(db, "where", f"SS-{t}-PPWP")
    assert code == 0 and "at TPS" in out and f"BX-{t}-PPWP" in out and f"KPPS {t}" in out
    code, out, _ = run(db, "where", f"ss-{t}-ppwp", "--json")
    data = json.loads(out)
    assert data["item"] == f"SS-{t}-PPWP" and data["holder"] == world.kpps[t].public.hex() and data["state"] == "at_tps"
    code, _, err = run(db, "where", "NO-SUCH-ITEM")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "NO-SUCH-ITEM" in err

    code, out, _ = run(db, "inventory", KAB)
    assert code == 0 and "Kepulauan Seribu" in out and "Per holder" in out
    data = json.loads(run(db, "inventory", "31.01", "--json")[1])
    assert data["place"] == KAB and sum(r["items"] for r in data["totals"]) == len(ALL_TPS) * 9
    code, out, _ = run(db, "inventory", "--holder", world.kpps[t].public.hex(), "--json")
    data = json.loads(out)
    assert code == 0 and sum(r["items"] for r in data["totals"]) == 9
    assert data["holders"] == [{"holder": world.kpps[t].public.hex(), "name": f"KPPS {t} (KPPS, KPPS {t})", "lines": data["totals"]}]

    code, out, _ = run(db, "readiness", KAB)
    assert code == 1 and "2 of 4 TPS ready" in out and ALL_TPS[3] in out  # 1: some TPS not ready
    code, out, _ = run(db, "readiness", "--vote-date", "2024-02-14", t[:10], "--json")
    by = {s["tps"]: s for s in json.loads(out)["tps"]}
    assert by[t]["ready"] and not by[ALL_TPS[1]]["ready"]
    code, out, _ = run(db, "readiness", t, "--at", "2024-02-11 12:00", "--json")
    assert [s["ready"] for s in json.loads(out)["tps"]] == [False]
    assert run(db, "readiness", "--at", "kemarin")[0] == 2
    assert run(db, "readiness", "31.01.XX")[0] == 2

    world.ledger.incident(world.kpps[t], "damage", "basah", {f"BX-{t}-PPWP": {"condition": "wet"}})
    code, out, _ = run(db, "discrepancies", lang="id")
    assert code == 0 and "kejadian" in out and "basah" in out
    rows = json.loads(run(db, "discrepancies", t, "--open", "--json")[1])
    assert [r["kind"] for r in rows] == ["incident"]

    code, out, _ = run(db, "accounting", KAB)
    assert code == 0 and "DAPIL-DPD" in out and "reconciled" in out
    data = json.loads(run(db, "accounting", KAB, "--json")[1])
    assert data["totals"]["printed"] == sum(r["printed"] for r in data["dapil"])

    code, out, _ = run(db, "rebuild", "--json")
    assert code == 0 and json.loads(out)["records"] == Views(world.ledger).store.count_records()
    code, out, _ = run(db, "rebuild", lang="id")
    assert code == 0 and "dibangun ulang" in out


def test_cli_on_a_missing_ledger_is_one_line(tmp_path):
    code, _, err = run(str(tmp_path / "none.sqlite"), "inventory")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "none.sqlite").exists()


def test_bench_generator_writes_a_valid_ledger(tmp_path):
    """The benchmark's records are valid (the independent verifier finds no
    error or warning) and the views take them in."""
    import importlib.util

    from support import REPO_ROOT

    spec = importlib.util.spec_from_file_location("bench_projections", REPO_ROOT / "bench" / "bench_projections.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "bench.sqlite"
    count = bench.generate(path, 40)
    from ledger.application import Ledger
    from verifier.api import verify

    report = verify(str(path), jobs=1)
    assert report.exit_code == 0, report
    views = Views(Ledger(str(path)))
    assert views.rebuild() == count
    assert views.accounting()["totals"]["tallied"] == len(bench._tps_codes(40)) * 4
