"""A test-only Serah record writer, written from SPEC.md with cryptography + msgpack.

It does not use ledger/ or verifier/: it is a third reading of the spec, so a
test that passes here and against the real ledger cross-checks all three.
It is deliberately permissive: it writes whatever it is told, including
records that break the rules, so the verifier's checks can be exercised.

    b = Builder()
    root = b.key("root")
    b.genesis([root])
    ...
    b.write_sqlite(path)
"""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
import uuid

import msgpack
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = b"serah/record/v1\x00"
TOPIC = "serah:record"


def canonical(value) -> bytes:
    """SCE: maps sorted by UTF-8 key bytes; msgpack's packer writes shortest forms."""
    return msgpack.packb(_sorted(value), use_bin_type=True)


def _sorted(value):
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value, key=lambda k: k.encode())}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in value]
    return value


def ms(text: str) -> int:
    """'2024-02-13T08:00:00+07:00' -> ms since epoch."""
    return int(datetime.datetime.fromisoformat(text).timestamp() * 1000)


class Key:
    def __init__(self, name: str, private: Ed25519PrivateKey | None = None):
        self.name = name
        self.private = private or Ed25519PrivateKey.generate()
        self.pub = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def __repr__(self):
        return f"Key({self.name})"


def envelope(body_bytes: bytes, author: Key, cosigners=(), sign_author: bool = True) -> bytes:
    message = PREFIX + body_bytes
    sigs = [[author.pub, author.sign(message)]]
    for co in sorted(cosigners, key=lambda k: k.pub):
        sigs.append([co.pub, co.sign(message)])
    return canonical({"body": body_bytes, "sigs": sigs})


