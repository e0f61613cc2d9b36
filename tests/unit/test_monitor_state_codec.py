"""The monitor's checks' state as msgpack (verifier/monitor_state.py, SPEC 10.12).

A full custody trail (items, boxes, seals, open handovers, attestations) is
checked half-way, its state encoded, decoded and the other half checked on
the decoded state: the findings equal those of one uninterrupted run, and
the bytes survive a second trip unchanged. Hostile bytes only ever give
``StateError``.
"""

from __future__ import annotations

import msgpack
import pytest

from support.tamper.builder import scenario
from verifier import checks, sign
from verifier.monitor_state import StateError, decode_rules, encode_rules
from verifier.report import Report

NOW = 1_900_000_000_000


def _check(rules: checks.Rules, rows: list[tuple[int, bytes]]) -> None:
    for where, rid, kind, body, cosigners, problems, _ in checks.examine_batch(rows, sign.backend(None)):
        rules.record(where, rid, kind, body, cosigners, problems)


def _findings(report: Report) -> list:
    return sorted((f.check, f.code, f.position) for f in report.findings)


@pytest.mark.parametrize("cut", [1, 7, 20, -3])
def test_checks_resumed_from_the_encoded_state_find_what_one_run_finds(cut):
    builder, _ = scenario()
    rows = list(enumerate(builder.records))
    straight = checks.Rules(Report(source="x"), now=NOW)
    _check(straight, rows)

    first = checks.Rules(Report(source="x"), now=NOW)
    _check(first, rows[:cut])
    blob = encode_rules(first)
    resumed = decode_rules(blob, first.report)
    resumed.now = NOW
    assert encode_rules(resumed) == blob
    _check(resumed, rows[cut:])
    assert _findings(resumed.report) == _findings(straight.report)
    assert encode_rules(resumed) == encode_rules(straight)


@pytest.mark.parametrize("blob", [
    b"",
    b"\xc1",
    msgpack.packb([1, 2, 3]),
    msgpack.packb({"v": 2}),
    msgpack.packb(msgpack.ExtType(99, b"")),
    msgpack.packb(msgpack.ExtType(4, msgpack.packb(["kpu", "31", True]))),  # a custodian with a field missing
    msgpack.packb(msgpack.ExtType(4, msgpack.packb([1, "31", True, None]))),  # a role that is not text
    b"\x80\x04\x95" + b"\x00" * 20,  # a pickle's first bytes
    b"\x91" * 100_000,  # deep nesting
])
def test_hostile_bytes_are_a_state_error_and_nothing_else(blob):
    with pytest.raises(StateError):
        decode_rules(blob, None)
