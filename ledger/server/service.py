"""One running ledger service: the database, the state derived from its
signed records, the sequencer, and the log key that signs receipts.

Kept apart from the HTTP layer (``app.py``) so that tests and benchmarks can
drive the same object without a socket, and the dashboard can read from it.
"""

from __future__ import annotations

import base64
import logging
import sys
import threading
import time
from concurrent.futures import Future
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot

from ledger import records, rules
from ledger.domain import (
    GENESIS_ID,
    RECORD_TOPIC,
    Custodian,
    Genesis,
    Item,
    record_uuid,
)
from ledger.errors import NotInitialised, SerahError, UnknownItem, UnknownRecord
from ledger.keys import fingerprint
from ledger.server.config import ServerConfig
from ledger.server.errors import FutureRecord, Malformed, RateLimited, TooLarge
from ledger.server.receipts import Receipt, make_receipt
from ledger.server.sequencer import Outcome, Sequencer, Submission
from ledger.server.state import Draft, SignedState
from ledger.server.tree import Integrator, ServedLog
from ledger.tlog.errors import BadNote
from ledger.tlog.note import NoteError
from ledger.tlog.signers import LogSigner

__all__ = ["SNAPSHOT_TOPICS", "Service", "parse_submission"]

log = logging.getLogger("serah.server")

SWITCH_INTERVAL_S = 0.0005

#: Aggregates the state API may hand out (and the client may rebuild): nothing else is resolved by topic.
SNAPSHOT_TOPICS = {f"ledger.domain:{cls.__name__}" for cls in (Item, Custodian, Genesis)} | {
    "ledger.domain:Seal",
    "ledger.domain:Attestations",
}


def parse_submission(body: bytes) -> list[records.Record]:
    """A request body as records: one envelope (SPEC 3.1) or a handover file
    (SPEC 7.1), each record parsed with its signatures checked. Raises
    :class:`Malformed` (or the parser's ``EncodingError``/``BadRecord``/``BadSignature``)."""
    from ledger.encoding import decode

    try:
        outer = decode(body)
    except SerahError as error:
        raise Malformed(detail=str(error)) from None
    if type(outer) is dict and set(outer) == {"body", "sigs"}:
        return [records.parse(body)]
    if type(outer) is dict and outer.get("format") == records.HANDOVER_FORMAT:
        envelopes = outer.get("records")
        if (
            set(outer) != {"format", "v", "records"}
            or outer.get("v") != 1
            or type(envelopes) is not list
            or not 1 <= len(envelopes) <= 2
            or any(type(e) is not bytes for e in envelopes)
        ):
            raise Malformed(detail="a handover file holds one or two records")
        parsed = [records.parse(e) for e in envelopes]
        if parsed[0].type != "handover.prepare" or (
            len(parsed) == 2
            and (parsed[1].type not in ("handover.accept", "handover.refuse") or parsed[1].body["handover"] != parsed[0].id)
        ):
            raise Malformed(detail="a handover file is a prepare, then its accept or refuse")
        return parsed
    raise Malformed(detail="expected a record envelope or a handover file")


class _Bucket:
    __slots__ = ("stamp", "tokens")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp


