"""Bounded reading of a bundle file (SPEC 11.1 limits, B1/B2) before it is decoded.

A bundle comes from outside: a hostile one (a 2 GB file, or 200 MB that is
one array of 200 million small integers) must be refused in seconds and in
a few megabytes, not after the decoder has built a Python object for every
integer. So before anything is decoded:

* the file's size is compared with ``MAX_BYTES`` (no byte is read);
* the top-level map and its parts are walked header by header over a
  memory map (only the pages holding headers are touched): exact keys in
  order, the manifest and the small parts within their caps, parts ending
  exactly where the file ends;
* the ``records`` and ``proofs`` parts are streamed element by element with
  msgpack's C unpacker: their array lengths must fit their byte lengths (an
  element of ``records`` is at least ``MIN_RECORD_ITEM`` bytes), and their
  first elements must have the right shape, so an array of integers is
  refused at its first element.

A file that passes is then decoded by ``verifier.bundle.read`` as before;
each of its records is at least 128 bytes, so the decoded form is a small
multiple of the file, which is at most ``MAX_BYTES``.
"""

from __future__ import annotations

import mmap
import os

import msgpack

MAX_BYTES = 256 * 2**20  # SPEC 11.1: a larger export is split (by place or window)
MAX_SMALL_PART = 8 * 2**20  # manifest, keys, checkpoint, signature
MIN_ENVELOPE = 128  # SPEC 11.1: no record envelope is shorter (an Ed25519 key and signature alone are 96)
MIN_RECORD_ITEM = 1 + 1 + 2 + MIN_ENVELOPE  # fixarray, fixint, bin 8 header, envelope
MAX_PROOF = 64  # hashes in an inclusion proof: a tree of 2^64 leaves
SHAPE_SAMPLE = 64  # elements of records/proofs whose shape is checked before the full decode
PARTS = (b"checkpoint", b"keys", b"proofs", b"records")
ATTACHMENTS = b"attachments"  # SPEC 11.8: the optional fifth part, first in SCE order
MIN_FILE_ITEM = 1 + 2 + 32 + 2  # fixarray, bin 8 header and a SHA-256, bin 8 header (an empty file)


class TooLarge(ValueError):
    """The file or one of its parts exceeds a limit (B1)."""


class BadShape(ValueError):
    """A header is not what a bundle has at that place (B1 for the container, B2 inside a part)."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


class _Cursor:
    """Reads msgpack headers from a buffer without decoding the values behind them."""

    def __init__(self, buffer, start: int = 0, end: int | None = None) -> None:
        self.buffer, self.pos = buffer, start
        self.end = len(buffer) if end is None else end

    def take(self, n: int) -> bytes:
        if self.pos + n > self.end:
            raise BadShape("B1", f"the file ends inside a header (byte {self.pos})")
        data = self.buffer[self.pos : self.pos + n]
        self.pos += n
        return bytes(data)

    def number(self, width: int) -> int:
        return int.from_bytes(self.take(width), "big")

    def map_header(self) -> int:
        tag = self.take(1)[0]
        if 0x80 <= tag <= 0x8F:
            return tag & 0x0F
        raise BadShape("B1", f"expected a small map at byte {self.pos - 1}")

    def text(self) -> str:
        tag = self.take(1)[0]
        if 0xA0 <= tag <= 0xBF:
            length = tag & 0x1F
        elif tag == 0xD9:
            length = self.number(1)
        else:
            raise BadShape("B1", f"expected a text at byte {self.pos - 1}")
        return self.take(length).decode("utf-8", errors="replace")

    def bin_header(self) -> int:
        tag = self.take(1)[0]
        widths = {0xC4: 1, 0xC5: 2, 0xC6: 4}
        if tag not in widths:
            raise BadShape("B1", f"expected bytes at byte {self.pos - 1}")
        length = self.number(widths[tag])
        if self.pos + length > self.end:
            raise BadShape("B1", f"bytes at byte {self.pos} run past the end of the file")
        return length


class _Slice:
    """A file-like window on a memory map, for msgpack's streaming unpacker (copies one chunk at a time)."""

    def __init__(self, buffer, start: int, end: int) -> None:
        self.buffer, self.pos, self.end = buffer, start, end

    def read(self, n: int = -1) -> bytes:
        stop = self.end if n is None or n < 0 else min(self.end, self.pos + n)
        data = bytes(self.buffer[self.pos : stop])
        self.pos = stop
        return data


def check_file(path) -> None:
    """Raise ``TooLarge`` or ``BadShape`` unless ``path`` can be a bundle within the limits."""
    size = os.stat(path).st_size
    if size > MAX_BYTES:
        raise TooLarge(f"the file has {size:,} bytes; a bundle has at most {MAX_BYTES:,} (SPEC 11.1)")
    if size == 0:
        raise BadShape("B1", "the file is empty")
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buffer:
        check_buffer(buffer)


