"""The verifier's hand-written fast paths against its general decoder, for any
input hypothesis draws: canonical values, random bytes, mutated envelopes and
bodies (V1, V2). The rules case by case are in tests/unit/test_verifier_encoding.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.tamper.builder import scenario
from verifier import records, sce

_SCENARIO = scenario()  # a clean trail of every record type, whose records the last property mutates

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.text(max_size=40) | st.binary(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_fast_and_slow_paths_agree_on_canonical_values(value):
    data = sce.encode(value)
    assert sce.explain(data) is None
    assert sce.decode(data) == value


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_fast_and_slow_paths_agree_on_random_bytes(data):
    slow = sce.explain(data) is None
    try:
        sce.decode(data)
        fast = True
    except sce.SCEError:
        fast = False
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fast_paths_never_accept_what_the_reference_rejects(data):
    """Mutated envelopes and bodies: the hand-written fast paths agree with the general decoder."""
    b, _ = _SCENARIO
    raw = bytearray(data.draw(st.sampled_from(b.records)))
    for _ in range(data.draw(st.integers(1, 3))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    raw = bytes(raw)
    fast = records._split_envelope(raw)
    try:
        env = sce.decode(raw)
        general = records.check_envelope(env)
    except (sce.SCEError, records.Invalid):
        general = None
    if fast is not None:
        assert general is not None and tuple(fast) == tuple(general)
    if general is None:
        return
    body_bytes = general[0]
    try:
        body = sce.decode(body_bytes)
        slow = records._check_body_slowly(body)
    except (sce.SCEError, records.Invalid):
        slow = None
    if slow is None:
        with pytest.raises(records.Invalid):
            records.open_body(body_bytes)
    else:
        assert records._fast_body(body) in (None, slow)
        assert records.open_body(body_bytes)[0] == slow
