"""A small real ledger for the projection tests, and a view snapshot.

Everything is real: a SQLite file (or a PostgreSQL database), Ed25519 keys,
signed records appended through :class:`ledger.application.Ledger`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import sqlite3
from dataclasses import dataclass, field

from ledger import keys
from ledger.application import Ledger
from ledger.projections.runner import TABLES

WIB = _dt.timezone(_dt.timedelta(hours=7))
VOTE_DATE = "2024-02-14"

# Kepulauan Seribu: two kecamatan, one kelurahan each, two TPS each (all in
# the bundled reference data, so readiness also checks ballot counts).
KAB = "3101"
DISTRICTS = ("310101", "310102")
VILLAGES = {"310101": "3101011001", "310102": "3101021001"}
TPS = {"3101011001": ("3101011001001", "3101011001002"), "3101021001": ("3101021001001", "3101021001002")}
ALL_TPS = tuple(t for v in TPS.values() for t in v)
TYPES = ("PPWP", "DPR", "DPD", "DPRD_PROV")


def wib(text: str) -> int:
    return int(_dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=WIB).timestamp() * 1000)


class Clock:
    """Deterministic time: a second per record, jumps forward on request."""

    def __init__(self, start: str = "2023-12-01 08:00") -> None:
        self.now = wib(start)

    def at(self, text: str) -> None:
        self.now = max(self.now, wib(text))

    def __call__(self) -> int:
        self.now += 1000
        return self.now


def signer(label: str):
    return keys.from_seed(hashlib.sha256(f"serah-test-views/{label}".encode()).digest())


@dataclass
class World:
    """A ledger with its cast of custodians, by role and region."""

    ledger: Ledger
    clock: Clock
    root: object
    kab: object
    printer: object
    witness: object
    escort: object
    ppk: dict = field(default_factory=dict)
    pps: dict = field(default_factory=dict)
    kpps: dict = field(default_factory=dict)

    def holder_of(self, region: str):
        """The custodian whose region is ``region`` (kab, ppk, pps or kpps)."""
        if region == KAB:
            return self.kab
        return {**self.ppk, **self.pps, **self.kpps}[region]

    def by_key(self, key: bytes):
        for s in [self.root, self.kab, self.printer, self.witness, self.escort, *self.ppk.values(), *self.pps.values(), *self.kpps.values()]:
            if s.public == key:
                return s
        raise KeyError(key.hex())


def make_world(db: str, clock: Clock | None = None) -> World:
    clock = clock or Clock()
    ledger = Ledger(db, clock=clock)
    root = signer("kpu-ri")
    w = World(ledger, clock, root, signer("kpu-3101"), signer("printer"), signer("bawaslu"), signer("polair"))
    ledger.genesis([root], "serah.test/3101", "Pemilu 2024", VOTE_DATE, 420, root_names=["KPU RI"])
    ledger.enrol(root, w.kab.public, "kpu", KAB, "KPU Kep. Seribu", "KPU Kab. Adm. Kepulauan Seribu")
    ledger.enrol(root, w.printer.public, "printer", "", "Percetakan", "PT Percetakan")
    ledger.enrol(w.kab, w.witness.public, "witness", KAB, "Bawaslu", "Bawaslu Kep. Seribu")
    ledger.enrol(w.kab, w.escort.public, "escort", KAB, "Polair", "Ditpolairud")
    for d in DISTRICTS:
        w.ppk[d] = signer(f"ppk-{d}")
        ledger.enrol(w.kab, w.ppk[d].public, "ppk", d, f"PPK {d}", f"PPK {d}")
        v = VILLAGES[d]
        w.pps[v] = signer(f"pps-{v}")
        ledger.enrol(w.kab, w.pps[v].public, "pps", v, f"PPS {v}", f"PPS {v}")
        for t in TPS[v]:
            w.kpps[t] = signer(f"kpps-{t}")
            ledger.enrol(w.kab, w.kpps[t].public, "kpps", t, f"KPPS {t}", f"KPPS {t}")
    return w


def snapshot(views) -> dict[str, list[tuple]]:
    """Every row of every view table, in a stable order."""
    out = {}
    with views.store.reading() as cur:
        for table in TABLES:
            rows = cur.execute(f"SELECT * FROM {table}").fetchall()
            out[table] = sorted((tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows), key=repr)
    return out


def copy_sqlite(src: str, dst: str) -> None:
    """A consistent copy of a live SQLite ledger (the backup API)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


# --- a scripted flow ---------------------------------------------------------------


def reference_need() -> dict[str, int]:
    from ledger import regions

    return {t.tps_code: t.ballots_per_type for t in regions.kepulauan_seribu_tps()}


def boxes(prefix: str = "") -> list[str]:
    return [f"BX-{t}-{e}" for t in ALL_TPS if t.startswith(prefix) for e in TYPES]