def check_buffer(buffer) -> None:
    """The walk of the module docstring over ``buffer`` (bytes or a memory map)."""
    cursor = _Cursor(buffer)
    entries = cursor.map_header()
    if entries not in (4, 5):
        raise BadShape("B1", "the file is not a bundle: expected a map of format, manifest, parts, v")
    expected = ["format", "manifest", "parts"] + (["signature"] if entries == 5 else []) + ["v"]
    parts: dict[bytes, tuple[int, int]] = {}
    for name in expected:
        if cursor.text() != name:
            raise BadShape("B1", f"expected the entry {name} at byte {cursor.pos}")
        if name == "format":
            if cursor.text() != "serah-bundle":
                raise BadShape("B1", "format is not serah-bundle")
        elif name == "manifest":
            length = _small(cursor.bin_header(), "the manifest")
            cursor.pos += length
        elif name == "parts":
            count = cursor.map_header()
            if count not in (4, 5):
                raise BadShape("B1", "parts must be exactly checkpoint, keys, proofs, records (and attachments)")
            for part in ((ATTACHMENTS,) if count == 5 else ()) + PARTS:
                if cursor.text().encode() != part:
                    raise BadShape("B1", "parts must be exactly checkpoint, keys, proofs, records")
                length = cursor.bin_header()
                if part in (b"checkpoint", b"keys"):
                    _small(length, f"part {part.decode()}")
                parts[part] = (cursor.pos, cursor.pos + length)
                cursor.pos += length
        elif name == "signature":
            unpacker = msgpack.Unpacker(_Slice(buffer, cursor.pos, len(buffer)), read_size=256, max_buffer_size=256,
                                        max_map_len=2, max_bin_len=64, max_str_len=3, max_array_len=0)
            try:
                unpacker.unpack()
            except Exception as exc:  # noqa: BLE001 - any malformed or oversized value
                raise BadShape("B1", f"signature is not a small map ({type(exc).__name__})") from None
            cursor.pos += unpacker.tell()
        else:  # v
            if cursor.take(1) != b"\x01":
                raise BadShape("B1", "unknown bundle version")
    if cursor.pos != len(buffer):
        raise BadShape("B1", f"{len(buffer) - cursor.pos} bytes after the end of the bundle")
    count = _records(buffer, *parts[b"records"])
    _proofs(buffer, *parts[b"proofs"], count)
    if ATTACHMENTS in parts:
        _files(buffer, *parts[ATTACHMENTS])


def _small(length: int, what: str) -> int:
    if length > MAX_SMALL_PART:
        raise TooLarge(f"{what} has {length:,} bytes; at most {MAX_SMALL_PART:,} (SPEC 11.1)")
    return length


def _unpacker(buffer, start: int, end: int) -> msgpack.Unpacker:
    # Each value read alone is small: an envelope (bin), an index, a 32-byte hash.
    return msgpack.Unpacker(_Slice(buffer, start, end), read_size=1 << 16, max_buffer_size=MAX_BYTES,
                            max_array_len=MAX_PROOF, max_map_len=0, max_str_len=0, max_ext_len=0)


def _array(unpacker: msgpack.Unpacker, what: str) -> int:
    try:
        return unpacker.read_array_header()
    except Exception as exc:  # noqa: BLE001 - not an array header, or the part ends
        raise BadShape("B2", f"part {what} is not an array ({type(exc).__name__})") from None


def _records(buffer, start: int, end: int) -> int:
    unpacker = _unpacker(buffer, start, end)
    count = _array(unpacker, "records")
    if count * MIN_RECORD_ITEM > end - start:
        raise BadShape("B2", f"part records claims {count:,} records in {end - start:,} bytes")
    for number in range(min(count, SHAPE_SAMPLE)):
        try:
            if unpacker.read_array_header() != 2:
                raise ValueError
            index, envelope = unpacker.unpack(), unpacker.unpack()
        except Exception:  # noqa: BLE001 - an integer where a pair belongs, a truncated part, ...
            raise BadShape("B2", f"records[{number}] is not an [index, envelope] pair") from None
        if type(index) is not int or type(envelope) is not bytes or len(envelope) < MIN_ENVELOPE:
            raise BadShape("B2", f"records[{number}] is not an [index, envelope of {MIN_ENVELOPE}+ bytes] pair")
    return count


def _proofs(buffer, start: int, end: int, records: int) -> None:
    unpacker = _unpacker(buffer, start, end)
    count = _array(unpacker, "proofs")
    if count != records:
        raise BadShape("B2", f"part proofs must hold one proof per record ({records:,}), not {count:,}")
    for number in range(min(count, SHAPE_SAMPLE)):
        try:
            hashes = unpacker.read_array_header()
            ok = all(type(h) is bytes and len(h) == 32 for h in (unpacker.unpack() for _ in range(hashes)))
        except Exception:  # noqa: BLE001
            ok = False
        if not ok:
            raise BadShape("B2", f"proofs[{number}] is not an array of at most {MAX_PROOF} 32-byte hashes")


def _files(buffer, start: int, end: int) -> None:
    """SPEC 11.8: an array of ``[sha256, file bytes]`` pairs; its length must fit its bytes."""
    unpacker = msgpack.Unpacker(_Slice(buffer, start, end), read_size=1 << 16, max_buffer_size=MAX_BYTES,
                                max_array_len=2, max_map_len=0, max_str_len=0, max_ext_len=0)
    count = _array(unpacker, "attachments")
    if count * MIN_FILE_ITEM > end - start:
        raise BadShape("B2", f"part attachments claims {count:,} files in {end - start:,} bytes")
    for number in range(min(count, SHAPE_SAMPLE)):
        try:
            if unpacker.read_array_header() != 2:
                raise ValueError
            digest, data = unpacker.unpack(), unpacker.unpack()
        except Exception:  # noqa: BLE001 - not a pair, or the part ends
            raise BadShape("B2", f"attachments[{number}] is not a [sha256, file bytes] pair") from None
        if type(digest) is not bytes or len(digest) != 32 or type(data) is not bytes:
            raise BadShape("B2", f"attachments[{number}] is not a [sha256, file bytes] pair")
