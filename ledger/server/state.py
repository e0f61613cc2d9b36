"""The server's picture of the ledger, derived from signed records only.

Why this exists: the ``stored_events`` table holds two kinds of rows, the
signed records (``serah:record``) and index events (items, keys, seals) that
an append derives from them. Nobody signs an index row, so anyone with write
access to the database could forge one, and a writer that judges new
records against index rows would believe it (issue 12's first attack).

The server never reads an index row. At start-up it replays every record,
signature-checked, through the same custody rules a command uses
(:func:`ledger.rules.apply`), building items, keys, seals and attestations
in memory. After that each accepted record is applied once, so the cost of
a write does not grow with an item's history. A row that fails on replay
(a forged or broken record) is skipped and reported, never believed.

Checks of new records run on :class:`Draft` objects layered over the state:
a draft copies an aggregate the first time a rule reads it, so a refused
record changes nothing and the state changes only when a batch has been
committed (:meth:`SignedState.absorb`).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent

from ledger import records, rules
from ledger.domain import Genesis, item_uuid, key_uuid, record_uuid
from ledger.errors import SerahError, UnknownRecord
from ledger.server.tree import DerivedTree
from ledger.work import Changes

__all__ = ["Draft", "SignedState", "Skipped"]

log = logging.getLogger("serah.server")

_ENVELOPE_CACHE = 20_000  # recent envelopes kept for accepts, refuses and witness records


@dataclass(frozen=True)
class Skipped:
    """A stored record row that was not derived into the state, and why."""

    position: int
    record: str  #: hex id of the row's bytes
    reason: str


class _Layer:
    """What :class:`SignedState` and :class:`Draft` share: the rules' State protocol."""

    genesis: Genesis | None

    def lookup(self, uid: UUID) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def knows(self, record_id: bytes) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def stored_envelope(self, record_id: bytes) -> bytes | None:  # pragma: no cover - overridden
        raise NotImplementedError


class SignedState(_Layer):
    """Aggregates of one ledger derived from its records, and the ids of those records.

    ``read_envelope(record_uuid)`` fetches a stored record's bytes (for an
    accept's prepare that has left the cache); the bytes are believed only
    if they hash to the id asked for.
    """

    def __init__(self, read_envelope: Callable[[UUID], bytes | None], tree: DerivedTree | None = None) -> None:
        self.aggregates: dict[UUID, Any] = {}
        self.genesis: Genesis | None = None
        #: records derived into the state, with their positions (leaf indexes):
        #: the server never looks a position up in the stored tree
        self.record_ids: dict[bytes, int] = {}
        self.not_derived: set[bytes] = set()  #: stored rows the replay refused (see ``skipped``)
        self.size = 0  #: record rows seen = leaves of the log
        self.cursor = 0  #: storage row number of the last record row seen
        self.skipped: list[Skipped] = []
        self._read_envelope = read_envelope
        self.tree = tree if tree is not None else DerivedTree()  #: the log's tree over every record row
        self._envelopes: OrderedDict[bytes, bytes] = OrderedDict()
        self._parsed: OrderedDict[bytes, records.Record] = OrderedDict()

    # --- the State protocol, read side (drafts copy from here) ---------------------

    def lookup(self, uid: UUID) -> Any:
        return self.aggregates.get(uid)

    def knows(self, record_id: bytes) -> bool:
        return record_id in self.record_ids

    def stored_envelope(self, record_id: bytes) -> bytes | None:
        if record_id not in self.record_ids:
            return None
        envelope = self._envelopes.get(record_id)
        if envelope is None:
            envelope = self._read_envelope(record_uuid(record_id))
            if envelope is None or hashlib.sha256(envelope).digest() != record_id:
                return None  # a row that is not the record it claims to be is not believed
            self._remember(record_id, envelope)
        return envelope

    def stored_record(self, record_id: bytes) -> records.Record | None:
        rec = self._parsed.get(record_id)
        if rec is None:
            envelope = self.stored_envelope(record_id)
            if envelope is None:
                return None
            rec = records.parse(envelope, verify=False)  # verified when it was derived
            self._parsed[record_id] = rec
            if len(self._parsed) > _ENVELOPE_CACHE:
                self._parsed.popitem(last=False)
        return rec

    def _remember(self, record_id: bytes, envelope: bytes) -> None:
        self._envelopes[record_id] = envelope
        if len(self._envelopes) > _ENVELOPE_CACHE:
            self._envelopes.popitem(last=False)

    # --- growing -----------------------------------------------------------------------

    def replay(self, rows: Iterable[tuple[int, bytes]], *, trusted: int = 0) -> int:
        """Derives the state from stored record rows ``(row number, envelope)``
        in global order; returns how many were derived. Each is judged by
        the custody rules exactly as if it were submitted now (without the
        clock bound), and added to the tree.

        Records at positions below ``trusted`` are parsed without checking
        their signatures: the caller vouches for them with a checkpoint the
        server signed, and MUST compare ``tree.root(trusted)`` with that
        checkpoint's root afterwards (and replay again, untrusted, if they
        differ). Every later record has its signatures checked."""
        derived = 0
        for row, envelope in rows:
            position = self.size
            self.size += 1
            self.cursor = row
            self.tree.extend((envelope,))
            try:
                rec = records.parse(envelope, verify=position >= trusted)
                draft = Draft(self)
                rules.apply(rec, draft)
            except SerahError as error:
                rid = hashlib.sha256(envelope).hexdigest()
                self.skipped.append(Skipped(position, rid, str(error)))
                log.warning("record row at position %d (%s) not derived: %s", position, rid[:16], error)
                # Its id is still taken: the row exists, so it cannot be appended again.
                self.not_derived.add(bytes.fromhex(rid))
                continue
            draft.collect_events()
            self.absorb(draft, position)
            derived += 1
        return derived

    def absorb(self, draft: Draft, first: int) -> None:
        """Makes a committed draft's changes the state (its events already
        saved, its records at positions ``first``, ``first + 1``, ... in order)."""
        self.aggregates.update(draft.changed_index())
        if draft.genesis is not None and self.genesis is None:
            self.genesis = draft.genesis
        for position, (rid, rec) in enumerate(draft.new_records.items(), first):
            self.record_ids[rid] = position
            self._remember(rid, rec.raw)
            self._parsed[rid] = rec

    def positions(self, record_ids: Iterable[bytes]) -> dict[bytes, int]:
        """Positions of derived records by id (others are left out)."""
        return {rid: self.record_ids[rid] for rid in record_ids if rid in self.record_ids}

    # --- reads for the JSON API ---------------------------------------------------------

    def item(self, item_id: str) -> Any:
        return self.aggregates.get(item_uuid(item_id))

    def custodian(self, key: bytes) -> Any:
        return self.aggregates.get(key_uuid(key))


