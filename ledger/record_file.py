"""Record files (SPEC 7.4): one signed record that is not yet in the ledger,
travelling from its author to its co-signers (a KPPS's ``open`` to the
Panwas's laptop and back), so that a witness signs on their own device and
their private key never leaves it.
"""

from __future__ import annotations

import os

from ledger.encoding import decode, encode
from ledger.errors import BadFile, EncodingError

__all__ = ["RECORD_FORMAT", "file_format", "read_record_file", "record_file_bytes"]

RECORD_FORMAT = "serah-record"
#: One envelope (SPEC 3.7: at most 65,535 bytes) and the map around it.
MAX_RECORD_FILE_BYTES = 65_535 + 64


def record_file_bytes(envelope: bytes) -> bytes:
    """The bytes of a record file holding ``envelope``."""
    return encode({"format": RECORD_FORMAT, "v": 1, "records": [bytes(envelope)]})


def file_format(path: str | os.PathLike[str]) -> str | None:
    """The ``format`` a Serah file names (``serah-handover``, ``serah-record``),
    or None when it is not such a file: how one command takes either."""
    try:
        with open(path, "rb") as f:
            data = f.read(64 * 1024 * 1024 + 1)
        outer = decode(data)
    except (OSError, EncodingError):
        return None
    if type(outer) is not dict or type(outer.get("format")) is not str:
        return None
    return outer["format"]


def read_record_file(path: str | os.PathLike[str]) -> bytes:
    """The envelope in a record file, fully checked (:func:`ledger.records.parse`:
    encoding, schema, every signature), so a tampered file fails here."""
    where = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_RECORD_FILE_BYTES + 1)
    except OSError as e:
        raise BadFile(path=where, detail=e.strerror or "cannot read") from None
    if len(data) > MAX_RECORD_FILE_BYTES:
        raise BadFile(path=where, detail="file too large for a record file")
    try:
        outer = decode(data)
    except EncodingError as e:
        raise BadFile(path=where, detail=f"not a Serah record file ({e.params['detail']})") from None
    if type(outer) is not dict or outer.get("format") != RECORD_FORMAT or set(outer) != {"format", "v", "records"}:
        raise BadFile(path=where, detail="not a Serah record file")
    if type(outer["v"]) is not int or outer["v"] != 1:
        raise BadFile(path=where, detail=f"unknown record file version {outer['v']!r}")
    envelopes = outer["records"]
    if type(envelopes) is not list or len(envelopes) != 1 or type(envelopes[0]) is not bytes:
        raise BadFile(path=where, detail="a record file holds exactly one record")
    from ledger.records import parse

    record = parse(envelopes[0])
    if record.type.startswith("handover."):
        raise BadFile(path=where, detail="a handover travels as a handover file (SPEC 7.1)")
    return envelopes[0]
