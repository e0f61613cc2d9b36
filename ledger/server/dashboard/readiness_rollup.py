"""Readiness counted per region in the database, for the drill-down.

The rule is :func:`ledger.projections.readiness.report`'s (the CLI's
``serah readiness``). At time T, for each TPS with an item registered by T
with that TPS as ``dest``:

* required: those items, less the ones destroyed by T; each must have a
  stay at the TPS covering T (``proj_stay``);
* ballots: for every election type, the pieces present (the stays'
  quantities) must reach the pieces registered for the TPS, or, where
  the bundled reference data gives the TPS's voters, DPT + 2 %.

``report`` answers for one place by reading every item of it into Python
(and the ballots of its whole kab/kota); a kab/kota of a national ledger
has a hundred thousand items, a province millions. So the drill-down asks
the database instead: per TPS, the items registered and the stays covering
T, each aggregated in its index's order and joined on the TPS (see
:func:`_per_tps`), then the counts per child region and the TPS not ready,
in one statement.

The part of the rule that needs the bundled reference data (Kepulauan
Seribu's voters) is not repeated in SQL: that kab/kota's TPS (88) are
taken from ``readiness.report`` itself and left out of the SQL counts.
``tests/system/test_dashboard.py`` checks, TPS by TPS, that the SQL verdicts,
counts and shortfalls are ``report``'s on a ledger without reference data
(bench_projections' generator: short counts, refusals, late deliveries,
incidents) and on the demo.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ledger import regions
from ledger.projections import readiness
from ledger.projections.inventory import CHILD_LENGTH
from ledger.projections.store import and_within, prefix_range

__all__ = ["NOT_READY_LISTED", "children", "compose", "not_ready", "reference_prefix", "regencies", "rollup", "tps_verdicts"]

NOT_READY_LISTED = 50  # TPS listed with what they lack, per page


def reference_prefix(place: str) -> str | None:
    """The part of ``place`` covered by the bundled per-TPS reference data
    (its common prefix with the reference kab/kota), or None if disjoint."""
    for regency in sorted({tps.regency_code for tps in regions.kepulauan_seribu_tps()}):
        if regency.startswith(place):
            return regency
        if place.startswith(regency):
            return place
    return None


def _outside(column: str, place: str | None) -> tuple[str, list[Any]]:
    if place is None:
        return "", []
    low, high = prefix_range(place)
    if high is None:
        return f" AND {column} < ?", [low]
    return f" AND NOT ({column} >= ? AND {column} < ?)", [low, high]


def _elections(cur: Any) -> list[str]:
    """Election types that have ballots in the ledger (``proj_inventory``
    is a few counter rows per place and holder: a small read)."""
    cur.execute("SELECT DISTINCT election FROM proj_inventory WHERE kind = 'ballots' AND election <> '' ORDER BY election")
    return [row[0] for row in cur.fetchall()]


def _per_tps(cur: Any, place: str, at_ms: int, skip: str | None) -> tuple[str, list[Any]]:
    """SELECT tps, required, present, ready for every TPS the rule lists.

    Two aggregates, each streamed in the order of its index (no sort): the
    items registered by T per TPS (``proj_item_dest``): how many are
    required (not destroyed by T) and, per election type, the ballots
    registered (destroyed ones too, as ``readiness._ballot_plan`` counts
    them); and the stays covering T per TPS (``proj_stay_tps``): how many
    items are present and, per type, the ballots present. Joined on the TPS:
    ready when every required item is present and no type has fewer
    ballots present than registered. A present stay is always of a required
    item (destroying, losing or moving an item closes its stay), so counting
    stays counts present required items.
    """
    elections = _elections(cur)
    need_cols, need_params, have_cols, have_params, short = [], [], [], [], []
    # Aggregate FILTER clauses (SQLite 3.30+, PostgreSQL 9.4+) rather than
    # sum(CASE ...): the same sums, a fifth less CPU per row on a kab/kota.
    for n, election in enumerate(elections):
        need_cols.append(f", coalesce(sum(qty) FILTER (WHERE kind = 'ballots' AND election = ?), 0) AS n{n}")
        need_params.append(election)
        have_cols.append(f", coalesce(sum(qty) FILTER (WHERE kind = 'ballots' AND election = ?), 0) AS h{n}")
        have_params.append(election)
        short.append(f" OR a.n{n} > coalesce(b.h{n}, 0)")
    inside_items, p1 = and_within("dest", place)
    outside_items, p2 = _outside("dest", skip)
    inside_stays, p3 = and_within("tps", place)
    outside_stays, p4 = _outside("tps", skip)
    sql = (
        "WITH a AS (SELECT dest AS tps, "
        "count(*) - count(*) FILTER (WHERE custody = 'destroyed' AND last_time <= ?) AS required" + "".join(need_cols) +
        " FROM proj_item WHERE length(dest) = 13 AND registered_time <= ?" + inside_items + outside_items +
        " GROUP BY dest), "
        "b AS (SELECT tps, count(*) AS present" + "".join(have_cols) +
        " FROM proj_stay WHERE arrived <= ? AND (departed IS NULL OR departed > ?)" + inside_stays + outside_stays +
        " GROUP BY tps) "
        "SELECT a.tps AS tps, a.required AS required, coalesce(b.present, 0) AS present, "
        "CASE WHEN a.required = coalesce(b.present, 0) AND NOT (1 = 0" + "".join(short) + ") THEN 1 ELSE 0 END AS ready "
        "FROM a LEFT JOIN b ON b.tps = a.tps WHERE a.required > 0"
    )  # fmt: skip
    params = [at_ms, *need_params, at_ms, *p1, *p2, *have_params, at_ms, at_ms, *p3, *p4]
    return sql, params


def tps_verdicts(cur: Any, place: str, at_ms: int) -> dict[str, tuple[int, int, bool]]:
    """TPS -> (required, present, ready) under ``place`` by the SQL alone
    (no reference data): what the tests compare with ``readiness.report``."""
    sql, params = _per_tps(cur, place, at_ms, None)
    cur.execute(sql, params)
    return {tps: (required, present, bool(ready)) for tps, required, present, ready in cur.fetchall()}


def rollup(cur: Any, place: str, at_ms: int) -> dict[str, Any]:
    """Readiness under ``place`` at ``at_ms``, in one statement: per child
    region of ``place``, TPS and ready TPS; and every TPS not ready, with
    its required and present item counts.

    The per-TPS verdicts are computed once (a ``MATERIALIZED`` common table
    expression: SQLite 3.35+, PostgreSQL 12+) and read twice, so the join
    over the place's items runs once whatever is asked of it.

    Returns ``{"children": {code: [tps, ready]}, "not_ready": {tps:
    (required, present)}, "reference": report or None}`` where ``reference``
    is ``readiness.report`` for the part of ``place`` with reference data
    (counted from it, not from SQL).
    """
    width = int(CHILD_LENGTH.get(len(place)) or 13)
    skip = reference_prefix(place)
    per_tps, params = _per_tps(cur, place, at_ms, skip)
    cur.execute(
        "WITH t AS MATERIALIZED (SELECT * FROM (" + per_tps + ") v) "
        f"SELECT 'c', substr(tps, 1, {width}), count(*), sum(ready) FROM t GROUP BY substr(tps, 1, {width}) "
        "UNION ALL SELECT 'n', tps, required, present FROM t WHERE ready = 0",
        params,
    )
    counts: dict[str, list[int]] = {}
    lacking: dict[str, tuple[int, int]] = {}
    for row_kind, code, a, b in cur.fetchall():
        if row_kind == "c":
            counts[code] = [int(a), int(b or 0)]
        else:
            lacking[code] = (int(a), int(b))
    report = None
    if skip is not None:
        report = readiness.report(cur, skip, at_ms)
        for station in report["tps"]:
            cell = counts.setdefault(station["tps"][:width], [0, 0])
            cell[0] += 1
            cell[1] += 1 if station["ready"] else 0
    return {"children": dict(sorted(counts.items())), "not_ready": lacking, "reference": report}


def regencies(cur: Any, place: str) -> list[str]:
    """The kab/kota codes under ``place`` (national or a province) that have
    items destined for a TPS, found by jumping along ``proj_item_dest``:
    one indexed read per kab/kota, never a scan."""
    low, high = prefix_range(place) if place else ("", None)
    found: list[str] = []
    while True:
        bound = " AND dest < ?" if high is not None else ""
        cur.execute(f"SELECT min(dest) FROM proj_item WHERE dest >= ? AND length(dest) = 13{bound}",
                    [low, *([high] if high is not None else [])])  # fmt: skip
        row = cur.fetchone()
        if row is None or row[0] is None:
            return found
        found.append(row[0][:4])
        low, upper = prefix_range(row[0][:4])
        if upper is None:
            return found
        low = upper


def compose(place: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`rollup` of ``place`` (national or a province) from the
    rollups of its kab/kota (:func:`regencies`), at the same time and view
    position: every TPS lies in exactly one kab/kota, so the counts per
    child region are the parts' counts added up under the child's code,
    and the TPS not ready are the parts' together. What a command centre
    does (the country, then a kab/kota) then counts each TPS once."""
    width = int(CHILD_LENGTH.get(len(place)) or 13)
    counts: dict[str, list[int]] = {}
    lacking: dict[str, tuple[int, int]] = {}
    stations: list[dict[str, Any]] = []
    reference = False
    for part in parts:
        for code, (n, ready) in part["children"].items():
            cell = counts.setdefault(code[:width], [0, 0])
            cell[0] += n
            cell[1] += ready
        lacking.update(part["not_ready"])
        if part["reference"] is not None:
            reference = True
            stations.extend(part["reference"]["tps"])
    return {"children": dict(sorted(counts.items())), "not_ready": lacking,
            "reference": {"tps": stations} if reference else None}  # fmt: skip


