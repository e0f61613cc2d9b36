"""Ballot accounting per TPS and per dapil (view 5).

One row per ballots item (a batch of surat suara of one election type for
one destination), with where its pieces went:

* ``printed``: the quantity registered;
* ``short``: the sum, over its acceptances, of declared minus observed
  (negative for a surplus): pieces that went missing between two people;
* ``lost``: pieces lost in incidents (``qty_lost``, or everything left
  when the whole batch was lost);
* ``received``: the quantity when it first reached its own TPS, and when;
* ``used``, ``unused``, ``spoiled``: the KPPS's tally (the latest one);
* ``destroyed``: the quantity left when it was destroyed (pemusnahan).

The rows are written as differences (``printed + ?``), so no batch reads
them. A report sums them per TPS, per dapil, per election type, and checks
two identities, listing every group where one fails:

1. conservation: ``printed = short + lost + remaining``, where
   ``remaining`` is the current quantity of the items (for a destroyed
   item, what was destroyed) - the ledger's own count of where every piece
   is, which holds unless a view and the ledger disagree;
2. at the TPS: for tallied items, ``used + unused + spoiled = received``;
   a difference means pieces changed at the TPS after arrival (an incident
   there).

Beyond the identities, a group is listed as not reconciled when pieces are
unaccounted for: ``short`` or ``lost`` is not zero, or an item destined for
a TPS never arrived. Each listed group says which of these apply.
"""

from __future__ import annotations

from typing import Any

from ledger.projections.model import Item, Line
from ledger.projections.store import within

__all__ = ["DDL", "registered", "voided", "short", "lost", "arrived", "tallied", "destroyed", "flush", "report"]

TABLES = ("proj_ballots",)


