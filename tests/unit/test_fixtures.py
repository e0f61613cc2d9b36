"""The shipped reference data: counts, totals, provenance, reproducibility.

These guard the numbers other tests and benchmarks build on, and check that
the files are what the build scripts in fixtures/ say they are.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter, defaultdict
from fractions import Fraction
from math import ceil

import pytest

from support import REPO_ROOT

DATA = REPO_ROOT / "ledger" / "data"
SHARED_WILAYAH = REPO_ROOT.parent / "shared" / "data" / "wilayah"


def _load_script(relpath: str):
    """Import a build script by path (fixtures/ is not a package)."""
    path = REPO_ROOT / relpath
    spec = importlib.util.spec_from_file_location(path.parent.name + "_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def wilayah():
    return json.loads((DATA / "wilayah_dki.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def election():
    return json.loads((DATA / "dki_election.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tps_rows():
    with open(DATA / "kepulauan_seribu_tps.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --- wilayah_dki.json ---------------------------------------------------------


def test_wilayah_counts(wilayah):
    counts = Counter(r["level"] for r in wilayah["regions"])
    assert counts == {"province": 1, "regency": 6, "district": 44, "village": 267}
    assert wilayah["meta"]["counts"] == dict(counts)


def test_wilayah_codes_are_consistent(wilayah):
    widths = {"province": 2, "regency": 4, "district": 6, "village": 10}
    codes = {r["code"] for r in wilayah["regions"]}
    for r in wilayah["regions"]:
        assert r["code"] == r["dotted"].replace(".", "")
        assert r["code"].isascii() and r["code"].isdigit()
        assert len(r["code"]) == widths[r["level"]]
        assert r["code"].startswith("31")
        assert r["parent"] == "" if r["level"] == "province" else r["parent"] in codes
        assert r["code"].startswith(r["parent"])
        assert r["name"] and r["name"] == r["name"].strip()
    assert len(codes) == len(wilayah["regions"])


def test_wilayah_known_names(wilayah):
    by_code = {r["code"]: r for r in wilayah["regions"]}
    assert by_code["3101"]["name"] == "Kabupaten Administrasi Kepulauan Seribu"
    assert by_code["3101"]["kind"] == "kabupaten"
    assert by_code["3171"]["kind"] == "kota"
    assert by_code["3101011001"]["name"] == "Pulau Panggang"
    assert sorted(c for c in by_code if len(c) == 4) == ["3101", "3171", "3172", "3173", "3174", "3175"]


def test_wilayah_attribution(wilayah):
    meta = wilayah["meta"]
    assert meta["license"] == "ODbL-1.0"
    assert "idn-area-data" in meta["notice"] and "Open Database License" in meta["notice"]
    assert "300.2.2-2138 Tahun 2025" in meta["official_basis"]
    text = (DATA / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for needle in ("idn-area-data", "4.0.1", "Open Database License", "300.2.2-2138 Tahun 2025"):
        assert needle in text
    # The package copy is generated from the one in fixtures/; they must not drift.
    assert text == (REPO_ROOT / "fixtures" / "wilayah" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Open Database License" in (DATA / "LICENSE-ODbL.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not (SHARED_WILAYAH / "villages.csv").is_file(), reason="../shared not present")
def test_wilayah_rebuild_is_identical():
    build = _load_script("fixtures/wilayah/build.py")
    assert build.build(SHARED_WILAYAH) == (DATA / "wilayah_dki.json").read_text(encoding="utf-8")
    assert (SHARED_WILAYAH / "LICENSE.md").read_bytes() == (DATA / "LICENSE-ODbL.md").read_bytes()


# --- dki_election.json --------------------------------------------------------


def test_election_official_figures(election, wilayah):
    assert election["dpt"]["value"] == 8_252_897
    assert election["tps"]["value"] == 30_766
    split = election["tps_by_regency"]["value"]
    assert split == {"3101": 88, "3171": 3129, "3172": 4853, "3173": 7169, "3174": 6715, "3175": 8812}
    assert sum(split.values()) == election["tps"]["value"]
    regencies = {r["code"] for r in wilayah["regions"] if r["level"] == "regency"}
    assert set(split) == regencies
    assert election["vote_date"]["value"] == "2024-02-14"
    assert election["ballot_reserve"]["percent"] == 2
    assert "Pasal 344" in election["ballot_reserve"]["source"]


def test_election_ballot_types(election):
    types = {t["code"]: t["colour"] for t in election["ballot_types"]["value"]}
    assert types == {"PPWP": "grey", "DPR": "yellow", "DPD": "red", "DPRD_PROV": "blue"}
    assert "DPRD_KABKOTA" in election["ballot_types"]["not_in_dki"]


def test_election_kepulauan_seribu(election):
    ks = election["kepulauan_seribu"]
    assert (ks["dpt"], ks["tps"], ks["tps_regular"], ks["tps_special"]) == (22_036, 88, 80, 8)
    assert ks["tps"] == election["tps_by_regency"]["value"][ks["regency_code"]]
    assert ks["per_tps_figures"]["status"] == "synthetic"
    dapil = {k: v["value"] for k, v in ks["dapil"].items()}
    assert dapil == {
        "PPWP": "INDONESIA",
        "DPR": "DKI JAKARTA III",
        "DPD": "DKI JAKARTA",
        "DPRD_PROV": "DKI JAKARTA 2",
    }
    # The provincial dapil was checked only against press reports: say so.
    assert ks["dapil"]["DPRD_PROV"]["status"] != "official"


def test_every_figure_states_status_and_source(election):
    legend = set(election["meta"]["status_legend"])

    def walk(node):
        if isinstance(node, dict):
            if "status" in node:
                assert node["status"] in legend, node
                assert node.get("source") or node.get("note"), node
            for value in node.values():
                walk(value)

    walk({k: v for k, v in election.items() if k != "meta"})


# --- kepulauan_seribu_tps.csv -------------------------------------------------


def test_tps_columns(tps_rows):
    assert list(tps_rows[0]) == [
        "tps_code",
        "village_code",
        "district_code",
        "regency_code",
        "tps_number",
        "kind",
        "voters",
        "ballots_per_type",
    ]


def test_tps_totals(tps_rows):
    assert len(tps_rows) == 88
    assert Counter(r["kind"] for r in tps_rows) == {"regular": 80, "special": 8}
    assert sum(int(r["voters"]) for r in tps_rows) == 22_036
    assert len({r["district_code"] for r in tps_rows}) == 2
    assert len({r["village_code"] for r in tps_rows}) == 6
    assert {r["regency_code"] for r in tps_rows} == {"3101"}


def test_tps_codes_and_numbering(tps_rows, wilayah):
    villages = {r["code"]: r for r in wilayah["regions"] if r["level"] == "village"}
    numbers = defaultdict(list)
    for r in tps_rows:
        assert len(r["tps_code"]) == 13 and r["tps_code"].isdigit()
        assert r["tps_code"] == r["village_code"] + r["tps_number"]
        assert len(r["tps_number"]) == 3
        assert villages[r["village_code"]]["parent"] == r["district_code"]
        assert r["district_code"][:4] == r["regency_code"]
        numbers[r["village_code"]].append(int(r["tps_number"]))
    for village, nums in numbers.items():
        assert nums == list(range(1, len(nums) + 1)), village
    assert [r["tps_code"] for r in tps_rows] == sorted(r["tps_code"] for r in tps_rows)


def test_tps_sizes_are_plausible(tps_rows):
    regular = [int(r["voters"]) for r in tps_rows if r["kind"] == "regular"]
    special = [int(r["voters"]) for r in tps_rows if r["kind"] == "special"]
    assert all(200 <= v <= 300 for v in regular)
    assert all(0 < v < min(regular) for v in special)
    per_village = Counter()
    for r in tps_rows:
        per_village[r["village_code"]] += int(r["voters"])
    # Uneven like real islands, but no kelurahan empty or holding most voters.
    assert all(1_000 < v < 8_000 for v in per_village.values())


def test_tps_ballots_include_reserve(tps_rows):
    for r in tps_rows:
        voters = int(r["voters"])
        assert int(r["ballots_per_type"]) == ceil(Fraction(102, 100) * voters)
        assert int(r["ballots_per_type"]) == ceil(voters * 1.02)


def test_tps_rebuild_is_identical():
    build = _load_script("fixtures/dki/build.py")
    assert build.build() == (DATA / "kepulauan_seribu_tps.csv").read_text(encoding="utf-8")
