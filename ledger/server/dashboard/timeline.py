"""An item's chain of custody, followed through the signed records alone.

The trail is the one ``serah history`` shows (the records naming the item,
and while it was packed, its box's records up to the opening that released
it), but it is found by walking the chain links the records themselves
carry: every line names the item's previous record in ``prev`` (SPEC 5), so
from the item's chain head (``proj_item.head``) back to its registration is
one primary-key read per record. Nothing unsigned decides what is shown: an
index row inserted by someone with write access to the database cannot add
a record to the trail or hide one, where a lookup through the core's index
events could be misled (issue 12). It also works on ledgers written without
those index events (the benchmarks' generated ledgers).

Each entry says who signed (author and cosigners), who was named but did
not sign (an escort or witness named in a handover who did not co-sign, a
receiver who has not answered), places, seals and counts as declared and as
observed, and the discrepancies the register (``proj_discrepancy``) holds
for the record.
"""

from __future__ import annotations

import json
from typing import Any

import msgpack

from ledger import records
from ledger.keys import fingerprint
from ledger.server.dashboard import times

__all__ = ["MAX_CHAIN", "trail"]

MAX_CHAIN = 10_000  # records followed per chain: far beyond any real item, bounds a corrupt one

_LINE_FIELDS = ("qty", "seals", "contents", "condition", "note", "used", "unused", "spoiled", "qty_lost",
                "serial", "label", "election", "dapil", "kind", "dest")  # fmt: skip


class BrokenChain(RuntimeError):
    """A ``prev`` link names a record that is not in the ledger, or loops."""


class _Stored:
    """A stored record as the timeline reads it: the envelope and body
    decoded (MessagePack, as stored), its id hashed from the bytes read.

    Not ``records.parse``: its canonical-encoding and schema checks (SPEC
    V1, V2) cost four fifths of a timeline's CPU on a national ledger, and
    they were made on this very record by the one append path before it
    was stored (and are made again by the verifier, which reports a record
    that fails them). Signatures were not verified here before either
    (``parse(verify=False)``). What links the trail is still checked: the
    record's id is the hash of the bytes read, and must be the id its
    successor named (:func:`_chain`). A record longer than SPEC 3.7's
    65,535 bytes (written before the limit existed) is shown too, flagged
    ``over_limit``: its custody still happened; the verifier reports it."""

    __slots__ = ("body", "sigs", "id", "over_limit")

    def __init__(self, envelope: bytes) -> None:
        try:
            outer = msgpack.unpackb(envelope, raw=False, strict_map_key=False)
            self.body = msgpack.unpackb(outer["body"], raw=False, strict_map_key=False)
            self.sigs = [tuple(s) for s in outer["sigs"]]
            missing = {"type", "time", "author"} - set(self.body)
        except Exception as error:  # noqa: BLE001 - any malformed stored bytes: one refusal, not a 500
            raise BrokenChain(f"a stored record cannot be read ({type(error).__name__})") from None
        if missing:
            raise BrokenChain(f"a stored record has no {', '.join(sorted(missing))}")
        self.id = records.record_id(envelope)
        self.over_limit = len(envelope) > records.MAX_RECORD_BYTES

    type = property(lambda self: self.body["type"])
    time = property(lambda self: self.body["time"])
    author = property(lambda self: bytes(self.body["author"]))
    cosigners = property(lambda self: [bytes(key) for key, _ in self.sigs[1:]])
    lines = property(lambda self: self.body.get("lines") or [])


def _parse(envelope: bytes) -> Any:
    return _Stored(envelope)


def _chain(ledger: Any, item_id: str, head: bytes) -> list[_Stored]:
    """The records naming ``item_id``, oldest first, from its chain head."""
    out: list[_Stored] = []
    seen: set[bytes] = set()
    rid: bytes | None = head
    while rid is not None:
        if rid in seen or len(out) >= MAX_CHAIN:
            raise BrokenChain(f"chain of {item_id} loops or exceeds {MAX_CHAIN} records")
        seen.add(rid)
        rec = _parse(ledger.record(rid))
        if rec.id != rid:
            raise BrokenChain(f"the record stored as {rid.hex()} hashes to {rec.id.hex()}")
        out.append(rec)
        line = next((ln for ln in rec.lines if ln["item"] == item_id), None)
        if line is None:
            raise BrokenChain(f"record {rid.hex()} is in the chain of {item_id} but has no line for it")
        prev = line.get("prev")
        rid = bytes(prev) if prev is not None else None
    out.reverse()
    return out


