"""The in-memory side of a batch: decoded records, item and key state.

A batch of records is applied like this: decode the envelopes, load the rows
of every item and key they name (one query per table), replay the records
in order on those Python objects, and write back what changed, all in one
transaction. Loading per batch rather than keeping the whole ledger in
memory keeps memory bounded by the batch size, not the ledger size.

Records are decoded straight into typed structs holding only the fields a
view reads (:func:`decode`).
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec

from ledger.errors import Category, SerahError

__all__ = ["Record", "Line", "Root", "ViewError", "Item", "Custodian", "body_bytes", "decode", "to_json", "ITEM_COLUMNS", "CUSTODIAN_COLUMNS"]


# Records are decoded with msgspec into the typed structs below rather than
# with msgpack into dicts. The decoder builds only the fields declared here
# and skips every other field in C without building it: a line's ``prev``
# (32 bytes, in every line of every record), a prepare's ``contents``, the
# body's ``v`` and ``ledger``. That, and structs being cheaper to build and
# to read than dicts, makes decoding about twice as fast (bench/).
#
# A field that is absent is None: SPEC 3.4 never encodes an optional field as
# nil, so ``line.qty is None`` means exactly "the line has no qty".


class Line(msgspec.Struct, gc=False):
    """One line of a record (SPEC 3.4), with the fields the views read."""

    item: str
    kind: str | None = None  # register
    dest: str | None = None
    election: str | None = None
    dapil: str | None = None
    label: str | None = None
    serial: tuple[str, str] | None = None
    qty: int | None = None  # register, prepare, accept
    seals: list[str] | None = None  # prepare, accept
    condition: str | None = None  # accept, incident
    note: str | None = None  # accept
    accepted: bool | None = None  # partial
    qty_lost: int | None = None  # incident
    used: int | None = None  # tally
    unused: int | None = None
    spoiled: int | None = None


class Root(msgspec.Struct, gc=False):
    """A root key of the genesis record (SPEC 4.1)."""

    key: bytes
    name: str
    region: str


class Record(msgspec.Struct, gc=False):
    """One record: its body's fields (SPEC 3.3, 4) that the views read, and
    where it is: ``position`` in the log and ``id`` (SPEC 3.2), set by
    :func:`decode` (they are not in the body).

    One struct serves every record type; the fields of other types are None.
    """

    type: str
    time: int
    author: bytes
    lines: tuple[Line, ...] = ()
    box: str | None = None  # pack, seal, open
    seals: list[str] | None = None  # seal, open
    intact: bool | None = None  # open
    reason: str | None = None  # open, refuse, revoke, destroy
    to: bytes | None = None  # prepare
    place: str | None = None
    kind: str | None = None  # incident
    description: str | None = None
    target: bytes | None = None  # witness
    statement: str | None = None
    key: bytes | None = None  # enrol, revoke
    role: str | None = None  # enrol
    region: str | None = None
    name: str | None = None  # enrol, genesis
    org: str | None = None
    election: str | None = None  # genesis
    vote_date: str | None = None
    utc_offset: int | None = None
    roots: tuple[Root, ...] = ()
    position: int = 0
    id: bytes = b""


class ViewError(SerahError):
    """A record does not fit the view's state: a bug, never user input.

    Records are validated before they are appended, so this means the view
    and the ledger disagree about a rule. The batch is rolled back and the
    error surfaces rather than a view that silently drifts from the ledger.
    """

    code = "view"
    category = Category.INTERNAL


class _Envelope(msgspec.Struct, gc=False):
    body: bytes  # the signatures are skipped, not decoded


_ENVELOPE = msgspec.msgpack.Decoder(_Envelope)
_BODY = msgspec.msgpack.Decoder(Record)


def body_bytes(envelope: bytes) -> bytes:
    """The exact bytes of ``envelope``'s body (SPEC 3.1)."""
    return _ENVELOPE.decode(envelope).body


