"""Human tables or ``--json``: the two ways a command answers.

Humans get aligned columns, local times (WIB for Jakarta) and numbers in
their language's style. Machines get JSON on stdout with stable field
names: bytes (keys, record ids) as lowercase hex, times as integer
milliseconds since the epoch (the ledger's own unit) with no rounding.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
import sys
import textwrap

import click

from cli.i18n import num, t, visible

ZONES = {420: "WIB", 480: "WITA", 540: "WIT"}


def jsonable(value):
    """Plain JSON types for ledger values (dataclasses, bytes, tuples, sets)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "value") and hasattr(value, "name") and type(value).__module__ != "builtins":
        return jsonable(value.value)  # enums
    return value


def print_json(value) -> None:
    click.echo(json.dumps(jsonable(value), ensure_ascii=False, indent=2))


def emit(env, value, human) -> None:
    """``--json``: dump ``value``; otherwise call ``human()`` to print text."""
    if env.json:
        print_json(value)
    else:
        human()


WRAP = 60
"""Text cells longer than this wrap onto more lines within their column
(between words, never inside an item id): a list of a dozen missing items
or a long note stays readable in a terminal. ``--json`` is never wrapped."""


def table(headers: list[str], rows: list[list]) -> str:
    """Left-aligned text columns, long text wrapped; numbers right-aligned."""
    numeric = [all(isinstance(r[i], int) and not isinstance(r[i], bool) for r in rows) if rows else False for i in range(len(headers))]
    cells = [[_wrap(_cell(c)) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *map(len, lines))

    def line(values):
        parts = [v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for row in cells:
        for k in range(max(len(lines) for lines in row)):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row]))
    return "\n".join(out)


def _wrap(text: str) -> list[str]:
    if len(text) <= WRAP:
        return [text]
    return textwrap.wrap(text, WRAP, break_long_words=False, break_on_hyphens=False) or [text]


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return t("out.yes") if value else t("out.no")
    if isinstance(value, int):
        return num(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) or "-"
    return visible(str(value))  # text from records and files: no forged or hidden lines


def fields(pairs: list[tuple[str, object]]) -> str:
    """``label: value`` lines, labels aligned."""
    width = max((len(label) for label, _ in pairs), default=0)
    return "\n".join(f"{label.ljust(width)}  {_cell(value)}" for label, value in pairs)


def local_time(ms: int | None, utc_offset: int = 420) -> str:
    """``2024-02-13 16:05 WIB`` from ledger milliseconds."""
    if ms is None:
        return "-"
    zone = _dt.timezone(_dt.timedelta(minutes=utc_offset))
    try:
        stamp = _dt.datetime.fromtimestamp(ms / 1000, zone)
    except (OverflowError, OSError, ValueError):
        # A time no calendar holds (2**63-1 ms) in a file or a damaged
        # ledger: say so in one cell instead of crashing the whole command.
        return t("out.time_out_of_range", ms=str(ms))
    name = ZONES.get(utc_offset)
    if name is None:
        sign = "+" if utc_offset >= 0 else "-"
        name = f"UTC{sign}{abs(utc_offset) // 60:02d}:{abs(utc_offset) % 60:02d}"
    return f"{stamp:%Y-%m-%d %H:%M} {name}"


# Indonesia's three zones by province (the first two digits of a region
# code): WITA for Bali, Nusa Tenggara, Kalimantan Selatan/Timur/Utara and
# Sulawesi; WIT for Maluku and Papua; WIB elsewhere.
_WITA = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
_WIT = frozenset({"81", "82", "91", "92", "93", "94", "95", "96", "97"})


def zone_offset(region: str | None, default: int = 420) -> int:
    """Minutes east of UTC where ``region`` is (by its province); ``default``
    (the ledger's genesis ``utc_offset``) when no region is known."""
    if not region or len(region) < 2:
        return default
    province = region[:2]
    return 480 if province in _WITA else 540 if province in _WIT else 420


_UTC_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC$")


def localize(value, utc_offset: int = 420):
    """A time the verifier wrote as UTC text (``2024-02-13 22:40:00 UTC``),
    shown local (``2024-02-14 05:40 WIB``); anything else unchanged."""
    if not isinstance(value, str):
        return value
    match = _UTC_TEXT.match(value)
    if match is None:
        return value
    stamp = _dt.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=_dt.UTC)
    return local_time(int(stamp.timestamp() * 1000), utc_offset)


def utc_text(ms: int) -> str:
    """``2024-02-13T09:05:00.000Z`` (ISO 8601, UTC), or the out-of-range line."""
    try:
        stamp = _dt.datetime.fromtimestamp(ms / 1000, _dt.UTC)
    except (OverflowError, OSError, ValueError):
        return t("out.time_out_of_range", ms=str(ms))
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def short_id(value: bytes | None) -> str:
    return bytes(value).hex()[:16] if value else "-"


KEY_PARAMS = ("key", "author", "holder", "to", "receiver", "giver", "signer", "cosigner")


def param_text(value, name: str = "") -> str:
    """Error parameters as short readable text.

    Keys (by parameter name) become their SPEC 3.5 fingerprint, the form
    people compare aloud; other bytes (record ids) a 16-digit hex prefix.
    """
    if isinstance(value, (bytes, bytearray)):
        if len(value) == 32 and any(part in name for part in KEY_PARAMS):
            from ledger.keys import fingerprint

            return fingerprint(bytes(value))
        return bytes(value).hex()[:16]
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(param_text(v, name) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return num(value)
    return visible(str(value))


def warn(message: str) -> None:
    click.echo(message, err=True)


def progress_enabled() -> bool:
    return sys.stderr.isatty()
