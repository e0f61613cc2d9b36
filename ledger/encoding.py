"""SCE, the Serah canonical encoding (SPEC section 2).

A strict subset of MessagePack in which every value has exactly one encoding,
so that a record's bytes, and therefore its signature and its id, follow from
its content alone.

:func:`encode` normalises the value (map keys sorted by their UTF-8 bytes,
tuples as arrays) and lets msgpack write it: msgpack-python already chooses
the shortest integer, string, binary, array and map headers, and with
``use_bin_type`` writes ``bytes`` as bin and ``str`` as str.

:func:`decode` rejects what SCE forbids (floats, ext types, non-text keys,
duplicate keys, trailing bytes) and then applies the test SPEC 2.1 gives:
re-encoding the decoded value must give back the input byte for byte. That one
comparison catches every non-shortest header, unsorted map, and uint/int
mix-up without a hand-written parser.
"""

from __future__ import annotations

from typing import Any

import msgpack

from ledger.errors import EncodingError

__all__ = ["encode", "decode", "normalise", "MAX_INT", "MIN_INT"]

MAX_INT = 2**64 - 1
MIN_INT = -(2**63)


def encode(value: Any) -> bytes:
    """Returns the SCE bytes of ``value``.

    Accepted: None, bool, int (-2**63 .. 2**64-1), str, bytes (also bytearray
    and memoryview), list and tuple, dict with str keys. Anything else (float,
    set, datetime, ...) raises :class:`EncodingError`.
    """
    return msgpack.packb(normalise(value), use_bin_type=True)


def decode(data: bytes) -> Any:
    """Returns the value encoded by ``data``, which must be canonical SCE.

    Maps come back as dicts, arrays as lists, bin as bytes, str as str.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise EncodingError(detail=f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    try:
        value = msgpack.unpackb(
            data,
            raw=False,
            use_list=True,
            strict_map_key=False,  # checked by _pairs, to give a clear message
            object_pairs_hook=_pairs,
            ext_hook=_reject_ext,
            timestamp=0,
        )
    except EncodingError:
        raise
    except msgpack.ExtraData:
        raise EncodingError(detail="trailing bytes after the value") from None
    except UnicodeDecodeError:
        raise EncodingError(detail="text is not valid UTF-8") from None
    except Exception as e:  # noqa: BLE001 - msgpack raises several types for truncated input
        raise EncodingError(detail=f"not MessagePack ({type(e).__name__})") from None
    if encode(value) != data:
        # Floats, timestamps and non-shortest forms all end up here.
        raise EncodingError(detail="not the canonical encoding of its value")
    return value


def normalise(value: Any) -> Any:
    """Returns ``value`` as :func:`decode` would return it after encoding:
    maps sorted, tuples as lists, byte-likes as bytes. Raises
    :class:`EncodingError` for what SCE cannot hold."""
    try:
        return _normalise(value)
    except RecursionError:
        raise EncodingError(detail="value nested too deeply") from None


def _normalise(value: Any) -> Any:
    # Exact type checks, most frequent first (this runs for every value of
    # every record): bool is an int subclass and must stay a bool.
    t = type(value)
    if t is str:
        if not value.isascii():
            _check_text(value)
        return value
    if t is int:
        if not MIN_INT <= value <= MAX_INT:
            raise EncodingError(detail=f"integer out of range: {value}")
        return value
    if t is dict:
        for key in value:
            if type(key) is not str:
                raise EncodingError(detail=f"map key is not text: {key!r}")
            if not key.isascii():
                _check_text(key)
        # Code point order equals UTF-8 byte order, so sorted() on str is
        # the bytewise order SPEC 2.1 asks for.
        return {k: _normalise(value[k]) for k in sorted(value)}
    if t is list or t is tuple:
        return [_normalise(v) for v in value]
    if t is bytes or value is None or t is bool:
        return value
    if t is bytearray or t is memoryview:
        return bytes(value)
    if isinstance(value, dict):
        return _normalise(dict(value))
    if isinstance(value, int):  # IntEnum and friends: encode the number
        return _normalise(int(value))
    if isinstance(value, str):
        return _normalise(str(value))
    if t is float:
        raise EncodingError(detail="floats are not allowed")
    raise EncodingError(detail=f"type {t.__name__} cannot be encoded")


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise EncodingError(detail="text is not valid Unicode (lone surrogate)") from None


def _pairs(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if type(key) is not str:
            raise EncodingError(detail=f"map key is not text: {key!r}")
        if key in result:
            raise EncodingError(detail=f"duplicate map key {key!r}")
        result[key] = value
    return result


def _reject_ext(code: int, data: bytes) -> Any:
    raise EncodingError(detail=f"ext type {code} is not allowed")