#: Values a copy may share with its original. Domain events are frozen.
_IMMUTABLE = (str, int, float, bool, bytes, type(None), UUID, datetime.datetime, DomainEvent)


def _copy_value(value: Any) -> Any:
    if isinstance(value, _IMMUTABLE):
        return value
    if isinstance(value, list):
        return [_copy_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy_value(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_copy_value(v) for v in value)
    return copy.deepcopy(value)


def copy_aggregate(aggregate: Any) -> Any:
    """A copy the rules may change without touching the original.

    Containers are copied, immutable values shared: the pending events
    (deep-copying them made a batch quadratic: a key signing every record
    of a batch carries one pending event per record) and the timestamps
    (``copy.deepcopy`` of a datetime took most of a start-up's replay)."""
    clone = object.__new__(type(aggregate))
    state = {name: _copy_value(value) for name, value in vars(aggregate).items()}
    object.__setattr__(clone, "__dict__", state)
    return clone


class Draft(_Layer, Changes):
    """Changes over a parent (the state or another draft), kept apart until merged.

    Implements the State protocol of :mod:`ledger.rules`. An aggregate is
    deep-copied from the parent the first time it is read, so the rules may
    change it freely; :meth:`merge` hands a passed record's changes to the
    parent draft, and a refused record's draft is simply dropped.
    """

    def __init__(self, parent: _Layer) -> None:
        super().__init__()
        self.parent = parent
        self.genesis = parent.genesis  # never changed after the genesis record, which sets a new one

    # --- the State protocol

    def preload(self, ids: Iterable[UUID] = (), keys: Iterable[bytes] = ()) -> None:
        """Nothing to load ahead: everything is in memory."""

    def lookup(self, uid: UUID) -> Any:
        if uid in self.loaded:
            return self.loaded[uid]
        return self.parent.lookup(uid)

    def get(self, uid: UUID) -> Any:
        if uid not in self.loaded:
            found = self.parent.lookup(uid)
            self.loaded[uid] = copy_aggregate(found) if found is not None else None
        return self.loaded[uid]

    def item(self, item_id: str) -> Any:
        return self.get(item_uuid(item_id))

    def custodian(self, key: bytes) -> Any:
        return self.get(key_uuid(key))

    def knows(self, record_id: bytes) -> bool:
        return record_id in self.new_records or self.parent.knows(record_id)

    def stored_envelope(self, record_id: bytes) -> bytes | None:
        if record_id in self.new_records:
            return self.new_records[record_id].raw
        return self.parent.stored_envelope(record_id)

    def envelope(self, record_id: bytes) -> bytes | None:
        return self.stored_envelope(record_id)

    def parsed(self, record_id: bytes) -> records.Record:
        layer: _Layer = self
        while isinstance(layer, Draft):
            if record_id in layer.new_records:
                return layer.new_records[record_id]
            layer = layer.parent
        assert isinstance(layer, SignedState)
        rec = layer.stored_record(record_id)
        if rec is None:
            raise UnknownRecord(record=record_id.hex())
        return rec

    # --- combining drafts

    def merge(self, child: Draft) -> None:
        """Takes a passed child draft's changes (the child is built on this one)."""
        for uid, aggregate in child.loaded.items():
            if uid in child.changed:
                self.loaded[uid] = aggregate
        for uid, aggregate in child.changed.items():
            self.changed[uid] = aggregate
        self.new_records.update(child.new_records)
        if child.genesis is not None and self.genesis is None:
            self.genesis = child.genesis

    def collect_events(self) -> list[Any]:
        """Every pending event: the records first, in the order they were
        checked (each record's position precedes its index events), then
        the index aggregates'. Drains them: call once, when saving."""
        record_ids = {record_uuid(r) for r in self.new_records}
        ordered = [a for u, a in self.changed.items() if u in record_ids]
        ordered += [a for u, a in self.changed.items() if u not in record_ids]
        return [event for aggregate in ordered for event in aggregate.collect_events()]

    def changed_index(self) -> dict[UUID, Any]:
        """The changed aggregates that are not records (what stays in memory)."""
        record_ids = {record_uuid(r) for r in self.new_records}
        return {u: a for u, a in self.changed.items() if u not in record_ids}