def children(cur: Any, place: str, at_ms: int) -> dict[str, Any]:
    """:func:`rollup`'s counts per child region (and the reference report)."""
    return rollup(cur, place, at_ms)


def not_ready(cur: Any, place: str, at_ms: int, rolled: dict[str, Any] | None = None,
              offset: int = 0, limit: int = NOT_READY_LISTED) -> tuple[int, list[dict[str, Any]]]:
    """(how many TPS under ``place`` are not ready, a page of them in TPS
    order with what they lack, in ``readiness.report``'s station shape).
    ``rolled``: :func:`rollup`'s answer for the same place and time, if
    the caller has it already."""
    if rolled is None:
        rolled = rollup(cur, place, at_ms)
    found = rolled["not_ready"]
    stations: dict[str, dict[str, Any]] = {}
    if rolled["reference"] is not None:
        stations = {s["tps"]: s for s in rolled["reference"]["tps"] if not s["ready"]}
    codes = sorted([*found, *stations])
    page = codes[offset : offset + limit]
    details = _details(cur, [code for code in page if code in found], at_ms)
    out = []
    for code in page:
        if code in stations:
            out.append(stations[code])
            continue
        required, present = found[code]
        missing, ballots = details.get(code, ([], []))
        out.append({"tps": code, "ready": False, "required": required, "present": present, "missing": missing,
                    "ballots": ballots, "ballots_short": [b["election"] for b in ballots if b["have"] < b["need"]]})  # fmt: skip
    return len(codes), out


