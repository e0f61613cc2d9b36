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
from typing import Any

import msgpack

__all__ = ["Record", "Item", "Custodian", "decode", "ITEM_COLUMNS", "CUSTODIAN_COLUMNS"]


class Record:
    """One record: where it is in the log, its id and its body."""

    __slots__ = ("position", "id", "body", "type", "time", "author")

    def __init__(self, position: int, envelope: bytes):
        outer = msgpack.unpackb(envelope, raw=False)
        body = msgpack.unpackb(outer["body"], raw=False)
        self.position = position
        self.id = hashlib.sha256(envelope).digest()
        self.body = body
        self.type = body["type"]
        self.time = body["time"]
        self.author = body["author"]

    @property
    def lines(self) -> list[dict[str, Any]]:
        return self.body.get("lines", ())


def decode(rows: list[tuple[int, bytes]]) -> list[Record]:
    return [Record(position, envelope) for position, envelope in rows]


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
                values[i] = json.dumps(values[i], separators=(",", ":"))
        return tuple(values)


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
