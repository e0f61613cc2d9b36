"""Signed receipts (SPEC 12): the log's promise that a record is in the log.

A receipt is a C2SP signed note made with the log key (the key that signs
checkpoints, named by the ledger's origin):

    <origin>
    serah-receipt/v1
    <record id, 64 lowercase hex digits>
    <position, decimal>
    <time, decimal ms since the epoch (server clock, commit time)>

    — <origin> <base64(key id || Ed25519 signature)>

Why a note: the verifier already checks the log's notes, and the second
line (not a decimal) makes a receipt impossible to read as a checkpoint.
A receipt whose record is not at its position in a later checkpoint's tree
is evidence against the log operator (verifier check R1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ledger.tlog.note import Note, NoteError, parse_note, sign_note

__all__ = ["RECEIPT_LINE", "Receipt", "make_receipt", "parse_receipt", "receipt_path"]

RECEIPT_LINE = "serah-receipt/v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")


@dataclass(frozen=True)
class Receipt:
    origin: str
    record: bytes
    position: int
    time: int
    note: str  #: the whole signed note

    @property
    def text(self) -> str:
        return f"{self.origin}\n{RECEIPT_LINE}\n{self.record.hex()}\n{self.position}\n{self.time}\n"


def make_receipt(signer: Any, origin: str, record: bytes, position: int, time_ms: int) -> Receipt:
    """``signer``: a :class:`ledger.tlog.log.LogSigner` (the log key under the origin)."""
    text = f"{origin}\n{RECEIPT_LINE}\n{record.hex()}\n{position}\n{time_ms}\n"
    return Receipt(origin, record, position, time_ms, sign_note(text, [signer]))


def parse_receipt(note: str) -> Receipt:
    """A receipt's fields, without checking its signature (see ``verifier.receipts``)."""
    parsed: Note = parse_note(note)
    lines = parsed.text.split("\n")
    if len(lines) != 6 or lines[1] != RECEIPT_LINE:
        raise NoteError("not a serah receipt")
    origin, _, rid, position, when = lines[:5]
    if not _HEX64.fullmatch(rid) or not _DECIMAL.fullmatch(position) or not _DECIMAL.fullmatch(when):
        raise NoteError("malformed serah receipt")
    return Receipt(origin, bytes.fromhex(rid), int(position), int(when), note)


def receipt_path(handover_file: str, record: bytes) -> str:
    """Where the CLI keeps a receipt: next to the handover file, named by the record."""
    return f"{handover_file}.{record.hex()[:16]}.receipt"
