"""The scenario the ledger tests build on: the people of Kepulauan Seribu
(:class:`Cast`, deterministic keys), a settable :class:`Clock`, the item
ids of TPS 001 and :func:`dump` to prove a refusal wrote nothing.

Used by test_ledger_*, the concurrency and crash tests (and
crash_worker.py, which a child process runs as ``-m support.crash_worker``).
"""

from __future__ import annotations

import datetime
import hashlib
import sqlite3

from ledger import keys
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