def _records(ledger: Any, views: Any, item_id: str, head: bytes) -> list[tuple[_Stored, str | None]]:
    """(record, via box) in trail order, as :meth:`Ledger.history` lists them."""
    own = _chain(ledger, item_id, head)
    boxes: dict[str, list[_Stored]] = {}
    out: list[tuple[_Stored, str | None]] = []
    for rec in own:
        out.append((rec, None))
        box = rec.body.get("box") if rec.type == "pack" else None
        if box is None or box == item_id:
            continue
        if box not in boxes:
            row = views.item(box)
            boxes[box] = _chain(ledger, box, row["head"]) if row else []
        chain = boxes[box]
        ids = [r.id for r in chain]
        if rec.id not in ids:
            continue
        for later in chain[ids.index(rec.id) + 1 :]:
            out.append((later, box))
            if later.type == "open":
                break
    seen: set[bytes] = set()
    return [(r, via) for r, via in out if not (r.id in seen or seen.add(r.id))]  # type: ignore[func-returns-value]


def trail(ledger: Any, views: Any, item_id: str, positions: dict[bytes, int] | None = None) -> dict[str, Any] | None:
    """The item's state now and its custody timeline, ready for JSON
    (None if the item is unknown). ``positions``: record id -> leaf index,
    when the caller has them (see :func:`leaf_positions`)."""
    row = views.item(item_id)
    if row is None:
        return None
    offset_default = int(views.meta().get("utc_offset", "420") or 420)
    offset = times.zone_of(row["dest"], offset_default)
    found = _records(ledger, views, item_id, row["head"])
    ids = [rec.id for rec, _ in found]
    if positions is None:
        positions = leaf_positions(ledger, ids)
    items = {item_id, *(via for _, via in found if via)}
    register = _discrepancies(views, sorted(items))
    keys: set[bytes] = {bytes(row["holder"])}
    for rec, _ in found:
        keys.add(rec.author)
        keys.update(rec.cosigners)
        for name in ("to", "key"):
            if isinstance(rec.body.get(name), bytes):
                keys.add(rec.body[name])
        for name in ("escorts", "witnesses"):
            keys.update(rec.body.get(name) or ())
    people = _people(views, keys)
    answered = {bytes(rec.body["handover"]): rec for rec, _ in found if "handover" in rec.body}
    prepares = {rec.id: rec for rec, _ in found if rec.type == "handover.prepare"}
    entries = []
    for rec, via in found:
        entries.append(_entry(rec, via, item_id, positions, offset, people, answered, prepares, register))
    return {
        "item": _item(row, people, offset),
        "zone": times.NAMES.get(offset, ""),
        "entries": entries,
        "discrepancies": sum(len(e["discrepancies"]) for e in entries),
    }


def leaf_positions(ledger: Any, ids: list[bytes]) -> dict[bytes, int]:
    """Record id -> position (leaf index of the transparency log, the number
    ``serah history`` and ``serah prove`` show); empty if the log cannot say."""
    try:
        return ledger.positions(ids)
    except Exception:  # noqa: BLE001 - positions are a convenience; the trail stands without them
        return {}


def _discrepancies(views: Any, items: list[str]) -> dict[bytes, list[dict[str, Any]]]:
    """Register rows of ``items``, by record id (the view's own rule)."""
    def fetch(cur: Any) -> list[tuple]:
        return cur.select_in(
            "SELECT record, item, kind, declared, observed, detail, resolved_by, resolution "
            "FROM proj_discrepancy WHERE item IN ({in})",
            items,
        )

    out: dict[bytes, list[dict[str, Any]]] = {}
    views.catch_up()
    with views.store.reading() as cur:
        rows = fetch(cur)
    for record, item, kind, declared, observed, detail, resolved_by, resolution in rows:
        out.setdefault(bytes(record), []).append({
            "item": item, "kind": kind,
            "declared": json.loads(declared) if declared is not None else None,
            "observed": json.loads(observed) if observed is not None else None,
            "detail": detail, "resolved": resolved_by is not None,
            "resolution": resolution,
        })  # fmt: skip
    return out


