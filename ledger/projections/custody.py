"""Current custody: per item, who holds it, where, in what state (view 1).

This module also drives the batch: it replays each record on the items and
keys it names (SPEC 4, 5) and tells the other views what happened at the
points where they need to know (a count differed, an item reached its TPS,
a ballot batch was tallied). The other views never look at records
themselves, so the rules of custody live in one place.

The display state of an item, by priority: ``destroyed``, ``lost``,
``in_transit`` (a handover is open), ``opened`` / ``resealed`` (boxes whose
seals were broken, and not / again sealed since), ``at_tps`` (held at a
13-digit location), ``in_store``. Packed items (contents) move with their
box: holder, location and custody are copied from the box whenever it
changes, so every question about a place or a holder is one indexed lookup.
"""

from __future__ import annotations

import sys
from typing import Any

import msgspec

from ledger.projections import accounting, discrepancies, inventory, readiness
from ledger.projections.model import ITEM_COLUMNS, Custodian, Item, Record, ViewError
from ledger.transitions import (
    ACCEPT,
    DESTROY,
    DESTROYED,
    HELD,
    LOSE,
    LOST,
    PREPARE,
    REFUSE,
    TRANSIT,
    VOID,
    VOIDED,
    WITHDRAW,
    after,
)

__all__ = ["DDL", "INDEXES", "ViewError", "apply", "display_state", "needs", "load", "flush", "item_row", "holdings", "item_states", "custodian"]

TABLES = ("proj_item", "proj_custodian")


