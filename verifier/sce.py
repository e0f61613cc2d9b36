"""Strict canonical decoding of SCE, the MessagePack subset of SPEC section 2.

Two decoders with one meaning:

* ``unpack`` is the fast path: msgpack's C decoder, followed by the caller's
  re-encoding comparison (``canonical_bytes``). It is what the verifier runs on
  a million records. It alone does not see floats, ext values, non-text keys or
  unsorted keys (those survive a decode/re-encode round trip), so the schema
  (``verifier.records``) checks every value's type and every map's key order.
* ``explain`` is the slow path: a byte-by-byte strict parser that says *what*
  is wrong and *where*. It runs only on bytes the fast path has rejected, so an
  auditor reads "float at byte 41", not "does not re-encode".

``decode`` combines both for small, untyped inputs (file containers).
"""

from __future__ import annotations

import msgpack

__all__ = ["SCEError", "decode", "encode", "explain", "unpack", "canonical_bytes"]


class SCEError(ValueError):
    """The bytes are not SCE. ``code`` names the rule (a finding code), ``offset`` the byte."""

    def __init__(self, code: str, offset: int):
        super().__init__(f"{code} at byte {offset}")
        self.code = code
        self.offset = offset


def _no_ext(code, data):
    raise ValueError("ext type")


def unpack(data: bytes):
    """Decode with msgpack, rejecting what msgpack can reject cheaply.

    Raises whatever msgpack raises; callers treat any exception as "not SCE"
    and ask ``explain`` for the reason. Map keys may still be bytes, floats and
    timestamps may still appear: the caller's type checks must refuse them.
    """
    return msgpack.unpackb(data, raw=False, strict_map_key=True, use_list=True, ext_hook=_no_ext)


_packer = msgpack.Packer(use_bin_type=True)  # reused: building one per call costs more than packing


def canonical_bytes(value) -> bytes:
    """Re-encode a decoded value, keeping map order as decoded.

    msgpack's packer already writes the shortest form of every header and
    integer (and ``bin`` for bytes, ``str`` for text), so for a value whose
    maps were sorted this is exactly SCE.
    """
    return _packer.pack(value)


def encode(value) -> bytes:
    """SCE encoding of a value built from dict/list/tuple/str/bytes/int/bool/None."""
    return msgpack.packb(_normalise(value), use_bin_type=True)


def _normalise(value):
    kind = type(value)
    if kind is dict:
        for key in value:
            if type(key) is not str:
                raise SCEError("sce_key_not_text", 0)
        return {key: _normalise(value[key]) for key in sorted(value, key=_utf8)}
    if kind is list or kind is tuple:
        return [_normalise(v) for v in value]
    if kind is int:
        if not -(2**63) <= value < 2**64:
            raise SCEError("sce_not_shortest", 0)
        return value
    if value is None or kind in (bool, str, bytes):
        return value
    raise SCEError("sce_float" if kind is float else "sce_ext", 0)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def decode(data: bytes):
    """Strictly decode SCE bytes, raising ``SCEError`` with the rule and offset."""
    try:
        value = unpack(data)
        ok = _plain(value) and canonical_bytes(value) == data
    except Exception:  # noqa: BLE001 - msgpack raises many types; explain() names the rule and offset
        ok = False
    if not ok:
        problem = explain(data)
        raise SCEError(*(problem or ("sce_not_canonical", 0)))
    return value


def _plain(value) -> bool:
    """Only SCE types, text keys, sorted keys (what a round trip cannot see)."""
    kind = type(value)
    if kind is dict:
        keys = list(value)
        for key in keys:
            if type(key) is not str:
                return False
        if keys != sorted(keys):  # code point order equals UTF-8 byte order
            return False
        return all(_plain(v) for v in value.values())
    if kind is list:
        return all(_plain(v) for v in value)
    return value is None or kind in (bool, int, str, bytes)


# --- the slow, exact parser -------------------------------------------------

# Header byte -> (family, width of the length/value field).
_UINT = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}
_INT = {0xD0: 1, 0xD1: 2, 0xD2: 4, 0xD3: 8}
_STR = {0xD9: 1, 0xDA: 2, 0xDB: 4}
_BIN = {0xC4: 1, 0xC5: 2, 0xC6: 4}
_ARRAY = {0xDC: 2, 0xDD: 4}
_MAP = {0xDE: 2, 0xDF: 4}
_EXT = {0xC7, 0xC8, 0xC9, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8}
_FLOAT = {0xCA, 0xCB}

