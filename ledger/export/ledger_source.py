"""Exporting from a live ``Ledger``: indexed lookups and the transparency log.

``LedgerSource`` answers the ``Source`` questions from the ledger's own
aggregates (an item's events name every record of its chain; a custodian
knows its enrol and revoke records), so one box costs a few indexed queries
whatever the ledger's size.

``SidecarLog`` keeps the RFC 6962 tree of the ledger's records (SPEC 10.1)
in a SQLite file next to the ledger, with the leaf index of every record,
and brings it up to date incrementally (only records appended since the
last export are hashed). It signs checkpoints with the log key handed to it
and adds the cosignatures of any witness signers given. It stands in until
the ledger stores its transparency log and its cosigned checkpoints itself;
then ``LedgerSource`` takes that log instead (same four methods).
"""

from __future__ import annotations

import sqlite3
from typing import Sequence

from ledger.export.trail import Entry
from ledger.tlog.note import Checkpoint
from ledger.tlog.tree import MerkleTree, SqlNodeStore

_BATCH = 5_000


class SidecarLog:
    """The Merkle tree of a ledger's records, stored in its own SQLite file."""

    def __init__(self, path: str, log=None, witnesses: Sequence = ()) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS leaf (idx INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE)")
        # This class frames each append in its own transaction (leaf rows + tree rows).
        self.store = SqlNodeStore(self.conn, manage_transactions=False)
        self.store.create_schema()
        self.tree = MerkleTree(self.store)
        self.log = log
        self.witnesses = list(witnesses)

    def close(self) -> None:
        self.conn.close()

    @property
    def size(self) -> int:
        return self.tree.size

    def last_position(self) -> int:
        row = self.conn.execute("SELECT position FROM leaf ORDER BY idx DESC LIMIT 1").fetchone()
        return row[0] if row else 0

    def sync(self, ledger, progress=None) -> int:
        """Append the records the ledger gained since the last sync; return the new size."""
        batch: list[tuple[int, bytes]] = []
        for position, envelope in ledger.records(after=self.last_position()):
            batch.append((position, envelope))
            if len(batch) >= _BATCH:
                self._append(batch)
                batch = []
                if progress:
                    progress(self.size)
        if batch:
            self._append(batch)
        return self.size

    def _append(self, batch: list[tuple[int, bytes]]) -> None:
        first = self.size
        self.conn.execute("BEGIN")
        try:
            self.conn.executemany("INSERT INTO leaf (idx, position) VALUES (?, ?)",
                                  [(first + n, position) for n, (position, _) in enumerate(batch)])
            self.tree.extend(envelope for _, envelope in batch)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.tree = MerkleTree(self.store)
            raise

    def leaf_indexes(self, positions: Sequence[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        positions = list(positions)
        for start in range(0, len(positions), 500):
            chunk = positions[start : start + 500]
            rows = self.conn.execute(
                f"SELECT position, idx FROM leaf WHERE position IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows.fetchall())
        return found

    def inclusion_proof(self, index: int) -> list[bytes]:
        return self.tree.inclusion_proof(index, self.size)

    def checkpoint(self) -> dict:
        if self.log is None:
            raise ValueError("no log key to sign a checkpoint with")
        text = Checkpoint(self.log.name, self.size, self.tree.root()).body()
        signatures = [self.log.sign(text)] + [w.sign(text) for w in self.witnesses]
        return {"log": self.log.verifier_key(), "note": text + "\n" + "".join(s.line() for s in signatures),
                "witnesses": sorted(w.verifier_key() for w in self.witnesses)}


class LedgerSource:
    """``Source`` over a ``ledger.application.Ledger`` and a log of its records."""

    def __init__(self, ledger, log) -> None:
        self.ledger = ledger
        self.log = log
        self.size = log.size
        self._entries: dict[bytes, Entry | None] = {}

    # records by id, with their leaf index

    def _fetch(self, ids: Sequence[bytes]) -> list[Entry]:
        from ledger.domain import record_uuid

        wanted = [i for i in dict.fromkeys(ids) if i not in self._entries]
        if wanted:
            envelopes = self.ledger._record_envelopes(wanted)
            positions = self.ledger._positions([record_uuid(i) for i in wanted])
            indexes = self.log.leaf_indexes(list(positions.values()))
            for rid in wanted:
                index = indexes.get(positions.get(record_uuid(rid)))
                envelope = envelopes.get(rid)
                ok = index is not None and envelope is not None and index < self.size
                self._entries[rid] = Entry(index, envelope, rid) if ok else None
        return [e for e in (self._entries[i] for i in ids) if e is not None]

    def genesis(self) -> Entry:
        return self._fetch([self.ledger.ledger_id])[0]

    def chain(self, item: str) -> list[Entry]:
        from ledger.domain import item_uuid

        ids: list[bytes] = []
        for event in self.ledger.events.get(item_uuid(item)):
            rid = bytes.fromhex(event.record)
            if rid not in ids:
                ids.append(rid)
        entries = [e for e in self._fetch(ids) if item in e.items()]  # not the opening of its box
        return sorted(entries, key=lambda e: e.index)

    def items_at(self, region: str) -> list[str]:
        from ledger.projections.store import prefix_range

        low, high = prefix_range(region)
        try:
            with self._store().reading() as cur:
                sql = "SELECT item FROM proj_item WHERE dest >= ?" + (" AND dest < ?" if high else "")
                cur.execute(sql, (low, high) if high else (low,))
                return [row[0] for row in cur.fetchall()]
        except Exception:  # noqa: BLE001 - no view yet: read the registrations instead
            return [item for item, dest in self._registered() if dest.startswith(region)]

    def _store(self):
        from ledger.projections.store import Store

        return Store(self.ledger)

    def _registered(self):
        for _, envelope in self.ledger.records():
            entry = Entry(0, envelope, b"")
            if entry.type == "register":
                for line in entry.body["lines"]:
                    yield line["item"], line["dest"]

    def items_touched(self, since, until) -> list[str]:
        found: set[str] = set()
        for _, envelope in self.ledger.records():
            entry = Entry(0, envelope, b"")
            if (since is None or entry.time >= since) and (until is None or entry.time < until):
                found.update(entry.items())
        return sorted(found)

    def _custodian(self, key: bytes):
        from ledger.domain import key_uuid

        try:
            return self.ledger.repository.get(key_uuid(key))
        except Exception:  # noqa: BLE001 - unknown key: nothing to add, B9 will say so
            return None

    def enrolment(self, key: bytes) -> Entry | None:
        custodian = self._custodian(key)
        if custodian is None or custodian.root:
            return None
        found = self._fetch([bytes.fromhex(custodian.record)])
        return found[0] if found else None

    def revocations(self, key: bytes) -> list[Entry]:
        custodian = self._custodian(key)
        if custodian is None or not custodian.revoked_by:
            return []
        return self._fetch([bytes.fromhex(custodian.revoked_by)])

    def attestations(self, record_id: bytes) -> list[Entry]:
        return []  # the ledger keeps no index of witness records by target yet

    def inclusion_proof(self, index: int) -> list[bytes]:
        return self.log.inclusion_proof(index)

    def checkpoint(self) -> dict:
        return self.log.checkpoint()
