"""The Serah ledger: an ``eventsourcing`` application that appends records.

Every append goes the same way, whether the record was signed here (a command
method) or elsewhere (:meth:`Ledger.submit`): load, check, sign, save.

1. **load**: what the record's checks will read (items, keys, seals) is
   loaded into a :class:`~ledger.work.Work` in one query;
2. **check**: the envelope is parsed (SCE, schema, signatures:
   :func:`records.parse`), then judged by the custody rules of SPEC 4 and 5
   (:mod:`ledger.rules`), which apply its effects to the loaded aggregates in
   memory only; a command signs its record between the two;
3. **save**: if every rule holds, the record and all index events are saved
   in ONE ``save()`` call, i.e. one database transaction. On any refusal,
   nothing was written.

Concurrency is optimistic: a record changes the versions of the items and
keys it depends on, so of two writers that checked the same state, the
second save fails on a version; its records are checked again against the
new state and saved if they still pass, else :class:`~ledger.errors.Conflict`.

Command methods sign in the command, never in event ``apply`` methods (which
re-run on replay), and read the clock through ``clock`` so that tests and
scenario fixtures get reproducible times.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent

from ledger import persistence, records, rules
from ledger.domain import (
    GENESIS_ID,
    RECORD_TOPIC,
    Custodian,
    Genesis,
    Item,
    RecordMapper,
    attestations_uuid,
    item_uuid,
    record_uuid,
    seal_uuid,
)
from ledger.errors import (
    Conflict,
    DuplicateRecord,
    FutureTime,
    InvalidInput,
    NotEnrolled,
    NotInitialised,
    SerahError,
    UnknownItem,
    UnknownRecord,
    WitnessRequired,
)
from ledger.keys import Signer, fingerprint
from ledger.reads import (
    CustodianState,
    ItemState,
    RecordView,
    custodian_state,
    item_state,
)
from ledger.records import Record as ParsedRecord
from ledger.storage import Storage, storage_for
from ledger.work import StoredRecord, Work

__all__ = ["CustodianState", "ItemState", "Ledger", "RecordView"]

_StoredRecord = StoredRecord  # the name cli/client.py imports

_PAGE = 500  # rows per query when paging or batching ids
_RETRIES = 12  # saves of the same records, re-checked, after losing races (each loss is another writer's progress)


# --- the application -----------------------------------------------------------------

class Ledger(Application[UUID]):
    """A Serah ledger on SQLite (a file path) or PostgreSQL (a URL)."""

    def __init__(self, db: str | None = None, *, clock: Callable[[], int] | None = None) -> None:
        # The transparency log (SPEC 10) grows in the same transaction as the
        # records: the backend's recorders append its leaves.
        super().__init__(env=persistence.environment(db, transparency_log=True))
        self.storage: Storage = storage_for(self)  #: the database: ledger.storage
        self.storage.harden()
        self._clock = clock or records.now_ms
        self._genesis: Genesis | None = None  # immutable once it exists
        self._genesis_body: dict[str, Any] | None = None
        self._tlog: Any = None  # the transparency log, for positions; made on first use

    def construct_mapper(self) -> RecordMapper:
        mapper = self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=RecordMapper)
        assert isinstance(mapper, RecordMapper)  # the library builds mapper_class, typed as its base
        return mapper

    # --- reads: the ledger itself ---------------------------------------------------

    @property
    def ledger_id(self) -> bytes | None:
        genesis = self._load_genesis()
        return bytes.fromhex(genesis.ledger_id) if genesis else None

    @property
    def genesis_body(self) -> dict[str, Any] | None:
        if self._genesis_body is None:
            ledger_id = self.ledger_id
            if ledger_id is None:
                return None
            envelope = self._record_envelopes([ledger_id])[ledger_id]
            self._genesis_body = records.parse(envelope, verify=False).body
        return self._genesis_body

    def records(self, after: int = 0) -> Iterator[tuple[int, bytes]]:
        """Yields ``(notification_id, envelope)`` of every record after
        ``after``, in global order.

        The notification id is the storage's row number (SPEC 9.2): it
        increases strictly and is stable, so the last one seen is a cursor,
        but index rows sit between records, so it is not the record's
        position (see :meth:`positions`).
        """
        start = after + 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=_PAGE, topics=[RECORD_TOPIC])
            for notification in page:
                yield notification.id, bytes(notification.state)
            if len(page) < _PAGE:
                return
            start = page[-1].id + 1

    def record(self, record_id: bytes) -> bytes:
        """The envelope of a record in this ledger."""
        envelope = self._record_envelopes([record_id]).get(record_id)
        if envelope is None:
            raise UnknownRecord(record=record_id.hex())
        return envelope

    def position(self, record_id: bytes) -> int:
        """A record's position: its 0-based place in the global order
        (genesis = 0), which is its leaf index in the transparency log
        (SPEC 1, 9.2, 10.1). Raises :class:`UnknownRecord`."""
        found = self.positions([record_id])
        if record_id not in found:
            raise UnknownRecord(record=record_id.hex())
        return found[record_id]

    def positions(self, record_ids: Sequence[bytes]) -> dict[bytes, int]:
        """Positions of records by id (unknown ids are left out), read from
        the transparency log's leaf index (one indexed lookup per record)."""
        if not record_ids:
            return {}
        if self._tlog is None:
            from ledger.tlog.log import TransparencyLog

            self._tlog = TransparencyLog(self)
        return self._tlog.leaf_indexes_of(list(record_ids))

    # --- reads: items and keys ------------------------------------------------------

    def item(self, item_id: str) -> ItemState:
        work = self._work()
        item = work.item(item_id)
        if item is None:
            raise UnknownItem(item=item_id)
        if item.container:
            work.preload([item_uuid(item.container)])
        return item_state(work, item)

    def custodian(self, key: bytes) -> CustodianState:
        custodian = self._work().custodian(key)
        if custodian is None:
            raise NotEnrolled(key=fingerprint(key))
        return custodian_state(custodian)

    def history(self, item_id: str) -> list[RecordView]:
        """The custody trail of an item, oldest first: the records naming it
        (its chain) and, while it was packed, those of its box (marked with
        ``via``), including the opening that released it."""
        events: list[Any] = list(self.events.get(item_uuid(item_id)))
        if not events:
            raise UnknownItem(item=item_id)
        trail: list[tuple[bytes, str | None]] = []  # (record id, via box)
        box_events: dict[str, list[Any]] = {}
        packed_in: tuple[str, str] | None = None  # (box, pack record)
        for event in events:
            if packed_in and isinstance(event, Item.Unpacked):
                trail += self._box_trail(box_events, *packed_in, until=event.record)
                packed_in = None
            trail.append((bytes.fromhex(event.record), None))
            if isinstance(event, Item.PackedInto):
                packed_in = (event.box, event.record)
        if packed_in:
            trail += self._box_trail(box_events, *packed_in, until=None)
        first: dict[bytes, str | None] = {}
        for r, via in trail:
            first.setdefault(r, via)  # each record once, where it first appears
        trail = list(first.items())
        ids = [r for r, _ in trail]
        envelopes = self._record_envelopes(ids)
        positions = self.positions(ids)
        views = []
        for rid, via in trail:
            rec = records.parse(envelopes[rid], verify=False)
            summary = {k: v for k, v in rec.body.items() if k not in ("v", "type", "time", "author", "ledger", "lines")}
            line = next((ln for ln in rec.lines if ln["item"] == (via or item_id)), None)
            views.append(
                RecordView(positions.get(rid), rid, rec.type, rec.time, rec.author, rec.cosigners, summary, line, via)
            )
        return views

    def _box_trail(
        self, cache: dict[str, list[Any]], box: str, packed: str, until: str | None
    ) -> list[tuple[bytes, str]]:
        """The box's records after ``packed`` and before ``until``."""
        if box not in cache:
            cache[box] = list(self.events.get(item_uuid(box)))
        records_of_box = [e.record for e in cache[box]]
        if packed not in records_of_box:
            return []
        after = records_of_box[records_of_box.index(packed) + 1 :]
        if until in after:
            after = after[: after.index(until)]
        return [(bytes.fromhex(r), box) for r in dict.fromkeys(after)]

    def holdings(self, key: bytes) -> list[ItemState]:
        """Items held by ``key`` (also those it has handed over but not yet
        seen accepted, with state ``transit``), sorted by id.

        Read from the custody view (an indexed lookup), which first catches
        up with any new records; the first call on a ledger without view
        tables creates them (one pass over the records). Imported here,
        not at the top: the views build :class:`ItemState` from this module.
        """
        from ledger.projections import Views

        return Views(self).holdings_states(key)

    # --- commands ---------------------------------------------------------------------

    def genesis(
        self,
        roots: Sequence[Signer],
        name: str,
        election: str,
        vote_date: str,
        utc_offset: int = 420,
        root_names: Sequence[str] | None = None,
        root_regions: Sequence[str] | None = None,
    ) -> bytes:
        """Creates the ledger: the first record, signed by every root key.

        ``name`` is also the transparency log's origin and key name (SPEC
        4.1, 10.3), so it is checked first, with its own error."""
        records.check_ledger_name(name)
        if not roots:
            raise InvalidInput(detail="a ledger needs at least one root key")
        names = list(root_names or [""] * len(roots))
        regions = list(root_regions or [""] * len(roots))
        if len(names) != len(roots) or len(regions) != len(roots):
            raise InvalidInput(detail="one name and one region per root key")
        body = records.build(
            "genesis",
            roots[0],
            None,
            self._now(),
            name=name,
            election=election,
            vote_date=vote_date,
            utc_offset=utc_offset,
            roots=[{"key": r.public, "name": n, "region": g} for r, n, g in zip(roots, names, regions, strict=True)],
        )
        return self._sign_and_append(body, roots[0], roots[1:])

    def enrol(self, author: Signer, key: bytes, role: str, region: str, name: str, org: str) -> bytes:
        body = self._body("enrol", author, key=key, role=role, region=region, name=name, org=org)
        return self._sign_and_append(body, author)

    def revoke(self, author: Signer, key: bytes, reason: str) -> bytes:
        body = self._body("revoke", author, key=key, reason=reason)
        return self._sign_and_append(body, author)

    def register(self, author: Signer, items: Sequence[dict[str, Any]]) -> bytes:
        """Registers new items (SPEC 4.4); ``items`` are register lines
        without ``prev``: item, kind, dest and the fields of the kind."""
        allowed = {"item", "kind", "dest", "qty", "election", "dapil", "serial", "label"}
        lines = []
        for entry in items:
            unknown = set(entry) - allowed
            if unknown:
                raise InvalidInput(detail=f"unknown item field(s): {', '.join(sorted(unknown))}")
            line = {k: (list(v) if k == "serial" else v) for k, v in entry.items() if v is not None}
            line["prev"] = None
            lines.append(line)
        _check_unique([ln.get("item") for ln in lines])
        lines.sort(key=lambda ln: str(ln.get("item")))
        return self._sign_and_append(self._body("register", author, lines=lines), author)

    def pack(self, author: Signer, box: str, contents: Sequence[str]) -> bytes:
        item_ids = sorted({box, *contents})
        work = self._work(author, items=item_ids)
        lines = [{"item": i, "prev": _head(work, i)} for i in item_ids]
        return self._sign_and_append(self._body("pack", author, box=box, lines=lines), author, work=work)

    def seal(self, author: Signer, box: str, seals: Sequence[str], attachments: Sequence[dict] = ()) -> bytes:
        _check_unique(seals)
        work = self._work(author, items=[box], ids=[seal_uuid(s) for s in seals])
        body = self._body("seal", author, box=box, seals=sorted(seals), lines=[{"item": box, "prev": _head(work, box)}],
                          attachments=_attachments(attachments))
        return self._sign_and_append(body, author, work=work)

    def open_box(
        self,
        author: Signer,
        box: str,
        seals_found: Sequence[str],
        intact: bool,
        reason: str,
        cosigners: Sequence[Signer],
        exception: str | None = None,
        submit: bool = True,
        attachments: Sequence[dict] = (),
    ) -> bytes:
        """Opens a box before a witness (SPEC 4.7); returns the record id.
        With ``submit=False`` returns the envelope instead, checked but not
        appended, for the witness to co-sign on their own device (:meth:`draft`)."""
        _check_unique(seals_found)
        work = self._work(author, cosigners, items=[box])
        body = self._body(
            "open",
            author,
            box=box,
            seals=sorted(seals_found),
            intact=bool(intact),
            reason=reason,
            exception=exception or None,
            lines=[{"item": box, "prev": _head(work, box)}],
            attachments=_attachments(attachments),
        )
        if not submit:
            return self._draft(body, author, cosigners, work)
        return self._sign_and_append(body, author, cosigners, work=work)

    def prepare(
        self,
        author: Signer,
        to: bytes,
        items: Sequence[str],
        place: str,
        site: str,
        purpose: str,
        escorts: Sequence[bytes] = (),
        witnesses: Sequence[bytes] = (),
        exception: str | None = None,
        cosigners: Sequence[Signer] = (),
        submit: bool = True,
        attachments: Sequence[dict] = (),
    ) -> bytes:
        """Signs a handover of ``items`` to ``to`` and returns its envelope.

        The declared quantities, seals and contents are the ledger's. With
        ``submit=False`` the record is checked against this ledger but not
        appended: the giver is offline and the receiver will append it with
        the acceptance (SPEC 4.8).
        """
        item_ids = sorted(set(items))
        work = self._work(author, cosigners, items=item_ids, keys=[to, *escorts, *witnesses])
        lines = []
        for item_id in item_ids:
            item = work.item(item_id)
            if item is None:
                raise UnknownItem(item=item_id)
            line: dict[str, Any] = {"item": item_id, "prev": bytes.fromhex(item.head)}
            if item.qty is not None:
                line["qty"] = item.qty
            if item.kind == "box":
                line["seals"] = list(item.seals)
                line["contents"] = rules.box_contents(work, item)
            lines.append(line)
        body = self._body(
            "handover.prepare",
            author,
            to=to,
            place=place,
            site=site,
            purpose=purpose,
            escorts=sorted(set(escorts)) or None,
            witnesses=sorted(set(witnesses)) or None,
            exception=exception or None,
            lines=lines,
            attachments=_attachments(attachments),
        )
        rec = records.sign_record(body, author, cosigners)
        self._apply(rec, work, fresh=True)
        if submit:
            self._commit(work)
        return rec.raw

    def accept(
        self,
        author: Signer,
        prepare_envelope: bytes,
        observed: dict[str, dict[str, Any]] | None = None,
        cosigners: Sequence[Signer] = (),
        attachments: Sequence[dict] = (),
    ) -> bytes:
        """Accepts a prepared handover, recording what was actually received.

        ``observed[item]`` may give ``qty``, ``seals``, ``condition`` and
        ``note``; the defaults are the declared values and the item's known
        condition (a damaged box stays damaged unless observed otherwise). A prepare
        not yet in the ledger (offline giver) is appended first, in the same
        transaction.
        """
        work, prep = self._prepare_in(prepare_envelope, author, cosigners)
        observed = dict(observed or {})
        declared = {ln["item"]: ln for ln in prep.lines}
        stray = set(observed) - set(declared)
        if stray:
            raise InvalidInput("lines_mismatch", handover=prep.id.hex())
        lines = []
        for item_id, decl in declared.items():
            lines.append({"item": item_id, "prev": _head(work, item_id),
                          **_received(work, item_id, decl, observed.get(item_id))})
        body = self._body("handover.accept", author, handover=prep.id, lines=lines,
                          attachments=_attachments(attachments))
        return self._sign_and_append(body, author, cosigners, work=work)

    def refuse(self, author: Signer, prepare_envelope: bytes, reason: str, attachments: Sequence[dict] = ()) -> bytes:
        work, prep = self._prepare_in(prepare_envelope, author)
        lines = [{"item": ln["item"], "prev": _head(work, ln["item"])} for ln in prep.lines]
        body = self._body("handover.refuse", author, handover=prep.id, reason=reason, lines=lines,
                          attachments=_attachments(attachments))
        return self._sign_and_append(body, author, work=work)

    def partial(
        self,
        author: Signer,
        prepare_envelope: bytes,
        refused: Sequence[str],
        reason: str,
        observed: dict[str, dict[str, Any]] | None = None,
        attachments: Sequence[dict] = (),
    ) -> bytes:
        """Accepts a prepared handover in part (SPEC 4.18): the items in
        ``refused`` are refused for ``reason``, the others accepted with
        ``observed`` as in :meth:`accept`."""
        work, prep = self._prepare_in(prepare_envelope, author)
        declared = {ln["item"]: ln for ln in prep.lines}
        observed = dict(observed or {})
        if set(refused) - set(declared) or set(observed) - set(declared) or set(refused) & set(observed):
            raise InvalidInput("lines_mismatch", handover=prep.id.hex())
        lines = []
        for item_id, decl in declared.items():
            line: dict[str, Any] = {"item": item_id, "prev": _head(work, item_id), "accepted": item_id not in refused}
            if line["accepted"]:
                line.update(_received(work, item_id, decl, observed.get(item_id)))
            lines.append(line)
        body = self._body("handover.partial", author, handover=prep.id, reason=reason, lines=lines,
                          attachments=_attachments(attachments))
        return self._sign_and_append(body, author, work=work)

    def withdraw(self, author: Signer, prepare_envelope: bytes, reason: str) -> bytes:
        """The giver takes back a prepared handover nobody answered (SPEC 4.16)."""
        work, prep = self._prepare_in(prepare_envelope, author)
        lines = [{"item": ln["item"], "prev": _head(work, ln["item"])} for ln in prep.lines]
        body = self._body("handover.withdraw", author, handover=prep.id, reason=reason, lines=lines)
        return self._sign_and_append(body, author, work=work)

    def void(self, author: Signer, items: Sequence[str], reason: str) -> bytes:
        """The registrant voids registrations nothing followed (SPEC 4.17)."""
        work = self._work(author, items=items)
        lines = [{"item": i, "prev": _head(work, i)} for i in sorted(set(items))]
        body = self._body("void", author, reason=reason, lines=lines)
        return self._sign_and_append(body, author, work=work)

    def incident(self, author: Signer, kind: str, description: str, items: dict[str, dict[str, Any]],
                 attachments: Sequence[dict] = ()) -> bytes:
        """``items[item]`` may give ``qty_lost`` and ``condition``."""
        work = self._work(author, items=items)
        lines = []
        for item_id in sorted(items):
            extra = dict(items[item_id] or {})
            unknown = set(extra) - {"qty_lost", "condition"}
            if unknown:
                raise InvalidInput(detail=f"unknown incident field(s): {', '.join(sorted(unknown))}")
            line = {"item": item_id, "prev": _head(work, item_id)}
            line.update({k: v for k, v in extra.items() if v is not None})
            lines.append(line)
        body = self._body("incident", author, kind=kind, description=description, lines=lines,
                          attachments=_attachments(attachments))
        return self._sign_and_append(body, author, work=work)

    def tally(self, author: Signer, items: dict[str, dict[str, int]]) -> bytes:
        """``items[item]`` gives ``used``, ``unused`` and ``spoiled``."""
        work = self._work(author, items=items)
        lines = []
        for item_id in sorted(items):
            counts = dict(items[item_id])
            if set(counts) != {"used", "unused", "spoiled"}:
                raise InvalidInput(detail="a tally gives used, unused and spoiled")
            lines.append({"item": item_id, "prev": _head(work, item_id), **counts})
        return self._sign_and_append(self._body("tally", author, lines=lines), author, work=work)

    def destroy(
        self, author: Signer, items: Sequence[str], method: str, reason: str, cosigners: Sequence[Signer],
        submit: bool = True,
        attachments: Sequence[dict] = (),
    ) -> bytes:
        """Pemusnahan before a witness (SPEC 4.13); ``submit=False`` as in :meth:`open_box`."""
        work = self._work(author, cosigners, items=items)
        lines = [{"item": i, "prev": _head(work, i)} for i in sorted(set(items))]
        body = self._body("destroy", author, method=method, reason=reason, lines=lines,
                          attachments=_attachments(attachments))
        if not submit:
            return self._draft(body, author, cosigners, work)
        return self._sign_and_append(body, author, cosigners, work=work)

    def witness(self, author: Signer, target: bytes, statement: str) -> bytes:
        body = self._body("witness", author, target=target, statement=statement)
        work = self._work(author, ids=[record_uuid(target), attestations_uuid(target)])
        return self._sign_and_append(body, author, work=work)

    def submit(self, envelope: bytes) -> bytes:
        """Appends a record signed elsewhere, after every check a command
        makes; a forged, replayed or tampered record is refused."""
        return self.submit_many([envelope])[0]

    def submit_many(self, envelopes: Iterable[bytes], *, skip_known: bool = False) -> list[bytes]:
        """Appends several records signed elsewhere, in order, atomically
        (e.g. a handover file's prepare and accept). With ``skip_known``,
        records already in the ledger are skipped instead of refused as
        replays, so importing the same file twice is harmless.
        """
        parsed = [records.parse(e) for e in envelopes]
        work = self._work()
        if skip_known:
            known = self._record_envelopes([r.id for r in parsed])
            todo = [r for r in parsed if r.id not in known]
        else:
            todo = parsed
        for rec in todo:
            self._apply(rec, work)
        if todo:
            self._commit(work)
        return [r.id for r in parsed]

    # --- building and committing ----------------------------------------------------

    def _now(self) -> int:
        return int(self._clock())

    def _body(self, rtype: str, author: Signer, **fields: Any) -> dict[str, Any]:
        ledger_id = self.ledger_id
        if ledger_id is None:
            raise NotInitialised()
        return records.build(rtype, author, ledger_id, self._now(), **fields)

    def _sign_and_append(
        self, body: dict[str, Any], author: Signer, cosigners: Sequence[Signer] = (), *, work: Work | None = None
    ) -> bytes:
        # Signed a moment ago by keys in this process: nothing to verify.
        rec = records.sign_record(body, author, cosigners)
        work = work or self._work()
        self._apply(rec, work, fresh=True)
        self._commit(work)
        return rec.id

    def _draft(self, body: dict[str, Any], author: Signer, cosigners: Sequence[Signer], work: Work) -> bytes:
        """Signs a record that travels to its witness as a record file (SPEC
        7.4): checked by every rule of an append except the witness's
        co-signature still to come (checked last by the rules, so every other
        check has passed when only it fails), and not appended. Returns the
        envelope."""
        rec = records.sign_record(body, author, cosigners)
        try:
            self._apply(rec, work, fresh=True)
        except WitnessRequired:
            pass  # the witness co-signs on their own device; the ledger checks it again at submit
        return rec.raw

    def _prepare_in(
        self, envelope: bytes, author: Signer, cosigners: Sequence[Signer] = ()
    ) -> tuple[Work, ParsedRecord]:
        """A work for answering the prepare in ``envelope``, with everything
        it needs loaded in one query, and the prepare. A prepare the ledger
        does not have yet (offline giver) is appended to the work first."""
        prep = records.parse(envelope, verify=False)
        if prep.type != "handover.prepare":
            raise InvalidInput("not_a_handover", record=prep.id.hex())
        ids, keys = rules.reads(prep)
        work = self._work(author, cosigners, items=[ln["item"] for ln in prep.lines], keys=keys, ids=ids)
        if work.envelope(prep.id) is not None:
            work.stored_records[prep.id] = prep  # byte-identical to the stored record
        else:
            prep = records.parse(envelope)  # not ours, not stored: verify it
            self._apply(prep, work)
        return work, prep

    def _commit(self, work: Work) -> None:
        """Saves ``work``. When another writer saved first, the same records
        are checked again against the new state and saved if they still
        pass (a race on a key's ``Used`` events, say, that changed nothing
        they depend on); otherwise :class:`Conflict`, and nothing written."""
        for attempt in range(_RETRIES):
            try:
                self._save(work)
                return
            except Conflict as conflict:
                # Writers using the same key in lockstep would collide
                # again at once: wait a random moment, growing.
                time.sleep(random.uniform(0, 0.001 * 2 ** min(attempt, 6)))
                retry = Work(self)
                try:
                    for rec in work.new_records.values():
                        self._apply(rec, retry, fresh=rec.id in work.fresh)
                except SerahError:
                    raise conflict from None
                work = retry
        self._save(work)

    def _save(self, work: Work) -> None:
        aggregates = work.to_save()
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        try:
            self.storage.append(events)
        except Conflict:
            # Someone else wrote first: the same record (a replay racing us)
            # or another change to one of the same aggregates.
            stored = self._record_envelopes(list(work.new_records))
            if stored:
                raise DuplicateRecord(record=next(iter(stored)).hex()) from None
            raise Conflict() from None
        if work.genesis is not None and self._genesis is None:
            self._genesis = work.genesis

    def _work(
        self,
        author: Signer | None = None,
        cosigners: Sequence[Signer] = (),
        *,
        items: Iterable[str] = (),
        keys: Iterable[bytes] = (),
        ids: Iterable[UUID] = (),
    ) -> Work:
        """A new unit of work, with what a command will read loaded in one
        query (each query is a transaction: fewer is faster)."""
        work = Work(self)
        signers = [s.public for s in ([author] if author else []) + list(cosigners)]
        work.preload([*ids, *(item_uuid(i) for i in items)], [*signers, *keys])
        return work

    def _apply(self, rec: ParsedRecord, work: Work, *, fresh: bool = False) -> None:
        """Checks ``rec`` by the custody rules and applies it in ``work``
        (:func:`ledger.rules.apply`), after loading in one query what the
        rules will read. ``fresh``: signed by this process just now."""
        if not fresh:  # signed elsewhere: its time is the author's clock (SPEC 5.1)
            now = self._now()
            if rec.time > now + records.FUTURE_TOLERANCE_MS:
                raise FutureTime(time=records.time_text(rec.time), now=records.time_text(now),
                                 minutes=records.FUTURE_TOLERANCE_MS // 60_000)
        ids, keys = rules.reads(rec)
        work.preload(ids[1:] if fresh else ids, keys)
        rules.apply(rec, work, fresh=fresh)
        if fresh:
            work.fresh.add(rec.id)

    # --- storage access --------------------------------------------------------------

    def _load_genesis(self) -> Genesis | None:
        if self._genesis is None:
            self._genesis = self._load([GENESIS_ID]).get(GENESIS_ID)
        return self._genesis

    def _load(self, ids: Sequence[UUID], key_ids: Sequence[UUID] = ()) -> dict[UUID, Any]:
        """Aggregates by id, reconstructed from their events in one query
        per page of ids (instead of one repository round trip each).

        ``key_ids`` are :class:`Custodian` ids: only their first and last
        events are read (see :class:`Custodian`)."""
        aggregates: dict[UUID, Any] = {}
        to_domain_event = self.mapper.to_domain_event
        for uid, (first, last) in self._select_first_and_last(key_ids).items():
            aggregates[uid] = Custodian.from_first_and_last(
                to_domain_event(first), to_domain_event(last) if last is not None else None
            )
        for uid, stored in self._select_events(ids).items():
            if stored[0].topic == RECORD_TOPIC:
                # Only the envelope is needed; skip decoding it for the
                # aggregate's timestamp.
                aggregates[uid] = StoredRecord(bytes(stored[0].state))
                continue
            aggregate = None
            for stored_event in stored:
                event: Any = self.mapper.to_domain_event(stored_event)
                aggregate = event.mutate(aggregate)
            aggregates[uid] = aggregate
        return aggregates

    def _record_envelopes(self, ids: Sequence[bytes]) -> dict[bytes, bytes]:
        by_uuid = {record_uuid(i): i for i in ids}
        found = self._select_events(list(by_uuid))
        return {by_uuid[u]: bytes(events[0].state) for u, events in found.items() if events}

    def _select_events(self, ids: Sequence[UUID]) -> dict[UUID, list[StoredEvent]]:
        return self.storage.select_events(ids)

    def _select_first_and_last(self, ids: Sequence[UUID]) -> dict[UUID, tuple[StoredEvent, StoredEvent | None]]:
        """The first and (when there are more) last stored events of each
        aggregate, by id: a few primary-key lookups each, however many
        events lie in between."""
        return self.storage.select_first_and_last(ids)


# --- helpers ------------------------------------------------------------------------


def _attachments(attachments: Sequence[dict]) -> list[dict] | None:
    """SPEC 3.8: the attachments field, sorted by hash, or None (left out) when there are none."""
    return sorted(attachments, key=lambda a: a["sha256"]) or None


def _head(work: Work, item_id: str) -> bytes:
    item = work.item(item_id)
    if item is None:
        raise UnknownItem(item=item_id)
    return bytes.fromhex(item.head)


def _condition(work: Work, item_id: str) -> str:
    """The item's condition as last recorded (``ok`` if never otherwise)."""
    item = work.item(item_id)
    return (item.condition if item is not None else None) or "ok"


def _received(work: Work, item_id: str, declared: dict[str, Any], observed: dict[str, Any] | None) -> dict[str, Any]:
    """What an accepted line records for one item (SPEC 4.9, 4.18): what the
    receiver ``observed`` (``qty``, ``seals``, ``condition``, ``note``), and
    for what they did not, the prepare's declared values and the item's known
    condition. ``handover accept`` and ``handover partial`` both use it, so an
    item is received the same way whether or not others were refused."""
    obs = dict(observed or {})
    unknown = set(obs) - {"qty", "seals", "condition", "note"}
    if unknown:
        raise InvalidInput(detail=f"unknown observation(s): {', '.join(sorted(unknown))}")
    line: dict[str, Any] = {"condition": obs.get("condition") or _condition(work, item_id)}
    if "qty" in declared:
        line["qty"] = obs["qty"] if obs.get("qty") is not None else declared["qty"]
    if "seals" in declared:
        seals = obs["seals"] if obs.get("seals") is not None else declared["seals"]
        _check_unique(seals)
        line["seals"] = sorted(seals)
    if obs.get("note"):
        line["note"] = obs["note"]
    return line


def _check_unique(values: Iterable[Any]) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise InvalidInput("duplicate_value", value=str(value))
        seen.add(value)
