"""Exporting from a live ``Ledger``: its index data and its transparency log.

``LedgerSource`` answers the ``Source`` questions from the ledger's own
index data (an item's events name every record of its chain; a custodian
knows its enrol and revoke records; a record's attestations are indexed by
target), so one box costs a few keyed reads whatever the ledger's size.
Leaf indexes and inclusion proofs come from the log the ledger stores in the
same database (``ledger.tlog.log``, SPEC 10.8), frozen at one stored
checkpoint: the exporter never signs anything itself.

``checkpointed_trail`` picks that checkpoint (SPEC 11.4): the trail is
collected against the newest stored checkpoint; if a record of the trail is
newer than it, nothing covers the trail yet and the export is refused
(``NotCheckpointed``) until the operator signs a new one. Among the
checkpoints that cover the trail, the newest one a witness cosigned is
preferred, since a bundle without a cosignature proves less (B6).
"""

from __future__ import annotations

from typing import Sequence

from ledger.domain import attestations_uuid, item_uuid, key_uuid
from ledger.errors import SerahError
from ledger.export.trail import Entry, Scope, Trail, collect
from ledger.tlog.tree import leaf_hash

__all__ = ["LedgerSource", "NoCheckpoint", "NotCheckpointed", "checkpointed_trail"]


class NoCheckpoint(SerahError):
    code = "export_no_checkpoint"
    template = "the ledger has no checkpoint yet: run serah checkpoint and have the witnesses cosign it"


class NotCheckpointed(SerahError):
    code = "export_not_checkpointed"
    template = ("no checkpoint covers this trail: {count} of its records are after the newest checkpoint "
                "(size {size}); run serah checkpoint and have the witnesses cosign it")


class LedgerSource:
    """``Source`` over a ``ledger.application.Ledger``, limited to the first ``view.size`` records.

    ``view`` is the ledger's transparency log frozen at a stored checkpoint
    (``TransparencyLog(ledger).for_export(size)``). Records at or after
    ``view.size`` are left out of every answer and their leaf indexes
    collected in ``beyond``, so the caller can tell a trail the checkpoint
    covers from one it cuts short.

    Each batched question is a few keyed reads: the index aggregates in one
    query (``Ledger._load`` / ``_select_events``; a key's first and last
    events only), their records in another, and the records' leaf indexes by
    leaf hash in a third.
    """

    def __init__(self, ledger, view) -> None:
        self.ledger = ledger
        self.log = view
        self.size = view.size
        self.beyond: set[int] = set()
        self._entries: dict[bytes, Entry | None] = {}

    # records by id, with their leaf index

    def _fetch(self, ids: Sequence[bytes]) -> list[Entry]:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._entries]
        if wanted:
            envelopes = self.ledger._record_envelopes(wanted)
            indexes = self.log.leaf_indexes_by_hash({leaf_hash(env): rid for rid, env in envelopes.items()})
            for rid in wanted:
                index = indexes.get(rid)
                if index is not None and index >= self.size:
                    self.beyond.add(index)
                    index = None
                self._entries[rid] = Entry(index, envelopes[rid], rid) if index is not None else None
        return [e for e in (self._entries[i] for i in ids) if e is not None]

    def genesis(self) -> Entry:
        return self._fetch([self.ledger.ledger_id])[0]

    def chains(self, items: Sequence[str]) -> dict[str, list[Entry]]:
        by_uuid = {item_uuid(item): item for item in items}
        to_event = self.ledger.mapper.to_domain_event
        named: dict[str, list[bytes]] = {}
        for uid, stored in self.ledger._select_events(list(by_uuid)).items():
            named[by_uuid[uid]] = [bytes.fromhex(r) for r in dict.fromkeys(to_event(e).record for e in stored)]
        self._fetch([rid for ids in named.values() for rid in ids])
        chains = {}
        for item in items:
            entries = [e for e in self._fetch(named.get(item, [])) if item in e.items()]  # not its box's opening
            chains[item] = sorted(entries, key=lambda e: e.index)
        return chains

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

    def authority(self, keys: Sequence[bytes]) -> list[Entry]:
        ids: list[bytes] = []
        # Only the first and last events of each key (its enrolment, and a
        # revocation is always last): not the Used event of every record it signed.
        for custodian in self.ledger._load([], key_ids=[key_uuid(k) for k in keys]).values():
            if not custodian.root:
                ids.append(bytes.fromhex(custodian.record))
            if custodian.revoked_by:
                ids.append(bytes.fromhex(custodian.revoked_by))
        return self._fetch(ids)

    def attestations(self, record_ids: Sequence[bytes]) -> list[Entry]:
        found = self.ledger._load([attestations_uuid(r) for r in record_ids]).values()
        return self._fetch([bytes.fromhex(r) for attested in found for r in attested.records])

    def inclusion_proofs(self, indexes: Sequence[int]) -> list[list[bytes]]:
        return self.log.inclusion_proofs(indexes)

    def checkpoint(self) -> dict:
        return self.log.checkpoint()


def checkpointed_trail(ledger, scope: Scope, *, log=None, progress=None) -> tuple[Trail, LedgerSource]:
    """The trail of ``scope`` and a source frozen at the stored checkpoint that covers it.

    Raises ``NoCheckpoint`` when the ledger has none, ``NotCheckpointed``
    when the newest one is older than a record of the trail.
    """
    from ledger.tlog.log import ExportView, TransparencyLog

    log = log or TransparencyLog(ledger)
    newest = log.latest_checkpoint()
    if newest is None:
        raise NoCheckpoint()
    source = LedgerSource(ledger, ExportView(log, newest))
    trail = collect(source, scope, progress)
    if source.beyond:
        raise NotCheckpointed(size=newest.size, count=len(source.beyond), index=min(source.beyond))
    if newest.cosignatures or not trail.entries:
        return trail, source
    needed = trail.entries[-1].index + 1
    cosigned = [c for c in log.checkpoints() if c.cosignatures and c.size >= needed]
    if not cosigned:
        return trail, source
    # An older, cosigned checkpoint that holds every record of the trail:
    # collecting against it finds the same records, now with a witness.
    older = LedgerSource(ledger, ExportView(log, cosigned[-1]))
    again = collect(older, scope)
    if older.beyond or [e.id for e in again.entries] != [e.id for e in trail.entries]:
        return trail, source
    return again, older
