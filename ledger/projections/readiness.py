"""TPS readiness: what each TPS has by a deadline, and what it lacks (view 3).

Kept as *stays*: one row per period during which an item sat at its own
TPS (held by a key whose region is the item's ``dest``, a 13-digit code)
with a given quantity. A stay opens when the item arrives (the acceptance
by the TPS's KPPS, or its box's), and closes when it leaves, is lost or
destroyed, or its quantity changes (a new stay then opens with the new
quantity). Times are the records' ``time``. So "what was at TPS X at time
T" is ``arrived <= T < departed`` over X's stays, for any past T, without
replaying anything.

What a TPS should have by the deadline comes from the ledger's own
records, never from an assumed election (a two-TPS ledger is two TPS):

* the TPS are those that are the ``dest`` of some item registered by then;
* every item registered (by then) with that TPS as ``dest``, except items
  destroyed before the deadline (destroyed on purpose, e.g. replaced); a
  lost item is still missing;
* ballots of every election type that the ledger registers ballots of for
  any TPS of the same kabupaten/kota (so a TPS left out of the DPD print
  run shows as short of DPD ballots), at least as many as registered for
  the TPS of that type; where reference data gives the TPS's voters
  (:func:`ledger.regions.kepulauan_seribu_tps`), at least
  ``ballots_per_type`` (DPT + 2 % reserve) instead.

The deadline defaults to H-1: the end of the day before ``vote_date``,
local time by the genesis ``utc_offset`` (SPEC 4.1), i.e. the last
millisecond before local midnight starting the vote date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from ledger import regions
from ledger.projections import accounting
from ledger.projections.model import Item, Record
from ledger.projections.store import and_within

__all__ = ["DDL", "presence", "moved", "flush", "deadline_ms", "report"]

TABLES = ("proj_stay",)


def DDL(t: dict[str, str]) -> list[str]:
    return [
        f"""CREATE TABLE IF NOT EXISTS proj_stay (
            item TEXT NOT NULL, since {t['big']} NOT NULL, tps TEXT NOT NULL,
            kind TEXT NOT NULL, election TEXT, qty {t['big']},
            arrived {t['big']} NOT NULL, departed {t['big']},
            PRIMARY KEY (item, since))""",
    ]


def INDEXES(t: dict[str, str]) -> list[str]:
    """Indexes for reads only: a rebuild creates them after the bulk load."""
    return [
        # tps first, then what readiness counts (covering: the rollup never reads the table)
        "CREATE INDEX IF NOT EXISTS proj_stay_tps ON proj_stay (tps, arrived, departed, kind, election, qty)",
    ]


def presence(item: Item) -> tuple[str, int | None] | None:
    """``(tps, qty)`` while ``item`` is at its own TPS, else None.

    An item being handed back from its TPS is still there until the
    receiver accepts it, so ``transit`` counts as present.
    """
    dest = item.dest
    if len(dest) == 13 and item.location == dest and item.custody in ("held", "transit"):
        return (dest, item.qty)
    return None


def moved(batch: Any, rec: Record, item: Item, now: tuple[str, int | None] | None) -> None:
    """``rec`` changed ``item``'s presence (see :func:`presence`) to ``now``:
    close its open stay, if any, and open a new one, if present."""
    if item.presence is not None:
        opened = batch.new_stays.pop(item.item, None)
        if opened is not None:
            opened[-1] = rec.time
            batch.stay_rows.append(opened)
        else:
            batch.closed_stays.append((rec.time, item.item))
    if now is not None:
        batch.new_stays[item.item] = [item.item, rec.position, now[0], item.kind, item.election, now[1], rec.time, None]
        accounting.arrived(batch, item, rec.time)
    item.presence = now


def flush(batch: Any) -> None:
    # Close stays opened in earlier batches first: the UPDATE must not reach
    # the rows this batch opens for the same items.
    batch.cur.executemany(
        "UPDATE proj_stay SET departed = ? WHERE item = ? AND departed IS NULL", batch.closed_stays
    )
    batch.cur.executemany(
        "INSERT INTO proj_stay (item, since, tps, kind, election, qty, arrived, departed) VALUES (?,?,?,?,?,?,?,?)",
        batch.stay_rows + list(batch.new_stays.values()),
    )


# --- reads ---------------------------------------------------------------------


def deadline_ms(vote_date: str, utc_offset_minutes: int) -> int:
    """H-1: the last millisecond before the vote date begins, local time."""
    day = datetime.date.fromisoformat(vote_date)
    start_utc = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    start_ms = int(start_utc.timestamp() * 1000) - utc_offset_minutes * 60_000
    return start_ms - 1


def _reference(place: str) -> dict[str, int]:
    """TPS -> ballots per type, from the bundled reference data."""
    return {
        tps.tps_code: tps.ballots_per_type
        for tps in regions.kepulauan_seribu_tps()
        if tps.tps_code.startswith(place)
    }


def _ballot_plan(cur: Any, place: str, at_ms: int) -> tuple[dict[str, set[str]], dict[tuple[str, str], int]]:
    """From the ballots registered by ``at_ms`` for TPS of the kabupaten/kota
    under ``place``: election types per kabupaten/kota, and pieces
    registered per (TPS, type)."""
    clause, params = and_within("dest", place[:4])
    cur.execute(
        "SELECT dest, election, qty FROM proj_item WHERE kind = 'ballots' AND election IS NOT NULL "
        "AND registered_time <= ? AND length(dest) = 13" + clause,
        [at_ms, *params],
    )
    types: dict[str, set[str]] = defaultdict(set)
    registered: dict[tuple[str, str], int] = defaultdict(int)
    for dest, election, qty in cur.fetchall():
        types[dest[:4]].add(election)
        registered[(dest, election)] += qty or 0
    return types, registered


def report(cur: Any, place: str, at_ms: int) -> dict[str, Any]:
    """Readiness of every TPS under ``place`` at time ``at_ms``."""
    clause, params = and_within("dest", place)
    cur.execute(
        "SELECT item, kind, dest, election, qty, custody, state, location, last_time FROM proj_item "
        "WHERE registered_time <= ? AND length(dest) = 13" + clause,
        [at_ms, *params],
    )
    required: dict[str, list[tuple]] = defaultdict(list)
    for item, kind, dest, election, _qty, custody, state, location, last_time in cur.fetchall():
        if custody in ("destroyed", "voided") and last_time <= at_ms:
            continue
        required[dest].append((item, kind, election, state, location))
    clause, params = and_within("tps", place)
    cur.execute(
        "SELECT item, tps, kind, election, qty FROM proj_stay "
        "WHERE arrived <= ? AND (departed IS NULL OR departed > ?)" + clause,
        [at_ms, at_ms, *params],
    )
    present: dict[str, dict[str, tuple]] = defaultdict(dict)
    for item, tps, kind, election, qty in cur.fetchall():
        present[tps][item] = (kind, election, qty)

    reference = _reference(place)
    types, registered = _ballot_plan(cur, place, at_ms)

    stations = []
    for tps in sorted(required):
        here = present.get(tps, {})
        missing = [
            {"item": item, "kind": kind, "election": election, "state": state, "location": location}
            for item, kind, election, state, location in required.get(tps, ())
            if item not in here
        ]
        ballots: list[dict[str, Any]] = []
        have: dict[str, int] = defaultdict(int)
        for kind, election, qty in here.values():
            if kind == "ballots" and election:
                have[election] += qty or 0
        for election in sorted(types.get(tps[:4], ())):
            need = reference.get(tps, registered.get((tps, election), 0))
            ballots.append({"election": election, "need": need, "have": have.get(election, 0)})
        short = [b["election"] for b in ballots if b["have"] < b["need"]]
        stations.append(
            {
                "tps": tps,
                "ready": not missing and not short,
                "required": len(required.get(tps, ())),
                "present": sum(1 for item, *_ in required.get(tps, ()) if item in here),
                "missing": missing,
                "ballots": ballots,
                "ballots_short": short,
            }
        )
    return {"place": place, "at": at_ms, "tps": stations, "districts": _roll_up(stations)}


def _roll_up(stations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per kecamatan (6 digits): TPS ready / not, and what is missing by kind."""
    districts: dict[str, dict[str, Any]] = {}
    for station in stations:
        code = station["tps"][:6]
        d = districts.setdefault(code, {"district": code, "tps": 0, "ready": 0, "not_ready": [], "missing": defaultdict(int), "ballots_short": 0})
        d["tps"] += 1
        if station["ready"]:
            d["ready"] += 1
        else:
            d["not_ready"].append(station["tps"])
        for m in station["missing"]:
            d["missing"][m["kind"]] += 1
        d["ballots_short"] += len(station["ballots_short"])
    return [dict(d, missing=dict(sorted(d["missing"].items()))) for _, d in sorted(districts.items())]