def decode(rows: Iterable[tuple[int, bytes]], first: int | None = None) -> Iterator[Record]:
    """Records from ``(row id, envelope)`` rows, one at a time: the body
    decoded, the signatures not. ``rec.position`` is the SPEC position
    (section 1): ``first`` for the first row and one more for each next
    one, or the row's own number when ``first`` is not given.

    Plain decoding, not :func:`ledger.records.parse`: the ledger checked
    encoding, schema and signatures before appending each record, and a view
    has no use for a second check (the verifier is the independent one).

    A generator, so that a caller that can apply each record at once (a
    rebuild) never holds more than one decoded record: the objects of a
    record are then freed while they are still in the CPU's cache, which is
    measurably faster than decoding a page first and replaying it after.
    """
    envelope_of, body_of, sha256 = _ENVELOPE.decode, _BODY.decode, hashlib.sha256
    for n, (position, envelope) in enumerate(rows):
        if first is not None:
            position = first + n
        try:
            rec = body_of(envelope_of(envelope).body)
        except msgspec.ValidationError as error:
            raise ViewError(f"record at position {position} does not decode as the views expect: {error}") from None
        rec.position = position
        rec.id = sha256(envelope).digest()
        yield rec


# Columns of proj_item, in table order. The first names are the item's
# registered facts; then custody; then the open handover, if any.
ITEM_COLUMNS = (
    "item", "kind", "dest", "election", "dapil", "label", "serial_first", "serial_last",
    "qty", "holder", "location", "custody", "state", "seals", "sealed", "opened",
    "container", "contents", "condition",
    "pending", "pending_to", "pending_place", "pending_qty", "pending_seals",
    "head", "head_time", "last_record", "last_time", "last_position", "registered_time", "open_refusal",
    "tally",
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

    __slots__ = (*ITEM_COLUMNS, "presence", "content_items")

    def __init__(
        self, item, kind, dest, election=None, dapil=None, label=None, serial_first=None, serial_last=None,
        qty=None, holder=None, location="", custody="held", state="in_store", seals=None, sealed=0, opened=0,
        container=None, contents=None, condition="ok",
        pending=None, pending_to=None, pending_place=None, pending_qty=None, pending_seals=None,
        head=None, head_time=None, last_record=None, last_time=None, last_position=None,
        registered_time=None, open_refusal=0, tally=None,
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
        self.tally = tally  # the last tally's [used, unused, spoiled] (ballots), to see a recount that differs
        self.presence = None
        self.content_items = None  # the Items of contents, once looked up (custody._carry)

    @classmethod
    def from_row(cls, row: tuple) -> Item:
        item = cls(*row)
        if item.seals is not None:
            item.seals = json.loads(item.seals)
        if item.contents is not None:
            item.contents = json.loads(item.contents)
        if item.pending_seals is not None:
            item.pending_seals = json.loads(item.pending_seals)
        if item.tally is not None:
            item.tally = json.loads(item.tally)
        if type(item.holder) is not bytes:  # memoryview from some drivers
            for name in ("holder", "pending", "pending_to", "head", "last_record"):
                value = getattr(item, name)
                if value is not None:
                    setattr(item, name, bytes(value))
        return item

    def row(self) -> tuple:
        """The item's values for ITEM_COLUMNS, as the database drivers take
        them fastest: lists as JSON text, ids and keys as ``bytearray``.

        Why bytearray: Python's sqlite3 binds a ``bytes`` value only after
        looking for an adapter for it, and a ``bytearray`` directly (the same
        BLOB is stored); with three ids in every row that lookup took about
        a quarter of the time of proj_item's INSERT (bench/). psycopg
        stores either as the same bytea.
        """
        values = list(_GET_ALL(self))
        for i in _BLOB_AT:
            value = values[i]
            if value is not None:
                values[i] = bytearray(value)
        for i in _JSON_AT:
            value = values[i]
            if value is not None:
                values[i] = _JSON_ENCODE(value).decode()
        return tuple(values)


# The JSON columns (seals, contents, pending_seals) hold short lists of
# strings. msgspec's encoder writes them ten times faster than json's (it
# leaves non-ASCII characters as UTF-8 instead of \u escapes: the same JSON
# value, and every reader decodes it with json.loads).
_JSON_ENCODE = msgspec.json.Encoder().encode


def to_json(value: Any) -> str:
    """``value`` as compact JSON text."""
    return _JSON_ENCODE(value).decode()

_GET_ALL = operator.attrgetter(*ITEM_COLUMNS)
_JSON_AT = tuple(ITEM_COLUMNS.index(n) for n in ("seals", "contents", "pending_seals", "tally"))
_BLOB_AT = tuple(ITEM_COLUMNS.index(n) for n in ("holder", "pending", "pending_to", "head", "last_record"))


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
