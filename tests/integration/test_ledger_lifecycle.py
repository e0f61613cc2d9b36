"""The whole life of a ballot box in Kepulauan Seribu, through the Python API,
on a real SQLite file with real keys and signatures (the people, clock and
item ids are in tests/support/scenario.py)."""

from __future__ import annotations

import sqlite3
from collections import Counter

from ledger import keys, records
from ledger.application import Ledger
from support.scenario import BALLOTS, BOX, FORM, TPS1, Cast, Clock


def test_full_lifecycle(tmp_path):
    path = str(tmp_path / "kep-seribu.sqlite")
    clock = Clock()
    ledger = Ledger(path, clock=clock)
    cast = Cast()
    cast.setup(ledger, clock)
    assert ledger.custodian(cast.kpu_kab.public).region == "3101"
    assert ledger.custodian(cast.kpu_ri.public).root

    # The printer registers the ballots for TPS 001 (DPT 300 + 2%).
    clock.set("2023-11-20 10:00")
    ledger.register(
        cast.printer,
        [
            {
                "item": BALLOTS,
                "kind": "ballots",
                "dest": TPS1,
                "qty": 306,
                "election": "PPWP",
                "dapil": "DKI JAKARTA",
                "serial": ["PPWP-0000001", "PPWP-0000306"],
            }
        ],
    )
    # ... and ships them to the KPU warehouse, where sortir & lipat counts 305.
    clock.set("2023-12-05 08:00")
    prep = ledger.prepare(
        cast.printer, cast.kpu_kab.public, [BALLOTS], "3101", "Gudang KPU Kab. Kep. Seribu", "pengiriman surat suara",
        escorts=[cast.polair.public],
    )
    clock.set("2023-12-05 14:00")
    accept_id = ledger.accept(
        cast.kpu_kab, prep, {BALLOTS: {"qty": 305, "condition": "damaged", "note": "1 lembar rusak"}}, cosigners=[cast.polair]
    )
    ballots = ledger.item(BALLOTS)
    assert ballots.qty == 305 and ballots.holder == cast.kpu_kab.public and ballots.location == "3101"
    accept = records.parse(ledger.record(accept_id))
    assert records.parse(prep).lines[0]["qty"] == 306  # declared
    assert accept.lines[0]["qty"] == 305  # observed: the discrepancy is in the record
    assert accept.cosigners == [cast.polair.public]

    # The KPU registers the box and the result form, packs and seals.
    clock.set("2024-01-20 09:00")
    ledger.register(
        cast.kpu_kab,
        [
            {"item": BOX, "kind": "box", "dest": TPS1, "election": "PPWP"},
            {"item": FORM, "kind": "form", "dest": TPS1, "qty": 1, "label": "C.Hasil-PPWP"},
        ],
    )
    ledger.pack(cast.kpu_kab, BOX, [BALLOTS, FORM])
    ledger.seal(cast.kpu_kab, BOX, ["SGL-0001", "SGL-0002"])
    box = ledger.item(BOX)
    assert box.contents == sorted([BALLOTS, FORM]) and box.seals == ["SGL-0001", "SGL-0002"]
    assert ledger.item(BALLOTS).container == BOX

    # Down the chain: KPU -> PPK (by boat, escorted) -> PPS -> KPPS by H-1.
    steps = [
        ("2024-02-08 07:00", cast.kpu_kab, cast.ppk, "310101", "Dermaga Kali Adem, Muara Angke"),
        ("2024-02-11 09:00", cast.ppk, cast.pps, "3101011001", "Kantor Kelurahan Pulau Panggang"),
        ("2024-02-13 10:00", cast.pps, cast.kpps, TPS1, "TPS 001 Pulau Panggang"),
    ]
    for when, giver, taker, place, site in steps:
        clock.set(when)
        prep = ledger.prepare(giver, taker.public, [BOX], place, site, "distribusi logistik")
        assert ledger.item(BOX).state == "transit"
        assert ledger.item(BALLOTS).state == "transit"  # it moves with its box
        ledger.accept(taker, prep)
        assert ledger.item(BOX).holder == taker.public
        assert ledger.item(BALLOTS).holder == taker.public
        assert ledger.item(BALLOTS).location == taker_region(cast, taker)

    # Voting day: the KPPS opens the box in front of the Panwas.
    clock.set("2024-02-14 07:00")
    ledger.open_box(cast.kpps, BOX, ["SGL-0001", "SGL-0002"], True, "pembukaan kotak suara di TPS", [cast.panwas])
    assert ledger.item(BOX).seals == [] and ledger.item(BOX).contents == []
    assert ledger.item(BALLOTS).container is None and ledger.item(BALLOTS).holder == cast.kpps.public

    clock.set("2024-02-14 15:00")
    ledger.tally(cast.kpps, {BALLOTS: {"used": 280, "unused": 23, "spoiled": 2}})
    assert ledger.item(BALLOTS).tally == {"used": 280, "unused": 23, "spoiled": 2}

    clock.set("2024-02-14 19:00")
    ledger.pack(cast.kpps, BOX, [BALLOTS, FORM])
    ledger.seal(cast.kpps, BOX, ["SGL-9001"])

    # Back up: KPPS -> PPS -> PPK -> KPU warehouse.
    steps = [
        ("2024-02-14 21:00", cast.kpps, cast.pps),
        ("2024-02-15 10:00", cast.pps, cast.ppk),
        ("2024-02-17 10:00", cast.ppk, cast.kpu_kab),
    ]
    for when, giver, taker in steps:
        clock.set(when)
        prep = ledger.prepare(giver, taker.public, [BOX], taker_region(cast, taker), "gudang", "pengembalian logistik")
        ledger.accept(taker, prep)
    assert ledger.item(BOX).holder == cast.kpu_kab.public

    # Pemusnahan: the KPU opens the box and destroys the ballots, witnessed.
    clock.set("2024-02-27 09:00")
    ledger.open_box(cast.kpu_kab, BOX, ["SGL-9001"], True, "pemusnahan surat suara", [cast.bawaslu])
    destroy_id = ledger.destroy(cast.kpu_kab, [BALLOTS, BOX], "dicacah", "pasca pemilu", [cast.bawaslu])
    assert ledger.item(BALLOTS).state == "destroyed"
    assert ledger.item(BOX).state == "destroyed"
    assert ledger.item(FORM).holder == cast.kpu_kab.public  # the form is kept (arsip)

    # The history of the ballots, in order, names every custodian.
    history = ledger.history(BALLOTS)
    types = [v.type for v in history]
    assert types[0] == "register" and types[-1] == "destroy"
    assert Counter(types)["handover.accept"] == 7  # 1 loose, 6 in its box
    via_box = [v for v in history if v.via == BOX]
    assert {v.type for v in via_box} == {"seal", "handover.prepare", "handover.accept"}
    assert all(v.line["item"] == BOX for v in via_box)
    assert [v.author for v in history if v.type == "handover.accept"][1:4] == [
        cast.ppk.public, cast.pps.public, cast.kpps.public
    ]
    assert "open" in types and "tally" in types
    assert [v.position for v in history] == sorted(v.position for v in history)
    assert history[-1].id == destroy_id and history[-1].cosigners == [cast.bawaslu.public]

    # Every record is in the table as exactly its envelope bytes.
    envelopes = list(ledger.records())
    assert len(envelopes) == len({e for _, e in envelopes})
    con = sqlite3.connect(path)
    rows = con.execute("SELECT state FROM stored_events WHERE topic = 'serah:record' ORDER BY rowid").fetchall()
    con.close()
    assert [r[0] for r in rows] == [e for _, e in envelopes]
    # And the chains close: each line's prev is the previous record naming the item.
    heads: dict[str, bytes | None] = {}
    for _, envelope in envelopes:
        rec = records.parse(envelope)
        for line in rec.lines:
            assert line["prev"] == heads.get(line["item"]), (rec.type, line["item"])
            heads[line["item"]] = rec.id
    assert ledger.holdings(cast.kpu_kab.public)[0].id == FORM

    # A fresh process (a new Ledger on the same file) sees the same state.
    again = Ledger(path)
    assert again.ledger_id == ledger.ledger_id
    assert again.item(BALLOTS) == ledger.item(BALLOTS)
    assert again.genesis_body["vote_date"] == "2024-02-14"


def taker_region(cast: Cast, signer: keys.Signer) -> str:
    for name, key in cast.keys.items():
        if key.public == signer.public:
            return Cast.PEOPLE[name][1]
    raise KeyError(signer)
