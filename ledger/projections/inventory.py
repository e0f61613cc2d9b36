"""Inventory per location and holder, rolled up the region hierarchy (view 2).

One row per (location, holder, kind, election, state) with the number of
items and the sum of their quantities. It is kept by differences: when a
batch changes an item, its old combination loses one and the new one gains
one, so a batch writes a handful of counter rows however many records it
holds, and a read sums a few rows per place instead of counting items.

Because region codes nest by prefix (SPEC 2.2), the inventory of a
kecamatan, a kab/kota or a province is the sum over the locations whose
code starts with its code: one indexed range scan, no tree walk.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ledger.projections.model import Item
from ledger.projections.store import within

__all__ = ["DDL", "key", "flush", "summary"]

TABLES = ("proj_inventory",)

# Child level of each level, by code length: TPS -> kelurahan -> kecamatan -> kab/kota -> province.
CHILD_LENGTH = {0: 2, 2: 4, 4: 6, 6: 10, 10: 13, 13: None}


def DDL(t: dict[str, str]) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS proj_inventory (
            location TEXT NOT NULL, holder {t['blob']} NOT NULL, kind TEXT NOT NULL,
            election TEXT NOT NULL, state TEXT NOT NULL,
            items {t['big']} NOT NULL, qty {t['big']} NOT NULL,
            PRIMARY KEY (location, holder, kind, election, state))""",
    ]


def INDEXES(t: dict[str, str]) -> list[str]:
    """Indexes for reads only: a rebuild creates them after the bulk load."""
    return [
        "CREATE INDEX IF NOT EXISTS proj_inventory_holder ON proj_inventory (holder)",
    ]


def key(item: Item) -> tuple:
    """The inventory row an item counts in, and the quantity it adds."""
    return (item.location, item.holder, item.kind, item.election or "", item.state, item.qty or 0)


_UPSERT = (
    "INSERT INTO proj_inventory (location, holder, kind, election, state, items, qty) "
    "VALUES (?,?,?,?,?,?,?) ON CONFLICT (location, holder, kind, election, state) "
    "DO UPDATE SET items = proj_inventory.items + excluded.items, qty = proj_inventory.qty + excluded.qty"
)
_PRUNE = (
    "DELETE FROM proj_inventory WHERE location = ? AND holder = ? AND kind = ? "
    "AND election = ? AND state = ? AND items = 0"
)


def flush(batch: Any) -> None:
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for item_id, item in batch.dirty.items():
        before = batch.loaded.get(item_id)
        after = key(item)
        if before == after:
            continue
        if before is not None:
            delta = deltas[before[:5]]
            delta[0] -= 1
            delta[1] -= before[5]
        delta = deltas[after[:5]]
        delta[0] += 1
        delta[1] += after[5]
    rows = [(*k, n, q) for k, (n, q) in deltas.items() if n or q]
    batch.cur.executemany(_UPSERT, rows)
    batch.cur.executemany(_PRUNE, (row[:5] for row in rows if row[5] < 0))


# --- reads ---------------------------------------------------------------------


def summary(cur: Any, place: str | None = None, holder: bytes | None = None) -> dict[str, Any]:
    """Counts under ``place`` (a region code, "" for everything) and/or of
    ``holder``: totals per kind/election/state, per child region, per holder.
    """
    where, params = within("location", place or "")
    if holder is not None:
        where.append("holder = ?")
        params.append(holder)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    cur.execute(
        "SELECT location, holder, kind, election, state, items, qty FROM proj_inventory" + clause,
        params,
    )
    rows = cur.fetchall()
    child_len = CHILD_LENGTH.get(len(place or ""))
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    by_region: dict[str, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    by_holder: dict[bytes, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for location, row_holder, kind, election, state, items, qty in rows:
        k = (kind, election, state)
        for bucket in (
            totals[k],
            by_holder[bytes(row_holder)][k],
            by_region[_child(location, place or "", child_len)][k],
        ):
            bucket[0] += items
            bucket[1] += qty
    return {
        "place": place,
        "totals": _lines(totals),
        "regions": {code: _lines(v) for code, v in sorted(by_region.items())},
        "holders": {h: _lines(v) for h, v in sorted(by_holder.items())},
    }


def _child(location: str, place: str, child_len: int | None) -> str:
    """The child region of ``place`` that contains ``location`` (or the
    location itself when it is at ``place``'s level or not below it)."""
    if child_len is None or len(location) < child_len or not location.startswith(place):
        return location
    return location[:child_len]


def _lines(counts: dict[tuple, list[int]]) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "election": election or None, "state": state, "items": n, "qty": q}
        for (kind, election, state), (n, q) in sorted(counts.items())
        if n
    ]