def DDL(t: dict[str, str]) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS proj_ballots (
            item TEXT PRIMARY KEY, dest TEXT NOT NULL, election TEXT, dapil TEXT,
            printed {t['big']} NOT NULL, short {t['big']} NOT NULL, lost {t['big']} NOT NULL,
            received {t['big']}, received_time {t['big']},
            used {t['big']}, unused {t['big']}, spoiled {t['big']},
            destroyed {t['big']} NOT NULL)""",
    ]


def INDEXES(t: dict[str, str]) -> list[str]:
    """Indexes for reads only: a rebuild creates them after the bulk load."""
    return [
        "CREATE INDEX IF NOT EXISTS proj_ballots_dest ON proj_ballots (dest)",
    ]


# Positions in a batch's difference list for one item.
_DEST, _ELECTION, _DAPIL, _PRINTED, _SHORT, _LOST, _RECEIVED, _RECEIVED_TIME, _USED, _UNUSED, _SPOILED, _DESTROYED = range(12)


def _delta(batch: Any, item: Item) -> list[Any] | None:
    if item.kind != "ballots":
        return None
    delta = batch.ballots.get(item.item)
    if delta is None:
        delta = batch.ballots[item.item] = [item.dest, item.election, item.dapil, 0, 0, 0, None, None, None, None, None, 0]
    return delta


def registered(batch: Any, item: Item) -> None:
    delta = _delta(batch, item)
    if delta is not None:
        delta[_PRINTED] += item.qty or 0


def voided(batch: Any, item: Item) -> None:
    """A voided registration (SPEC 4.17) was never printed for this TPS."""
    delta = _delta(batch, item)
    if delta is not None:
        delta[_PRINTED] -= item.qty or 0


def short(batch: Any, item: Item, amount: int) -> None:
    delta = _delta(batch, item)
    if delta is not None:
        delta[_SHORT] += amount


def lost(batch: Any, item: Item, amount: int) -> None:
    delta = _delta(batch, item)
    if delta is not None:
        delta[_LOST] += amount


def arrived(batch: Any, item: Item, time: int) -> None:
    """First arrival at its own TPS: what was received (kept once)."""
    delta = _delta(batch, item)
    if delta is not None and delta[_RECEIVED] is None:
        delta[_RECEIVED] = item.qty or 0
        delta[_RECEIVED_TIME] = time


def tallied(batch: Any, item: Item, line: Line) -> None:
    delta = _delta(batch, item)
    if delta is not None:
        delta[_USED], delta[_UNUSED], delta[_SPOILED] = line.used, line.unused, line.spoiled


def destroyed(batch: Any, item: Item) -> None:
    delta = _delta(batch, item)
    if delta is not None:
        delta[_DESTROYED] += item.qty or 0


_UPSERT = (
    "INSERT INTO proj_ballots (item, dest, election, dapil, printed, short, lost, received, received_time, "
    "used, unused, spoiled, destroyed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (item) DO UPDATE SET "
    "printed = proj_ballots.printed + excluded.printed, short = proj_ballots.short + excluded.short, "
    "lost = proj_ballots.lost + excluded.lost, "
    "received = COALESCE(proj_ballots.received, excluded.received), "
    "received_time = COALESCE(proj_ballots.received_time, excluded.received_time), "
    "used = COALESCE(excluded.used, proj_ballots.used), unused = COALESCE(excluded.unused, proj_ballots.unused), "
    "spoiled = COALESCE(excluded.spoiled, proj_ballots.spoiled), "
    "destroyed = proj_ballots.destroyed + excluded.destroyed"
)


def flush(batch: Any) -> None:
    batch.cur.executemany(_UPSERT, ((item, *delta) for item, delta in batch.ballots.items()))


# --- reads ---------------------------------------------------------------------

_SUMS = ("printed", "received", "used", "unused", "spoiled", "destroyed", "short", "lost", "remaining")


def report(cur: Any, place: str = "") -> dict[str, Any]:
    """Accounting per (TPS, election) and per (dapil, election) under ``place``.

    ``place`` filters on the items' ``dest``. Ballots destined above TPS level
    (reserve stock at a kab/kota, re-vote ballots) count in the dapil totals
    only.
    """
    conditions, params = within("b.dest", place)
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    cur.execute(
        "SELECT b.dest, b.election, b.dapil, b.printed, b.short, b.lost, b.received, b.used, b.unused, "
        "b.spoiled, b.destroyed, i.qty, i.custody FROM proj_ballots b JOIN proj_item i ON i.item = b.item" + where,
        params,
    )
    by_tps: dict[tuple, dict[str, Any]] = {}
    by_dapil: dict[tuple, dict[str, Any]] = {}
    for dest, election, dapil, printed, short_, lost_, received, used, unused, spoiled, destroyed_, qty, custody in cur.fetchall():
        if custody == "voided":
            continue  # a voided registration (SPEC 4.17): never part of the count
        remaining = destroyed_ if custody == "destroyed" else (0 if custody == "lost" else qty or 0)
        groups = [by_dapil.setdefault((dapil or "", election or ""), _group(dapil=dapil, election=election))]
        if len(dest) == 13:
            groups.append(by_tps.setdefault((dest, election or ""), _group(tps=dest, election=election)))
        for g in groups:
            g["items"] += 1
            g["printed"] += printed
            g["short"] += short_
            g["lost"] += lost_
            g["destroyed"] += destroyed_
            g["remaining"] += remaining
            if received is None:
                if len(dest) == 13:
                    g["not_received"] += 1
            else:
                g["received"] += received
            if used is not None:
                g["tallied"] += 1
                g["used"] += used
                g["unused"] += unused
                g["spoiled"] += spoiled
                g["tallied_received"] += received or 0
    tps_rows = [_check(g) for _, g in sorted(by_tps.items())]
    dapil_rows = [_check(g) for _, g in sorted(by_dapil.items())]
    totals = _group()
    for g in dapil_rows:
        for f in (*_SUMS, "items", "tallied", "not_received", "tallied_received"):
            totals[f] += g[f]
    return {
        "place": place,
        "tps": tps_rows,
        "dapil": dapil_rows,
        "totals": _check(totals),
        "unreconciled": [g for g in tps_rows if g["issues"]],
    }


def _group(**labels: Any) -> dict[str, Any]:
    group: dict[str, Any] = dict(labels)
    for f in (*_SUMS, "items", "tallied", "not_received", "tallied_received"):
        group[f] = 0
    return group


def _check(g: dict[str, Any]) -> dict[str, Any]:
    issues = []
    if g["printed"] != g["short"] + g["lost"] + g["remaining"]:
        issues.append("conservation")
    if g["tallied"] and g["used"] + g["unused"] + g["spoiled"] != g["tallied_received"]:
        issues.append("tally_differs")
    if g["short"] > 0:
        issues.append("short")
    elif g["short"] < 0:
        issues.append("surplus")
    if g["lost"]:
        issues.append("lost")
    if g["not_received"]:
        issues.append("not_received")
    g["issues"] = issues
    return g
