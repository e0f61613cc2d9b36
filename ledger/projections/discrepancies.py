"""The discrepancy register: every declared-versus-observed difference (view 4).

One row per (record, item, kind), with who (the record's author, and the
other party for handovers), where, when, what was declared and what was
observed. Kinds:

* ``qty``, ``seals``, ``condition``: an acceptance observed a count, seal
  numbers or a condition other than declared (for the condition: other
  than the item's condition as last recorded, ``ok`` unless an incident or
  an acceptance said otherwise);
* ``refused``: a handover was refused (SPEC 4.10), with its reason;
* ``incident``: an incident line (SPEC 4.11): damage, loss, flood, other;
* ``tally``: the ballots were tallied again with other counts than their
  previous tally (declared: the earlier ``[used, unused, spoiled]``,
  observed: the new one): a changed count must never replace the first
  one silently;
* ``broken_seal``: a box was opened and its seals were not intact;
* ``seal_mismatch``: a box was opened and the seals found are not the
  seals it was sealed with.

Resolution rule (kept simple and mechanical, so anyone can check it):

1. a later ``witness`` record (SPEC 4.14) whose ``target`` is the record,
   written by a ``witness`` or ``kpu`` key other than the record's author,
   resolves every discrepancy of that record: an independent party has
   looked at it and said so on the record;
2. a refusal is also resolved when the refused item is later accepted by
   anyone: the handover was done again and completed.

Nothing else resolves a discrepancy; in particular a later count that
happens to match does not, because it would hide where pieces went.
"""

from __future__ import annotations

import json
from typing import Any

from ledger.differences import differences
from ledger.projections.model import Item, Line, Record
from ledger.projections.store import within

__all__ = ["DDL", "accepted", "refused", "incident", "retallied", "opened", "witnessed", "flush", "register"]

TABLES = ("proj_discrepancy",)

_COLUMNS = (
    "record", "item", "kind", "position", "time", "record_type", "author", "counterpart",
    "place", "declared", "observed", "detail", "resolved_by", "resolved_time", "resolution",
)  # fmt: skip


def DDL(t: dict[str, str]) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS proj_discrepancy (
            record {t['blob']} NOT NULL, item TEXT NOT NULL, kind TEXT NOT NULL,
            position {t['big']} NOT NULL, time {t['big']} NOT NULL, record_type TEXT NOT NULL,
            author {t['blob']} NOT NULL, counterpart {t['blob']}, place TEXT NOT NULL,
            declared TEXT, observed TEXT, detail TEXT,
            resolved_by {t['blob']}, resolved_time {t['big']}, resolution TEXT,
            PRIMARY KEY (record, item, kind))""",
        "CREATE INDEX IF NOT EXISTS proj_discrepancy_item ON proj_discrepancy (item)",
        "CREATE INDEX IF NOT EXISTS proj_discrepancy_place ON proj_discrepancy (place)",
        "CREATE INDEX IF NOT EXISTS proj_discrepancy_position ON proj_discrepancy (position)",
    ]


def INDEXES(t: dict[str, str]) -> list[str]:
    return []  # its indexes serve the resolution updates too: created with the table


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), sort_keys=True)


def _add(batch: Any, rec: Record, item: str, kind: str, place: str, declared: Any = None,
         observed: Any = None, detail: str | None = None, counterpart: bytes | None = None) -> None:  # fmt: skip
    batch.discrepancy_rows.append(
        (rec.id, item, kind, rec.position, rec.time, rec.type, rec.author, counterpart, place,
         _json(declared), _json(observed), detail, None, None, None)
    )  # fmt: skip


def accepted(batch: Any, rec: Record, item: Item, line: Line) -> None:
    """Called before the acceptance changes ``item``: compare with the prepare
    by the one rule in ``ledger/differences.py``.

    Runs for every line of every acceptance, and almost every line agrees:
    the common case is one call, three comparisons and no allocation.
    """
    found = differences(item.pending_qty, item.pending_seals, item.condition, line.qty, line.seals, line.condition)
    if found:
        place = item.pending_place if item.pending_place is not None else item.location
        for kind, declared, observed in found:
            _add(batch, rec, item.item, kind, place, declared, observed, line.note, item.holder)
    if item.open_refusal:
        batch.resolutions.append(
            ("UPDATE proj_discrepancy SET resolved_by = ?, resolved_time = ?, resolution = ? "
             "WHERE item = ? AND kind = 'refused' AND position < ? AND resolved_by IS NULL",
             (rec.id, rec.time, "accepted", item.item, rec.position))
        )  # fmt: skip


def refused(batch: Any, rec: Record, item: Item) -> None:
    place = item.pending_place if item.pending_place is not None else item.location
    _add(batch, rec, item.item, "refused", place, detail=rec.reason, counterpart=item.holder)


def incident(batch: Any, rec: Record, item: Item, line: Line) -> None:
    observed: dict[str, Any] = {}
    if line.qty_lost is not None:
        observed["qty_lost"] = line.qty_lost
    if line.condition is not None:
        observed["condition"] = line.condition
    observed["incident"] = rec.kind
    _add(batch, rec, item.item, "incident", item.location, item.qty, observed, rec.description)


def retallied(batch: Any, rec: Record, item: Item, counts: list[int | None]) -> None:
    """Called before ``item.tally`` takes the new ``counts``."""
    _add(batch, rec, item.item, "tally", item.location, item.tally, counts)


def opened(batch: Any, rec: Record, box: Item) -> None:
    """Called before the opening changes ``box``."""
    found = list(rec.seals or ())
    if rec.intact is False:
        _add(batch, rec, box.item, "broken_seal", box.location, box.seals, found, rec.reason)
    if found != list(box.seals or ()):
        _add(batch, rec, box.item, "seal_mismatch", box.location, box.seals, found, rec.reason)


def witnessed(batch: Any, rec: Record) -> None:
    witness = batch.keys.get(rec.author)
    if witness is None or witness.role not in ("witness", "kpu"):
        return
    batch.resolutions.append(
        ("UPDATE proj_discrepancy SET resolved_by = ?, resolved_time = ?, resolution = ? "
         "WHERE record = ? AND author <> ? AND position < ? AND resolved_by IS NULL",
         (rec.id, rec.time, rec.statement or "witnessed", rec.target, rec.author, rec.position))
    )  # fmt: skip


def flush(batch: Any) -> None:
    # Inserts first, then resolutions in record order: each UPDATE is bounded
    # by its record's position, so this equals applying them one by one.
    batch.cur.executemany(
        f"INSERT INTO proj_discrepancy ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        batch.discrepancy_rows,
    )
    for sql, params in batch.resolutions:
        batch.cur.execute(sql, params)


# --- reads ---------------------------------------------------------------------


def register(cur: Any, place: str = "", open_only: bool = False) -> list[dict[str, Any]]:
    """Discrepancies whose place is under ``place``, oldest first."""
    where, params = within("place", place)
    if open_only:
        where.append("resolved_by IS NULL")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    cur.execute(f"SELECT {', '.join(_COLUMNS)} FROM proj_discrepancy{clause} ORDER BY position, item, kind", params)
    out = []
    for row in cur.fetchall():
        d = dict(zip(_COLUMNS, row, strict=True))
        for k in ("record", "author", "counterpart", "resolved_by"):
            if d[k] is not None:
                d[k] = bytes(d[k])
        for k in ("declared", "observed"):
            d[k] = json.loads(d[k]) if d[k] is not None else None
        d["resolved"] = d["resolved_by"] is not None
        out.append(d)
    return out
