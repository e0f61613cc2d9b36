"""The unit of work of one append: the aggregates it reads and changes,
loaded at most once each, and the records it adds (see ``ledger.application``
for how an append loads, checks and saves one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledger import records
from ledger.domain import (
    Custodian,
    Genesis,
    Item,
    Record,
    item_uuid,
    key_uuid,
    record_uuid,
)
from ledger.errors import UnknownRecord

if TYPE_CHECKING:
    from ledger.application import Ledger

__all__ = ["StoredRecord", "Work"]


@dataclass(frozen=True)
class StoredRecord:
    """A record already in the ledger, as an append's checks see it."""

    envelope: bytes


# --- the unit of work ------------------------------------------------------------------


class Changes:
    """What the rules change while judging a record: the aggregates read
    (``loaded``, also as "absent"), those changed, and the records added.

    The write half of the State protocol of :mod:`ledger.rules`, shared by
    this module's :class:`Work` (one append through the library) and the
    server's in-memory drafts (:class:`ledger.server.state.Draft`), so both
    record a change the same way.
    """

    def __init__(self) -> None:
        self.loaded: dict[UUID, Any] = {}
        self.changed: dict[UUID, Any] = {}
        self.new_records: dict[bytes, records.Record] = {}

    def add(self, aggregate: Any) -> None:
        self.loaded[aggregate.id] = aggregate
        self.changed[aggregate.id] = aggregate

    def touch(self, *aggregates: Any) -> None:
        for aggregate in aggregates:
            self.changed[aggregate.id] = aggregate

    def add_record(self, rec: records.Record) -> None:
        self.new_records[rec.id] = rec
        self.changed[record_uuid(rec.id)] = Record.append(rec.id, rec.raw)


class Work(Changes):
    """The aggregates one append reads and changes, and the records it adds.

    Loaded aggregates are cached (also as "absent"), so each is read at most
    once; changes stay in memory until :meth:`Ledger._commit` saves them all.
    """

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.fresh: set[bytes] = set()  # ids of new records signed by this process just now
        self.stored_records: dict[bytes, records.Record] = {}  # stored ones, parsed
        self.genesis: Genesis | None = ledger._load_genesis()

    def preload(self, ids: Iterable[UUID] = (), keys: Iterable[bytes] = ()) -> None:
        """Loads the aggregates ``ids`` and the custodians of ``keys`` that
        are not loaded yet, in one query each."""
        missing = [i for i in dict.fromkeys(ids) if i not in self.loaded]
        key_ids = [u for u in dict.fromkeys(key_uuid(k) for k in keys) if u not in self.loaded]
        if missing or key_ids:
            found = self.ledger._load(missing, key_ids)
            for uid in (*missing, *key_ids):
                self.loaded[uid] = found.get(uid)

    def get(self, uid: UUID) -> Any:
        if uid not in self.loaded:
            self.preload([uid])
        return self.loaded[uid]

    def preload_items(self, item_ids: Iterable[str]) -> None:
        self.preload(item_uuid(i) for i in item_ids)

    def item(self, item_id: str) -> Item | None:
        return self.get(item_uuid(item_id))

    def custodian(self, key: bytes) -> Custodian | None:
        uid = key_uuid(key)
        if uid not in self.loaded:
            self.preload(keys=[key])
        return self.loaded[uid]

    def envelope(self, record_id: bytes) -> bytes | None:
        if record_id in self.new_records:
            return self.new_records[record_id].raw
        record = self.get(record_uuid(record_id))
        return record.envelope if record is not None else None

    def parsed(self, record_id: bytes) -> records.Record:
        """A record of the ledger (or of this work), parsed once. Stored
        records were verified when appended: no signature check here."""
        if record_id in self.new_records:
            return self.new_records[record_id]
        if record_id not in self.stored_records:
            envelope = self.envelope(record_id)
            if envelope is None:
                raise UnknownRecord(record=record_id.hex())
            self.stored_records[record_id] = records.parse(envelope, verify=False)
        return self.stored_records[record_id]

    def to_save(self) -> list[Any]:
        """Records first, in the order they were checked, so each record's
        position precedes its index events; then the changed aggregates."""
        record_ids = {record_uuid(r) for r in self.new_records}
        ordered = [a for u, a in self.changed.items() if u in record_ids]
        ordered += [a for u, a in self.changed.items() if u not in record_ids]
        return ordered
