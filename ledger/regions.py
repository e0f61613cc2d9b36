"""Region codes and the bundled DKI Jakarta reference data.

Every custody record names places: the warehouse of a kab/kota, a PPK
(kecamatan), a PPS (kelurahan), a TPS. KPU writes these as digit strings
without dots (``31``, ``3101``, ``310101``, ``3101011001`` and, for a TPS,
the village code plus a 3-digit number: ``3101011001003``), while Kemendagri
documents write ``31.01.01.1001``. This module turns either form into the
undotted one, tells the levels apart, and answers the one question
authorisation needs: does jurisdiction A contain place B? Because every
level has a fixed width, that is a plain prefix test.

Where the data lives, and why
-----------------------------
The canonical data files are in ``ledger/data/`` inside the package and are
read with ``importlib.resources``. That works the same from a source checkout
and from an installed wheel (pyproject already ships ``*.json``, ``*.csv`` and
``*.md`` as package data), and it means nothing at runtime depends on
``fixtures/`` or on ``../shared`` being present. ``fixtures/`` holds only the
scripts that regenerate these files, their attribution and a README pointing
here; data is never copied between the two at build time, so there is a
single copy to review.

The region names and codes come from idn-area-data 4.0.1 (ODbL, see
``ledger/data/ATTRIBUTION.md``); the per-TPS voter figures are synthetic.

Standard library only, by design: the verifier and CLI import this too.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

__all__ = [
    "LEVELS",
    "Region",
    "TPS",
    "ancestors",
    "ballots_with_reserve",
    "covers",
    "dki_election",
    "dki_regions",
    "dotted",
    "kepulauan_seribu_tps",
    "level",
    "name",
    "normalize",
    "parent",
]

# Code length (undotted) -> level name, from the top of the tree down.
LEVELS = {0: "national", 2: "province", 4: "regency", 6: "district", 10: "village", 13: "tps"}
# Segment widths of the undotted code, used to split it for checks and dots.
_WIDTHS = (2, 2, 2, 4, 3)
_DOTTED = re.compile(r"[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?")
_DIGITS = re.compile(r"[0-9]*")
_LENGTHS = "0 (national), 2 (province), 4 (kab/kota), 6 (kecamatan), 10 (kelurahan/desa) or 13 (TPS)"


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative area from the bundled reference data."""

    code: str  # undotted, KPU style
    dotted: str  # Kemendagri style
    level: str  # province | regency | district | village
    parent: str  # undotted code of the enclosing area ("" for the province)
    kind: str  # provinsi | kabupaten | kota | kecamatan | kelurahan | desa
    name: str


@dataclass(frozen=True, slots=True)
class TPS:
    """One polling station of the Kepulauan Seribu scenario (synthetic DPT)."""

    tps_code: str
    village_code: str
    district_code: str
    regency_code: str
    tps_number: int
    kind: str  # regular | special (TPS lokasi khusus)
    voters: int  # DPT at this TPS
    ballots_per_type: int  # DPT + 2% reserve, rounded up


def _segments(code: str) -> list[str]:
    out, start = [], 0
    for width in _WIDTHS:
        if start >= len(code):
            break
        out.append(code[start : start + width])
        start += width
    return out


def normalize(code: str) -> str:
    """Return ``code`` in KPU's undotted form, or raise ValueError.

    Accepts ``""`` (national), undotted codes of 2/4/6/10/13 digits and the
    dotted Kemendagri forms ``PP``, ``PP.KK``, ``PP.KK.CC``,
    ``PP.KK.CC.VVVV``. Surrounding whitespace is ignored. TPS codes have no
    dotted form, so ``31.01.01.1001.003`` is refused rather than guessed at.
    This checks shape only, not that the area exists: other provinces'
    codes are valid input even though only DKI is bundled.
    """
    if not isinstance(code, str):
        raise TypeError(f"region code must be a str, not {type(code).__name__}")
    text = code.strip()
    if "." in text:
        if not _DOTTED.fullmatch(text):
            raise ValueError(
                f"malformed region code {code!r}: dotted codes must be PP, PP.KK, "
                "PP.KK.CC or PP.KK.CC.VVVV (digits only; a TPS code has no dotted form)"
            )
        text = text.replace(".", "")
    elif not _DIGITS.fullmatch(text):
        raise ValueError(f"malformed region code {code!r}: only ASCII digits and dots are allowed")
    if len(text) not in LEVELS:
        count = f"{len(text)} digit" + ("" if len(text) == 1 else "s")
        raise ValueError(f"malformed region code {code!r}: {count}, expected {_LENGTHS}")
    for segment in _segments(text):
        if not segment.strip("0"):
            raise ValueError(
                f"malformed region code {code!r}: segment {segment!r} is zero, numbering starts at 1"
            )
    return text


def dotted(code: str) -> str:
    """Return the Kemendagri dotted form (``3101011001`` -> ``31.01.01.1001``)."""
    text = normalize(code)
    if len(text) == 13:
        raise ValueError(f"TPS code {code!r} has no dotted form")
    return ".".join(_segments(text))


