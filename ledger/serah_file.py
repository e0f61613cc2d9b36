"""The outer map every Serah file shares (SPEC 7.1 handover files, SPEC 7.4
record files): ``{"format", "v", "records"}``. Reading it is bounded and
checked in one place, so that a new kind of file cannot forget a check; what
each kind allows inside (how many records, of which types) stays with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ledger.encoding import decode, encode
from ledger.errors import BadFile, EncodingError

__all__ = ["file_bytes", "read_envelopes"]


def file_bytes(file_format: str, envelopes: Iterable[bytes]) -> bytes:
    """The bytes of a file of ``file_format`` holding ``envelopes``."""
    return encode({"format": file_format, "v": 1, "records": [bytes(e) for e in envelopes]})


def read_envelopes(path: str | os.PathLike[str], file_format: str, max_bytes: int, noun: str) -> Any:
    """The ``records`` of a file of ``file_format`` (version 1), read with at
    most ``max_bytes``. Each failure is one :class:`BadFile` naming ``noun``
    ("handover file", "record file"). The caller checks that it is a list
    of envelopes of the length its kind allows."""
    where = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise BadFile(path=where, detail=e.strerror or "cannot read") from None
    if len(data) > max_bytes:
        raise BadFile(path=where, detail=f"file too large for a {noun}")
    try:
        outer = decode(data)
    except EncodingError as e:
        raise BadFile(path=where, detail=f"not a Serah {noun} ({e.params['detail']})") from None
    if type(outer) is not dict or outer.get("format") != file_format or set(outer) != {"format", "v", "records"}:
        raise BadFile(path=where, detail=f"not a Serah {noun}")
    if type(outer["v"]) is not int or outer["v"] != 1:
        raise BadFile(path=where, detail=f"unknown {noun} version {outer['v']!r}")
    return outer["records"]
