"""Handover files (SPEC 7.1): how a prepared handover travels between two
custodians when there is no connection, written atomically and read back
only after every record in it is checked.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ledger.errors import BadFile
from ledger.serah_file import file_bytes, read_envelopes

__all__ = ["HANDOVER_FORMAT", "MAX_FILE_BYTES", "handover_file_bytes", "read_handover_file", "write_handover_file"]

HANDOVER_FORMAT = "serah-handover"
MAX_FILE_BYTES = 64 * 1024 * 1024


def handover_file_bytes(envelopes: Iterable[bytes]) -> bytes:
    """The bytes of a handover file (SPEC 7.1) holding ``envelopes``."""
    return file_bytes(HANDOVER_FORMAT, envelopes)


def write_handover_file(path: str | os.PathLike[str], envelopes: Iterable[bytes]) -> None:
    """Writes a handover file atomically (a reader never sees half a file)."""
    data = handover_file_bytes(envelopes)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BadFile(path=str(path), detail=e.strerror or "cannot write") from None


def read_handover_file(path: str | os.PathLike[str]) -> list[bytes]:
    """Returns the envelopes in a handover file: the prepare, then possibly
    its accept or refuse. Each envelope is fully checked (:func:`parse`), so a
    tampered file fails here, before anything is shown or appended.
    """
    where = str(path)
    envelopes = read_envelopes(path, HANDOVER_FORMAT, MAX_FILE_BYTES, "handover file")
    if type(envelopes) is not list or not 1 <= len(envelopes) <= 2 or any(type(e) is not bytes for e in envelopes):
        raise BadFile(path=where, detail="a handover file holds one or two records")
    # Imported here: records re-exports this module's functions.
    from ledger.records import parse

    parsed = [parse(e) for e in envelopes]
    if parsed[0].type != "handover.prepare":
        raise BadFile(path=where, detail="the first record is not a handover.prepare")
    if len(parsed) == 2 and (
        parsed[1].type not in ("handover.accept", "handover.refuse")
        or parsed[1].body["handover"] != parsed[0].id
    ):
        raise BadFile(path=where, detail="the second record is not the answer to the first")
    return envelopes