def _people(views: Any, keys: set[bytes]) -> dict[bytes, dict[str, Any]]:
    known = views.custodians(sorted(keys))
    out = {}
    for key in keys:
        c = known.get(key)
        person = {"key": key.hex(), "fingerprint": fingerprint(key)}
        if c:
            person.update(name=c["name"], role=c["role"], org=c["org"], region=c["region"])
        out[key] = person
    return out


def _place(code: str | None) -> dict[str, Any] | None:
    if code is None:
        return None
    from ledger.regions import name

    try:
        label = name(code)
    except ValueError:
        label = None
    return {"code": code, "name": label}


def _item(row: dict[str, Any], people: dict[bytes, dict[str, Any]], offset: int) -> dict[str, Any]:
    return {
        "item": row["item"], "kind": row["kind"], "election": row["election"], "dapil": row["dapil"],
        "dest": _place(row["dest"]), "qty": row["qty"], "state": row["state"], "custody": row["custody"],
        "holder": people.get(bytes(row["holder"])), "location": _place(row["location"]),
        "seals": row["seals"] or [], "sealed": row["sealed"], "opened": row["opened"],
        "container": row["container"], "contents": row["contents"] or [], "condition": row["condition"],
        "label": row["label"], "serial": [row["serial_first"], row["serial_last"]] if row["serial_first"] else None,
        "last_time": times.local(row["last_time"], offset),
    }  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _entry(rec: _Stored, via: str | None, item_id: str, positions: dict[bytes, int], offset: int,
           people: dict[bytes, dict[str, Any]], answered: dict[bytes, _Stored],
           prepares: dict[bytes, _Stored], register: dict[bytes, list[dict[str, Any]]]) -> dict[str, Any]:  # fmt: skip
    body = rec.body
    subject = via or item_id
    line = next((ln for ln in rec.lines if ln["item"] == subject), None) or {}
    signed = [rec.author, *rec.cosigners]
    named: list[dict[str, Any]] = []
    for role in ("escorts", "witnesses"):
        for key in body.get(role) or ():
            if key not in signed:
                named.append(dict(people.get(key, {"key": key.hex()}), named_as="witness" if role == "witnesses" else "escort"))
    receiver = None
    if rec.type == "handover.prepare":
        answer = answered.get(rec.id)
        receiver = dict(people.get(body["to"], {"key": body["to"].hex()}),
                        answer=answer.type.split(".")[1] if answer is not None else None)
        if answer is None:
            named.append(dict(receiver, named_as="receiver"))
    place = body.get("place")
    declared = None
    if rec.type in ("handover.accept", "handover.refuse"):
        prepare = prepares.get(bytes(body["handover"]))
        if prepare is not None:
            place = prepare.body.get("place")
            prepared_line = next((ln for ln in prepare.lines if ln["item"] == subject), None)
            declared = {k: _plain(prepared_line[k]) for k in ("qty", "seals") if prepared_line and k in prepared_line}
    summary = {k: _plain(v) for k, v in body.items()
               if k in ("site", "purpose", "reason", "kind", "description", "statement", "method", "box", "seals",
                        "intact", "handover")}  # fmt: skip
    return {
        "id": rec.id.hex(),
        "over_limit": rec.over_limit,
        "position": positions.get(rec.id),
        "type": rec.type,
        "time": rec.time,
        "local": times.local(rec.time, offset),
        "via": via,
        "author": people.get(rec.author, {"key": rec.author.hex()}),
        "signed": [people.get(k, {"key": k.hex()}) for k in signed],
        "named_not_signed": named,
        "receiver": receiver,
        "place": _place(place),
        "summary": summary,
        "line": {k: _plain(line[k]) for k in _LINE_FIELDS if k in line},
        "declared": declared,
        "discrepancies": register.get(rec.id, []),
    }
