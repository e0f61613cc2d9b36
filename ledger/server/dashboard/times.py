"""Local time for a place: WIB, WITA or WIT by province.

A person in a command centre reads times as the clock on the wall where the
thing happened. Indonesia has three zones, fixed offsets without daylight
saving (Keppres 41/1987, and the provinces created since inherit their
parent's zone): WIB UTC+7, WITA UTC+8, WIT UTC+9. The province is the first
two digits of every region code (SPEC 2.2).
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["local", "zone_of"]

WIB, WITA, WIT = 420, 480, 540
NAMES = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}
# Province codes outside WIB. WITA: Bali, NTB, NTT, Kalimantan Selatan,
# Timur, Utara, the six Sulawesi provinces. WIT: Maluku, Maluku Utara and
# the Papua provinces.
_WITA = frozenset(("51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"))
_WIT = frozenset(("81", "82", "91", "92", "93", "94", "95", "96", "97"))


def zone_of(code: str | None, default: int = WIB) -> int:
    """UTC offset in minutes of the place ``code`` (``default`` when the
    code names no province, e.g. KPU RI's empty region)."""
    if not code or len(code) < 2:
        return default
    province = code[:2]
    if province in _WITA:
        return WITA
    if province in _WIT:
        return WIT
    return WIB


def local(ms: int | None, offset: int) -> str | None:
    """``2024-02-13 16:05 WIB`` for ledger milliseconds at ``offset`` minutes."""
    if ms is None:
        return None
    zone = _dt.timezone(_dt.timedelta(minutes=offset))
    stamp = _dt.datetime.fromtimestamp(ms / 1000, zone)
    name = NAMES.get(offset)
    if name is None:
        sign = "+" if offset >= 0 else "-"
        name = f"UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    return f"{stamp:%Y-%m-%d %H:%M} {name}"


def parse_local(text: str, offset: int) -> int | None:
    """``YYYY-MM-DDTHH:MM`` (or with a space, or a bare date: its end) at
    ``offset`` -> milliseconds; None if it is not such a text."""
    text = text.strip()
    if len(text) > 32:
        return None
    zone = _dt.timezone(_dt.timedelta(minutes=offset))
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
        try:
            stamp = _dt.datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
        return int(stamp.timestamp() * 1000)
    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        return None
    end = _dt.datetime(day.year, day.month, day.day, tzinfo=zone) + _dt.timedelta(days=1)
    return int(end.timestamp() * 1000) - 1
