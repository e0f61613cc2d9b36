"""Keeping the tree in step with the records: the recorders call
:func:`_extend_for` inside the insert's transaction, and
:meth:`TransparencyLog.catch_up` calls :func:`_align` for a tree that lags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ledger.domain import RECORD_TOPIC
from ledger.tlog.errors import TreeMismatch
from ledger.tlog.sql import LogNodeStore, _Names, _Sql
from ledger.tlog.tree import MerkleTree, leaf_hash

_PAGE = 2000  # records per query when catching up


def _last_record(sql: _Sql, names: _Names, before: int | None) -> bytes | None:
    last = _last_records(sql, names, before, 1)
    return last[0] if last else None


def _last_records(sql: _Sql, names: _Names, before: int | None, count: int) -> list[bytes]:
    """The envelopes of the last ``count`` records, newest first (one indexed query)."""
    where, params = _record_filter(names, before)
    rows = sql.rows(
        f"SELECT state FROM {names.events} WHERE {where} ORDER BY {names.order} DESC LIMIT ?", [*params, count]
    )
    return [bytes(row[0]) for row in rows]


def _record_count(sql: _Sql, names: _Names) -> int:
    """How many records the ledger holds (a scan: for signing a checkpoint, not for every append)."""
    where, params = _record_filter(names, None)
    row = sql.one(f"SELECT COUNT(*) FROM {names.events} WHERE {where}", params)
    return int(row[0]) if row is not None else 0


def _record_filter(names: _Names, before: int | None) -> tuple[str, list[Any]]:
    if before is None:
        return "topic = ?", [RECORD_TOPIC]
    return f"topic = ? AND {names.order} < ?", [RECORD_TOPIC, before]


def _records_from(sql: _Sql, names: _Names, offset: int, before: int | None = None) -> Iterator[bytes]:
    """Envelopes of the records from 0-based ``offset`` on, in global order.

    The first page is found with OFFSET (a scan, but only when catching up);
    later pages continue from the last position seen.
    """
    where, params = _record_filter(names, before)
    query = f"SELECT {names.order}, state FROM {names.events} WHERE {where}"
    rows = sql.rows(f"{query} ORDER BY {names.order} LIMIT ? OFFSET ?", [*params, _PAGE, offset])
    while rows:
        for _, state in rows:
            yield bytes(state)
        if len(rows) < _PAGE:
            return
        rows = sql.rows(f"{query} AND {names.order} > ? ORDER BY {names.order} LIMIT ?",
                        [*params, rows[-1][0], _PAGE])


def _align(sql: _Sql, names: _Names, tree: MerkleTree, before: int | None,
           progress: Callable[[int], None] | None = None) -> int:
    """Make ``tree`` hold exactly the records stored before position ``before``.

    The caller holds the ledger's write lock. Cheap when the tree is in step
    (its last leaf is the last record); otherwise catches up from the records,
    after checking that the tree's last leaf is the record at that place.
    Returns the number of leaves added.
    """
    tail = _last_records(sql, names, before, 2)
    if not tail:
        if tree.size:
            raise TreeMismatch(tree=tree.size, detail="the ledger holds no records")
        return 0
    # The last two leaves in one read (this runs on every append); a leaf
    # the store lacks raises from leaf_hash_at where a check needs it.
    leaves = tree.stored_leaf_hashes((tree.size - 1, tree.size - 2))

    def leaf_at(index: int) -> bytes:
        stored = leaves.get(index)
        return stored if stored is not None else tree.leaf_hash_at(index)

    if tree.size and leaf_at(tree.size - 1) == leaf_hash(tail[0]):
        # In step at the end; the leaf before must be the record before too,
        # or a record was deleted there (the tree would go on claiming it).
        if tree.size >= 2 and (len(tail) < 2 or leaf_at(tree.size - 2) != leaf_hash(tail[1])):
            raise TreeMismatch(tree=tree.size, detail=f"record {tree.size - 2} differs from its leaf")
        return 0
    records = _records_from(sql, names, max(tree.size - 1, 0), before)
    if tree.size:
        at_end = next(records, None)
        if at_end is None:
            raise TreeMismatch(tree=tree.size, detail="the ledger holds fewer records")
        if leaf_hash(at_end) != leaf_at(tree.size - 1):
            raise TreeMismatch(tree=tree.size, detail=f"record {tree.size - 1} differs from its leaf")
    added, batch = 0, []
    for envelope in records:
        batch.append(leaf_hash(envelope))
        if len(batch) == _PAGE:
            tree.extend_leaf_hashes(batch)
            added, batch = added + len(batch), []
            if progress is not None:
                progress(added)
    if batch:
        tree.extend_leaf_hashes(batch)
        added += len(batch)
    return added


def _extend_for(sql: _Sql, names: _Names, stored_events: Sequence[Any], before: int | None) -> None:
    """The recorders' hook: leaves for the records among ``stored_events``."""
    envelopes = [bytes(e.state) for e in stored_events if e.topic == RECORD_TOPIC]
    if not envelopes:
        return
    tree = MerkleTree(LogNodeStore(sql, names))
    _align(sql, names, tree, before)
    tree.extend(envelopes)
