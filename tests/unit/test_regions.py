"""ledger.regions: code shapes, hierarchy, jurisdiction cover, names, loaders."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from math import ceil

import pytest

from ledger import regions
from ledger.regions import (
    TPS,
    ancestors,
    ballots_with_reserve,
    covers,
    dki_election,
    dki_regions,
    dotted,
    kepulauan_seribu_tps,
    level,
    name,
    normalize,
    parent,
)

TPS_CODE = "3101011001003"  # Pulau Panggang, TPS 003


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "national"),
        ("31", "province"),
        ("3101", "regency"),
        ("310101", "district"),
        ("3101011001", "village"),
        (TPS_CODE, "tps"),
        ("31.01", "regency"),
        ("31.01.01.1001", "village"),
    ],
)
def test_level(code, expected):
    assert level(code) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31.01.01.1001", "3101011001"),
        ("3101011001", "3101011001"),
        (" 31.71 ", "3171"),
        ("", ""),
        (TPS_CODE, TPS_CODE),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("3", "1 digit,"),
        ("310", "3 digits"),
        ("31010", "5 digits"),
        ("31010110", "8 digits"),
        ("31010110010", "11 digits"),
        ("31010110010031", "14 digits"),
        ("31.1", "dotted codes must be"),
        ("31.01.01.1001.003", "TPS code has no dotted form"),
        ("3101.01", "dotted codes must be"),
        ("31..01", "dotted codes must be"),
        ("31.01.", "dotted codes must be"),
        ("31-01", "only ASCII digits"),
        ("31O1", "only ASCII digits"),
        ("٣١", "only ASCII digits"),  # Arabic-Indic digits pass str.isdigit()
        ("3100", "segment '00' is zero"),
        ("3101011001000", "segment '000' is zero"),
        ("00", "segment '00' is zero"),
    ],
)
def test_bad_codes_raise_clear_value_error(bad, message):
    with pytest.raises(ValueError, match="malformed region code") as err:
        normalize(bad)
    assert message in str(err.value)
    assert repr(bad) in str(err.value)
    for func in (level, parent, ancestors):
        with pytest.raises(ValueError):
            func(bad)
    with pytest.raises(ValueError):
        covers("31", bad)
    with pytest.raises(ValueError):
        covers(bad, "31")


def test_non_string_code_is_a_type_error():
    with pytest.raises(TypeError):
        normalize(3101)


def test_dotted():
    assert dotted("3101011001") == "31.01.01.1001"
    assert dotted("31.71") == "31.71"
    assert dotted("") == ""
    with pytest.raises(ValueError, match="no dotted form"):
        dotted(TPS_CODE)


def test_parent_and_ancestors():
    assert parent(TPS_CODE) == "3101011001"
    assert parent("3101011001") == "310101"
    assert parent("31.01.01") == "3101"
    assert parent("3101") == "31"
    assert parent("31") == ""
    with pytest.raises(ValueError, match="national level has no parent"):
        parent("")
    assert ancestors(TPS_CODE) == ["3101011001", "310101", "3101", "31", ""]
    assert ancestors("31") == [""]
    assert ancestors("") == []


def test_covers_prefix_rule():
    assert covers("", TPS_CODE)
    assert covers("", "")
    assert covers("31", TPS_CODE)
    assert covers("3101", "310102")
    assert covers("31.01.01", "3101011001")
    assert covers("3101011001", TPS_CODE)
    assert covers(TPS_CODE, TPS_CODE)  # a jurisdiction covers itself
    assert not covers("310102", TPS_CODE)  # sibling kecamatan
    assert not covers("3171", "3101")
    assert not covers(TPS_CODE, "3101011001")  # child does not cover parent
    assert not covers("31", "")
    assert not covers("3101011001001", "3101011001003")


def test_covers_agrees_with_ancestors():
    for tps in kepulauan_seribu_tps():
        for anc in ancestors(tps.tps_code):
            assert covers(anc, tps.tps_code)
        assert not covers("3171", tps.tps_code)


def test_names():
    assert name("") == "Indonesia"
    assert name("31") == "Daerah Khusus Ibukota Jakarta"
    assert name("3101") == "Kabupaten Administrasi Kepulauan Seribu"
    assert name("31.01.02") == "Kepulauan Seribu Selatan"
    assert name("3101011001") == "Pulau Panggang"
    assert name(TPS_CODE) == "TPS 003 Pulau Panggang"
    assert name(TPS_CODE, lang="en") == "Polling station 003, Pulau Panggang"
    assert name("3101", lang="en") == "Kabupaten Administrasi Kepulauan Seribu"


def test_name_errors():
    with pytest.raises(ValueError, match="covers DKI Jakarta"):
        name("3201")  # well formed, but West Java is not bundled
    with pytest.raises(ValueError, match="unsupported lang"):
        name("31", lang="fr")
    with pytest.raises(ValueError, match="malformed"):
        name("31.0")


def test_dki_regions():
    rows = dki_regions()
    assert [sum(r.level == lvl for r in rows) for lvl in ("province", "regency", "district", "village")] == [
        1,
        6,
        44,
        267,
    ]
    assert [r.code for r in rows] == sorted(r.code for r in rows)
    for r in rows:
        assert level(r.code) == r.level
        assert normalize(r.dotted) == r.code
        assert parent(r.code) == r.parent
        assert name(r.code) == r.name


def test_kepulauan_seribu_tps():
    rows = kepulauan_seribu_tps()
    assert all(isinstance(t, TPS) for t in rows)
    assert len(rows) == 88
    assert sum(t.kind == "regular" for t in rows) == 80
    assert sum(t.kind == "special" for t in rows) == 8
    assert sum(t.voters for t in rows) == 22_036
    assert len({t.district_code for t in rows}) == 2
    assert len({t.village_code for t in rows}) == 6
    for t in rows:
        assert level(t.tps_code) == "tps"
        assert parent(t.tps_code) == t.village_code
        assert ancestors(t.tps_code)[:3] == [t.village_code, t.district_code, t.regency_code]
        assert t.tps_code.endswith(f"{t.tps_number:03d}")
        assert t.ballots_per_type == ceil(Fraction(102, 100) * t.voters)
        assert name(t.tps_code).startswith(f"TPS {t.tps_number:03d} Pulau ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rows[0].voters = 1
    assert kepulauan_seribu_tps() is rows  # parsed once


def test_ballots_with_reserve():
    for voters in range(0, 3000):
        assert ballots_with_reserve(voters) == ceil(Fraction(voters * 102, 100))
    assert ballots_with_reserve(100) == 102
    assert ballots_with_reserve(101) == 104  # 103.02 rounds up
    assert ballots_with_reserve(22_036) == 22_477  # 22476.72 rounds up
    assert ballots_with_reserve(200, percent=0) == 200
    with pytest.raises(ValueError):
        ballots_with_reserve(-1)


def test_dki_election_loader():
    figures = dki_election()
    assert figures["dpt"]["value"] == 8_252_897
    figures["dpt"]["value"] = 0
    assert dki_election()["dpt"]["value"] == 8_252_897  # callers get their own copy


def test_module_uses_only_the_standard_library():
    import ast
    import sys

    tree = ast.parse(open(regions.__file__, encoding="utf-8").read())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
