"""``serah demo``: the 2024 election in Kepulauan Seribu, end to end.

Builds a real ledger (a SQLite file, real Ed25519 signatures, every record
checked by the ledger's rules) for the smallest kab/kota of DKI Jakarta:
88 TPS (80 regular, 8 special), 22,036 voters, four ballot types, logistics
by boat. The scenario follows the chain of custody of a real election:

    printer -> KPU Kab. Adm. Kepulauan Seribu warehouse -> 2 PPK -> 6 PPS
    -> 88 KPPS (by H-1) -> voting day: boxes opened before a witness,
    ballots tallied, boxes resealed -> KPPS -> PPS -> PPK -> KPU warehouse

with the incidents that real deliveries have: a ballot batch short on
arrival at the warehouse (made good by a supplementary batch), a box damaged
on a sea crossing, and one island delivery that reaches its TPS after the
H-1 deadline because of high waves. It ends with a checkpoint of the
transparency log signed by KPU and cosigned by Bawaslu, so that an evidence
bundle can be exported from the demo ledger straight away.

Keys are derived from fixed seeds and kept in memory: the demo never
prompts and never writes a private key to disk. Times come from an injected
clock that runs from November 2023 to February 2024 (WIB), so the output is
the same on every run except the record ids' dependence on nothing else:
the whole ledger is reproducible byte for byte.

Per-TPS voter figures are synthetic (ledger/data/kepulauan_seribu_tps.csv);
the totals are KPU's.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import time as _time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the ledger is imported when the demo runs, not when the CLI starts
    from ledger.keys import Signer

TYPES = ("PPWP", "DPR", "DPD", "DPRD_PROV")
WIB = _dt.timezone(_dt.timedelta(hours=7))
VOTE_DATE = "2024-02-14"
LEDGER_NAME = "serah.kpu.go.id/3101/pemilu-2024-demo"

# The scripted incidents (chosen TPS; any TPS of the CSV would do).
SHORT_TPS, SHORT_TYPE, SHORT_BY = "3101021003002", "DPD", 6  # printer batch 6 ballots short
DAMAGED_TPS, DAMAGED_TYPE = "3101021002003", "DPRD_PROV"  # box crushed on the boat
LATE_VILLAGE = "3101021003"  # Pulau Pari: boat held back by high waves
LATE_TPS = "3101021003005"

# The transparency log (SPEC 10): KPU's log key signs a checkpoint, Bawaslu
# Kep. Seribu cosigns it as a witness, so that evidence bundles can be
# exported from the demo ledger at once.
WITNESS_NAME = "bawaslu.go.id/3101/demo"


def wib(text: str) -> int:
    """``"2024-02-14 07:00"`` (WIB) -> milliseconds since the epoch."""
    stamp = _dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=WIB)
    return int(stamp.timestamp() * 1000)


class Clock:
    """Scenario time: set to a moment, then a few seconds pass per record."""

    def __init__(self, start: str, step_ms: int = 4_000) -> None:
        self.now = wib(start)
        self.step = step_ms

    def at(self, text: str) -> None:
        target = wib(text)
        # Never backwards: chains must not go back in time (SPEC V16).
        self.now = max(self.now, target)

    def __call__(self) -> int:
        value = self.now
        self.now += self.step
        return value


def h(*parts) -> int:
    """A stable pseudo-random number from ``parts`` (no random module)."""
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:8], "big")


@dataclass
class Person:
    name: str  # key name, e.g. kpps-3101011001001
    role: str
    region: str
    person: str
    org: str
    signer: Signer

    @property
    def key(self) -> bytes:
        return self.signer.public


@dataclass
class Summary:
    """What the demo reports; every figure is read back from the ledger."""

    db: str = ""
    seconds: float = 0.0
    records: int = 0
    records_by_type: dict = field(default_factory=dict)
    custodians: dict = field(default_factory=dict)
    tps: dict = field(default_factory=dict)
    voters: int = 0
    ballots_per_type: dict = field(default_factory=dict)
    ballots_total: int = 0
    supplementary: int = 0
    seals_used: int = 0
    levels: list = field(default_factory=list)
    discrepancies: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    late: list = field(default_factory=list)
    tally: dict = field(default_factory=dict)
    final: dict = field(default_factory=dict)
    checkpoint: dict = field(default_factory=dict)


ROLE_ORDER = ("kpu", "printer", "ppk", "pps", "kpps", "escort", "witness")
LEVEL_ORDER = ("kpu", "ppk", "pps", "kpps", "pps-return", "ppk-return", "kpu-return")
_DOWN = {"printer": 0, "kpu": 1, "ppk": 2, "pps": 3, "kpps": 4}


def _level(giver: str, receiver: str) -> str:
    """Name a handover by the receiving level, marking the return trip."""
    return receiver if _DOWN[receiver] > _DOWN[giver] else f"{receiver}-return"


def _wib_text(ms: int) -> str:
    return _dt.datetime.fromtimestamp(ms / 1000, WIB).strftime("%Y-%m-%d %H:%M WIB")


def box_id(tps: str, kind: str) -> str:
    return f"KS-{tps}-{kind}"


def ballots_id(tps: str, kind: str) -> str:
    return f"KS-{tps}-{kind}-SS"


def form_id(tps: str, kind: str) -> str:
    return f"KS-{tps}-{kind}-F"


def extra_id(tps: str, kind: str) -> str:
    return f"KS-{tps}-{kind}-SS2"


class Scenario:
    """Builds the ledger step by step; one method per phase of the logistics."""

    def __init__(self, ledger, clock: Clock, progress: Callable[[str, int, int], None] | None = None) -> None:
        from ledger import regions

        self.ledger = ledger
        self.clock = clock
        self.progress = progress or (lambda key, step, total: None)
        self.tps = list(regions.kepulauan_seribu_tps())
        data = regions.dki_election()
        self.dapil = {k: v["value"] for k, v in data["kepulauan_seribu"]["dapil"].items()}
        self.region_name = {r.code: r.name for r in regions.dki_regions()}
        self.people: dict[str, Person] = {}
        self.seal_counter = 0
        self.summary = Summary()
        self.tps_label = {t.tps_code: regions.name(t.tps_code) for t in self.tps}

    # --- helpers -------------------------------------------------------------------------

    def person(self, name: str) -> Person:
        return self.people[name]

    def add_person(self, name, role, region, person, org) -> Person:
        from ledger import keys

        seed = hashlib.sha256(f"serah-demo/v1/{name}".encode()).digest()
        p = Person(name, role, region, person, org, keys.from_seed(seed))
        self.people[name] = p
        return p

    def seals(self, n: int = 2) -> list[str]:
        out = []
        for _ in range(n):
            self.seal_counter += 1
            out.append(f"SG3101-{self.seal_counter:06d}")
        return out

    def villages(self) -> list[str]:
        return sorted({t.village_code for t in self.tps})

    def districts(self) -> list[str]:
        return sorted({t.district_code for t in self.tps})

    def boxes_for(self, prefix: str) -> list[str]:
        return [box_id(t.tps_code, k) for t in self.tps if t.tps_code.startswith(prefix) for k in TYPES]

    def handover(self, giver, receiver, items, place, site, purpose, cosigners=(), observed=None, late=False,
                 submit=True, accept_at=None):
        """Prepare (signed by giver and any escort/witness present), then accept."""
        escorts = [p.key for p in cosigners if p.role == "escort"]
        witnesses = [p.key for p in cosigners if p.role == "witness"]
        envelope = self.ledger.prepare(
            giver.signer, receiver.key, items, place=place, site=site, purpose=purpose,
            escorts=escorts, witnesses=witnesses, cosigners=[p.signer for p in cosigners], submit=submit,
        )
        if accept_at:
            self.clock.at(accept_at)
        self.ledger.accept(receiver.signer, envelope, observed=observed)
        return envelope

    # --- phases ----------------------------------------------------------------------------

    def cast(self) -> None:
        """Everyone who signs, enrolled by the KPU level above them."""
        L = self.ledger
        clock = self.clock
        clock.at("2023-11-20 09:00")
        ri = self.add_person("kpu-ri", "kpu", "", "Ketua KPU RI", "KPU RI")
        L.genesis([ri.signer], name=LEDGER_NAME, election="Pemilu 2024", vote_date=VOTE_DATE, utc_offset=420,
                  root_names=["KPU RI"])
        dki = self.add_person("kpu-31", "kpu", "31", "Ketua KPU Provinsi DKI Jakarta", "KPU Provinsi DKI Jakarta")
        kab = self.add_person("kpu-3101", "kpu", "3101", "Ketua KPU Kab. Adm. Kepulauan Seribu",
                              "KPU Kab. Adm. Kepulauan Seribu")
        printer = self.add_person("percetakan", "printer", "31", "Manajer Produksi", "PT Percetakan Surat Suara (sintetis)")
        L.enrol(ri.signer, dki.key, "kpu", "31", dki.person, dki.org)
        L.enrol(ri.signer, printer.key, "printer", "31", printer.person, printer.org)
        L.enrol(dki.signer, kab.key, "kpu", "3101", kab.person, kab.org)
        clock.at("2023-11-27 09:00")
        enrol = []
        bawaslu = self.add_person("bawaslu-3101", "witness", "3101", "Ketua Bawaslu Kab. Adm. Kepulauan Seribu",
                                  "Bawaslu Kab. Adm. Kepulauan Seribu")
        enrol.append(bawaslu)
        enrol.append(self.add_person("polres-1", "escort", "3101", "Aiptu pengawal logistik",
                                     "Polres Kepulauan Seribu"))
        enrol.append(self.add_person("polair-1", "escort", "3101", "Bripka Ditpolairud (kapal 1)",
                                     "Ditpolairud Polda Metro Jaya"))
        enrol.append(self.add_person("polair-2", "escort", "3101", "Bripka Ditpolairud (kapal 2)",
                                     "Ditpolairud Polda Metro Jaya"))
        for d in self.districts():
            name = self.region_name[d]
            enrol.append(self.add_person(f"ppk-{d}", "ppk", d, f"Ketua PPK {name}", f"PPK Kecamatan {name}"))
            enrol.append(self.add_person(f"panwascam-{d}", "witness", d, f"Ketua Panwascam {name}",
                                         f"Panwaslu Kecamatan {name}"))
        for v in self.villages():
            name = self.region_name[v]
            enrol.append(self.add_person(f"pps-{v}", "pps", v, f"Ketua PPS {name}", f"PPS Kelurahan {name}"))
            enrol.append(self.add_person(f"pkd-{v}", "witness", v, f"Panwaslu Kelurahan {name}",
                                         f"Panwaslu Kelurahan {name}"))
        for t in self.tps:
            label = self.tps_label[t.tps_code]
            kind = " (TPS lokasi khusus)" if t.kind == "special" else ""
            enrol.append(self.add_person(f"kpps-{t.tps_code}", "kpps", t.tps_code, f"Ketua KPPS {label}",
                                         f"KPPS {label}{kind}"))
        for i, p in enumerate(enrol):
            L.enrol(kab.signer, p.key, p.role, p.region, p.person, p.org)
            self.progress("demo.phase.cast", i + 1, len(enrol))

    def print_ballots(self) -> None:
        """The printer registers one ballot batch per TPS and type, DPT + 2%."""
        self.clock.at("2023-12-11 08:00")
        printer = self.person("percetakan")
        lines: list[dict] = []
        serial: dict[str, int] = defaultdict(int)
        for t in self.tps:
            for k in TYPES:
                first = serial[k] + 1
                serial[k] += t.ballots_per_type
                lines.append({
                    "item": ballots_id(t.tps_code, k), "kind": "ballots", "dest": t.tps_code,
                    "qty": t.ballots_per_type, "election": k, "dapil": self.dapil[k],
                    "serial": [f"{k}-{first:07d}", f"{k}-{serial[k]:07d}"],
                })
        self.ledger.register(printer.signer, lines)
        self.serial = serial

    def deliver_to_warehouse(self) -> None:
        """Truck from the printer to the KPU Kab. warehouse; one batch is short."""
        self.clock.at("2024-01-08 06:00")
        printer, kab, escort = self.person("percetakan"), self.person("kpu-3101"), self.person("polres-1")
        items = [ballots_id(t.tps_code, k) for t in self.tps for k in TYPES]
        short = ballots_id(SHORT_TPS, SHORT_TYPE)
        declared = next(t.ballots_per_type for t in self.tps if t.tps_code == SHORT_TPS)
        observed = {short: {"qty": declared - SHORT_BY, "note": f"dihitung ulang saat sortir: kurang {SHORT_BY} lembar"}}
        self.handover(printer, kab, items, "3101", "Gudang logistik KPU Kab. Adm. Kepulauan Seribu",
                      "pengiriman surat suara dari percetakan", cosigners=[escort], observed=observed,
                      accept_at="2024-01-08 15:00")

    def register_boxes(self) -> None:
        """The warehouse registers boxes (one per type per TPS) and result forms."""
        self.clock.at("2024-01-10 09:00")
        lines: list[dict] = []
        for t in self.tps:
            for k in TYPES:
                lines.append({"item": box_id(t.tps_code, k), "kind": "box", "dest": t.tps_code, "election": k})
                lines.append({"item": form_id(t.tps_code, k), "kind": "form", "dest": t.tps_code, "qty": 1,
                              "label": f"C.Hasil-{k} dan sampul"})
        self.ledger.register(self.person("kpu-3101").signer, lines)

    def make_good_shortfall(self) -> None:
        """The printer sends the missing ballots as a supplementary batch."""
        self.clock.at("2024-01-12 10:00")
        printer, kab = self.person("percetakan"), self.person("kpu-3101")
        item = extra_id(SHORT_TPS, SHORT_TYPE)
        first = self.serial[SHORT_TYPE] + 1
        self.ledger.register(printer.signer, [{
            "item": item, "kind": "ballots", "dest": SHORT_TPS, "qty": SHORT_BY, "election": SHORT_TYPE,
            "dapil": self.dapil[SHORT_TYPE], "serial": [f"{SHORT_TYPE}-{first:07d}", f"{SHORT_TYPE}-{first + SHORT_BY - 1:07d}"],
        }])
        self.handover(printer, kab, [item], "3101", "Gudang logistik KPU Kab. Adm. Kepulauan Seribu",
                      "kiriman susulan kekurangan surat suara", accept_at="2024-01-13 11:00")

    def pack_and_seal(self) -> None:
        """Sortir dan lipat, then one box per type per TPS: ballots + forms, sealed."""
        self.clock.at("2024-01-15 08:00")
        kab = self.person("kpu-3101").signer
        total = len(self.tps) * len(TYPES)
        n = 0
        for t in self.tps:
            for k in TYPES:
                contents = [ballots_id(t.tps_code, k), form_id(t.tps_code, k)]
                if (t.tps_code, k) == (SHORT_TPS, SHORT_TYPE):
                    contents.append(extra_id(t.tps_code, k))
                self.ledger.pack(kab, box_id(t.tps_code, k), contents)
                self.ledger.seal(kab, box_id(t.tps_code, k), self.seals())
                n += 1
                self.progress("demo.phase.pack", n, total)

    def to_ppk(self) -> None:
        """Sea crossing from Muara Angke to each kecamatan, escorted by Polair."""
        kab = self.person("kpu-3101")
        for i, d in enumerate(self.districts()):
            self.clock.at(f"2024-02-0{8 + i} 06:30")
            ppk = self.person(f"ppk-{d}")
            escort = self.person(f"polair-{i + 1}")
            witness = self.person(f"panwascam-{d}")
            observed = None
            if DAMAGED_TPS.startswith(d):
                observed = {box_id(DAMAGED_TPS, DAMAGED_TYPE): {
                    "condition": "damaged", "note": "sudut kotak penyok terhimpit di kapal; segel utuh"}}
            self.handover(kab, ppk, self.boxes_for(d), d, f"Kantor PPK {self.region_name[d]}",
                          "distribusi logistik ke PPK (penyeberangan laut)", cosigners=[escort, witness],
                          observed=observed, accept_at=f"2024-02-0{8 + i} 13:00")
            if observed:
                self.clock.at(f"2024-02-0{8 + i} 14:00")
                self.ledger.incident(ppk.signer, "damage", "Kotak suara penyok akibat gelombang saat penyeberangan; "
                                     "segel dan isi utuh, kotak diperkuat lakban",
                                     {box_id(DAMAGED_TPS, DAMAGED_TYPE): {"condition": "damaged"}})

    def to_pps(self) -> None:
        for v in self.villages():
            d = v[:6]
            self.clock.at("2024-02-10 07:00")
            ppk, pps = self.person(f"ppk-{d}"), self.person(f"pps-{v}")
            escort = self.person("polair-1" if d.endswith("01") else "polair-2")
            self.handover(ppk, pps, self.boxes_for(v), v, f"Sekretariat PPS {self.region_name[v]}",
                          "distribusi logistik ke PPS", cosigners=[escort])

    def to_kpps(self) -> None:
        """PPS to TPS, by H-1; Pulau Pari's last TPS only on voting day at dawn."""
        for t in self.tps:
            if t.tps_code == LATE_TPS:
                continue
            self.clock.at("2024-02-12 08:00" if t.district_code.endswith("01") else "2024-02-13 08:00")
            pps, kpps = self.person(f"pps-{t.village_code}"), self.person(f"kpps-{t.tps_code}")
            self.handover(pps, kpps, self.boxes_for(t.tps_code), t.village_code,
                          f"Lokasi {self.tps_label[t.tps_code]}", "distribusi logistik ke TPS (H-1)")
        self.late_delivery()

    def late_delivery(self) -> None:
        t = next(x for x in self.tps if x.tps_code == LATE_TPS)
        pps, kpps = self.person(f"pps-{t.village_code}"), self.person(f"kpps-{t.tps_code}")
        boxes = self.boxes_for(t.tps_code)
        self.clock.at("2024-02-13 16:00")
        self.ledger.incident(pps.signer, "other", "Gelombang tinggi: kapal ke lokasi TPS ditunda oleh syahbandar",
                             {b: {} for b in boxes})
        # Prepared offline on the boat (no signal); the KPPS appends it with the acceptance.
        self.clock.at("2024-02-14 04:30")
        self.handover(pps, kpps, boxes, t.village_code, f"Lokasi {self.tps_label[t.tps_code]}",
                      "distribusi logistik ke TPS (terlambat: cuaca)", submit=False, accept_at="2024-02-14 05:40")

    def voting_day(self) -> None:
        """Open before the witness (from 07:00), count and tally (from 15:30),
        repack and reseal (from 19:00): every TPS at the same hours."""
        total = len(self.tps)
        self.clock.at(VOTE_DATE + " 07:00")
        for n, t in enumerate(self.tps, 1):
            kpps = self.person(f"kpps-{t.tps_code}")
            witness = self.person(f"pkd-{t.village_code}")
            for k in TYPES:
                state = self.ledger.item(box_id(t.tps_code, k))
                self.ledger.open_box(kpps.signer, box_id(t.tps_code, k), list(state.seals), intact=True,
                                     reason="pembukaan kotak suara pada hari pemungutan suara",
                                     cosigners=[witness.signer])
            self.progress("demo.phase.vote", n, 3 * total)
        self.clock.at(VOTE_DATE + " 15:30")
        tallied = {}
        for n, t in enumerate(self.tps, 1):
            tallied[t.tps_code] = self.tally(t)
            self.progress("demo.phase.vote", total + n, 3 * total)
        self.clock.at(VOTE_DATE + " 19:00")
        for n, t in enumerate(self.tps, 1):
            kpps = self.person(f"kpps-{t.tps_code}")
            for k in TYPES:
                box = box_id(t.tps_code, k)
                contents = [b for b in tallied[t.tps_code] if b.startswith(box + "-")] + [form_id(t.tps_code, k)]
                self.ledger.pack(kpps.signer, box, contents)
                self.ledger.seal(kpps.signer, box, self.seals())
            self.progress("demo.phase.vote", 2 * total + n, 3 * total)

    def tally(self, t) -> dict:
        """Every voter present gets one ballot of each type; a few are spoiled."""
        turnout = 70 + h(t.tps_code, "turnout") % 19  # percent
        present = t.voters * turnout // 100
        lines = {}
        for k in TYPES:
            spoiled = h(t.tps_code, k, "spoiled") % 3
            batches = [ballots_id(t.tps_code, k)]
            if (t.tps_code, k) == (SHORT_TPS, SHORT_TYPE):
                batches.append(extra_id(t.tps_code, k))
            need_used, need_spoiled = present, spoiled
            for b in batches:
                qty = self.ledger.item(b).qty
                used = min(need_used, qty)
                spoil = min(need_spoiled, qty - used)
                need_used -= used
                need_spoiled -= spoil
                lines[b] = {"used": used, "unused": qty - used - spoil, "spoiled": spoil}
        self.ledger.tally(self.person(f"kpps-{t.tps_code}").signer, lines)
        return lines

    def return_trip(self) -> None:
        for t in self.tps:
            self.clock.at("2024-02-14 22:00")
            kpps, pps = self.person(f"kpps-{t.tps_code}"), self.person(f"pps-{t.village_code}")
            self.handover(kpps, pps, self.boxes_for(t.tps_code), t.village_code,
                          f"Sekretariat PPS {self.region_name[t.village_code]}",
                          "pengembalian kotak suara hasil pemungutan suara")
        for v in self.villages():
            d = v[:6]
            self.clock.at("2024-02-16 08:00")
            pps, ppk = self.person(f"pps-{v}"), self.person(f"ppk-{d}")
            escort = self.person("polair-1" if d.endswith("01") else "polair-2")
            self.handover(pps, ppk, self.boxes_for(v), d, f"Kantor PPK {self.region_name[d]}",
                          "pengembalian kotak suara untuk rekapitulasi kecamatan", cosigners=[escort])
        kab = self.person("kpu-3101")
        for i, d in enumerate(self.districts()):
            self.clock.at(f"2024-02-{18 + i} 07:00")
            ppk = self.person(f"ppk-{d}")
            self.handover(ppk, kab, self.boxes_for(d), "3101",
                          "Gudang logistik KPU Kab. Adm. Kepulauan Seribu",
                          "pengembalian kotak suara ke gudang KPU (penyeberangan laut)",
                          cosigners=[self.person(f"polair-{i + 1}"), self.person("bawaslu-3101")],
                          accept_at=f"2024-02-{18 + i} 14:00")

    # --- the summary, read back from the ledger ---------------------------------------------

    def summarise(self, db: str, started: float) -> Summary:
        """Every figure here is read back from the ledger's records and state."""
        from ledger import records as _records

        s = self.summary
        L = self.ledger
        s.db = db
        who = {p.key: p for p in self.people.values()}
        deadline = wib(VOTE_DATE + " 00:00")  # end of H-1, local time
        by_type: dict[str, int] = defaultdict(int)
        printed = {k: 0 for k in TYPES}
        prepares: dict[bytes, dict] = {}
        levels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        s.discrepancies, s.incidents, s.late = [], [], []
        conditions: dict[str, str] = {}  # item -> condition as last recorded
        for _, envelope in L.records():
            rec = _records.parse(envelope, verify=False)
            by_type[rec.type] += 1
            author = who[rec.author]
            if rec.type == "register" and author.role == "printer":
                for line in rec.lines:
                    if line["item"].endswith("-SS2"):
                        s.supplementary += line["qty"]
                    else:
                        printed[line["election"]] += line["qty"]
            elif rec.type == "handover.prepare":
                prepares[rec.id] = rec.body
            elif rec.type == "handover.accept":
                prep = prepares[rec.body["handover"]]
                level = _level(who[prep["author"]].role, author.role)
                levels[level][0] += 1
                levels[level][1] += len(rec.lines)
                declared = {ln["item"]: ln for ln in prep["lines"]}
                for line in rec.lines:
                    before = declared[line["item"]]
                    for fld in ("qty", "seals"):
                        if fld in line and line[fld] != before.get(fld):
                            s.discrepancies.append({"level": level, "item": line["item"], "field": fld,
                                                    "declared": before.get(fld), "observed": line[fld],
                                                    "note": line.get("note", "")})
                    known = conditions.get(line["item"], "ok")  # SPEC 4.9: a condition carries forward
                    if line.get("condition", known) != known:
                        s.discrepancies.append({"level": level, "item": line["item"], "field": "condition",
                                                "declared": known, "observed": line["condition"],
                                                "note": line.get("note", "")})
                    conditions[line["item"]] = line.get("condition", known)
                if author.role == "kpps" and rec.time >= deadline:
                    s.late.append({"tps": author.region, "accepted": _wib_text(rec.time),
                                   "deadline": _wib_text(deadline - 60_000)})
            elif rec.type == "incident":
                for line in rec.lines:
                    if "condition" in line:
                        conditions[line["item"]] = line["condition"]
                s.incidents.append({"kind": rec.body["kind"], "item": ", ".join(ln["item"] for ln in rec.lines),
                                    "by": author.org, "description": rec.body["description"]})
        s.records = sum(by_type.values())
        s.records_by_type = dict(sorted(by_type.items()))
        roles: dict[str, int] = defaultdict(int)
        for p in self.people.values():
            roles[p.role] += 1
        s.custodians = {r: roles[r] for r in ROLE_ORDER if r in roles}
        s.tps = {"total": len(self.tps), "regular": sum(t.kind == "regular" for t in self.tps),
                 "special": sum(t.kind == "special" for t in self.tps)}
        s.voters = sum(t.voters for t in self.tps)
        tally = {k: {"received": 0, "used": 0, "unused": 0, "spoiled": 0} for k in TYPES}
        kab = self.person("kpu-3101").key
        back, sealed = 0, 0
        for t in self.tps:
            for k in TYPES:
                batches = [ballots_id(t.tps_code, k)]
                if (t.tps_code, k) == (SHORT_TPS, SHORT_TYPE):
                    batches.append(extra_id(t.tps_code, k))
                for b in batches:
                    state = L.item(b)
                    tally[k]["received"] += state.qty
                    for f in ("used", "unused", "spoiled"):
                        tally[k][f] += (state.tally or {}).get(f, 0)
                box = L.item(box_id(t.tps_code, k))
                back += box.holder == kab and box.state == "held"
                sealed += bool(box.seals)
        s.ballots_per_type = printed
        s.ballots_total = sum(printed.values())
        s.tally = tally
        s.seals_used = self.seal_counter
        s.levels = [{"level": lvl, "handovers": levels[lvl][0], "items": levels[lvl][1]}
                    for lvl in LEVEL_ORDER if lvl in levels]
        s.final = {"boxes_at_kpu": back, "boxes_sealed": sealed, "boxes": len(self.tps) * len(TYPES)}
        s.seconds = round(_time.perf_counter() - started, 2)
        return s

    def checkpoint(self) -> None:
        """KPU signs a checkpoint of the whole log; Bawaslu cosigns it.

        What ``serah checkpoint``, ``serah witness cosign`` and ``serah
        witness add-cosignature`` do, in memory: the log key is derived like
        every demo key, the witness's state (what it cosigned last) lives in
        a temporary folder, and both sign at scenario time, so the ledger
        stays reproducible byte for byte.
        """
        import tempfile
        from pathlib import Path

        from ledger import keys
        from ledger.tlog.log import (
            KeyWitness,
            TransparencyLog,
            cosign_checkpoint,
            log_verifier_key,
            witness_verifier_key,
        )
        from ledger.tlog.note import Ed25519Verifier

        self.clock.at("2024-02-16 10:00")
        seconds = lambda: self.clock() / 1000  # noqa: E731 - the log's clocks count seconds
        log_key = keys.from_seed(hashlib.sha256(b"serah-demo/v1/log-key").digest())
        log = TransparencyLog(self.ledger, clock=seconds)
        stored, _ = log.sign_checkpoint(log_key)
        bawaslu = self.person("bawaslu-3101").signer
        trusted = {LEDGER_NAME: Ed25519Verifier.from_verifier_key(log_verifier_key(LEDGER_NAME, log_key.public))}
        with tempfile.TemporaryDirectory() as folder:
            witness = KeyWitness(WITNESS_NAME, bawaslu, Path(folder) / "witness.json", trusted, clock=seconds)
            witness.first_time = True  # a fresh state: Bawaslu's first checkpoint of this ledger
            cosigned, _ = cosign_checkpoint(log, witness, stored.full_note)
        log.add_cosignatures(cosigned, [witness_verifier_key(WITNESS_NAME, bawaslu.public)])
        self.summary.checkpoint = {
            "size": stored.size,
            "witnesses": [WITNESS_NAME],
            # Verifier keys, for pinning: serah verify --log-key ... --witness-key ...
            "log_key": log_verifier_key(LEDGER_NAME, log_key.public),
            "witness_keys": [witness_verifier_key(WITNESS_NAME, bawaslu.public)],
        }

    def run(self, db: str, checkpoint: bool = True) -> Summary:
        started = _time.perf_counter()
        for key, method in PHASES:
            if method == "checkpoint" and not checkpoint:
                continue
            self.progress(key, 0, 0)
            getattr(self, method)()
        return self.summarise(db, started)


