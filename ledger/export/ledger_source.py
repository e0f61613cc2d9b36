"""Exporting from a live ``Ledger``: its index data and its transparency log.

``LedgerSource`` answers the ``Source`` questions from the ledger's own
index data (an item's events name every record of its chain; a custodian
knows its enrol and revoke records; a record's attestations are indexed by
target), so one box costs a few keyed reads whatever the ledger's size.
Leaf indexes and inclusion proofs come from the log the ledger stores in the
same database (``ledger.tlog.log``, SPEC 10.8), frozen at one stored
checkpoint: the exporter never signs anything itself.

``checkpointed_trail`` picks that checkpoint (SPEC 11.4). The trail is
collected from every record the ledger holds now; a stored checkpoint
covers it when its size is above the index of every record collected, and
then collecting below that size finds exactly the same records (each rule
of 11.4 only ever looks at records of the trail). When even the newest
checkpoint is older than a record of the trail, the export is refused
(``NotCheckpointed``) until the operator signs a new one. Of the covering
checkpoints, the newest one a witness cosigned is preferred, since a bundle
without a cosignature proves less (B6).
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.domain import attestations_uuid, item_uuid, key_uuid
from ledger.errors import Category, SerahError
from ledger.export.trail import Entry, Scope, Trail, collect
from ledger.tlog.log import ExportView, TransparencyLog
from ledger.tlog.tree import leaf_hash

__all__ = ["LedgerSource", "NoCheckpoint", "NotCheckpointed", "checkpointed_trail"]


class NoCheckpoint(SerahError):
    category = Category.REFUSED
    code = "export_no_checkpoint"
    template = "the ledger has no checkpoint yet: run serah checkpoint and have the witnesses cosign it"


class NotCheckpointed(SerahError):
    category = Category.REFUSED
    code = "export_not_checkpointed"
    template = ("no checkpoint covers this trail: {count} of its records are after the newest checkpoint "
                "(size {size}); run serah checkpoint and have the witnesses cosign it")


class LedgerSource:
    """``Source`` over a ``ledger.application.Ledger``, limited to the first ``log.size`` records.

    ``log`` is the ledger's ``TransparencyLog`` (every record it holds when
    the source is made) or that log frozen at a stored checkpoint
    (``TransparencyLog(ledger).for_export(size)``): it gives each record's
    leaf index. Records at or after its ``size`` are left out of every answer.

    Each batched question is a few keyed reads: the index aggregates in one
    query (``Ledger._load`` / ``_select_events``; a key's first and last
    events only), their records in another, and the records' leaf indexes by
    leaf hash in a third.
    """

    def __init__(self, ledger, log) -> None:
        self.ledger = ledger
        self.log = log
        self.size = log.size
        self._entries: dict[bytes, Entry | None] = {}

    # records by id, with their leaf index

    def _fetch(self, ids: Sequence[bytes]) -> list[Entry]:
        wanted = [i for i in dict.fromkeys(ids) if i not in self._entries]
        if wanted:
            envelopes = self.ledger._record_envelopes(wanted)
            indexes = self.log.leaf_indexes_by_hash({leaf_hash(env): rid for rid, env in envelopes.items()})
            for rid in wanted:
                index = indexes.get(rid)
                ok = index is not None and index < self.size
                self._entries[rid] = Entry(index, envelopes[rid], rid) if ok else None
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
        from ledger.projections import Views
        from ledger.projections.store import prefix_range

        low, high = prefix_range(region)
        try:
            # The view may lag the records: bring it up to date first, so an
            # export by place never misses an item registered a moment ago.
            Views(self.ledger).catch_up()
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


def checkpointed_trail(ledger, scope: Scope, *, log=None, progress=None) -> tuple[Trail, ExportView]:
    """The trail of ``scope`` and the log frozen at the stored checkpoint that covers it.

    The second value gives ``encode_bundle`` its proofs and checkpoint.
    Raises ``NoCheckpoint`` when the ledger has none, ``NotCheckpointed``
    when the newest one is older than a record of the trail.
    """
    log = log or TransparencyLog(ledger)
    newest = log.latest_checkpoint()
    if newest is None:
        raise NoCheckpoint()
    trail = collect(LedgerSource(ledger, log), scope, progress)
    needed = trail.entries[-1].index + 1 if trail.entries else 0  # entries are in index order
    if newest.size < needed:
        raise NotCheckpointed(size=newest.size, count=sum(e.index >= newest.size for e in trail.entries))
    chosen = newest
    if not newest.cosignatures:
        cosigned = [c for c in log.checkpoints() if c.cosignatures and c.size >= needed]
        chosen = cosigned[-1] if cosigned else newest
    return trail, ExportView(log, chosen)