def DDL(t: dict[str, str]) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS proj_item (
            item TEXT PRIMARY KEY, kind TEXT NOT NULL, dest TEXT NOT NULL,
            election TEXT, dapil TEXT, label TEXT, serial_first TEXT, serial_last TEXT,
            qty {t['big']}, holder {t['blob']} NOT NULL, location TEXT NOT NULL,
            custody TEXT NOT NULL, state TEXT NOT NULL,
            seals TEXT, sealed INTEGER NOT NULL, opened INTEGER NOT NULL,
            container TEXT, contents TEXT, condition TEXT,
            pending {t['blob']}, pending_to {t['blob']}, pending_place TEXT,
            pending_qty {t['big']}, pending_seals TEXT,
            head {t['blob']} NOT NULL, head_time {t['big']} NOT NULL, last_record {t['blob']} NOT NULL,
            last_time {t['big']} NOT NULL, last_position {t['big']} NOT NULL,
            registered_time {t['big']} NOT NULL, open_refusal INTEGER NOT NULL, tally TEXT)""",
        f"""CREATE TABLE IF NOT EXISTS proj_custodian (
            key {t['blob']} PRIMARY KEY, role TEXT NOT NULL, region TEXT NOT NULL,
            name TEXT NOT NULL, org TEXT NOT NULL, revoked {t['big']} NOT NULL,
            position {t['big']} NOT NULL)""",
    ]


def INDEXES(t: dict[str, str]) -> list[str]:
    """Indexes for reads only: a rebuild creates them after the bulk load."""
    return [
        "CREATE INDEX IF NOT EXISTS proj_item_location ON proj_item (location)",
        "CREATE INDEX IF NOT EXISTS proj_item_holder ON proj_item (holder)",
        # dest first (every per-place read), then what readiness counts, so the
        # dashboard's per-TPS rollup reads the index alone, never the table
        "CREATE INDEX IF NOT EXISTS proj_item_dest ON proj_item "
        "(dest, registered_time, kind, election, qty, custody, last_time)",
    ]


def display_state(item: Item) -> str:
    custody = item.custody
    if custody == DESTROYED or custody == LOST or custody == VOIDED:
        return custody
    if custody == TRANSIT:
        return "in_transit"
    if item.opened:
        return "resealed" if item.sealed else "opened"
    if len(item.location) == 13:
        return "at_tps"
    return "in_store"


# --- the replay --------------------------------------------------------------


# Record types that can change whether an item is at its own TPS (location,
# custody or quantity; see readiness.presence). Handing over and refusing
# keep an item where it is until the acceptance, so they are not here.
_MOVES = frozenset(("register", "handover.accept", "handover.partial", "incident", "destroy", "void"))


def apply(batch: Any, rec: Record) -> None:
    """Replay one record on the batch's items and keys.

    The handler changes the items, sets the chain head of the items in the
    record's lines (SPEC 5) and lists every item it changed in
    ``batch.touched`` (packed items moved with their box too); what is the
    same for every changed item (last record, arrival at the TPS) is done
    here. This runs for every item of every record of a rebuild, so it does
    as little as it can: the display state is derived when the batch is
    written, and arrival is looked at only for the records that can move an
    item, and only for items that are or may now be at their TPS.
    """
    rtype = rec.type
    handler = _HANDLERS.get(rtype)
    if handler is None:
        raise ViewError(f"record {rec.id.hex()} has unknown type {rtype!r}")
    touched = batch.touched = {}
    try:
        handler(batch, rec)
    except KeyError as missing:
        raise ViewError(f"record {rec.id.hex()} names {missing} that the view does not know") from None
    rid, time, position = rec.id, rec.time, rec.position
    for item in touched.values():
        item.last_record = rid
        item.last_time = time
        item.last_position = position
    dirty = batch.dirty
    if dirty is not batch.items:  # in a batch that started empty, every item is dirty
        dirty.update(touched)
    if rtype in _MOVES:
        for item in touched.values():
            dest = item.dest
            # Only an item at its dest can be present (readiness.presence),
            # and only one that was present can leave.
            if item.presence is None and item.location != dest:
                continue
            custody = item.custody
            if len(dest) == 13 and item.location == dest and (custody == HELD or custody == TRANSIT):
                now = (dest, item.qty)
            else:
                now = None
            if now != item.presence:
                readiness.moved(batch, rec, item, now)


def _carry(batch: Any, box: Item) -> None:
    """Packed items go where their box goes (SPEC 4.5). Callers check that
    ``box.contents`` is not empty first (most items are not boxes).

    A box is carried at every prepare, acceptance and refusal between two
    packings: its contents' Items are looked up once and kept on the box
    (``content_items``, reset whenever ``contents`` changes), because a
    lookup in a dict of a few hundred thousand items is a cache miss or two,
    the dearest step of this loop.
    """
    contents = box.content_items
    if contents is None:
        items = batch.items
        contents = box.content_items = [items[content_id] for content_id in box.contents]
    touched = batch.touched
    holder, location, pending, custody = box.holder, box.location, box.pending, box.custody
    for content in contents:
        content.holder = holder
        content.location = location
        content.pending = pending
        if content.custody != DESTROYED:
            content.custody = custody
        touched[content.item] = content


def _heads(batch: Any, rec: Record) -> None:
    """The items in ``rec``'s lines have it as their chain head (SPEC 5),
    for the handlers that do not go through the lines themselves."""
    items, touched, rid, time = batch.items, batch.touched, rec.id, rec.time
    for line in rec.lines:
        item = items[line.item]
        item.head = rid
        item.head_time = time
        touched[line.item] = item


def _region(batch: Any, key: bytes) -> str:
    custodian = batch.keys.get(key)
    return custodian.region if custodian is not None else ""


def _genesis(batch: Any, rec: Record) -> None:
    batch.meta.update(
        ledger_id=rec.id.hex(),
        name=rec.name,
        election=rec.election,
        vote_date=rec.vote_date,
        utc_offset=str(rec.utc_offset),
    )
    batch.meta_dirty = True
    for root in rec.roots:
        custodian = Custodian(root.key, "kpu", root.region, root.name, "", 0, rec.position)
        batch.keys[custodian.key] = custodian
        batch.dirty_keys.add(custodian.key)


def _enrol(batch: Any, rec: Record) -> None:
    key, role, region, name, org = rec.key, rec.role, rec.region, rec.name, rec.org
    if key is None or role is None or region is None or name is None or org is None:  # the schema requires all five
        raise ViewError(f"enrol {rec.id.hex()} lacks a field the schema requires")
    custodian = Custodian(key, role, region, name, org, 0, rec.position)
    batch.keys[custodian.key] = custodian
    batch.dirty_keys.add(custodian.key)


def _revoke(batch: Any, rec: Record) -> None:
    custodian = batch.keys.get(rec.key)
    if custodian is None:
        raise ViewError(f"revoke {rec.id.hex()} names a key the view does not know")
    custodian.revoked = rec.position
    batch.dirty_keys.add(custodian.key)


def _register(batch: Any, rec: Record) -> None:
    location = _region(batch, rec.author)
    intern = sys.intern  # thousands of items share each dest, kind, dapil
    for line in rec.lines:
        serial = line.serial or (None, None)
        election, dapil = line.election, line.dapil
        item = Item(
            line.item, intern(line.kind or ""), intern(line.dest or ""),
            intern(election) if election else None, intern(dapil) if dapil else None,
            line.label, serial[0], serial[1], line.qty,
            holder=rec.author, location=location, registered_time=rec.time, head=rec.id, head_time=rec.time,
        )  # fmt: skip
        batch.items[item.item] = item
        batch.touched[item.item] = item
        accounting.registered(batch, item)


def _pack(batch: Any, rec: Record) -> None:
    items, touched, rid, time = batch.items, batch.touched, rec.id, rec.time
    box = items[rec.box]
    box_id = box.item
    added = []
    for line in rec.lines:
        item_id = line.item
        item = items[item_id]
        item.head = rid
        item.head_time = time
        touched[item_id] = item
        if item_id != box_id:
            item.container = box_id
            added.append(item_id)
    box.contents = sorted(set(box.contents or ()) | set(added))
    box.content_items = None
    touched[box_id] = box


def _seal(batch: Any, rec: Record) -> None:
    box = batch.items[rec.box]
    box.seals = rec.seals  # the record's own list: no seals list is ever changed in place
    box.sealed = 1
    batch.touched[box.item] = box
    _heads(batch, rec)


def _open(batch: Any, rec: Record) -> None:
    box = batch.items[rec.box]
    discrepancies.opened(batch, rec, box)
    box.seals = None  # broken: the numbers found are in the record (and the register)
    box.sealed = 0
    box.opened = 1
    for content_id in box.contents or ():
        content = batch.items[content_id]
        content.container = None
        batch.touched[content.item] = content
    box.contents = box.content_items = None
    batch.touched[box.item] = box
    _heads(batch, rec)


def _prepare(batch: Any, rec: Record) -> None:
    rid, time, to, place = rec.id, rec.time, rec.to, rec.place
    items, touched = batch.items, batch.touched
    for line in rec.lines:
        item = items[line.item]
        item.head = rid
        item.head_time = time
        item.custody = after(item.custody, PREPARE)
        item.pending = rid
        item.pending_to = to
        item.pending_place = place
        item.pending_qty = line.qty
        item.pending_seals = line.seals
        touched[item.item] = item
        if item.contents:
            _carry(batch, item)


def _accept(batch: Any, rec: Record) -> None:
    author, rid, time = rec.author, rec.id, rec.time
    location = _region(batch, author)
    items, touched = batch.items, batch.touched
    accepted = discrepancies.accepted
    for line in rec.lines:
        item = items[line.item]
        item.head = rid
        item.head_time = time
        accepted(batch, rec, item, line)
        item.open_refusal = 0
        qty = line.qty
        if qty is not None:
            declared = item.pending_qty
            if declared is not None and qty != declared:
                accounting.short(batch, item, declared - qty)
            item.qty = qty
        if line.seals is not None:
            item.seals = line.seals  # the line's own list (see _seal)
        if line.condition is not None:
            item.condition = line.condition
        item.holder = author
        item.location = location
        item.custody = after(item.custody, ACCEPT)
        item.pending = item.pending_to = item.pending_place = None  # the handover is closed
        item.pending_qty = item.pending_seals = None
        touched[item.item] = item
        if item.contents:
            _carry(batch, item)


def _refuse(batch: Any, rec: Record) -> None:
    items, touched, rid, time = batch.items, batch.touched, rec.id, rec.time
    for line in rec.lines:
        item = items[line.item]
        item.head = rid
        item.head_time = time
        discrepancies.refused(batch, rec, item)
        item.custody = after(item.custody, REFUSE)  # a lost item stays lost (SPEC 4.11)
        item.open_refusal = 1
        item.pending = item.pending_to = item.pending_place = None  # the handover is closed
        item.pending_qty = item.pending_seals = None
        touched[item.item] = item
        if item.contents:
            _carry(batch, item)


def _incident(batch: Any, rec: Record) -> None:
    whole_loss = rec.kind == "loss"
    for line in rec.lines:
        item = batch.items[line.item]
        item.head = rec.id
        item.head_time = rec.time
        discrepancies.incident(batch, rec, item, line)
        if item.holder != rec.author:
            # SPEC 4.11: by an escort or witness, a report: listed, no custody change.
            batch.touched[item.item] = item
            continue
        if line.qty_lost is not None:
            lost = min(line.qty_lost, item.qty or 0)
            accounting.lost(batch, item, lost)
            if item.qty is not None:
                item.qty -= lost
        elif whole_loss:
            accounting.lost(batch, item, item.qty or 0)
            item.custody = after(item.custody, LOSE)
        if line.condition is not None:
            item.condition = line.condition
        batch.touched[item.item] = item
        if item.contents:
            _carry(batch, item)


def _tally(batch: Any, rec: Record) -> None:
    for line in rec.lines:
        item = batch.items[line.item]
        item.head = rec.id
        item.head_time = rec.time
        accounting.tallied(batch, item, line)
        counts = [line.used, line.unused, line.spoiled]
        if item.tally is not None and item.tally != counts:
            discrepancies.retallied(batch, rec, item, counts)
        item.tally = counts
        batch.touched[item.item] = item


def _destroy(batch: Any, rec: Record) -> None:
    for line in rec.lines:
        item = batch.items[line.item]
        item.head = rec.id
        item.head_time = rec.time
        accounting.destroyed(batch, item)
        item.custody = after(item.custody, DESTROY)
        batch.touched[item.item] = item


def _partial(batch: Any, rec: Record) -> None:
    """SPEC 4.18: each line an acceptance (4.9) or a refusal (4.10)."""
    taken = tuple(line for line in rec.lines if line.accepted)
    left = tuple(line for line in rec.lines if not line.accepted)
    if taken:
        _accept(batch, msgspec.structs.replace(rec, lines=taken))
    if left:
        _refuse(batch, msgspec.structs.replace(rec, lines=left))


def _void(batch: Any, rec: Record) -> None:
    """SPEC 4.17: a registration voided; the item never existed for the counts."""
    for line in rec.lines:
        item = batch.items[line.item]
        item.head = rec.id
        item.head_time = rec.time
        accounting.voided(batch, item)
        item.custody = after(item.custody, VOID)
        batch.touched[item.item] = item


def _withdraw(batch: Any, rec: Record) -> None:
    """SPEC 4.16: the giver took the handover back: no longer in transit."""
    for line in rec.lines:
        item = batch.items[line.item]
        item.head = rec.id
        item.head_time = rec.time
        item.custody = after(item.custody, WITHDRAW)
        item.pending = item.pending_to = item.pending_place = None
        item.pending_qty = item.pending_seals = None
        batch.touched[item.item] = item
        if item.contents:
            _carry(batch, item)


def _witness(batch: Any, rec: Record) -> None:
    discrepancies.witnessed(batch, rec)


_HANDLERS = {
    "genesis": _genesis,
    "enrol": _enrol,
    "revoke": _revoke,
    "register": _register,
    "pack": _pack,
    "seal": _seal,
    "open": _open,
    "handover.prepare": _prepare,
    "handover.accept": _accept,
    "handover.refuse": _refuse,
    "handover.withdraw": _withdraw,
    "handover.partial": _partial,
    "void": _void,
    "incident": _incident,
    "tally": _tally,
    "destroy": _destroy,
    "witness": _witness,
}


# --- loading and writing -------------------------------------------------------


def needs(rec: Record, item_ids: set[str], keys: set[bytes]) -> None:
    """Add to ``item_ids`` and ``keys`` what ``rec`` will look up."""
    keys.add(rec.author)
    for line in rec.lines:
        item_ids.add(line.item)
    if rec.box is not None:
        item_ids.add(rec.box)
    if rec.type in ("enrol", "revoke") and rec.key is not None:
        keys.add(rec.key)


_SELECT_ITEMS = f"SELECT {', '.join(ITEM_COLUMNS)} FROM proj_item WHERE item IN ({{in}})"
# An item's row is its whole state: an upsert replaces every column.
_ITEM_CONFLICT = "ON CONFLICT (item) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in ITEM_COLUMNS[1:])
_UPSERT_KEY = (
    "INSERT INTO proj_custodian (key, role, region, name, org, revoked, position) VALUES (?,?,?,?,?,?,?) "
    "ON CONFLICT (key) DO UPDATE SET role = excluded.role, region = excluded.region, "
    "name = excluded.name, org = excluded.org, revoked = excluded.revoked, position = excluded.position"
)


def load(batch: Any, cur: Any, item_ids: set[str], keys: set[bytes]) -> None:
    """Fetch the rows of the named items (and the contents of named boxes)
    and keys into the batch, unless it holds them already."""
    wanted = [i for i in item_ids if i not in batch.items]
    while wanted:
        more: list[str] = []
        for row in cur.select_in(_SELECT_ITEMS, wanted):
            item = Item.from_row(row)
            item.presence = readiness.presence(item)
            batch.items[item.item] = item
            batch.loaded[item.item] = inventory.key(item)
            # A box's contents move when it moves: load them with it.
            more.extend(c for c in item.contents or () if c not in batch.items)
        wanted = more
    missing = [k for k in keys if k not in batch.keys]
    for row in cur.select_in(
        "SELECT key, role, region, name, org, revoked, position FROM proj_custodian WHERE key IN ({in})",
        missing,
    ):
        custodian = Custodian(*row)
        batch.keys[custodian.key] = custodian


def flush(batch: Any) -> None:
    for item in batch.dirty.values():
        item.state = display_state(item)
    batch.cur.insert_many("proj_item", ITEM_COLUMNS, (item.row() for item in batch.dirty.values()), _ITEM_CONFLICT)
    batch.cur.executemany(_UPSERT_KEY, (batch.keys[k].row() for k in batch.dirty_keys))


# --- reads ---------------------------------------------------------------------


def item_row(cur: Any, item_id: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {', '.join(ITEM_COLUMNS)} FROM proj_item WHERE item = ?", (item_id,))
    row = cur.fetchone()
    return _as_dict(row) if row else None


def holdings(cur: Any, key: bytes, include_ended: bool = False) -> list[dict[str, Any]]:
    """Items whose holder is ``key``, by item id (indexed: no scan)."""
    sql = f"SELECT {', '.join(ITEM_COLUMNS)} FROM proj_item WHERE holder = ?"
    if not include_ended:
        sql += " AND custody IN ('held', 'transit')"
    cur.execute(sql + " ORDER BY item", (key,))
    return [_as_dict(row) for row in cur.fetchall()]


def item_states(cur: Any, key: bytes) -> list[Any]:
    """:func:`holdings` as :class:`ledger.application.ItemState` objects, the
    shape ``Ledger.holdings`` returns, so the ledger can answer from here."""
    from ledger.application import ItemState

    rows = holdings(cur, key)
    tallies = {
        r[0]: {"used": r[1], "unused": r[2], "spoiled": r[3]}
        for r in cur.select_in(
            "SELECT item, used, unused, spoiled FROM proj_ballots WHERE used IS NOT NULL AND item IN ({in})",
            [r["item"] for r in rows if r["kind"] == "ballots"],
        )
    }
    return [
        ItemState(
            id=r["item"], kind=r["kind"], dest=r["dest"], qty=r["qty"], election=r["election"], dapil=r["dapil"],
            holder=r["holder"], state=r["custody"], location=r["location"], seals=list(r["seals"] or ()),
            container=r["container"], contents=list(r["contents"] or ()), head=r["head"],
            pending_handover=r["pending"],
            serial=[r["serial_first"], r["serial_last"]] if r["serial_first"] is not None else None,
            label=r["label"], condition=r["condition"] or "ok", tally=tallies.get(r["item"]), time=r["head_time"],
        )  # fmt: skip
        for r in rows
    ]


def _as_dict(row: tuple) -> dict[str, Any]:
    item = Item.from_row(row)
    out = {name: getattr(item, name) for name in ITEM_COLUMNS}
    out["sealed"] = bool(out["sealed"])
    out["opened"] = bool(out["opened"])
    out["open_refusal"] = bool(out["open_refusal"])
    return out


def custodian(cur: Any, key: bytes) -> dict[str, Any] | None:
    cur.execute(
        "SELECT key, role, region, name, org, revoked, position FROM proj_custodian WHERE key = ?", (key,)
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip(("key", "role", "region", "name", "org", "revoked", "position"), row, strict=True)) | {"key": bytes(row[0])}
