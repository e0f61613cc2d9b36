"""Hostile bundle files are refused before they are decoded (SPEC 11.1 limits, B1/B2).

The adversarial review's bundle of one array of 200 million small integers
took 45 s and 1.79 GB before exit 2. Now the size, the container and the
first elements of every large part are checked over a memory map first;
bench/bench_hostile_bundle.py measures 2 GB files (seconds, tens of MB).
"""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import pytest

from ledger.export import Scope, encode_bundle
from ledger.export.ledger_source import checkpointed_trail
from support import REPO_ROOT
from support import export_story as story
from support.cli import Serah
from verifier import __main__ as verifier_main
from verifier import bundle as vb
from verifier import bundle_limits

BENCH = REPO_ROOT / "bench" / "bench_hostile_bundle.py"
spec = importlib.util.spec_from_file_location("bench_hostile_bundle", BENCH)
hostile_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hostile_module)
MB = 2**20


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("limits")
    ledger = story.story_ledger(folder)
    try:
        trail, source = checkpointed_trail(ledger, Scope(items=(story.BOX1,)))
        data = encode_bundle(trail, source, created=story.ms(2024, 3, 1, 9), software="serah test")
    finally:
        ledger.close()
    path = folder / "good.bukti"
    path.write_bytes(data)
    return path


def refused(path: Path, capsys, *words: str) -> None:
    started = time.perf_counter()
    result = vb.verify_file(path)
    assert result.unusable and result.exit_code == 2
    assert all(w in result.findings[0].message for w in words), result.findings[0].message
    assert time.perf_counter() - started < 5
    assert verifier_main.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and words[0] in err


def test_a_well_formed_bundle_passes_the_walk(good):
    bundle_limits.check_file(good)
    assert vb.verify_file(good).exit_code == 0


def test_a_file_over_the_cap_is_refused_without_reading_it(tmp_path, good, capsys):
    big = tmp_path / "big.bukti"
    big.write_bytes(good.read_bytes())
    os.truncate(big, bundle_limits.MAX_BYTES + 1)  # sparse: nothing is written, nothing need be read
    refused(big, capsys, "at most 268,435,456")
    shown = Serah(tmp_path)("verify", str(big))
    assert shown.code == 2 and len(shown.err_lines) == 1, shown.err


def test_an_array_of_integers_is_refused_at_its_first_element(tmp_path, capsys):
    path = tmp_path / "ints.bukti"
    hostile_module.hostile(path, 4 * MB, count=4 * MB // 200)
    refused(path, capsys, "records[0] is not an [index, envelope] pair")


def test_an_impossible_record_count_is_refused(tmp_path, capsys):
    path = tmp_path / "count.bukti"
    hostile_module.hostile(path, 1 * MB, count=2**32 - 1)
    refused(path, capsys, "claims 4,294,967,295 records")


def test_an_oversized_manifest_is_refused(tmp_path, capsys):
    path = tmp_path / "manifest.bukti"
    hostile_module.hostile(path, 1024, manifest_bytes=bundle_limits.MAX_SMALL_PART + 1)
    refused(path, capsys, "the manifest has")


def test_short_envelopes_and_missing_proofs_are_refused(tmp_path, good, capsys):
    from ledger.encoding import decode, encode

    top = decode(good.read_bytes())
    records = decode(top["parts"]["records"])
    cut = {**top, "parts": {**top["parts"], "records": encode([[records[0][0], records[0][1][:100]]] + records[1:])}}
    path = tmp_path / "short.bukti"
    path.write_bytes(encode(cut))
    refused(path, capsys, "records[0]")
    fewer = {**top, "parts": {**top["parts"], "proofs": encode(decode(top["parts"]["proofs"])[:-1])}}
    path.write_bytes(encode(fewer))
    refused(path, capsys, "one proof per record")
    trailing = tmp_path / "trailing.bukti"
    trailing.write_bytes(good.read_bytes() + b"\x00")
    refused(trailing, capsys, "after the end")
