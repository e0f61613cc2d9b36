"""A small, real custody trail for the export tests, signed record by record.

Signed with ``ledger.records`` and real Ed25519 keys (fixed seeds), then
appended to a real ``Ledger`` (SQLite file) through ``submit_many``, which
checks every rule; the ledger's transparency log signs a checkpoint with the
log key and a witness cosigns it (``ledger.tlog.log``), as ``serah checkpoint``
and ``serah witness`` do. ``tests/system/test_export_ledger.py`` does the same with
the CLI on the demo ledger.

The story (Kepulauan Seribu, Pemilu 2024): KPU Kab. Kep. Seribu registers the
PPWP box and ballots of TPS 001 Pulau Panggang (and a box of TPS 002), packs
and seals box 001, hands both boxes to the PPK by boat with a police escort,
the PPK hands box 001 to the PPS, and the PPS to the KPPS on H-1, witnessed by
Panwaslu; box 002 arrives wet at the PPK (a discrepancy, not in box 001's trail).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ledger import keys, records
from ledger.application import Ledger
from ledger.tlog.log import (
    KeyWitness,
    StoredCheckpoint,
    TransparencyLog,
    cosign_checkpoint,
    log_verifier_key,
    witness_verifier_key,
)
from ledger.tlog.note import Ed25519Verifier

NAME = "serah.kpu.go.id/3101/pemilu-2024"
TPS1, TPS2 = "3101011001001", "3101011001002"
BOX1, BOX2 = f"KS-{TPS1}-PPWP", f"KS-{TPS2}-PPWP"
BALLOTS1 = f"SS-{TPS1}-PPWP"
WIB = dt.timezone(dt.timedelta(hours=7))


def ms(*args) -> int:
    return int(dt.datetime(*args, tzinfo=WIB).timestamp() * 1000)


def signer(n: int) -> keys.Signer:
    return keys.from_seed(bytes([n]) * 32)


LOG_KEY = signer(200)  # the operator's log key (KPU)
WITNESS = "bawaslu.go.id/witness-1"
WITNESS_KEY = signer(201)
LOG_VKEY = log_verifier_key(NAME, LOG_KEY.public)
WITNESS_VKEY = witness_verifier_key(WITNESS, WITNESS_KEY.public)


def story_ledger(folder: Path, extra=(), db: str | None = None) -> Ledger:
    """A ledger holding the story (and ``extra`` envelopes), checkpointed and cosigned.

    ``db`` defaults to a SQLite file in ``folder``, which also holds the witness's state.
    """
    _, envelopes = story()
    ledger = Ledger(db or str(folder / "story.sqlite"))
    ledger.submit_many(envelopes + list(extra))
    checkpoint(ledger, folder)
    return ledger


def checkpoint(ledger: Ledger, folder: Path, cosign: bool = True) -> StoredCheckpoint:
    """What ``serah checkpoint`` and then ``serah witness cosign`` + ``add-cosignature`` do."""
    log = TransparencyLog(ledger)
    stored, _ = log.sign_checkpoint(LOG_KEY)
    if cosign:
        witness = KeyWitness(WITNESS, WITNESS_KEY, folder / "witness.json",
                             {NAME: Ed25519Verifier.from_verifier_key(LOG_VKEY)}, clock=lambda: 1707800000)
        witness.first_time = True  # a fresh state file: this witness's first checkpoint
        cosigned, _ = cosign_checkpoint(log, witness, stored.full_note)
        log.add_cosignatures(cosigned, [WITNESS_VKEY])
        stored = log.checkpoint(stored.size)
    return stored


class People:
    def __init__(self):
        self.root = signer(1)
        self.kab = signer(2)
        self.ppk = signer(3)
        self.pps = signer(4)
        self.kpps = signer(5)
        self.escort = signer(6)
        self.panwas = signer(7)
        self.outsider = signer(8)


def story() -> tuple[People, list[bytes]]:
    """The envelopes of the story, in global order."""
    p = People()
    out: list[bytes] = []

    def add(envelope: bytes) -> bytes:
        out.append(envelope)
        return records.record_id(envelope)

    gid = add(records.sign(records.build(
        "genesis", p.root, None, ms(2023, 11, 1, 9), name=NAME, election="Pemilu 2024",
        vote_date="2024-02-14", utc_offset=420,
        roots=[{"key": p.root.public, "name": "KPU RI", "region": ""}]), p.root))

    def rec(type_, author, time, cosigners=(), **fields):
        return add(records.sign(records.build(type_, author, gid, time, **fields), author, cosigners))

    rec("enrol", p.root, ms(2023, 11, 2, 9), key=p.kab.public, role="kpu", region="3101",
        name="Ketua KPU Kep. Seribu", org="KPU Kab. Kep. Seribu")
    rec("enrol", p.kab, ms(2023, 11, 3, 9), key=p.ppk.public, role="ppk", region="310101",
        name="Ketua PPK Kep. Seribu Utara", org="PPK Kep. Seribu Utara")
    rec("enrol", p.kab, ms(2023, 11, 3, 10), key=p.pps.public, role="pps", region="3101011001",
        name="Ketua PPS Pulau Panggang", org="PPS Pulau Panggang")
    rec("enrol", p.kab, ms(2023, 11, 3, 11), key=p.kpps.public, role="kpps", region=TPS1,
        name="Ketua KPPS TPS 001", org="KPPS TPS 001 Pulau Panggang")
    rec("enrol", p.kab, ms(2023, 11, 3, 12), key=p.escort.public, role="escort", region="3101",
        name="Bripka Andi", org="Polair Polda Metro Jaya")
    rec("enrol", p.kab, ms(2023, 11, 3, 13), key=p.panwas.public, role="witness", region="3101",
        name="Siti Rahma", org="Panwaslu Kel. Pulau Panggang")
    rec("enrol", p.kab, ms(2023, 11, 3, 14), key=p.outsider.public, role="ppk", region="310102",
        name="Ketua PPK Kep. Seribu Selatan", org="PPK Kep. Seribu Selatan")
    reg = rec("register", p.kab, ms(2024, 1, 20, 8), lines=[
        {"item": BOX1, "prev": None, "kind": "box", "dest": TPS1, "election": "PPWP"},
        {"item": BOX2, "prev": None, "kind": "box", "dest": TPS2, "election": "PPWP"},
        {"item": BALLOTS1, "prev": None, "kind": "ballots", "dest": TPS1, "qty": 245, "election": "PPWP",
         "dapil": "DKI JAKARTA", "serial": ["PPWP-0001001", "PPWP-0001245"]},
    ])
    pack = rec("pack", p.kab, ms(2024, 2, 1, 9), box=BOX1, lines=[
        {"item": BOX1, "prev": reg}, {"item": BALLOTS1, "prev": reg}])
    seal = rec("seal", p.kab, ms(2024, 2, 1, 10), box=BOX1, seals=["S-000101", "S-000102"],
               lines=[{"item": BOX1, "prev": pack}])
    prep1 = rec("handover.prepare", p.kab, ms(2024, 2, 10, 7), [p.escort], to=p.ppk.public, place="3101",
                site="Dermaga Kali Adem, Muara Angke", purpose="distribusi logistik ke PPK",
                escorts=[p.escort.public], lines=[
                    {"item": BOX1, "prev": seal, "seals": ["S-000101", "S-000102"], "contents": [[BALLOTS1, 245]]},
                    {"item": BOX2, "prev": reg, "seals": [], "contents": []}])
    acc1 = rec("handover.accept", p.ppk, ms(2024, 2, 10, 11), handover=prep1, lines=[
        {"item": BOX1, "prev": prep1, "seals": ["S-000101", "S-000102"], "condition": "ok"},
        {"item": BOX2, "prev": prep1, "seals": [], "condition": "wet", "note": "kardus basah terkena ombak"}])
    prep2 = rec("handover.prepare", p.ppk, ms(2024, 2, 12, 8), to=p.pps.public, place="310101",
                site="Kantor PPK Kep. Seribu Utara", purpose="distribusi logistik ke PPS", lines=[
                    {"item": BOX1, "prev": acc1, "seals": ["S-000101", "S-000102"], "contents": [[BALLOTS1, 245]]}])
    acc2 = rec("handover.accept", p.pps, ms(2024, 2, 12, 10), handover=prep2, lines=[
        {"item": BOX1, "prev": prep2, "seals": ["S-000101", "S-000102"], "condition": "ok"}])
    prep3 = rec("handover.prepare", p.pps, ms(2024, 2, 13, 14), to=p.kpps.public, place="3101011001",
                site="Kantor Kelurahan Pulau Panggang", purpose="distribusi logistik ke TPS",
                witnesses=[p.panwas.public], lines=[
                    {"item": BOX1, "prev": acc2, "seals": ["S-000101", "S-000102"], "contents": [[BALLOTS1, 245]]}])
    acc3 = rec("handover.accept", p.kpps, ms(2024, 2, 13, 16), [p.panwas], handover=prep3, lines=[
        {"item": BOX1, "prev": prep3, "seals": ["S-000101", "S-000102"], "condition": "ok"}])
    opened = rec("open", p.kpps, ms(2024, 2, 14, 7), [p.panwas], box=BOX1, seals=["S-000101", "S-000102"],
                 intact=True, reason="pembukaan kotak di TPS pada hari pemungutan suara",
                 lines=[{"item": BOX1, "prev": acc3}])
    rec("tally", p.kpps, ms(2024, 2, 14, 15), lines=[
        {"item": BALLOTS1, "prev": pack, "used": 230, "unused": 12, "spoiled": 3}])
    rec("witness", p.panwas, ms(2024, 2, 14, 16), target=opened,
        statement="Segel utuh saat dibuka, disaksikan Panwaslu")
    return p, out
