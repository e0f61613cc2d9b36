"""SCE (SPEC 2) for any value hypothesis draws: decode inverts encode, the
input's key order does not matter, and nothing may follow the value.

The rules at each boundary, case by case, are in tests/unit/test_encoding.py."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.encoding import MAX_INT, MIN_INT, decode, encode
from ledger.errors import EncodingError

sce_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=MIN_INT, max_value=MAX_INT)
    | st.text()
    | st.binary(),
    lambda children: st.lists(children, max_size=6)
    | st.dictionaries(st.text(max_size=8), children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(sce_values)
def test_decode_inverts_encode(value):
    data = encode(value)
    assert decode(data) == value
    assert encode(decode(data)) == data  # deterministic, and a fixed point


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), st.integers(0, 9), min_size=2, max_size=8), st.randoms())
def test_key_order_of_the_input_does_not_matter(value, rnd):
    items = list(value.items())
    rnd.shuffle(items)
    assert encode(dict(items)) == encode(value)


@settings(max_examples=150, deadline=None)
@given(sce_values, st.binary(min_size=1, max_size=3))
def test_anything_after_the_value_is_rejected(value, extra):
    with pytest.raises(EncodingError):
        decode(encode(value) + extra)
