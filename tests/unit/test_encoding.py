"""SCE (SPEC 2): every rule, at every boundary, both directions."""

import struct

import pytest

from ledger.encoding import MAX_INT, MIN_INT, decode, encode
from ledger.errors import EncodingError

# --- integers: the shortest form at each boundary ----------------------------------

INT_CASES = [
    (0, "00"),
    (127, "7f"),
    (128, "cc80"),
    (255, "ccff"),
    (256, "cd0100"),
    (65535, "cdffff"),
    (65536, "ce00010000"),
    (2**32 - 1, "ceffffffff"),
    (2**32, "cf0000000100000000"),
    (2**64 - 1, "cfffffffffffffffff"),
    (-1, "ff"),
    (-32, "e0"),
    (-33, "d0df"),
    (-128, "d080"),
    (-129, "d1ff7f"),
    (-32768, "d18000"),
    (-32769, "d2ffff7fff"),
    (-(2**31), "d280000000"),
    (-(2**31) - 1, "d3ffffffff7fffffff"),
    (-(2**63), "d38000000000000000"),
]


@pytest.mark.parametrize("value,hexed", INT_CASES)
def test_integers_use_the_shortest_form(value, hexed):
    assert encode(value).hex() == hexed
    assert decode(bytes.fromhex(hexed)) == value


@pytest.mark.parametrize(
    "hexed",
    [
        "cc00",  # 0 as uint 8
        "cc7f",  # 127 as uint 8
        "cd00ff",  # 255 as uint 16
        "ce0000ffff",  # 65535 as uint 32
        "cf00000000ffffffff",  # 2**32-1 as uint 64
        "d0ff",  # -1 as int 8
        "d0e0",  # -32 as int 8
        "d1ff80",  # -128 as int 16
        "d2ffff8000",  # -32768 as int 32
        "d3ffffffff80000000",  # -2**31 as int 64
        "d001",  # 1 as int 8 (positive integers use uint)
        "d10100",  # 256 as int 16
        "d300000000000000ff",  # 255 as int 64
    ],
)
def test_non_shortest_integers_are_rejected(hexed):
    with pytest.raises(EncodingError):
        decode(bytes.fromhex(hexed))


def test_integer_range():
    assert decode(encode(MAX_INT)) == MAX_INT
    assert decode(encode(MIN_INT)) == MIN_INT
    for bad in (MAX_INT + 1, MIN_INT - 1):
        with pytest.raises(EncodingError):
            encode(bad)


def test_bool_and_nil():
    assert encode(None) == b"\xc0"
    assert encode(False) == b"\xc2"
    assert encode(True) == b"\xc3"
    assert decode(b"\xc3") is True
    assert encode([True, 1]) == b"\x92\xc3\x01"  # a bool is not an int


# --- text and bytes -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "length,header",
    [(0, "a0"), (31, "bf"), (32, "d920"), (255, "d9ff"), (256, "da0100"), (65535, "daffff"), (65536, "db00010000")],
)
def test_text_headers(length, header):
    data = encode("x" * length)
    assert data.startswith(bytes.fromhex(header))
    assert decode(data) == "x" * length


@pytest.mark.parametrize(
    "length,header",
    [(0, "c400"), (255, "c4ff"), (256, "c50100"), (65535, "c5ffff"), (65536, "c600010000")],
)
def test_bytes_headers(length, header):
    data = encode(b"\x01" * length)
    assert data.startswith(bytes.fromhex(header))
    assert decode(data) == b"\x01" * length


@pytest.mark.parametrize(
    "hexed",
    [
        "d90161",  # "a" as str 8
        "da000161",  # "a" as str 16
        "db0000000161",  # "a" as str 32
        "c5000101",  # 1 byte as bin 16
        "c60000000101",  # 1 byte as bin 32
    ],
)
def test_non_shortest_text_and_bytes_are_rejected(hexed):
    with pytest.raises(EncodingError):
        decode(bytes.fromhex(hexed))


def test_text_and_bytes_are_distinct():
    assert encode("ab") == b"\xa2ab"
    assert encode(b"ab") == b"\xc4\x02ab"
    assert decode(b"\xa2ab") == "ab"
    assert decode(b"\xc4\x02ab") == b"ab"
    assert encode(bytearray(b"ab")) == encode(b"ab")
    assert encode(memoryview(b"ab")) == encode(b"ab")


def test_invalid_utf8_is_rejected():
    with pytest.raises(EncodingError):
        decode(b"\xa2\xc3\x28")
    with pytest.raises(EncodingError):
        encode("\udc80")  # a lone surrogate has no UTF-8 form


# --- arrays and maps -----------------------------------------------------------------------