def level(code: str) -> str:
    """Return national, province, regency, district, village or tps."""
    return LEVELS[len(normalize(code))]


def parent(code: str) -> str:
    """Return the undotted code of the enclosing level ("" above a province)."""
    text = normalize(code)
    if not text:
        raise ValueError("the national level has no parent")
    return text[: -len(_segments(text)[-1])]


def ancestors(code: str) -> list[str]:
    """Enclosing codes, nearest first, ending with "" (national).

    ``ancestors("")`` is empty: the nation has nothing above it.
    """
    chain, text = [], normalize(code)
    while text:
        text = parent(text)
        chain.append(text)
    return chain


def covers(jurisdiction: str, code: str) -> bool:
    """True if ``code`` lies within ``jurisdiction`` (or is the same area).

    Fixed segment widths make containment a prefix test; "" covers all.
    Both arguments are normalized first, so dotted input works and
    malformed input raises ValueError instead of silently answering False.
    """
    return normalize(code).startswith(normalize(jurisdiction))


def ballots_with_reserve(voters: int, percent: int = 2) -> int:
    """Ballots per type for a TPS: DPT plus ``percent``% reserve, rounded up.

    Integer arithmetic on purpose: ``ceil(voters * 1.02)`` in floating point
    can land a hair above a whole number and round up one ballot too many.
    """
    if voters < 0:
        raise ValueError(f"voters must be >= 0, got {voters}")
    return -(-voters * (100 + percent) // 100)


def _read_text(filename: str) -> str:
    return (resources.files(__package__) / "data" / filename).read_text(encoding="utf-8")


@cache
def _regions() -> dict[str, Region]:
    data = json.loads(_read_text("wilayah_dki.json"))
    return {r["code"]: Region(**r) for r in data["regions"]}


def dki_regions() -> tuple[Region, ...]:
    """All DKI Jakarta areas (1 + 6 + 44 + 267), ordered by code (tree order)."""
    return tuple(_regions().values())


def name(code: str, lang: str = "id") -> str:
    """Human name of an area; a TPS reads ``TPS 003 Pulau Panggang``.

    ``lang`` only changes the words Serah adds (TPS label); place names are
    proper names and stay as Kemendagri spells them. Raises ValueError for
    a well-formed code that is not in the bundled (DKI-only) data.
    """
    if lang not in ("id", "en"):
        raise ValueError(f"unsupported lang {lang!r}: use 'id' or 'en'")
    text = normalize(code)
    if not text:
        return "Indonesia"
    area = text[:10]
    region = _regions().get(area)
    if region is None:
        raise ValueError(
            f"unknown region code {code!r}: the bundled reference data covers DKI Jakarta (31) only"
        )
    if len(text) == 13:
        number = text[10:]
        return f"TPS {number} {region.name}" if lang == "id" else f"Polling station {number}, {region.name}"
    return region.name


@lru_cache(maxsize=4096)
def unknown_place(code: str) -> str | None:
    """Which part of the shipped reference data says ``code`` does not
    exist (a proper name, the same in every language), or None.

    Only where the data covers the place: any DKI Jakarta (31) area below
    the province must be one of its 317 areas, and a TPS of Kepulauan
    Seribu (3101) one of its 88 TPS. Codes of other provinces pass (there
    is nothing to compare them with).

    Remembered per code (a few thousand at most): a batch of items shares
    a handful of destinations, and every item's is checked.
    """
    text = normalize(code)
    if not text.startswith("31") or len(text) <= 2:
        return None
    if text[:10] not in _regions():
        return "DKI Jakarta"
    if len(text) == 13 and text.startswith("3101") and text not in _kepulauan_seribu_tps_codes():
        return "TPS Kepulauan Seribu"
    return None


@cache
def _kepulauan_seribu_tps_codes() -> frozenset[str]:
    """The codes of :func:`kepulauan_seribu_tps`, built once: every
    registered item's destination is looked up here."""
    return frozenset(t.tps_code for t in kepulauan_seribu_tps())


@cache
def kepulauan_seribu_tps() -> tuple[TPS, ...]:
    """The 88 TPS of the Kepulauan Seribu scenario, ordered by TPS code.

    Totals (88 TPS = 80 regular + 8 special, 22,036 voters) are KPU's; the
    split per TPS is synthetic (see fixtures/dki/build.py).
    """
    rows = csv.DictReader(io.StringIO(_read_text("kepulauan_seribu_tps.csv")))
    return tuple(
        TPS(
            tps_code=r["tps_code"],
            village_code=r["village_code"],
            district_code=r["district_code"],
            regency_code=r["regency_code"],
            tps_number=int(r["tps_number"]),
            kind=r["kind"],
            voters=int(r["voters"]),
            ballots_per_type=int(r["ballots_per_type"]),
        )
        for r in rows
    )


def dki_election() -> dict:
    """The DKI reference figures (each with status and source), as a fresh dict.

    A fresh parse on each call so a caller cannot alter what others see.
    """
    return json.loads(_read_text("dki_election.json"))
