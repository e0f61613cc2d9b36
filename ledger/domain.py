"""Aggregates of the Serah ledger.

There are two kinds of stored events:

* the **record** itself: :class:`Record` has exactly one event, whose stored
  form is the envelope bytes under the topic ``serah:record`` (see
  :class:`RecordMapper`). Its id is derived from the record id, so storing the
  same envelope twice is impossible. Records are the evidence.
* **index** events on :class:`Item`, :class:`Custodian`, :class:`Genesis` and
  :class:`Seal`: the state a record changed, saved atomically with it. They
  are derived: an auditor can rebuild them from the records alone, and the
  verifier never reads them. They exist so the ledger can check the next
  record without replaying history, and so that two writers racing on the
  same item collide on its version (optimistic concurrency).

Index event state is JSON: keys and record ids are stored as hex text.

Events only *apply* state. Whether a change is allowed is decided, and
signatures are made, in the application's command methods before any event
is triggered, because event ``apply`` methods run again on every replay.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

import msgpack
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from ledger.transitions import (
    ACCEPT,
    DESTROY,
    HELD,
    LOSE,
    PREPARE,
    REFUSE,
    VOID,
    after,
)

#: Namespace of every aggregate id in a Serah ledger (uuid5).
SERAH_NAMESPACE = UUID("6d1f2c1e-5e4b-5a41-9c1a-7365726168a1")

#: The stored event topic of a record: its state is the envelope, nothing else.
RECORD_TOPIC = "serah:record"

GENESIS_ID = uuid5(SERAH_NAMESPACE, "genesis")


# uuid5 costs ~10 us; a check touches each id several times.
@lru_cache(maxsize=65536)
def record_uuid(record_id: bytes) -> UUID:
    return uuid5(SERAH_NAMESPACE, record_id.hex())


@lru_cache(maxsize=65536)
def item_uuid(item_id: str) -> UUID:
    return uuid5(SERAH_NAMESPACE, "item:" + item_id)


@lru_cache(maxsize=4096)
def key_uuid(key: bytes) -> UUID:
    return uuid5(SERAH_NAMESPACE, "key:" + key.hex())


def seal_uuid(number: str) -> UUID:
    return uuid5(SERAH_NAMESPACE, "seal:" + number)


def attestations_uuid(record_id: bytes) -> UUID:
    return uuid5(SERAH_NAMESPACE, "attested:" + record_id.hex())


# --- the evidence ----------------------------------------------------------------

class Record(Aggregate):
    """One signed record; content-addressed, one event, never changed."""

    class Appended(Aggregate.Created):
        envelope: bytes

    def __init__(self, envelope: bytes) -> None:
        self.envelope = envelope

    @classmethod
    def append(cls, record_id: bytes, envelope: bytes) -> Record:
        return cls._create(cls.Appended, id=record_uuid(record_id), envelope=envelope)


class RecordMapper(Mapper[UUID]):
    """Stores a :class:`Record` event as ``topic = "serah:record"``,
    ``state = envelope``, so ``sha256(state)`` is the record id and the table
    can be read by a tool that knows only SPEC.md; every other event takes
    the library's usual path (transcoder, compressor, cipher).
    """

    _record_topic = get_topic(Record)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        if type(domain_event) is Record.Appended:
            return StoredEvent(
                originator_id=domain_event.originator_id,
                originator_version=domain_event.originator_version,
                topic=RECORD_TOPIC,
                state=domain_event.envelope,
            )
        return super().to_stored_event(domain_event)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        if stored_event.topic != RECORD_TOPIC:
            return super().to_domain_event(stored_event)
        envelope = bytes(stored_event.state)
        originator_id = stored_event.originator_id
        if not isinstance(originator_id, UUID):
            originator_id = UUID(str(originator_id))
        event = object.__new__(Record.Appended)
        object.__setattr__(
            event,
            "__dict__",
            {
                "originator_id": originator_id,
                "originator_version": stored_event.originator_version,
                "timestamp": _signing_time(envelope),
                "originator_topic": self._record_topic,
                "envelope": envelope,
            },
        )
        return event


def _signing_time(envelope: bytes) -> datetime.datetime:
    # The aggregate's timestamp is the author's signing time; the envelope
    # was checked when it was stored, so a plain decode is enough here.
    try:
        body = msgpack.unpackb(msgpack.unpackb(envelope)["body"])
        return datetime.datetime.fromtimestamp(body["time"] / 1000, datetime.UTC)
    except Exception:  # noqa: BLE001 - a timestamp is never worth a failed read
        return datetime.datetime.fromtimestamp(0, datetime.UTC)


# --- the ledger's own identity ---------------------------------------------------

class Genesis(Aggregate):
    """Singleton: the ledger id and genesis fields. A second genesis collides."""

    class Established(Aggregate.Created):
        ledger_id: str
        name: str
        election: str
        vote_date: str
        utc_offset: int
        time: int
        roots: list[str]

    def __init__(
        self,
        ledger_id: str,
        name: str,
        election: str,
        vote_date: str,
        utc_offset: int,
        time: int,
        roots: list[str],
    ) -> None:
        self.ledger_id = ledger_id
        self.name = name
        self.election = election
        self.vote_date = vote_date
        self.utc_offset = utc_offset
        self.time = time
        self.roots = roots

    @classmethod
    def establish(cls, **fields: Any) -> Genesis:
        return cls._create(cls.Established, id=GENESIS_ID, **fields)


# --- custodians -------------------------------------------------------------------

class Custodian(Aggregate):
    """An enrolled (or root) key: its role, jurisdiction and revocation.

    Every record that needs the key to be active (signed by it, or naming it
    as receiver, escort or witness) also appends a :class:`Used` event here,
    and a ``revoke`` appends :class:`Revoked`. So a record checked while the
    key was active and a revocation committed meanwhile write the same
    version of this aggregate, and the second to save fails as a conflict:
    nothing can land after the revocation it raced with (SPEC 4.3).

    ``Used`` events change no state and ``Revoked`` is always the last event
    (no record may use a revoked key), so the state is the first event plus
    the last one: the ledger loads those two rows only
    (:meth:`from_first_and_last`), however many records the key signed.
    """

    class Enrolled(Aggregate.Created):
        key: str
        role: str
        region: str
        name: str
        org: str
        root: bool
        record: str

    def __init__(self, key: str, role: str, region: str, name: str, org: str, root: bool, record: str) -> None:
        self.key = key
        self.role = role
        self.region = region
        self.name = name
        self.org = org
        self.root = root
        self.record = record
        self.revoked = False
        self.revoked_by: str | None = None
        self.reason = ""

    @classmethod
    def enrol(cls, key: bytes, **fields: Any) -> Custodian:
        return cls._create(cls.Enrolled, id=key_uuid(key), key=key.hex(), **fields)

    class Revoked(Aggregate.Event):
        record: str
        reason: str

        def apply(self, custodian: Custodian) -> None:
            custodian.revoked = True
            custodian.revoked_by = self.record
            custodian.reason = self.reason

    def revoke(self, record: str, reason: str) -> None:
        self.trigger_event(self.Revoked, record=record, reason=reason)

    class Used(Aggregate.Event):
        """A record that relies on this key being active (see the class)."""

        record: str

        def apply(self, custodian: Custodian) -> None:
            pass

    def use(self, record: str) -> None:
        self.trigger_event(self.Used, record=record)

    @staticmethod
    def from_first_and_last(first: Any, last: Any) -> Custodian:
        """The aggregate from its first and last events (see the class)."""
        custodian = first.mutate(None)
        if last is not None and last.originator_version > custodian.version:
            custodian.version = last.originator_version - 1
            last.mutate(custodian)
        return custodian


class Seal(Aggregate):
    """A seal number, used at most once in a ledger (SPEC 4.6)."""

    class Used(Aggregate.Created):
        number: str
        box: str
        record: str

    def __init__(self, number: str, box: str, record: str) -> None:
        self.number = number
        self.box = box
        self.record = record

    @classmethod
    def use(cls, number: str, box: str, record: str) -> Seal:
        return cls._create(cls.Used, id=seal_uuid(number), number=number, box=box, record=record)


class Attestations(Aggregate):
    """The ``witness`` records (SPEC 4.14) that target one record, in order.

    A witness record names no item, so no chain leads to it; this index lets
    an evidence bundle (SPEC 11.4 step 5) find a record's attestations with
    one keyed read instead of a scan of the log.
    """

    class Started(Aggregate.Created):
        target: str
        record: str

    def __init__(self, target: str, record: str) -> None:
        self.target = target
        self.records = [record]

    @classmethod
    def start(cls, target: bytes, record: str) -> Attestations:
        return cls._create(cls.Started, id=attestations_uuid(target), target=target.hex(), record=record)

    class Added(Aggregate.Event):
        record: str

        def apply(self, attestations: Attestations) -> None:
            attestations.records.append(self.record)

    def add(self, record: str) -> None:
        self.trigger_event(self.Added, record=record)


# --- items ------------------------------------------------------------------------

# The states and their transitions are written once, in ledger.transitions.


class Item(Aggregate):
    """An item's chain head and custody state (SPEC 5).

    ``holder`` and ``location`` of a packed item are those it had when packed;
    while packed it moves with its box, and readers take them from the box.
    """

    class Registered(Aggregate.Created):
        item_id: str
        record: str
        time: int
        holder: str
        location: str
        kind: str
        dest: str
        qty: int | None
        election: str | None
        dapil: str | None
        serial: list[str] | None
        label: str | None

    def __init__(
        self,
        item_id: str,
        record: str,
        time: int,
        holder: str,
        location: str,
        kind: str,
        dest: str,
        qty: int | None,
        election: str | None,
        dapil: str | None,
        serial: list[str] | None,
        label: str | None,
    ) -> None:
        self.item_id = item_id
        self.kind = kind
        self.dest = dest
        self.qty = qty
        self.election = election
        self.dapil = dapil
        self.serial = serial
        self.label = label
        self.holder = holder
        self.location = location
        self.state = HELD
        self.head = record
        self.time = time
        self.seals: list[str] = []
        self.container: str | None = None
        self.contents: list[str] = []
        self.pending: str | None = None
        self.condition = "ok"
        self.tally: dict[str, int] | None = None
        self.registered_by = record  # the register record: a void needs the chain to be only that

    @classmethod
    def register(cls, item_id: str, **fields: Any) -> Item:
        return cls._create(cls.Registered, id=item_uuid(item_id), item_id=item_id, **fields)

    class Event(Aggregate.Event):
        """A record naming this item in its lines: it becomes the chain head."""

        record: str
        time: int

        def apply(self, item: Item) -> None:
            item.head = self.record
            item.time = self.time
            self.change(item)

        def change(self, item: Item) -> None:
            pass

    class PackedInto(Event):
        box: str

        def change(self, item: Item) -> None:
            item.container = self.box

    class Filled(Event):
        contents: list[str]

        def change(self, item: Item) -> None:
            item.contents = sorted(set(item.contents) | set(self.contents))

    class Sealed(Event):
        seals: list[str]

        def change(self, item: Item) -> None:
            item.seals = list(self.seals)

    class Opened(Event):
        seals_found: list[str]
        intact: bool

        def change(self, item: Item) -> None:
            item.seals = []
            item.contents = []

    class Unpacked(Event):
        """The box this item was in was opened (the item is not in the
        open record's lines, so its chain head does not move)."""

        holder: str
        location: str

        def apply(self, item: Item) -> None:
            item.container = None
            item.holder = self.holder
            item.location = self.location

    class HandoverPrepared(Event):
        to: str

        def change(self, item: Item) -> None:
            item.state = after(item.state, PREPARE)
            item.pending = self.record

    class CustodyMoved(Event):
        holder: str
        location: str
        qty: int | None
        seals: list[str] | None
        condition: str

        def change(self, item: Item) -> None:
            item.state = after(item.state, ACCEPT)
            item.pending = None
            item.holder = self.holder
            item.location = self.location
            if self.qty is not None:
                item.qty = self.qty
            if self.seals is not None:
                item.seals = list(self.seals)
            item.condition = self.condition

    class HandoverRefused(Event):
        def change(self, item: Item) -> None:
            item.state = after(item.state, REFUSE)  # a lost item stays lost
            item.pending = None

    class IncidentRecorded(Event):
        kind: str
        qty_lost: int | None
        condition: str | None
        lost: bool

        def change(self, item: Item) -> None:
            if self.qty_lost is not None and item.qty is not None:
                item.qty = item.qty - self.qty_lost
            if self.condition is not None:
                item.condition = self.condition
            if self.lost:
                item.state = after(item.state, LOSE)

    class Tallied(Event):
        used: int
        unused: int
        spoiled: int

        def change(self, item: Item) -> None:
            item.tally = {"used": self.used, "unused": self.unused, "spoiled": self.spoiled}

    class Destroyed(Event):
        def change(self, item: Item) -> None:
            item.state = after(item.state, DESTROY)
            item.pending = None

    class Voided(Event):
        def change(self, item: Item) -> None:
            item.state = after(item.state, VOID)
            item.pending = None

    def record_event(self, event_class: type[Item.Event], record: str, time: int, **fields: Any) -> None:
        self.trigger_event(event_class, record=record, time=time, **fields)
