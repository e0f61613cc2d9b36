"""The in-memory side of a batch: decoded records, item and key state.

A batch of records is applied like this: decode the envelopes, load the rows
of every item and key they name (one query per table), replay the records
in order on those Python objects, and write back what changed, all in one
transaction. Loading per batch rather than keeping the whole ledger in
memory keeps memory bounded by the batch size, not the ledger size.

Records are decoded with plain msgpack, not :func:`ledger.records.parse`:
the ledger checked encoding, schema and signatures before appending each
record, and a view has no use for a second check (the verifier is the
independent one). What a view needs is the fields, fast.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Iterable, Iterator
from typing import Any

import msgpack

__all__ = ["Record", "Item", "Custodian", "body_bytes", "decode", "to_json", "ITEM_COLUMNS", "CUSTODIAN_COLUMNS"]


class Record:
    """One record: where it is in the log, its id and its body.

    Made by :func:`decode`, which fills the slots directly: a rebuild makes
    a million of these, and a call to ``__init__`` per record is measurable.
    """

    __slots__ = ("position", "id", "body", "type", "time", "author", "lines")


# An envelope is the SCE map {"body": bin, "sigs": [...]} (SPEC 3.1). SCE
# sorts map keys and uses the shortest headers, so every envelope starts with
# fixmap(2), fixstr(4) "body", then a bin 8/16/32 header: the body's bytes
# can be sliced out without decoding the signatures around them.
_ENVELOPE_START = b"\x82\xa4body"
_BIN = {0xC4: (8, 1), 0xC5: (9, 2), 0xC6: (11, 4)}  # tag -> (body offset, length bytes)


def body_bytes(envelope: bytes) -> bytes:
    """The exact bytes of ``envelope``'s body (SPEC 3.1).

    Falls back to decoding the envelope for anything that does not start as
    an SCE envelope must (never the case for a stored record, which was
    checked before it was appended).
    """
    if envelope.startswith(_ENVELOPE_START):
        at = _BIN.get(envelope[6])
        if at is not None:
            start, width = at
            size = envelope[7] if width == 1 else int.from_bytes(envelope[7:start], "big")
            return envelope[start : start + size]
    return msgpack.unpackb(envelope, raw=False)["body"]


def decode(rows: Iterable[tuple[int, bytes]]) -> Iterator[Record]:
    """Records from ``(position, envelope)`` rows, one at a time: the body
    decoded, the signatures not (the ledger verified them before appending).

    A generator, so that a caller that can apply each record at once (a
    rebuild) never holds more than one decoded record: the objects of a
    record are then freed while they are still in the CPU's cache, which is
    measurably faster than decoding a page first and replaying it after.
    """
    unpackb, sha256, new, split = msgpack.unpackb, hashlib.sha256, Record.__new__, body_bytes
    for position, envelope in rows:
        body = unpackb(split(envelope), raw=False)
        rec = new(Record)
        rec.position = position
        rec.id = sha256(envelope).digest()
        rec.body = body
        rec.type = body["type"]
        rec.time = body["time"]
        rec.author = body["author"]
        rec.lines = body.get("lines", ())
        yield rec


# Columns of proj_item, in table order. The first names are the item's
# registered facts; then custody; then the open handover, if any.
ITEM_COLUMNS = (
    "item", "kind", "dest", "election", "dapil", "label", "serial_first", "serial_last",
    "qty", "holder", "location", "custody", "state", "seals", "sealed", "opened",
    "container", "contents", "condition",
    "pending", "pending_to", "pending_place", "pending_qty", "pending_seals",
    "head", "head_time", "last_record", "last_time", "last_position", "registered_time", "open_refusal",
)  # fmt: skip


class Item:
    """One item's current state (a row of proj_item while a batch runs).

    ``custody`` is SPEC 5's state (held, transit, lost, destroyed); the
    ``state`` shown to people is derived from it (see
    :func:`ledger.projections.custody.display_state`). ``presence`` is where
    the readiness view last saw the item (its TPS and quantity, or None).

    The fields are spelled out rather than set in a loop: a rebuild creates
    and writes hundreds of thousands of these, and this is measurably the
    cheapest way CPython has.
    """

    __slots__ = (*ITEM_COLUMNS, "presence")

    def __init__(
        self, item, kind, dest, election=None, dapil=None, label=None, serial_first=None, serial_last=None,
        qty=None, holder=None, location="", custody="held", state="in_store", seals=None, sealed=0, opened=0,
        container=None, contents=None, condition="ok",
        pending=None, pending_to=None, pending_place=None, pending_qty=None, pending_seals=None,
        head=None, head_time=None, last_record=None, last_time=None, last_position=None,
        registered_time=None, open_refusal=0,
    ):  # fmt: skip
        self.item = item
        self.kind = kind
        self.dest = dest
        self.election = election
        self.dapil = dapil
        self.label = label
        self.serial_first = serial_first
        self.serial_last = serial_last
        self.qty = qty
        self.holder = holder
        self.location = location
        self.custody = custody
        self.state = state
        self.seals = seals
        self.sealed = sealed
        self.opened = opened
        self.container = container
        self.contents = contents
        self.condition = condition
        self.pending = pending
        self.pending_to = pending_to
        self.pending_place = pending_place
        self.pending_qty = pending_qty
        self.pending_seals = pending_seals
        self.head = head
        self.head_time = head_time
        self.last_record = last_record
        self.last_time = last_time
        self.last_position = last_position
        self.registered_time = registered_time
        self.open_refusal = open_refusal
        self.presence = None

    @classmethod
    def from_row(cls, row: tuple) -> "Item":
        item = cls(*row)
        if item.seals is not None:
            item.seals = json.loads(item.seals)
        if item.contents is not None:
            item.contents = json.loads(item.contents)
        if item.pending_seals is not None:
            item.pending_seals = json.loads(item.pending_seals)
        if type(item.holder) is not bytes:  # memoryview from some drivers
            for name in ("holder", "pending", "pending_to", "head", "last_record"):
                value = getattr(item, name)
                if value is not None:
                    setattr(item, name, bytes(value))
        return item

    def row(self) -> tuple:
        values = _GET_ALL(self)
        if values[_SEALS] is None and values[_CONTENTS] is None and values[_PENDING_SEALS] is None:
            return values
        values = list(values)
        for i in _JSON_AT:
            if values[i] is not None:
                values[i] = to_json(values[i])
        return tuple(values)


# json.dumps(value, separators=...) builds a new encoder per call; this is
# the same encoder (same output), built once.
to_json = json.JSONEncoder(separators=(",", ":")).encode

_GET_ALL = operator.attrgetter(*ITEM_COLUMNS)
_SEALS, _CONTENTS, _PENDING_SEALS = (ITEM_COLUMNS.index(n) for n in ("seals", "contents", "pending_seals"))
_JSON_AT = (_SEALS, _CONTENTS, _PENDING_SEALS)


CUSTODIAN_COLUMNS = ("key", "role", "region", "name", "org", "revoked", "position")


class Custodian:
    """An enrolled key (or a root): who holds, and where that puts items."""

    __slots__ = CUSTODIAN_COLUMNS

    def __init__(self, key: bytes, role: str, region: str, name: str, org: str, revoked: int = 0, position: int = 0):
        self.key = bytes(key)
        self.role = role
        self.region = region
        self.name = name
        self.org = org
        self.revoked = revoked
        self.position = position

    def row(self) -> tuple:
        return (self.key, self.role, self.region, self.name, self.org, self.revoked, self.position)
