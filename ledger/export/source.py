"""``Source`` implementations for exporting (see ``ledger.export.trail``).

``MemorySource`` indexes a list of envelopes in global order in dicts and
keeps their Merkle tree in memory: for tests, benchmarks and for exporting
from a plain list of records (e.g. a ledger dump). ``LedgerSource`` reads a
live ``Ledger`` through its indexes and its stored tree.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable, Sequence

from ledger.encoding import decode
from ledger.export.trail import Entry
from ledger.tlog.note import Checkpoint
from ledger.tlog.tree import MemoryNodeStore, MerkleTree


def covers(region: str, target: str) -> bool:
    return target.startswith(region)


class MemorySource:
    """A ``Source`` over envelopes held in memory, index = position in the list.

    ``log`` signs checkpoints (a ``ledger.tlog.note`` signer whose name is the
    ledger name) and ``witnesses`` cosign them (cosignature/v1 signers).
    """

    def __init__(self, envelopes: Iterable[bytes], log, witnesses: Sequence = ()) -> None:
        self.entries: list[Entry] = []
        self.tree = MerkleTree(MemoryNodeStore())
        self._by_item: dict[str, list[int]] = defaultdict(list)
        self._dest: dict[str, str] = {}
        self._enrol: dict[bytes, int] = {}
        self._revoke: dict[bytes, list[int]] = defaultdict(list)
        self._witness: dict[bytes, list[int]] = defaultdict(list)
        self.log = log
        self.witnesses = list(witnesses)
        for envelope in envelopes:
            self.append(envelope)

    def append(self, envelope: bytes) -> Entry:
        entry = Entry(len(self.entries), envelope, hashlib.sha256(envelope).digest())
        self.entries.append(entry)
        self.tree.append(envelope)
        body = entry.body
        for line in body.get("lines", ()):
            self._by_item[line["item"]].append(entry.index)
            if "dest" in line:
                self._dest.setdefault(line["item"], line["dest"])
        if entry.type == "enrol":
            self._enrol.setdefault(body["key"], entry.index)
        elif entry.type == "revoke":
            self._revoke[body["key"]].append(entry.index)
        elif entry.type == "witness":
            self._witness[body["target"]].append(entry.index)
        return entry

    @property
    def size(self) -> int:
        return len(self.entries)

    def _take(self, indexes: Iterable[int]) -> list[Entry]:
        return [self.entries[i] for i in indexes if i < self.size]

    def genesis(self) -> Entry:
        return self.entries[0]

    def chain(self, item: str) -> list[Entry]:
        return self._take(self._by_item.get(item, ()))

    def items_at(self, region: str) -> list[str]:
        return [item for item, dest in self._dest.items() if covers(region, dest)]

    def items_touched(self, since, until) -> list[str]:
        found: set[str] = set()
        for entry in self.entries:
            time = entry.time
            if (since is None or time >= since) and (until is None or time < until):
                found.update(entry.items())
        return sorted(found)

    def enrolment(self, key: bytes) -> Entry | None:
        index = self._enrol.get(key)
        return self.entries[index] if index is not None else None

    def revocations(self, key: bytes) -> list[Entry]:
        return self._take(self._revoke.get(key, ()))

    def attestations(self, record_id: bytes) -> list[Entry]:
        return self._take(self._witness.get(record_id, ()))

    def inclusion_proof(self, index: int) -> list[bytes]:
        return self.tree.inclusion_proof(index, self.size)

    def checkpoint(self) -> dict:
        text = Checkpoint(self.log.name, self.size, self.tree.root(self.size)).body()
        signatures = [self.log.sign(text)] + [w.sign(text) for w in self.witnesses]
        note = text + "\n" + "".join(sig.line() for sig in signatures)
        return {"log": self.log.verifier_key(), "note": note,
                "witnesses": sorted(w.verifier_key() for w in self.witnesses)}


def decode_envelope(envelope: bytes) -> dict:
    return decode(decode(envelope)["body"])