def stock(w: World, short: tuple[str, str] | None = None, short_by: int = 5) -> list[str]:
    """Register ballots (DPT + 2 %, from the reference data), boxes and forms
    for every TPS, bring the ballots to the KPU warehouse, pack and seal.
    Returns every item id."""
    need = reference_need()
    L = w.ledger
    w.clock.at("2023-12-10 08:00")
    ballots = [
        {"item": f"SS-{t}-{e}", "kind": "ballots", "dest": t, "election": e, "dapil": f"DAPIL-{e}",
         "qty": need[t] - (short_by if short == (t, e) else 0)}
        for t in ALL_TPS for e in TYPES
    ]  # fmt: skip
    L.register(w.printer, ballots)
    envelope = L.prepare(w.printer, w.kab.public, [b["item"] for b in ballots], KAB, "Gudang KPU", "pengiriman")
    L.accept(w.kab, envelope)
    others = [{"item": f"BX-{t}-{e}", "kind": "box", "dest": t, "election": e} for t in ALL_TPS for e in TYPES]
    others += [{"item": f"FM-{t}", "kind": "form", "dest": t, "qty": 4, "label": "C.Hasil"} for t in ALL_TPS]
    L.register(w.kab, others)
    w.clock.at("2024-01-15 08:00")
    for t in ALL_TPS:
        for e in TYPES:
            L.pack(w.kab, f"BX-{t}-{e}", [f"SS-{t}-{e}"] + ([f"FM-{t}"] if e == "PPWP" else []))
            L.seal(w.kab, f"BX-{t}-{e}", [f"SG-{t}-{e}-1"])
    return [b["item"] for b in ballots] + [o["item"] for o in others]


def hand(w: World, giver, receiver, items, place, observed=None, at: str | None = None):
    envelope = w.ledger.prepare(giver, receiver.public, items, place, "site", "distribusi")
    if at:
        w.clock.at(at)
    w.ledger.accept(receiver, envelope, observed=observed)
    return envelope


def distribute(w: World, late: str | None = None) -> None:
    """KPU -> PPK -> PPS -> KPPS; every TPS by 12 Feb except ``late`` (14 Feb 05:00)."""
    w.clock.at("2024-02-05 08:00")
    for d in DISTRICTS:
        hand(w, w.kab, w.ppk[d], boxes(d), d)
    w.clock.at("2024-02-10 08:00")
    for d in DISTRICTS:
        v = VILLAGES[d]
        hand(w, w.ppk[d], w.pps[v], boxes(v), v)
    w.clock.at("2024-02-12 08:00")
    for t in ALL_TPS:
        if t != late:
            hand(w, w.pps[t[:10]], w.kpps[t], boxes(t), t)
    if late:
        w.clock.at("2024-02-14 05:00")
        hand(w, w.pps[late[:10]], w.kpps[late], boxes(late), late)


def vote(w: World, spoiled: int = 2) -> dict[str, dict[str, int]]:
    """Open every box before the witness, tally, repack, reseal. Returns the tallies."""
    L = w.ledger
    w.clock.at(VOTE_DATE + " 07:00")
    tallies = {}
    for t in ALL_TPS:
        for e in TYPES:
            L.open_box(w.kpps[t], f"BX-{t}-{e}", [f"SG-{t}-{e}-1"], True, "pemungutan suara", [w.witness])
        lines = {}
        for e in TYPES:
            qty = L.item(f"SS-{t}-{e}").qty
            used = qty * 3 // 4
            lines[f"SS-{t}-{e}"] = {"used": used, "spoiled": spoiled, "unused": qty - used - spoiled}
        L.tally(w.kpps[t], lines)
        tallies.update(lines)
        for e in TYPES:
            L.pack(w.kpps[t], f"BX-{t}-{e}", [f"SS-{t}-{e}"] + ([f"FM-{t}"] if e == "PPWP" else []))
            L.seal(w.kpps[t], f"BX-{t}-{e}", [f"SG-{t}-{e}-2"])
    return tallies


def return_trip(w: World) -> None:
    w.clock.at("2024-02-15 08:00")
    for t in ALL_TPS:
        hand(w, w.kpps[t], w.pps[t[:10]], boxes(t), t[:10])
    for d in DISTRICTS:
        v = VILLAGES[d]
        hand(w, w.pps[v], w.ppk[d], boxes(v), d)
    for d in DISTRICTS:
        hand(w, w.ppk[d], w.kab, boxes(d), KAB)


def ledger_holdings(ledger, key: bytes, item_ids) -> list:
    """What ``key`` holds (held or in transit) by the ledger's own item
    states, by id: the reference for the custody view's holdings, now that
    ``Ledger.holdings`` itself reads the view."""
    states = [ledger.item(i) for i in sorted(set(item_ids))]
    return [s for s in states if s.holder == key and s.state in ("held", "transit")]


def assert_custody_matches_ledger(ledger, views, item_ids) -> None:
    """The custody view says what the ledger's own state says, item by item."""
    for item_id in item_ids:
        mine, theirs = views.item(item_id), ledger.item(item_id)
        assert mine is not None, item_id
        got = (mine["holder"], mine["custody"], mine["location"], mine["qty"], mine["seals"] or [],
               mine["container"], mine["contents"] or [], mine["head"], mine["pending"], mine["condition"],
               mine["head_time"])  # fmt: skip
        want = (theirs.holder, theirs.state, theirs.location, theirs.qty, theirs.seals, theirs.container,
                theirs.contents, theirs.head, theirs.pending_handover, theirs.condition, theirs.time)  # fmt: skip
        assert got == want, item_id
