"""The ledger's transparency log (SPEC 10): one Merkle tree over every record,
signed checkpoints, witness cosignatures, and proofs.

Where the tree lives and when it grows
--------------------------------------
The tree's nodes live in the ledger's own database (``serah_tlog_node``) and
grow in the **same transaction** that stores a record: each backend's
application recorder (``ledger.storage.sqlite``, ``ledger.storage.postgres``;
selected by ``ledger.persistence.environment(db, transparency_log=True)``)
extends the tree (``ledger.tlog.sync``) for every ``serah:record`` row of a
save before the transaction commits. A committed record therefore always
has its leaf, a checkpoint can never miss one, and nothing is recomputed
when a proof is asked for.

Before it extends the tree, the recorder checks that the tree ends with the
last record already stored. A tree that lags behind (a ledger written before
this module existed, or by a program that bypassed these recorders) is caught
up from the records inside the same transaction: the tree is derived data and
can always be rebuilt from the records. A tree that *contradicts* the records
(records removed or rewritten underneath it) makes the append fail with
:class:`TreeMismatch`: the log must never grow, or sign, a tree that does not
describe its records. The full check (every leaf against every record) is the
verifier's job (SPEC 10.6, T4).

Checkpoints and cosignatures are kept in two append-only tables
(``serah_tlog_checkpoint``, ``serah_tlog_cosignature``, SPEC 10.8). Every
tlog table is guarded like the event table (``ledger.persistence``): the
database refuses UPDATE and DELETE.

Keys: the log signs with an ordinary Serah key file (``ledger.keys.Signer``)
under the key name = the genesis ``name``; witnesses sign cosignature/v1
lines with theirs. The adapters here never see the private key, only the
``sign`` method.
"""


from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from ledger.domain import RECORD_TOPIC
from ledger.storage import storage_for

# The log's parts, each in its own module; imported from here by callers.
from ledger.tlog.checkpoints import StoredCheckpoint, StoredCosignature
from ledger.tlog.errors import (
    BadCosignature,
    BadNote,
    BeyondLog,
    LogError,
    LogKeyChanged,
    NoCheckpoint,
    NoSuchLeaf,
    TreeMismatch,
    UnknownCheckpoint,
)
from ledger.tlog.note import Checkpoint, NoteError, parse_note
from ledger.tlog.signers import (
    KeyWitness,
    LogSigner,
    WitnessSigner,
    log_verifier_key,
    witness_verifier_key,
)
from ledger.tlog.sql import (
    CHECKPOINT_TABLE,
    COSIGNATURE_TABLE,
    NODE_TABLE,
    TABLES,
    LogNodeStore,
    _Sql,
    names_of,
)
from ledger.tlog.sync import _align, _last_record, _record_count, _record_filter, _records_from
from ledger.tlog.tree import MerkleTree, leaf_hash
from ledger.tlog.witness import CosignatureVerifier
from ledger.tlog.witnessing import cosign_checkpoint

__all__ = [
    "CHECKPOINT_TABLE",
    "COSIGNATURE_TABLE",
    "NODE_TABLE",
    "TABLES",
    "BadCosignature",
    "BadNote",
    "BeyondLog",
    "KeyWitness",
    "LogError",
    "LogKeyChanged",
    "LogSigner",
    "NoCheckpoint",
    "NoSuchLeaf",
    "StoredCheckpoint",
    "StoredCosignature",
    "TransparencyLog",
    "TreeMismatch",
    "UnknownCheckpoint",
    "WitnessSigner",
    "cosign_checkpoint",
    "log_verifier_key",
    "witness_verifier_key",
]


