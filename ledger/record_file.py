"""Record files (SPEC 7.4): one signed record that is not yet in the ledger,
travelling from its author to its co-signers (a KPPS's ``open`` to the
Panwas's laptop and back), so that a witness signs on their own device and
their private key never leaves it.
"""

from __future__ import annotations

import os

from ledger.encoding import decode
from ledger.errors import BadFile, EncodingError
from ledger.serah_file import file_bytes, read_envelopes

__all__ = ["RECORD_FORMAT", "file_format", "read_record_file", "record_file_bytes"]

RECORD_FORMAT = "serah-record"
#: One envelope (SPEC 3.7: at most 65,535 bytes) and the map around it.
MAX_RECORD_FILE_BYTES = 65_535 + 64


def record_file_bytes(envelope: bytes) -> bytes:
    """The bytes of a record file holding ``envelope``."""
    return file_bytes(RECORD_FORMAT, [envelope])


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
    envelopes = read_envelopes(path, RECORD_FORMAT, MAX_RECORD_FILE_BYTES, "record file")
    if type(envelopes) is not list or len(envelopes) != 1 or type(envelopes[0]) is not bytes:
        raise BadFile(path=where, detail="a record file holds exactly one record")
    from ledger.records import parse

    record = parse(envelopes[0])
    if record.type.startswith("handover."):
        raise BadFile(path=where, detail="a handover travels as a handover file (SPEC 7.1)")
    return envelopes[0]