def _details(cur: Any, codes: list[str], at_ms: int) -> dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """For each TPS in ``codes``: the required items not there at ``at_ms``
    (as ``report`` lists them) and, per election type with ballots
    registered for it, the pieces needed and there."""
    if not codes:
        return {}
    missing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    ballots: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = cur.select_in(
        "SELECT i.dest, i.item, i.kind, i.election, i.state, i.location FROM proj_item i "
        "LEFT JOIN proj_stay s ON s.item = i.item AND s.arrived <= ? AND (s.departed IS NULL OR s.departed > ?) "
        "WHERE s.item IS NULL AND i.registered_time <= ? AND NOT (i.custody = 'destroyed' AND i.last_time <= ?) "
        "AND i.dest IN ({in}) ORDER BY i.dest, i.item",
        codes,
        [at_ms, at_ms, at_ms, at_ms],
    )
    for dest, item, kind, election, state, location in rows:
        missing[dest].append({"item": item, "kind": kind, "election": election, "state": state, "location": location})
    rows = cur.select_in(
        "SELECT i.dest, i.election, sum(coalesce(i.qty, 0)), "
        "sum(CASE WHEN s.item IS NOT NULL THEN coalesce(s.qty, 0) ELSE 0 END) FROM proj_item i "
        "LEFT JOIN proj_stay s ON s.item = i.item AND s.arrived <= ? AND (s.departed IS NULL OR s.departed > ?) "
        "WHERE i.kind = 'ballots' AND i.election IS NOT NULL AND i.registered_time <= ? "
        "AND i.dest IN ({in}) GROUP BY i.dest, i.election ORDER BY i.dest, i.election",
        codes,
        [at_ms, at_ms, at_ms],
    )
    for dest, election, need, have in rows:
        ballots[dest].append({"election": election, "need": int(need), "have": int(have)})
    return {code: (missing.get(code, []), ballots.get(code, [])) for code in codes}


def roll_up_missing(stations: list[dict[str, Any]]) -> dict[str, int]:
    """Missing items by kind over ``stations`` (for a page's summary line)."""
    out: dict[str, int] = defaultdict(int)
    for station in stations:
        for missing in station["missing"]:
            out[missing["kind"]] += 1
    return dict(sorted(out.items()))