def record_id(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


class Builder:
    """Writes records in order, filling `time`, `ledger` and `prev` like an honest writer."""

    def __init__(self, start: str = "2023-11-01T08:00:00+07:00", step_ms: int = 60_000):
        self.keys: dict[str, Key] = {}
        self.records: list[bytes] = []
        self.bodies: list[dict] = []
        self.ledger_id: bytes | None = None
        self.time = ms(start)
        self.step = step_ms
        self.heads: dict[str, bytes] = {}
        self.qty: dict[str, int] = {}
        self.seals: dict[str, list] = {}
        self.contents: dict[str, list] = {}  # box -> packed items
        self.kinds: dict[str, str] = {}

    def key(self, name: str) -> Key:
        if name not in self.keys:
            self.keys[name] = Key(name)
        return self.keys[name]

    # --- low level -----------------------------------------------------------

    def next_time(self, at) -> int:
        if at is None:
            self.time += self.step
            return self.time
        value = ms(at) if isinstance(at, str) else at
        self.time = max(self.time, value)
        return value

    def body(self, type_: str, author: Key, at=None, **fields) -> dict:
        body = {"v": 1, "type": type_, "time": self.next_time(at), "author": author.pub, **fields}
        if type_ != "genesis":
            body.setdefault("ledger", self.ledger_id)
        return body

    def append(self, body: dict, author: Key, cosigners=()) -> bytes:
        raw = envelope(canonical(body), author, cosigners)
        return self.append_raw(raw, body)

    def append_raw(self, raw: bytes, body: dict | None = None) -> bytes:
        rid = record_id(raw)
        self.records.append(raw)
        self.bodies.append(body)
        if body is not None:
            for line in body.get("lines", ()):
                self.heads[line["item"]] = rid
        return rid

    def lines(self, items, **per_item) -> list:
        out = []
        for item in sorted(items):
            line = {"item": item, "prev": self.heads.get(item)}
            line.update(per_item.get(item, {}))
            out.append(line)
        return out

    # --- record types (SPEC 4) -------------------------------------------------

    def genesis(self, roots, name="serah.test/3101/pemilu-2024", election="Pemilu 2024", vote_date="2024-02-14",
                utc_offset=420, regions=None, at=None, cosigners=None) -> bytes:
        regions = regions or [""] * len(roots)
        body = self.body(
            "genesis", roots[0], at,
            name=name, election=election, vote_date=vote_date, utc_offset=utc_offset,
            roots=[{"key": k.pub, "name": k.name, "region": r} for k, r in zip(roots, regions, strict=True)],
        )
        rid = self.append(body, roots[0], roots[1:] if cosigners is None else cosigners)
        self.ledger_id = rid
        return rid

    def enrol(self, author, key: Key, role, region, name=None, org="KPU", at=None, cosigners=()) -> bytes:
        body = self.body("enrol", author, at, key=key.pub, role=role, region=region, name=name or key.name, org=org)
        return self.append(body, author, cosigners)

    def revoke(self, author, key: Key, reason="lost device", at=None) -> bytes:
        return self.append(self.body("revoke", author, at, key=key.pub, reason=reason), author)

    def register(self, author, items: list[dict], at=None, cosigners=()) -> bytes:
        lines = []
        for spec in sorted(items, key=lambda s: s["item"]):
            lines.append({"prev": None, **spec})
            self.kinds[spec["item"]] = spec["kind"]
            if "qty" in spec:
                self.qty[spec["item"]] = spec["qty"]
            if spec["kind"] == "box":
                self.seals[spec["item"]] = []
                self.contents[spec["item"]] = []
        return self.append(self.body("register", author, at, lines=lines), author, cosigners)

    def pack(self, author, box, contents, at=None) -> bytes:
        self.contents.setdefault(box, []).extend(contents)
        body = self.body("pack", author, at, box=box, lines=self.lines([box, *contents]))
        return self.append(body, author)

    def seal(self, author, box, seals, at=None) -> bytes:
        self.seals[box] = sorted(seals)
        body = self.body("seal", author, at, box=box, seals=sorted(seals), lines=self.lines([box]))
        return self.append(body, author)

    def open(self, author, box, seals=None, intact=True, reason="pemungutan suara", cosigners=(), exception=None,
             at=None) -> bytes:
        found = sorted(self.seals.get(box, []) if seals is None else seals)
        fields = dict(box=box, seals=found, intact=intact, reason=reason, lines=self.lines([box]))
        if exception is not None:
            fields["exception"] = exception
        self.seals[box] = []
        self.contents[box] = []
        return self.append(self.body("open", author, at, **fields), author, cosigners)

    def declared(self, item) -> dict:
        line = {}
        if item in self.qty:
            line["qty"] = self.qty[item]
        if self.kinds.get(item) == "box":
            line["seals"] = list(self.seals.get(item, []))
            line["contents"] = sorted([c, self.qty[c]] for c in self.contents.get(item, []))
        return line

    def prepare(self, author, to: Key, items, place="3101", site="Gudang KPU", purpose="distribusi logistik",
                exception=None, escorts=(), witnesses=(), cosigners=(), at=None, declared=None) -> bytes:
        per = {item: self.declared(item) for item in items}
        for item, override in (declared or {}).items():
            per[item] = {**per[item], **override}
        fields = dict(to=to.pub, place=place, site=site, purpose=purpose, lines=self.lines(items, **per))
        if exception is not None:
            fields["exception"] = exception
        if escorts:
            fields["escorts"] = [k.pub for k in escorts]
        if witnesses:
            fields["witnesses"] = [k.pub for k in witnesses]
        rid = self.append(self.body("handover.prepare", author, at, **fields), author, cosigners)
        self._prepared = getattr(self, "_prepared", {})
        self._prepared[rid] = (items, per)
        return rid

    def accept(self, author, handover: bytes, observed=None, cosigners=(), at=None) -> bytes:
        items, per = self._prepared[handover]
        lines = []
        for item in sorted(items):
            line = {"item": item, "prev": self.heads.get(item), "condition": "ok"}
            for field in ("qty", "seals"):
                if field in per[item]:
                    line[field] = per[item][field]
            line.update((observed or {}).get(item, {}))
            if "qty" in line and item in self.qty:
                self.qty[item] = line["qty"]
            if "seals" in line:
                self.seals[item] = line["seals"]
            lines.append(line)
        body = self.body("handover.accept", author, at, handover=handover, lines=lines)
        return self.append(body, author, cosigners)

    def refuse(self, author, handover: bytes, reason="segel rusak", at=None) -> bytes:
        items, _ = self._prepared[handover]
        body = self.body("handover.refuse", author, at, handover=handover, reason=reason, lines=self.lines(items))
        return self.append(body, author)

    def incident(self, author, kind, description, items: dict, at=None) -> bytes:
        for item, line in items.items():
            if "qty_lost" in line and item in self.qty:
                self.qty[item] = max(0, self.qty[item] - line["qty_lost"])
        body = self.body("incident", author, at, kind=kind, description=description, lines=self.lines(items, **items))
        return self.append(body, author)

    def tally(self, author, items: dict, at=None) -> bytes:
        return self.append(self.body("tally", author, at, lines=self.lines(items, **items)), author)

    def destroy(self, author, items, method="dibakar", reason="surplus", cosigners=(), at=None) -> bytes:
        body = self.body("destroy", author, at, method=method, reason=reason, lines=self.lines(items))
        return self.append(body, author, cosigners)

    def witness(self, author, target: bytes, statement="disaksikan", at=None) -> bytes:
        return self.append(self.body("witness", author, at, target=target, statement=statement), author)

    # --- output ----------------------------------------------------------------

    def write_sqlite(self, path, records=None, other_topics: bool = True) -> None:
        """An eventsourcing-shaped ``stored_events`` table (rowid = global order)."""
        write_sqlite(path, self.records if records is None else records, other_topics)

    def write_stream(self, path, records=None) -> None:
        with open(path, "wb") as handle:
            for raw in self.records if records is None else records:
                handle.write(raw)


def write_sqlite(path, records, other_topics: bool = True) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS stored_events (originator_id TEXT, originator_version INTEGER, "
        "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
    )
    rows = []
    for number, raw in enumerate(records):
        rows.append((str(uuid.uuid5(uuid.NAMESPACE_OID, raw.hex()[:32] + str(number))), 1, TOPIC, raw))
        if other_topics:  # index events between records must be ignored
            rows.append((str(uuid.uuid4()), 1, "ledger.index:ItemIndexed", b'{"x": 1}'))
    conn.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def decode_envelope(raw: bytes) -> tuple[dict, list]:
    env = msgpack.unpackb(raw, raw=False)
    return msgpack.unpackb(env["body"], raw=False), env["sigs"]


def resign(raw: bytes, keys: dict[bytes, Key], change=None) -> bytes:
    """Decode a record, let ``change(body)`` edit it, sign it again with the same signers."""
    body, sigs = decode_envelope(raw)
    if change is not None:
        change(body)
    author = keys[sigs[0][0]] if body["author"] == sigs[0][0] else keys[body["author"]]
    cos = [keys[k] for k, _ in sigs[1:]]
    return envelope(canonical(body), author, cos)


def scenario(b: Builder | None = None) -> tuple[Builder, dict]:
    """A full, clean custody trail for one TPS in Kepulauan Seribu (3101).

    Printer -> KPU Kab -> PPK -> PPS -> KPPS, voting, tally, return to KPU,
    destruction of the surplus, with escorts and witnesses co-signing.
    Returns the builder and a dict of the interesting record ids.
    """
    b = b or Builder()
    k = {n: b.key(n) for n in ("root", "kab", "printer", "ppk", "pps", "kpps", "escort", "witness")}
    ids = {}
    ids["genesis"] = b.genesis([k["root"]])
    b.enrol(k["root"], k["kab"], "kpu", "3101", org="KPU Kab. Kep. Seribu")
    b.enrol(k["kab"], k["printer"], "printer", "3101", org="PT Cetak")
    b.enrol(k["kab"], k["ppk"], "ppk", "310101", org="PPK Kep. Seribu Utara")
    b.enrol(k["kab"], k["pps"], "pps", "3101011001", org="PPS Pulau Panggang")
    b.enrol(k["kab"], k["kpps"], "kpps", "3101011001001", org="KPPS TPS 001")
    b.enrol(k["kab"], k["escort"], "escort", "3101", org="Polair Polda Metro Jaya")
    ids["enrol_witness"] = b.enrol(k["kab"], k["witness"], "witness", "3101", org="Bawaslu Kep. Seribu")
    tps = "3101011001001"
    ids["register"] = b.register(k["printer"], [
        {"item": "SS-PPWP-001", "kind": "ballots", "dest": tps, "qty": 306, "election": "PPWP", "dapil": "DKI"},
        {"item": "SS-DPR-001", "kind": "ballots", "dest": tps, "qty": 306, "election": "DPR", "dapil": "DKI 3"},
    ])
    ids["register_box"] = b.register(k["kab"], [
        {"item": "KS-001-PPWP", "kind": "box", "dest": tps, "election": "PPWP"},
        {"item": "FORM-C-001", "kind": "form", "dest": tps, "qty": 10, "label": "C.Hasil-PPWP"},
        {"item": "SEGEL-3101", "kind": "seal", "dest": "3101", "qty": 500},
    ])
    ids["p1"] = b.prepare(k["printer"], k["kab"], ["SS-DPR-001", "SS-PPWP-001"], place="3101", escorts=[k["escort"]],
                          cosigners=[k["escort"]])
    ids["a1"] = b.accept(k["kab"], ids["p1"], cosigners=[k["witness"]])
    ids["pack"] = b.pack(k["kab"], "KS-001-PPWP", ["FORM-C-001", "SS-PPWP-001"])
    ids["seal"] = b.seal(k["kab"], "KS-001-PPWP", ["A-0001", "A-0002"])
    ids["p2"] = b.prepare(k["kab"], k["ppk"], ["KS-001-PPWP", "SS-DPR-001"], place="3101", cosigners=[k["escort"]])
    ids["a2"] = b.accept(k["ppk"], ids["p2"])
    ids["p3"] = b.prepare(k["ppk"], k["pps"], ["KS-001-PPWP", "SS-DPR-001"], place="310101")
    ids["a3"] = b.accept(k["pps"], ids["p3"], observed={"SS-DPR-001": {"qty": 305, "condition": "damaged",
                                                                        "note": "1 lembar basah"}})
    ids["incident"] = b.incident(k["pps"], "damage", "1 lembar basah terkena hujan", {"SS-DPR-001": {"qty_lost": 1}})
    ids["p4"] = b.prepare(k["pps"], k["kpps"], ["KS-001-PPWP", "SS-DPR-001"], place="3101011001",
                          at="2024-02-13T10:00:00+07:00")
    ids["a4"] = b.accept(k["kpps"], ids["p4"], at="2024-02-13T16:00:00+07:00")
    ids["open"] = b.open(k["kpps"], "KS-001-PPWP", cosigners=[k["witness"]], at="2024-02-14T07:00:00+07:00")
    ids["tally"] = b.tally(k["kpps"], {"SS-PPWP-001": {"used": 250, "unused": 50, "spoiled": 6},
                                       "SS-DPR-001": {"used": 250, "unused": 54, "spoiled": 0}})
    ids["repack"] = b.pack(k["kpps"], "KS-001-PPWP", ["FORM-C-001", "SS-PPWP-001"])
    ids["reseal"] = b.seal(k["kpps"], "KS-001-PPWP", ["B-0001"])
    ids["r1"] = b.prepare(k["kpps"], k["pps"], ["KS-001-PPWP", "SS-DPR-001"], place="3101011001001",
                          purpose="pengembalian kotak")
    ids["ra1"] = b.accept(k["pps"], ids["r1"], cosigners=[k["witness"]])
    ids["r2"] = b.prepare(k["pps"], k["ppk"], ["KS-001-PPWP", "SS-DPR-001"], place="3101011001")
    ids["ra2"] = b.accept(k["ppk"], ids["r2"])
    ids["r3"] = b.prepare(k["ppk"], k["kab"], ["KS-001-PPWP", "SS-DPR-001"], place="310101")
    ids["ra3"] = b.accept(k["kab"], ids["r3"])
    ids["destroy"] = b.destroy(k["kab"], ["SS-DPR-001"], cosigners=[k["witness"]])
    ids["witness"] = b.witness(k["witness"], ids["destroy"], "pemusnahan disaksikan")
    return b, ids
