"""The whole life of a ballot box in Kepulauan Seribu, through the Python API,
on a real SQLite file with real keys and signatures.

Also home of the :class:`Cast` and :class:`Clock` the other ``test_ledger_*``
modules build their worlds from.
"""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
from collections import Counter

from ledger import keys, records
from ledger.application import Ledger

WIB = datetime.timezone(datetime.timedelta(hours=7))

TPS1 = "3101011001001"  # TPS 001, Pulau Panggang, Kepulauan Seribu Utara
TPS2 = "3101011001002"
BALLOTS = "KS-3101011001001-PPWP"
BOX = "KS-3101011001001-BOX-PPWP"
FORM = "KS-3101011001001-C-HASIL-PPWP"


def ms(text: str) -> int:
    """``"2024-02-14 07:00"`` in WIB, as SPEC 2.2 milliseconds."""
    moment = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=WIB)
    return int(moment.timestamp() * 1000)


class Clock:
    """A settable clock; every reading is one second after the previous one,
    so records in a test have distinct, increasing times."""

    def __init__(self, start: str = "2023-11-01 09:00") -> None:
        self.now = ms(start)

    def set(self, text: str) -> None:
        self.now = max(self.now, ms(text))

    def __call__(self) -> int:
        self.now += 1000
        return self.now


class Cast:
    """The people of the scenario: deterministic keys (seeded by name), so
    that a child process can rebuild any of them without pickling a key."""

    PEOPLE = {
        # name: (role, region, person, organisation)
        "kpu_ri": ("kpu", "", "Ketua KPU RI", "KPU RI"),
        "kpu_dki": ("kpu", "31", "Ketua KPU DKI", "KPU Provinsi DKI Jakarta"),
        "kpu_kab": ("kpu", "3101", "Ketua KPU Kab. Kep. Seribu", "KPU Kab. Kep. Seribu"),
        "printer": ("printer", "", "Manajer Produksi", "PT Percetakan Nusantara"),
        "ppk": ("ppk", "310101", "Ketua PPK", "PPK Kepulauan Seribu Utara"),
        "pps": ("pps", "3101011001", "Ketua PPS", "PPS Pulau Panggang"),
        "kpps": ("kpps", TPS1, "Ketua KPPS 001", "KPPS TPS 001 Pulau Panggang"),
        "kpps2": ("kpps", TPS2, "Ketua KPPS 002", "KPPS TPS 002 Pulau Panggang"),
        "ppk_selatan": ("ppk", "310102", "Ketua PPK", "PPK Kepulauan Seribu Selatan"),
        "bawaslu": ("witness", "3101", "Anggota Bawaslu", "Bawaslu Kab. Kep. Seribu"),
        "panwas": ("witness", "3101011001", "Pengawas Kelurahan", "Panwaslu Kel. Pulau Panggang"),
        "polair": ("escort", "31", "Bripka Polair", "Polair Polda Metro Jaya"),
    }
    ENROLLED_BY = {
        "kpu_dki": "kpu_ri",
        "kpu_kab": "kpu_dki",
        "printer": "kpu_ri",
        "polair": "kpu_dki",
    }

    def __init__(self) -> None:
        self.keys = {name: self.signer(name) for name in self.PEOPLE}

    @staticmethod
    def signer(name: str) -> keys.Signer:
        return keys.from_seed(hashlib.sha256(b"serah-test:" + name.encode()).digest())

    def __getattr__(self, name: str) -> keys.Signer:
        try:
            return self.__dict__["keys"][name]
        except KeyError:
            raise AttributeError(name) from None

    def setup(self, ledger: Ledger, clock: Clock) -> None:
        """Genesis and delegated enrolment: KPU RI -> KPU DKI -> KPU Kab."""
        clock.set("2023-11-01 09:00")
        ledger.genesis(
            [self.kpu_ri],
            "serah.kpu.go.id/3101/pemilu-2024",
            "Pemilu 2024",
            "2024-02-14",
            root_names=["Ketua KPU RI"],
        )
        for name, (role, region, person, org) in self.PEOPLE.items():
            if name == "kpu_ri":
                continue
            author = self.keys[self.ENROLLED_BY.get(name, "kpu_kab")]
            ledger.enrol(author, self.keys[name].public, role, region, person, org)


def dump(path) -> list[str]:
    """Every table, every row: two dumps are equal iff nothing was written."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


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