@pytest.mark.parametrize("length,header", [(0, "90"), (15, "9f"), (16, "dc0010"), (65535, "dcffff"), (65536, "dd00010000")])
def test_array_headers(length, header):
    data = encode([0] * length)
    assert data.startswith(bytes.fromhex(header))
    assert decode(data) == [0] * length


def test_tuples_are_arrays():
    assert encode((1, (2, 3))) == encode([1, [2, 3]])
    assert decode(encode((1, 2))) == [1, 2]


@pytest.mark.parametrize("length,header", [(0, "80"), (15, "8f"), (16, "de0010"), (65536, "df00010000")])
def test_map_headers(length, header):
    value = {f"k{i:06d}": i for i in range(length)}
    data = encode(value)
    assert data.startswith(bytes.fromhex(header))
    assert decode(data) == value


@pytest.mark.parametrize(
    "hexed",
    [
        "dc000101",  # [1] as array 16
        "dd0000000101",  # [1] as array 32
        "de0001a16101",  # {"a": 1} as map 16
        "df00000001a16101",  # {"a": 1} as map 32
    ],
)
def test_non_shortest_containers_are_rejected(hexed):
    with pytest.raises(EncodingError):
        decode(bytes.fromhex(hexed))


def test_keys_are_sorted_by_utf8_bytes():
    value = {"b": 1, "a": 2, "aa": 3, "B": 4, "é": 5, "z": 6, "\U0001f600": 7, "\uffff": 8}
    data = encode(value)
    assert decode(data) == value
    # Walk the map: keys come out in bytewise order.
    keys = list(decode(data))
    assert keys == sorted(keys, key=lambda k: k.encode("utf-8"))
    assert keys[:4] == ["B", "a", "aa", "b"]
    assert keys[-2:] == ["\uffff", "\U0001f600"]


def test_unsorted_keys_are_rejected():
    with pytest.raises(EncodingError):
        decode(b"\x82\xa1b\x01\xa1a\x02")


def test_duplicate_keys_are_rejected():
    with pytest.raises(EncodingError, match="duplicate"):
        decode(b"\x82\xa1a\x01\xa1a\x02")


@pytest.mark.parametrize("hexed", ["810102", "81c40161" "01", "81c0" "01", "8191" "00" "01"])
def test_non_text_keys_are_rejected(hexed):
    with pytest.raises(EncodingError):
        decode(bytes.fromhex(hexed))


def test_non_text_keys_are_not_encoded():
    for value in ({1: 2}, {b"a": 1}, {None: 1}, {("a",): 1}):
        with pytest.raises(EncodingError):
            encode(value)


# --- forbidden types and trailing bytes --------------------------------------------------

@pytest.mark.parametrize(
    "data",
    [
        b"\xca" + struct.pack(">f", 1.5),  # float 32
        b"\xcb" + struct.pack(">d", 1.5),  # float 64
        b"\xcb" + struct.pack(">d", float("nan")),
        b"\xcb" + struct.pack(">d", float("inf")),
        b"\xd4\x01\x00",  # fixext 1
        b"\xd5\x01\x00\x00",  # fixext 2
        b"\xc7\x01\x05\x00",  # ext 8
        b"\xd6\xff\x00\x00\x00\x00",  # timestamp 32
        b"\xd7\xff" + b"\x00" * 8,  # timestamp 64
        b"\x91\xca\x00\x00\x00\x00",  # a float inside an array
        b"\x81\xa1a\xd4\x01\x00",  # an ext inside a map
    ],
)
def test_floats_and_ext_are_rejected(data):
    with pytest.raises(EncodingError):
        decode(data)


@pytest.mark.parametrize("value", [1.0, float("nan"), {1, 2}, object(), [1, 2.5], {"a": 0.0}, frozenset()])
def test_unencodable_values(value):
    with pytest.raises(EncodingError):
        encode(value)


@pytest.mark.parametrize("data", [b"\x01\x02", b"\xc0\xc0", b"\x90\x00", b"\xa1a\x00"])
def test_trailing_bytes_are_rejected(data):
    with pytest.raises(EncodingError, match="trailing"):
        decode(data)


@pytest.mark.parametrize("data", [b"", b"\xc4", b"\xc4\x05ab", b"\x92\x01", b"\xc1", b"\x81\xa1a"])
def test_truncated_or_reserved_input_is_rejected(data):
    with pytest.raises(EncodingError):
        decode(data)


def test_decode_wants_bytes():
    with pytest.raises(EncodingError):
        decode("not bytes")


def test_deep_nesting_is_an_encoding_error_not_a_crash():
    value: list = []
    for _ in range(5000):
        value = [value]
    with pytest.raises(EncodingError):
        encode(value)
    with pytest.raises(EncodingError):
        decode(b"\x91" * 5000 + b"\x90")


# The properties (any value round-trips, key order, trailing bytes) are in
# tests/property/test_encoding_round_trips.py.