class Service:
    """Opens the ledger, derives the state, runs the sequencer.

    ``log_signer``: a :class:`ledger.keys.Signer` for the log key (the key
    checkpoints are signed with); receipts are signed with it under the
    ledger's origin.
    """

    def __init__(self, config: ServerConfig, log_signer: Any, *, ledger: Any = None) -> None:
        from ledger.application import Ledger
        from ledger.tlog.log import TransparencyLog

        self.config = config
        self.ledger = ledger if ledger is not None else Ledger(config.db)
        # The server integrates the tree itself, after each commit, from the
        # records it derived (ledger.server.tree): not in the records' transaction.
        recorder: Any = self.ledger.recorder
        recorder.grow_tree = False
        self._tlog = TransparencyLog(self.ledger)
        started = time.monotonic()
        trusted = self._own_checkpoint(log_signer)
        self.state = self._derive(trusted)
        if self.state.genesis is None:
            raise NotInitialised()
        self.origin = self.state.genesis.name
        self.ledger_id = bytes.fromhex(self.state.genesis.ledger_id)
        try:  # under the name of the genesis record the state was derived from, not an index row's
            self.log_signer = LogSigner(self.origin, log_signer)
        except NoteError as error:
            raise BadNote(detail=f"the ledger name cannot be a key name: {error}") from None
        self._log_key = log_signer
        #: the newest checkpoint this server's key signed over the derived tree: (size, root)
        self._signed = (trusted.size, trusted.root_hash) if trusted is not None else None
        self._checkpoint_lock = threading.Lock()
        self._backlog = self.state.size  #: records stored before the start: the first checkpoint covers them all
        self.integrator = Integrator(self.ledger, self.state.tree, integrated=trusted.size if trusted else 0)
        self.tlog = ServedLog(self._tlog, self.state.tree, self.integrator)
        latest = self._tlog.latest_checkpoint()
        self._new_key = latest is not None and latest.log_key != self.log_signer.verifier_key()
        if latest is not None and self._new_key and not config.new_log_key:
            from ledger.tlog.log import LogKeyChanged

            raise LogKeyChanged(previous=latest.log_key, given=self.log_signer.verifier_key())
        self.startup_s = time.monotonic() - started
        log.info(
            "state derived from %d record rows (%d by their checkpoint, %d not derived) in %.2f s",
            self.state.size,
            trusted.size if trusted is not None else 0,
            len(self.state.skipped),
            self.startup_s,
        )
        self.sequencer = Sequencer(
            self.ledger, self.state, max_queue=config.max_queue, max_batch=config.max_batch,
            committed=self.integrator.poke,
        )
        self._buckets: dict[bytes, _Bucket] = {}
        self._buckets_lock = threading.Lock()
        self._stopping = threading.Event()
        self._due = threading.Event()  # set when checkpoint_every_records were integrated since the last one
        self._checkpointed = latest.size if latest is not None else 0
        self._checkpointer = threading.Thread(target=self._checkpoints, name="serah-checkpoints", daemon=True)
        self.witnessing = None
        if config.witnesses:
            from ledger.server.witnessing import Witnessing

            self.witnessing = Witnessing(self.tlog, config.witnesses, config.quorum)

    def start(self) -> None:
        # The sequencer releases the GIL at every database call and must get
        # it back while the event loop parses requests: at Python's default
        # 5 ms switch interval each re-acquisition could wait 5 ms, a batch
        # of a dozen statements 60 ms (the convoy effect). 0.5 ms keeps the
        # single writer moving.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self.integrator.start()
        self.sequencer.start()
        if self.config.checkpoint_every_s > 0 or self.config.checkpoint_every_records > 0:
            self._checkpointer.start()
        if self.witnessing is not None:
            self.witnessing.start()

    def stop(self) -> None:
        self.sequencer.stop()
        self.integrator.stop()
        self._stopping.set()
        self._due.set()
        if self._checkpointer.is_alive():
            self._checkpointer.join(30)
        self.sign_checkpoint()
        if self.witnessing is not None:
            self.witnessing.stop()
        close = getattr(self.ledger, "close", None)
        if close is not None:
            close()

    # --- checkpoints ---------------------------------------------------------------

    def sign_checkpoint(self) -> None:
        """Signs a checkpoint of what was integrated if it grew since the last one.

        The root is the derived tree's (computed from the records), never a
        stored row's; the size is what the integrator stored and checked."""
        with self._checkpoint_lock:
            try:
                size = self.integrator.integrated
                if size < self._backlog:
                    return  # integrating what was stored before the start: a smaller checkpoint would go back
                if self._signed is not None and self._signed[0] >= size and not self._new_key:
                    return
                root = self.state.tree.root(size)
                self._store_checkpoint(size, root)
                self._signed = (size, root)
                self._new_key = False
                self._checkpointed = size
                if self.witnessing is not None:
                    self.witnessing.poke()
            except SerahError as error:
                log.error("checkpoint not signed: %s", error)

    def _store_checkpoint(self, size: int, root: bytes) -> None:
        from ledger.tlog.log import TreeMismatch
        from ledger.tlog.note import Checkpoint

        note = Checkpoint(self.origin, size, root).sign(self.log_signer)
        try:
            self._tlog.store_checkpoint(size, root, note, self.log_signer.verifier_key())
        except Exception as error:  # noqa: BLE001 - the driver's own error: the size is taken
            stored = self._tlog._checkpoint_row(size)
            if stored is not None and stored.root == root:
                return  # the same tree, stored already (e.g. by the key before a change of log key)
            log.error("ALARM: a checkpoint row of size %d that this server did not sign is stored: %s", size, error)
            raise TreeMismatch(tree=size, detail="a foreign checkpoint row holds this size") from None

    def _own_checkpoint(self, key: Any) -> Any:
        """The newest stored checkpoint whose note this server's log key signed
        (verified, not believed), as a :class:`ledger.tlog.note.Checkpoint`; None if none."""
        from ledger.tlog.log import LogSigner
        from ledger.tlog.note import Ed25519Verifier, NoteError, open_checkpoint

        first = next(self.ledger.records(), None)
        if first is None:
            return None
        try:
            name = records.parse(first[1], verify=False).body["name"]
            verifier = Ed25519Verifier.from_verifier_key(LogSigner(name, key).verifier_key())
        except (SerahError, KeyError, TypeError):
            return None
        for stored in self._tlog.recent_checkpoints(16):
            try:
                checkpoint, _ = open_checkpoint(stored.note, verifier)
            except NoteError:
                continue
            if checkpoint.size == stored.size and checkpoint.root_hash == stored.root:
                return checkpoint
        return None

    def _derive(self, trusted: Any) -> SignedState:
        """The state from the stored records. Records covered by ``trusted``
        (a checkpoint this server signed) are checked by hashing: the tree
        computed from them must have the checkpoint's root; only later
        records have their signatures checked. If the root differs (a row
        inserted, changed or removed underneath), everything is derived
        again with every signature checked."""
        if trusted is not None:
            state = SignedState(self._read_envelope)
            state.replay(self.ledger.records(), trusted=trusted.size)
            if state.size >= trusted.size and state.tree.root(trusted.size) == trusted.root_hash:
                return state
            log.error(
                "ALARM: the stored records no longer give the root of checkpoint %d; every signature is checked",
                trusted.size,
            )
        state = SignedState(self._read_envelope)
        state.replay(self.ledger.records())
        return state

    def _checkpoints(self) -> None:
        """Signs after ``checkpoint_every_s`` seconds or ``checkpoint_every_records`` records, whichever first.

        The count is noticed when a batch commits (``_committed``), which
        only sets an event: the signing happens here, off the sequencer's
        path, so a slow signature or database never holds up a submission.
        """
        timeout = self.config.checkpoint_every_s if self.config.checkpoint_every_s > 0 else None
        while not self._stopping.is_set():
            self._due.wait(timeout)
            self._due.clear()
            if self._stopping.is_set():
                break
            self.sign_checkpoint()
            every = self.config.checkpoint_every_records
            if every > 0 and self.state.size - self._checkpointed >= every:
                # committed but not yet integrated into the tree: look again in a moment
                self._stopping.wait(0.05)
                self._due.set()

    def _committed(self, _future: Future) -> None:
        every = self.config.checkpoint_every_records
        if every > 0 and self.state.size - self._checkpointed >= every:
            self._due.set()

    # --- submissions --------------------------------------------------------------

    def admit(self, body: bytes) -> Submission:
        """Parses and checks what needs no state (encoding, signatures,
        clock, ledger, rate); runs in a request's worker thread."""
        recs = parse_submission(body)
        for rec in recs:
            if len(rec.raw) > self.config.max_record:
                raise TooLarge(limit=self.config.max_record)
        now = records.now_ms()
        limit = now + self.config.future_tolerance_s * 1000
        for rec in recs:
            if rec.time > limit:
                raise FutureRecord(
                    time=rec.time, ahead=(rec.time - now) // 1000, tolerance=self.config.future_tolerance_s
                )
        self._spend(recs[-1].author, len(recs))
        return Submission(recs)

    def submit(self, submission: Submission) -> Future:
        future = self.sequencer.submit(submission)
        future.add_done_callback(self._committed)
        return future

    def receipts(self, outcome: Outcome) -> list[Receipt]:
        return [make_receipt(self.log_signer, self.origin, a.record, a.position, outcome.time) for a in outcome.records]

    def _spend(self, key: bytes, count: int) -> None:
        """Token bucket per signing key: ``rate_per_key`` a second, ``burst_per_key`` at once."""
        rate, burst = self.config.rate_per_key, self.config.burst_per_key
        now = time.monotonic()
        with self._buckets_lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) > 100_000:
                    self._buckets.clear()  # bounded: an attacker's fresh keys cannot grow it forever
                bucket = self._buckets[key] = _Bucket(float(burst), now)
            bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
            if bucket.tokens < count:
                raise RateLimited(key=fingerprint(key), retry=max(1, int((count - bucket.tokens) / rate) + 1))
            bucket.tokens -= count

    # --- reads (all from the derived state) -------------------------------------------

    def _read_envelope(self, uid: UUID) -> bytes | None:
        found = self.ledger._select_events([uid]).get(uid)
        if not found or found[0].topic != RECORD_TOPIC:
            return None
        return bytes(found[0].state)

    def record(self, record_id: bytes) -> tuple[bytes, int]:
        # No lock: record ids only ever join the state, and a database read
        # must not hold up the sequencer.
        envelope = self.state.stored_envelope(record_id)
        if envelope is None:
            raise UnknownRecord(record=record_id.hex())
        return envelope, self.state.record_ids[record_id]

    def item(self, item_id: str) -> dict[str, Any]:
        with self.sequencer.lock:
            view = Draft(self.state)
            item = view.item(item_id)
            if item is None:
                raise UnknownItem(item=item_id)
            return item_json(view, item)

    def custodian(self, key: bytes) -> dict[str, Any] | None:
        with self.sequencer.lock:
            c = self.state.custodian(key)
        if c is None:
            return None
        return {
            "key": c.key,
            "fingerprint": fingerprint(bytes.fromhex(c.key)),
            "role": c.role,
            "region": c.region,
            "name": c.name,
            "org": c.org,
            "revoked": c.revoked,
            "root": c.root,
            "enrolled_by": c.record,
            "revoked_by": c.revoked_by,
            "reason": c.reason,
        }

    def holdings(self, key: bytes) -> list[dict[str, Any]]:
        """Items ``key`` holds (and those it handed over, not yet answered),
        from the derived state: one pass over the items in memory."""
        hexkey = key.hex()
        with self.sequencer.lock:
            view = Draft(self.state)
            out = []
            for aggregate in list(self.state.aggregates.values()):
                if isinstance(aggregate, Item) and aggregate.container is None and aggregate.holder == hexkey:
                    out.append(item_json(view, aggregate))
                    out += [item_json(view, view.item(c)) for c in aggregate.contents if view.item(c) is not None]
        return sorted(out, key=lambda s: s["id"])

    def incoming(self, key: bytes) -> list[dict[str, Any]]:
        """Open handovers addressed to ``key``: prepare id, giver, time, items."""
        found: dict[str, dict[str, Any]] = {}
        with self.sequencer.lock:
            for aggregate in list(self.state.aggregates.values()):
                if not isinstance(aggregate, Item) or not aggregate.pending:
                    continue
                entry = found.get(aggregate.pending)
                if entry is None:
                    prep = self.state.stored_record(bytes.fromhex(aggregate.pending))
                    if prep is None or prep.body.get("to") != key:
                        found[aggregate.pending] = {}
                        continue
                    entry = found[aggregate.pending] = {
                        "handover": aggregate.pending,
                        "number": records.body_id(prep).hex(),  # SPEC 7.1: stays as escorts co-sign
                        "from": prep.author.hex(),
                        "time": prep.time,
                        "items": [],
                    }
                if entry:
                    entry["items"].append(aggregate.item_id)
        return sorted((e for e in found.values() if e), key=lambda e: e["time"])

    def history(self, item_id: str) -> list[dict[str, Any]]:
        """An item's trail, walked back from its head through each record's
        ``prev`` (records only, never the index), with the records of the box
        it travelled in from its packing to the opening that released it
        (marked ``via``). Oldest first."""
        with self.sequencer.lock:
            item = self.state.item(item_id)
            if item is None:
                raise UnknownItem(item=item_id)
            own = self._chain(item_id, bytes.fromhex(item.head))
            trail: list[tuple[records.Record, str | None]] = []
            for rec in own:
                trail.append((rec, None))
                box = rec.body.get("box")
                if rec.type == "pack" and isinstance(box, str) and box != item_id:
                    box_item = self.state.item(box)
                    box_chain = self._chain(box, bytes.fromhex(box_item.head)) if box_item else []
                    ids = [r.id for r in box_chain]
                    after = box_chain[ids.index(rec.id) + 1 :] if rec.id in ids else []
                    for later in after:
                        trail.append((later, box))
                        if later.type == "open":
                            break
        unique: dict[bytes, tuple[records.Record, str | None]] = {}
        for rec, via in trail:
            unique.setdefault(rec.id, (rec, via))
        trail = list(unique.values())
        positions = self.state.positions([r.id for r, _ in trail])
        out = []
        for rec, via in trail:
            summary = {k: v for k, v in rec.body.items() if k not in ("v", "type", "time", "author", "ledger", "lines")}
            line = next((ln for ln in rec.lines if ln["item"] == (via or item_id)), None)
            out.append(
                {
                    "position": positions.get(rec.id),
                    "id": rec.id.hex(),
                    "type": rec.type,
                    "time": rec.time,
                    "author": rec.author.hex(),
                    "cosigners": [c.hex() for c in rec.cosigners],
                    "summary": _plain(summary),
                    "line": _plain(line),
                    "via": via,
                }
            )
        return sorted(out, key=lambda v: (v["position"] is None, v["position"] or 0))

    def _chain(self, item_id: str, head: bytes) -> list[records.Record]:
        """The records of an item's own chain, oldest first (SPEC 5)."""
        chain: list[records.Record] = []
        rid: bytes | None = head
        while rid is not None and len(chain) < 1_000_000:
            rec = self.state.stored_record(rid) if rid in self.state.record_ids else None
            if rec is None:
                break
            chain.append(rec)
            line = next((ln for ln in rec.lines if ln["item"] == item_id), None)
            rid = line.get("prev") if line is not None else None
        chain.reverse()
        return chain

    def snapshots(self, ids: list[UUID]) -> dict[str, Any]:
        """Aggregates by id, as eventsourcing snapshots (for a CLI building a
        record to sign), and records by id (``{"envelope": b64}``)."""
        transcoder = self.ledger.mapper.transcoder
        out: dict[str, Any] = {}
        others = []
        with self.sequencer.lock:
            for uid in ids:
                aggregate = self.state.lookup(uid)
                if aggregate is None and uid == GENESIS_ID and self.state.genesis is not None:
                    aggregate = self.state.genesis
                if aggregate is None:
                    others.append(uid)
                    continue
                snap = Snapshot.take(aggregate)
                out[uid.hex] = {
                    "topic": snap.topic,
                    "version": aggregate.version,
                    "state": base64.b64encode(transcoder.encode(snap.state)).decode(),
                }
        for uid in others:  # records, read outside the lock: the sequencer never waits on a read
            envelope = self._read_envelope(uid)
            rid = records.record_id(envelope) if envelope is not None else b""
            derived = envelope is not None and rid in self.state.record_ids and record_uuid(rid) == uid
            out[uid.hex] = {"envelope": base64.b64encode(envelope).decode()} if derived and envelope else None
        return out

    def ledger_info(self) -> dict[str, Any]:
        genesis_env = self.state.stored_envelope(self.ledger_id)
        return {
            "ledger": self.ledger_id.hex(),
            "origin": self.origin,
            "size": self.state.size,
            "log_key": self.log_signer.verifier_key(),
            "witness_keys": list(self.config.witness_keys),  # whose cosignatures /checkpoint serves
            "genesis": base64.b64encode(genesis_env or b"").decode(),
            "time": records.now_ms(),
            "future_tolerance_s": self.config.future_tolerance_s,
        }

    def health(self) -> dict[str, Any]:
        return {
            "ok": True,
            "size": self.state.size,
            "queue": self.sequencer.depth,
            "batches": self.sequencer.batches,
            "appended": self.sequencer.appended,
            "not_derived": len(self.state.skipped),
            "tree": self.integrator.health(),
            "startup_s": round(self.startup_s, 3),
            "cpu_s": round(time.process_time(), 3),  #: the server process's CPU time (benchmarks)
        }



def item_json(view: Draft, item: Item) -> dict[str, Any]:
    """An item's state as JSON (the fields of ``ledger.application.ItemState``, bytes in hex)."""
    outer = rules.holder_of(view, item)
    return {
        "id": item.item_id,
        "kind": item.kind,
        "dest": item.dest,
        "qty": item.qty,
        "election": item.election,
        "dapil": item.dapil,
        "holder": outer.holder,
        "state": item.state if item.state in ("lost", "destroyed") else outer.state,
        "location": outer.location,
        "seals": list(item.seals),
        "container": item.container,
        "contents": list(item.contents),
        "head": item.head,
        "pending_handover": outer.pending or None,
        "serial": item.serial,
        "label": item.label,
        "condition": item.condition,
        "tally": item.tally,
        "time": item.time,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value

