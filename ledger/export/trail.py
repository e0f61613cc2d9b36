"""Which records go into an evidence bundle (SPEC 11.4).

The rules are written against ``Source``, a handful of batched, indexed
lookups, so that exporting one box from a ledger of a million records
touches only the records of that box's trail: the chains of a whole wave of
items at once, the enrolments of a whole round of signers at once, and
inclusion proofs of O(log n) stored hashes per record, read together.
Nothing here scans the ledger, and the number of reads depends on how deep
the trail goes (box -> contents, signer -> enroller), not on its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from ledger.encoding import decode
from ledger.errors import InvalidInput


@dataclass(frozen=True)
class Entry:
    """One record as the bundle carries it: leaf index and exact envelope bytes."""

    index: int
    envelope: bytes
    id: bytes

    @cached_property
    def _outer(self) -> dict:
        return decode(self.envelope)

    @cached_property
    def body(self) -> dict:
        return decode(self._outer["body"])

    @cached_property
    def signers(self) -> list[bytes]:
        return [key for key, _ in self._outer["sigs"]]

    @property
    def type(self) -> str:
        return self.body["type"]

    @property
    def time(self) -> int:
        return self.body["time"]

    def items(self) -> list[str]:
        return [line["item"] for line in self.body.get("lines", ())]


@dataclass(frozen=True)
class Scope:
    """What a prosecutor asked for: items, places (a TPS is a 13-digit place), a time window.

    The window is ``since <= time < until``, in milliseconds since the epoch
    (UTC), compared with each record's signed ``time``.
    """

    items: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(sorted(set(self.items))))
        object.__setattr__(self, "places", tuple(sorted(set(self.places))))
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise InvalidInput(code="bad_window", detail="--since must be before --until")

    def in_window(self, time: int) -> bool:
        return (self.since is None or time >= self.since) and (self.until is None or time < self.until)

    @property
    def windowed(self) -> bool:
        return self.since is not None or self.until is not None

    def as_manifest(self) -> dict:
        """The manifest's ``scope`` map: absent entries are omitted (SPEC 11.2)."""
        scope: dict = {}
        if self.items:
            scope["items"] = list(self.items)
        if self.places:
            scope["places"] = list(self.places)
        if self.since is not None:
            scope["since"] = self.since
        if self.until is not None:
            scope["until"] = self.until
        return scope


class Source(Protocol):
    """The indexed lookups an export needs, all limited to records below ``size``.

    Records at or after ``size`` (appended meanwhile) are not seen. Every
    lookup takes a batch, so that a source over a database answers each in
    a few queries.
    """

    size: int

    def genesis(self) -> Entry: ...

    def chains(self, items: Sequence[str]) -> dict[str, list[Entry]]:
        """For each item, every record naming it in a line, in index order (empty if unknown)."""

    def items_at(self, region: str) -> list[str]:
        """Items whose ``dest`` is covered by ``region``."""

    def items_touched(self, since: int | None, until: int | None) -> list[str]:
        """Items named by a record whose ``time`` is in the window."""

    def authority(self, keys: Sequence[bytes]) -> list[Entry]:
        """The ``enrol`` record and the ``revoke`` records of each key (none for a root or an unknown key)."""

    def attestations(self, record_ids: Sequence[bytes]) -> list[Entry]:
        """``witness`` records whose ``target`` is one of ``record_ids``."""


@dataclass
class Trail:
    """The outcome of SPEC 11.4: the subject items and every record to carry."""

    scope: Scope
    subject: list[str]
    entries: list[Entry]  # index order
    missing: list[str] = field(default_factory=list)  # asked-for items not in the ledger (below size)


def collect(source: Source, scope: Scope, progress=None) -> Trail:
    """Apply SPEC 11.4 steps 1-5 through ``source``."""
    chains: dict[str, list[Entry]] = {}

    def load(items) -> None:
        todo = [item for item in dict.fromkeys(items) if item not in chains]
        if todo:
            found = source.chains(todo)
            for item in todo:
                chains[item] = found.get(item, [])

    # 1. selection
    candidates: list[str] = list(scope.items)
    for place in scope.places:
        candidates.extend(source.items_at(place))
    if not scope.items and not scope.places:
        candidates.extend(source.items_touched(scope.since, scope.until))
    load(candidates)
    missing = [item for item in scope.items if not chains[item]]
    selected = {item for item in candidates if chains[item]}
    if scope.windowed:
        selected = {item for item in selected if any(scope.in_window(e.time) for e in chains[item])}

    # 2. closure over pack records, both directions (box <-> contents), a wave of items at a time
    subject: set[str] = set()
    wave = sorted(selected)
    while wave:
        load(wave)
        subject.update(wave)
        packed = {i for item in wave for e in chains[item] if e.type == "pack" for i in e.items()}
        wave = sorted(packed - subject)
        if progress:
            progress(len(subject))

    # 3. trail
    records: dict[bytes, Entry] = {}
    for item in sorted(subject):
        for entry in chains[item]:
            records[entry.id] = entry
    genesis = source.genesis()
    records[genesis.id] = genesis

    # 4. authority and 5. attestations, to a fixed point: each round asks for
    # the witness records of the records added last, and the enrolments and
    # revocations of the keys they rely on or name.
    roots = {root["key"] for root in genesis.body["roots"]}
    seen: set[bytes] = set(roots)
    added = list(records.values())
    while added:
        keys = []  # each key once, in the order the records name them
        for entry in added:
            for key in referenced_keys(entry):
                if key not in seen:
                    seen.add(key)
                    keys.append(key)
        found = source.attestations([e.id for e in added]) + (source.authority(keys) if keys else [])
        added = [e for e in found if e.id not in records]
        for entry in added:
            records[entry.id] = entry

    entries = sorted(records.values(), key=lambda e: e.index)
    return Trail(scope, sorted(subject, key=lambda s: s.encode("utf-8")), entries, missing)


def referenced_keys(entry: Entry) -> Iterable[bytes]:
    """Keys whose authority a record relies on or that it names (SPEC 11.4 step 4)."""
    body = entry.body
    yield from entry.signers
    for name in ("to", "key"):
        if isinstance(body.get(name), bytes):
            yield body[name]
    for name in ("escorts", "witnesses"):
        yield from body.get(name, ())