# Smallest value (or length) that needs each width, so a shorter form is refused.
_MIN_UINT = {1: 0x80, 2: 0x100, 4: 0x10000, 8: 0x100000000}
_MAX_INT = {1: -33, 2: -129, 4: -32769, 8: -(2**31) - 1}
_MIN_STR = {1: 32, 2: 0x100, 4: 0x10000}
_MIN_BIN = {1: 0, 2: 0x100, 4: 0x10000}
_MIN_COUNT = {2: 16, 4: 0x10000}


class _Bad(Exception):
    def __init__(self, code, offset):
        self.code, self.offset = code, offset


def explain(data: bytes) -> tuple[str, int] | None:
    """The first SCE rule ``data`` breaks, as ``(finding code, byte offset)``; None if it is SCE."""
    parser = _Parser(data)
    try:
        parser.value()
        if parser.pos != len(data):
            return ("sce_trailing", parser.pos)
    except _Bad as bad:
        return (bad.code, bad.offset)
    return None


class _Parser:
    """Recursive descent over the bytes, tracking the offset of every header."""

    MAX_DEPTH = 100  # records nest 4 deep; this only keeps Python's stack safe

    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0
        self.depth = 0

    def take(self, n: int, at: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise _Bad("sce_truncated", at)
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def number(self, width: int, at: int, signed: bool = False) -> int:
        return int.from_bytes(self.take(width, at), "big", signed=signed)

    def value(self):
        """Parse one value; return ('str', bytes) for text so map keys can be compared."""
        at = self.pos
        head = self.take(1, at)[0]
        if head <= 0x7F or head >= 0xE0 or head in (0xC0, 0xC2, 0xC3):
            return None
        if head == 0xC1:
            raise _Bad("sce_reserved", at)
        if head in _FLOAT:
            raise _Bad("sce_float", at)
        if head in _EXT:
            raise _Bad("sce_ext", at)
        if head in _UINT:
            width = _UINT[head]
            if self.number(width, at) < _MIN_UINT[width]:
                raise _Bad("sce_not_shortest", at)
            return None
        if head in _INT:
            width = _INT[head]
            if self.number(width, at, signed=True) > _MAX_INT[width]:
                raise _Bad("sce_not_shortest", at)
            return None
        if 0xA0 <= head <= 0xBF:
            return self.text(head & 0x1F, at)
        if head in _STR:
            width = _STR[head]
            length = self.number(width, at)
            if length < _MIN_STR[width]:
                raise _Bad("sce_not_shortest", at)
            return self.text(length, at)
        if head in _BIN:
            width = _BIN[head]
            length = self.number(width, at)
            if length < _MIN_BIN[width]:
                raise _Bad("sce_not_shortest", at)
            self.take(length, at)
            return None
        if 0x90 <= head <= 0x9F:
            return self.array(head & 0x0F, at)
        if head in _ARRAY:
            width = _ARRAY[head]
            count = self.number(width, at)
            if count < _MIN_COUNT[width]:
                raise _Bad("sce_not_shortest", at)
            return self.array(count, at)
        if 0x80 <= head <= 0x8F:
            return self.map(head & 0x0F, at)
        width = _MAP[head]  # every other header byte is handled above
        count = self.number(width, at)
        if count < _MIN_COUNT[width]:
            raise _Bad("sce_not_shortest", at)
        return self.map(count, at)

    def text(self, length: int, at: int):
        raw = self.take(length, at)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Bad("sce_bad_utf8", at) from None
        return ("str", raw)

    def nested(self, at: int):
        self.depth += 1
        if self.depth > self.MAX_DEPTH:
            raise _Bad("sce_too_deep", at)

    def array(self, count: int, at: int):
        self.nested(at)
        for _ in range(count):
            self.value()
        self.depth -= 1
        return None

    def map(self, count: int, at: int):
        self.nested(at)
        previous = None
        for _ in range(count):
            key_at = self.pos
            key = self.value()
            if not (type(key) is tuple and key[0] == "str"):
                raise _Bad("sce_key_not_text", key_at)
            if previous is not None:
                if key[1] == previous:
                    raise _Bad("sce_key_duplicate", key_at)
                if key[1] < previous:
                    raise _Bad("sce_key_order", key_at)
            previous = key[1]
            self.value()
        self.depth -= 1
        return None