class TransparencyLog:
    """The transparency log of one ``Ledger``: size, roots, proofs, checkpoints.

    Leaf *i* is the record at 0-based place *i* of the global order (SPEC
    10.1). Proofs are made from stored nodes (O(log n) reads each).
    """

    def __init__(self, ledger: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.ledger = ledger
        self._storage = storage_for(ledger)
        self._names = names_of(self._storage)
        self._clock = clock
        self._aligned = False

    # --- connections (the ledger's storage: ledger.storage)

    def _reading(self) -> AbstractContextManager[_Sql]:
        return self._storage.reading()

    def _writing(self, *, lock_records: bool = False) -> AbstractContextManager[_Sql]:
        """A write transaction; with ``lock_records`` it first takes the lock
        record inserts take, so the tree cannot change underneath."""
        return self._storage.writing(lock_records=lock_records)

    def _tree(self, sql: _Sql) -> MerkleTree:
        return MerkleTree(LogNodeStore(sql, self._names))

    # --- keeping up

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Bring the tree level with the records; returns the leaves added.

        Appends do this themselves; this is for ledgers written before the
        log existed, and costs two small queries when there is nothing to do.
        ``progress(leaves_added)`` is called every few thousand leaves.
        """
        with self._reading() as sql:
            tree = self._tree(sql)
            last = _last_record(sql, self._names, None)
            if last is None and tree.size == 0:
                return self._done(0)
            if last is not None and tree.size and tree.leaf_hash_at(tree.size - 1) == leaf_hash(last):
                return self._done(0)
        with self._writing(lock_records=True) as sql:
            return self._done(_align(sql, self._names, self._tree(sql), None, progress))

    def _done(self, added: int) -> int:
        self._aligned = True
        return added

    def _ready(self) -> None:
        if not self._aligned:
            self.catch_up()

    # --- the tree

    @property
    def size(self) -> int:
        """Number of leaves, which is the number of records."""
        self._ready()
        with self._reading() as sql:
            return self._tree(sql).size

    def root(self, size: int | None = None) -> bytes:
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, size)
            return tree.root(size)

    def leaf_index(self, record_id: bytes) -> int:
        """The 0-based leaf index (place in the global order) of a record."""
        envelope = self.ledger.record(record_id)  # UnknownRecord if not in the ledger
        self._ready()
        with self._reading() as sql:
            row = sql.one(f"SELECT idx FROM {self._names.node} WHERE level = 0 AND hash = ?",
                          [leaf_hash(envelope)])
        if row is None:
            raise TreeMismatch(tree=self.size, detail=f"record {record_id.hex()[:16]} has no leaf")
        return int(row[0])

    def leaf_indexes(self, positions: Sequence[int]) -> dict[int, int]:
        """Leaf index of each record given by its storage position (notification
        id, as ``Ledger.records`` yields); positions of other rows are left out."""
        found: dict[int, int] = {}
        positions = list(dict.fromkeys(positions))
        self._ready()
        with self._reading() as sql:
            for start in range(0, len(positions), 500):
                chunk = positions[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = sql.rows(f"SELECT {self._names.order}, state FROM {self._names.events}"
                                f" WHERE topic = ? AND {self._names.order} IN ({marks})", [RECORD_TOPIC, *chunk])
                by_hash = {leaf_hash(bytes(state)): int(position) for position, state in rows}
                found.update(self._indexes_of(sql, by_hash))
        return found

    def leaf_indexes_of(self, record_ids: Sequence[bytes]) -> dict[bytes, int]:
        """Leaf index of each record given by its id; unknown ids are left out."""
        envelopes = self.ledger._record_envelopes(list(record_ids))
        return self.leaf_indexes_by_hash({leaf_hash(envelope): rid for rid, envelope in envelopes.items()})

    def leaf_indexes_by_hash(self, by_hash: dict[bytes, Any]) -> dict[Any, int]:
        """Leaf index of each record given by its leaf hash (``by_hash`` maps a
        leaf hash to the caller's key, e.g. the record id, which the result
        is keyed by); hashes of no leaf are left out. One indexed read per
        hash, for callers that already hold the envelopes."""
        self._ready()
        with self._reading() as sql:
            return self._indexes_of(sql, by_hash)

    def _indexes_of(self, sql: _Sql, by_hash: dict[bytes, Any]) -> dict[Any, int]:
        found = {}
        hashes = list(by_hash)
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for digest, index in sql.rows(f"SELECT hash, idx FROM {self._names.node}"
                                          f" WHERE level = 0 AND hash IN ({marks})", chunk):
                found[by_hash[bytes(digest)]] = int(index)
        return found

    def envelope_at(self, index: int) -> bytes:
        """The record at leaf ``index`` (a scan of the global order: for people, not loops)."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            if not 0 <= index < tree.size:
                raise NoSuchLeaf(index=index, log=tree.size)
            envelope = next(_records_from(sql, self._names, index), None)
            if envelope is None or leaf_hash(envelope) != tree.leaf_hash_at(index):
                raise TreeMismatch(tree=tree.size, detail=f"record {index} differs from its leaf")
            return envelope

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` (default: all)."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, size)
            size = tree.size if size is None else size
            if not 0 <= index < size:
                raise NoSuchLeaf(index=index, log=size)
            return tree.inclusion_proof(index, size)

    def inclusion_proofs(self, indexes: Sequence[int], size: int | None = None) -> list[list[bytes]]:
        """``inclusion_proof`` of each leaf in ``indexes``, in one read transaction."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, size)
            size = tree.size if size is None else size
            for index in indexes:
                if not 0 <= index < size:
                    raise NoSuchLeaf(index=index, log=size)
            return tree.inclusion_proofs(indexes, size)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """RFC 9162 consistency proof from ``old_size`` to ``new_size`` (default: all)."""
        self._ready()
        with self._reading() as sql:
            tree = self._tree(sql)
            self._check_size(tree, new_size)
            new_size = tree.size if new_size is None else new_size
            if not 0 <= old_size <= new_size:
                raise BeyondLog(size=old_size, log=new_size)
            return tree.consistency_proof(old_size, new_size)

    # --- what tiles are made of (ledger.tlog.tile_source)

    def node_run(self, level: int, first: int, count: int) -> list[bytes]:
        """Stored hashes of tree ``level``, indexes ``first`` .. ``first + count - 1``, in order.

        A C2SP tile is such a run (``ledger.tlog.tiles``); one range read on
        the primary key. Returns fewer when the tree does not hold them all.
        """
        self._ready()
        with self._reading() as sql:
            rows = sql.rows(f"SELECT hash FROM {self._names.node} WHERE level = ? AND idx >= ? AND idx < ?"
                            " ORDER BY idx", [level, first, first + count])
        return [bytes(row[0]) for row in rows]

    def record_positions(self, after: int | None, limit: int) -> list[int]:
        """Storage positions (global order) of up to ``limit`` records after position ``after``.

        The k-th record's position is where leaf k's envelope is stored; a
        server keeps these to find an entry bundle's records with one range read.
        """
        with self._reading() as sql:
            where, params = _record_filter(self._names, None)
            if after is not None:
                where, params = f"{where} AND {self._names.order} > ?", [*params, after]
            rows = sql.rows(f"SELECT {self._names.order} FROM {self._names.events} WHERE {where}"
                            f" ORDER BY {self._names.order} LIMIT ?", [*params, limit])
        return [int(row[0]) for row in rows]

    def envelopes_from_position(self, position: int, count: int) -> list[bytes]:
        """The envelopes of ``count`` records from storage position ``position`` on, in global order."""
        with self._reading() as sql:
            where, params = _record_filter(self._names, None)
            rows = sql.rows(f"SELECT state FROM {self._names.events} WHERE {where} AND {self._names.order} >= ?"
                            f" ORDER BY {self._names.order} LIMIT ?", [*params, position, count])
        return [bytes(row[0]) for row in rows]

    @staticmethod
    def _check_size(tree: MerkleTree, size: int | None) -> None:
        if size is not None and not 0 <= size <= tree.size:
            raise BeyondLog(size=size, log=tree.size)

    # --- checkpoints

    @property
    def origin(self) -> str:
        """The log's name: the genesis ``name`` (SPEC 4.1, 10.3)."""
        genesis = self.ledger.genesis_body
        if genesis is None:
            from ledger.errors import NotInitialised

            raise NotInitialised()
        return genesis["name"]

    def signer(self, key: Any) -> LogSigner:
        """The note signer for the log key ``key`` (a ``ledger.keys.Signer``)."""
        try:
            return LogSigner(self.origin, key)
        except NoteError as error:
            raise BadNote(detail=f"the ledger name cannot be a key name: {error}") from None

    def sign_checkpoint(self, key: Any, *, new_key: bool = False) -> tuple[StoredCheckpoint, bool]:
        """Sign and store a checkpoint of the whole log; returns it and whether it is new.

        When the newest checkpoint already has the current size it is
        returned as it is. Refuses (``TreeMismatch``) when the tree no longer
        extends the newest checkpoint: the log must never sign two
        inconsistent checkpoints. Refuses a key other than the one that
        signed the newest checkpoint unless ``new_key`` (a key change is
        something witnesses and auditors must be told about).
        """
        signer = self.signer(key)
        self._ready()
        latest = self.latest_checkpoint()
        if latest is not None and latest.log_key != signer.verifier_key() and not new_key:
            raise LogKeyChanged(previous=latest.log_key, given=signer.verifier_key())
        with self._reading() as sql:
            tree = self._tree(sql)
            size, root = tree.size, tree.root()
            records = _record_count(sql, self._names)
            if records != size:  # never sign a tree that claims records the ledger does not hold
                raise TreeMismatch(tree=size, detail=f"the ledger holds {records} records")
            if latest is not None:
                if latest.size > size:
                    raise TreeMismatch(tree=size, detail=f"checkpoint {latest.size} is larger than the log")
                if tree.root(latest.size) != latest.root:
                    raise TreeMismatch(tree=size, detail=f"the log no longer extends checkpoint {latest.size}")
        if latest is not None and latest.size == size:
            return latest, False
        note = Checkpoint(self.origin, size, root).sign(signer)
        created = int(self._clock() * 1000)
        try:
            with self._writing() as sql:
                sql.run(f"INSERT INTO {self._names.checkpoint} (size, root, note, log_key, created)"
                        " VALUES (?, ?, ?, ?, ?)", [size, root, note, signer.verifier_key(), created])
        except Exception as error:  # a concurrent signer stored this size first
            stored = self._checkpoint_row(size)
            if stored is None or stored.root != root:
                raise error
            return stored, False
        return StoredCheckpoint(size, root, note, signer.verifier_key(), created), True

    def store_checkpoint(self, size: int, root: bytes, note: str, log_key: str) -> StoredCheckpoint:
        """Stores a checkpoint signed elsewhere over a tree computed elsewhere
        (``serah serve`` signs over the tree it derived from the records,
        ``ledger.server.tree``); raises the database's error if ``size`` is taken."""
        created = int(self._clock() * 1000)
        with self._writing() as sql:
            sql.run(f"INSERT INTO {self._names.checkpoint} (size, root, note, log_key, created)"
                    " VALUES (?, ?, ?, ?, ?)", [size, root, note, log_key, created])
        return StoredCheckpoint(size, root, note, log_key, created)

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest first, with its cosignatures."""
        return self._select_checkpoints("", [])

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        found = self._select_checkpoints(
            f"WHERE size = (SELECT max(size) FROM {self._names.checkpoint})", [])
        return found[0] if found else None

    def recent_checkpoints(self, limit: int) -> list[StoredCheckpoint]:
        """The ``limit`` newest checkpoints, newest first, with their cosignatures."""
        names = self._names
        found = self._select_checkpoints(
            f"WHERE size >= (SELECT coalesce(min(size), 0) FROM (SELECT size FROM {names.checkpoint}"
            " ORDER BY size DESC LIMIT ?) AS newest)", [limit])
        return found[::-1]

    def checkpoint(self, size: int | None = None) -> StoredCheckpoint:
        """The checkpoint of ``size`` (default: the newest); raises if there is none."""
        if size is None:
            found = self.latest_checkpoint()
            if found is None:
                raise NoCheckpoint()
            return found
        found = self._checkpoint_row(size)
        if found is None:
            raise UnknownCheckpoint(size=size)
        return found

    def covering_checkpoint(self, index: int) -> StoredCheckpoint | None:
        """The newest checkpoint that includes leaf ``index`` (None if none does yet)."""
        latest = self.latest_checkpoint()
        return latest if latest is not None and index < latest.size else None

    def _checkpoint_row(self, size: int) -> StoredCheckpoint | None:
        found = self._select_checkpoints("WHERE size = ?", [size])
        return found[0] if found else None

    def _select_checkpoints(self, where: str, params: list[Any]) -> list[StoredCheckpoint]:
        names = self._names
        with self._reading() as sql:
            rows = sql.rows(f"SELECT size, root, note, log_key, created FROM {names.checkpoint} {where}"
                            " ORDER BY size", params)
            cosigs: dict[int, list[StoredCosignature]] = {}
            if rows:
                low, high = rows[0][0], rows[-1][0]
                for size, name, kid, line, wkey, added in sql.rows(
                        f"SELECT size, name, key_id, line, witness_key, added FROM {names.cosignature}"
                        " WHERE size >= ? AND size <= ? ORDER BY size, added, name", [low, high]):
                    cosigs.setdefault(int(size), []).append(
                        StoredCosignature(int(size), name, bytes(kid), line, wkey, int(added)))
        return [StoredCheckpoint(int(size), bytes(root), note, log_key, int(created),
                                 tuple(cosigs.get(int(size), ())))
                for size, root, note, log_key, created in rows]

    def for_export(self, size: int | None = None) -> ExportView:
        """What an evidence bundle needs (``ledger.export``): proofs into one
        stored checkpoint (default: the newest) and that checkpoint with its
        cosignatures."""
        return ExportView(self, self.checkpoint(size))

    def witness_keys(self) -> list[str]:
        """Verifier keys of every witness that has a stored cosignature."""
        with self._reading() as sql:
            rows = sql.rows(f"SELECT DISTINCT witness_key FROM {self._names.cosignature}")
        return sorted(row[0] for row in rows)

    def add_cosignatures(self, note_text: str, witness_keys: Sequence[str] = ()) -> list[StoredCosignature]:
        """Store the cosignatures that ``note_text`` carries for a stored checkpoint.

        Each is verified first against ``witness_keys`` (verifier keys, type
        0x04) or, when none are given, against the witnesses already known
        from stored cosignatures. Lines of unknown keys are ignored; a line
        of a given key that does not verify is refused. Returns those newly
        stored (one already stored is not stored twice).
        """
        try:
            note = parse_note(note_text)
            checkpoint = Checkpoint.parse(note.text)
        except NoteError as error:
            raise BadNote(detail=str(error)) from None
        stored = self._checkpoint_row(checkpoint.size)
        if stored is None:
            raise UnknownCheckpoint(size=checkpoint.size)
        if parse_note(stored.note).text != note.text:
            raise BadNote(detail=f"the note is not this ledger's checkpoint of size {checkpoint.size}")
        try:
            verifiers = [CosignatureVerifier.from_verifier_key(k) for k in (witness_keys or self.witness_keys())]
        except NoteError as error:
            raise BadNote(detail=f"witness key: {error}") from None
        if not verifiers:
            raise BadNote(detail="no witness key given")
        have = {(c.name, c.key_id) for c in stored.cosignatures}
        added: list[StoredCosignature] = []
        now = int(self._clock() * 1000)
        for verifier in verifiers:
            lines = [s for s in note.signatures if (s.name, s.key_id) == (verifier.name, verifier.key_id)]
            for sig in lines:
                if not verifier.verify(note.text, sig.signature):
                    raise BadCosignature(witness=verifier.name, size=checkpoint.size)
            if lines and (verifier.name, verifier.key_id) not in have:
                have.add((verifier.name, verifier.key_id))
                added.append(StoredCosignature(checkpoint.size, verifier.name, verifier.key_id,
                                               lines[0].line(), verifier.verifier_key(), now))
        if not added and not any(
                (s.name, s.key_id) in {(v.name, v.key_id) for v in verifiers} for s in note.signatures):
            raise BadNote(detail="the note carries no cosignature by the given witness")
        if added:
            with self._writing() as sql:
                sql.many(f"INSERT INTO {self._names.cosignature}"
                         " (size, name, key_id, line, witness_key, added) VALUES (?, ?, ?, ?, ?, ?)",
                         [(c.size, c.name, c.key_id, c.line, c.witness_key, c.added) for c in added])
        return added


class ExportView:
    """The log as an exporter sees it: frozen at one stored checkpoint."""

    def __init__(self, log: TransparencyLog, checkpoint: StoredCheckpoint) -> None:
        self.log = log
        self.stored = checkpoint
        self.size = checkpoint.size

    def leaf_indexes(self, positions: Sequence[int]) -> dict[int, int]:
        return self.log.leaf_indexes(positions)

    def leaf_indexes_by_hash(self, by_hash: dict[bytes, Any]) -> dict[Any, int]:
        return self.log.leaf_indexes_by_hash(by_hash)

    def inclusion_proof(self, index: int) -> list[bytes]:
        return self.log.inclusion_proof(index, self.size)

    def inclusion_proofs(self, indexes: Sequence[int]) -> list[list[bytes]]:
        return self.log.inclusion_proofs(indexes, self.size)

    def checkpoint(self) -> dict:
        """The bundle's ``checkpoint`` part (SPEC 11.3)."""
        return {"log": self.stored.log_key, "note": self.stored.full_note,
                "witnesses": sorted({c.witness_key for c in self.stored.cosignatures})}