# The phases of Scenario.run, in order: (message key, method).
PHASES = (
    ("demo.phase.cast", "cast"),
    ("demo.phase.print", "print_ballots"),
    ("demo.phase.warehouse", "deliver_to_warehouse"),
    ("demo.phase.boxes", "register_boxes"),
    ("demo.phase.shortfall", "make_good_shortfall"),
    ("demo.phase.pack", "pack_and_seal"),
    ("demo.phase.ppk", "to_ppk"),
    ("demo.phase.pps", "to_pps"),
    ("demo.phase.kpps", "to_kpps"),
    ("demo.phase.vote", "voting_day"),
    ("demo.phase.return", "return_trip"),
    ("demo.phase.checkpoint", "checkpoint"),
)


def build(db: str, progress=None, checkpoint: bool = True) -> Summary:
    """Create the demo ledger in ``db`` (which must not hold a ledger yet).

    ``checkpoint=False`` leaves the transparency log without a checkpoint,
    for tests that sign and cosign one through the commands themselves.
    """
    from ledger.application import Ledger

    clock = Clock("2023-11-20 09:00")
    ledger = Ledger(db, clock=clock)
    try:
        return Scenario(ledger, clock, progress).run(db, checkpoint)
    finally:
        close = getattr(ledger, "close", None)
        if close:
            close()
