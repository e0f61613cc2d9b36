"""Readiness counted per region in the database, for the drill-down.

The rule is :mod:`ledger.projections.readiness`'s (the CLI's ``serah
readiness``): a TPS is ready at time T when every item registered by T with
that TPS as ``dest`` (and not destroyed by T) has a stay at the TPS covering
T, and, where reference data gives the TPS's voters, it has enough ballots
of every type. That module answers for one place by reading every item of
the place into Python; a province or the whole country has millions, so the
drill-down asks the database for the counts instead:

* per TPS, required items and present items, by one grouped join of
  ``proj_item`` (indexed on ``dest``) with ``proj_stay`` (primary key
  ``item, since``), then per child region the number of TPS and of ready
  TPS, grouped again in the same query;
* the one part of the rule that needs the bundled reference data (ballots
  per type, known for Kepulauan Seribu only) is not repeated in SQL: the
  TPS of that reference are taken from ``readiness.report`` itself, which
  is small there (88 TPS), and the SQL counts leave them out.

``tests/test_dashboard_queries.py`` checks that the SQL counts and
``readiness.report`` agree TPS by TPS.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ledger import regions
from ledger.projections import readiness
from ledger.projections.inventory import CHILD_LENGTH
from ledger.projections.store import prefix_range

__all__ = ["children", "not_ready", "reference_prefix", "tps_flags"]

NOT_READY_LISTED = 50  # TPS listed with what they lack, per page


def reference_prefix(place: str) -> str | None:
    """The part of ``place`` covered by the bundled per-TPS reference data
    (its common prefix with the reference kab/kota), or None if disjoint."""
    codes = {tps.regency_code for tps in regions.kepulauan_seribu_tps()}
    for regency in codes:
        if regency.startswith(place):
            return regency
        if place.startswith(regency):
            return place
    return None


def _between(column: str, place: str) -> tuple[str, list[Any]]:
    if not place:
        return "", []
    low, high = prefix_range(place)
    if high is None:
        return f" AND {column} >= ?", [low]
    return f" AND {column} >= ? AND {column} < ?", [low, high]


def _outside(column: str, place: str | None) -> tuple[str, list[Any]]:
    if place is None:
        return "", []
    low, high = prefix_range(place)
    if high is None:
        return f" AND {column} < ?", [low]
    return f" AND NOT ({column} >= ? AND {column} < ?)", [low, high]


def _per_tps(place: str, at_ms: int, skip: str | None) -> tuple[str, list[Any]]:
    """SELECT dest, required, present for every TPS with a required item."""
    inside, p1 = _between("i.dest", place)
    outside, p2 = _outside("i.dest", skip)
    sql = (
        "SELECT i.dest AS tps, count(*) AS required, count(s.item) AS present "
        "FROM proj_item i LEFT JOIN proj_stay s ON s.item = i.item AND s.arrived <= ? "
        "AND (s.departed IS NULL OR s.departed > ?) "
        "WHERE length(i.dest) = 13 AND i.registered_time <= ? "
        "AND NOT (i.custody = 'destroyed' AND i.last_time <= ?)" + inside + outside + " GROUP BY i.dest"
    )
    return sql, [at_ms, at_ms, at_ms, at_ms, *p1, *p2]


def tps_flags(cur: Any, place: str, at_ms: int) -> dict[str, tuple[int, int]]:
    """TPS -> (required, present) under ``place``, by the SQL count alone
    (no reference data): what the tests compare with ``readiness.report``."""
    sql, params = _per_tps(place, at_ms, None)
    cur.execute(sql, params)
    return {tps: (required, present) for tps, required, present in cur.fetchall()}


def children(cur: Any, place: str, at_ms: int) -> dict[str, Any]:
    """Per child region of ``place``: TPS and ready TPS at ``at_ms``.

    Returns ``{"children": {code: [tps, ready]}, "reference": report or None}``
    where ``reference`` is ``readiness.report`` for the part of ``place``
    with reference data (its stations are counted from it, not from SQL).
    """
    width = CHILD_LENGTH.get(len(place)) or 13
    skip = reference_prefix(place)
    per_tps, params = _per_tps(place, at_ms, skip)
    cur.execute(
        f"SELECT substr(tps, 1, {int(width)}) AS child, count(*), "
        "sum(CASE WHEN required = present THEN 1 ELSE 0 END) FROM (" + per_tps + ") t GROUP BY child",
        params,
    )
    counts: dict[str, list[int]] = {child: [n, int(ready or 0)] for child, n, ready in cur.fetchall()}
    report = None
    if skip is not None:
        report = readiness.report(cur, skip, at_ms)
        for station in report["tps"]:
            cell = counts.setdefault(station["tps"][:width], [0, 0])
            cell[0] += 1
            cell[1] += 1 if station["ready"] else 0
    return {"children": dict(sorted(counts.items())), "reference": report}


def not_ready(cur: Any, place: str, at_ms: int, reference: dict[str, Any] | None,
              offset: int = 0, limit: int = NOT_READY_LISTED) -> tuple[int, list[dict[str, Any]]]:
    """(how many TPS under ``place`` are not ready, a page of them with
    what they lack, in TPS order). What each lacks is ``readiness.report``
    for that one TPS (a few indexed reads), i.e. the CLI's own answer."""
    skip = reference_prefix(place)
    per_tps, params = _per_tps(place, at_ms, skip)
    cur.execute("SELECT tps FROM (" + per_tps + ") t WHERE required <> present ORDER BY tps", params)
    codes = [row[0] for row in cur.fetchall()]
    stations: dict[str, dict[str, Any]] = {}
    if reference is not None:
        for station in reference["tps"]:
            if not station["ready"]:
                codes.append(station["tps"])
                stations[station["tps"]] = station
    codes.sort()
    page = []
    for code in codes[offset : offset + limit]:
        station = stations.get(code)
        if station is None:
            found = readiness.report(cur, code, at_ms)["tps"]
            station = next((s for s in found if s["tps"] == code), None)
        if station is not None:
            page.append(station)
    return len(codes), page


def roll_up_missing(stations: list[dict[str, Any]]) -> dict[str, int]:
    """Missing items by kind over ``stations`` (for a page's summary line)."""
    out: dict[str, int] = defaultdict(int)
    for station in stations:
        for missing in station["missing"]:
            out[missing["kind"]] += 1
    return dict(sorted(out.items()))
