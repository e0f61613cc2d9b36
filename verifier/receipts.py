"""Receipts (SPEC 12): check R1, a log's signed promise against its checkpoint.

A receipt says "record ID is at POSITION of the log named ORIGIN", signed by
the log key. Given a checkpoint of the same log that is larger than the
position, the record must be that leaf: its bytes hash to ID, and the leaf
hash of those bytes with an inclusion proof gives the checkpoint's root. A
receipt that fails while its signature and the checkpoint's both verify is
evidence against the log operator: it promised a record it did not keep.

Written from SPEC.md alone; imports nothing from ``ledger/`` or ``cli/``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from verifier import merkle
from verifier.note import (
    ED25519,
    NoteVerificationError,
    parse_verifier_key,
    verify_checkpoint,
    verify_signed_note,
)

__all__ = ["CheckedReceipt", "ReceiptError", "check_receipt", "check_receipt_in_checkpoint"]

RECEIPT_LINE = "serah-receipt/v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,18}")


class ReceiptError(Exception):
    """The receipt itself is not valid (format or signature): it proves nothing."""


@dataclass(frozen=True)
class CheckedReceipt:
    origin: str
    record: bytes
    position: int
    time: int


@dataclass(frozen=True)
class R1Finding:
    """R1 failed: a validly signed receipt the checkpoint contradicts."""

    receipt: CheckedReceipt
    detail: str


def check_receipt(note: str, log_key: str) -> CheckedReceipt:
    """A receipt's fields after checking its format and the log key's
    signature (``log_key``: the log's verifier key, type 0x01)."""
    try:
        key = parse_verifier_key(log_key)
        if key.sig_type != ED25519:
            raise ReceiptError("the log key must be an Ed25519 (0x01) key")
        text, _ = verify_signed_note(note, [key])
    except NoteVerificationError as error:
        raise ReceiptError(str(error)) from None
    lines = text.split("\n")
    if len(lines) != 6 or lines[5] != "" or lines[1] != RECEIPT_LINE:
        raise ReceiptError("not a serah-receipt/v1 note")
    origin, _, rid, position, when = lines[:5]
    if origin != key.name:
        raise ReceiptError(f"receipt origin {origin!r} is not the log key's name {key.name!r}")
    if not _HEX64.fullmatch(rid) or not _DECIMAL.fullmatch(position) or not _DECIMAL.fullmatch(when):
        raise ReceiptError("malformed receipt fields")
    return CheckedReceipt(origin, bytes.fromhex(rid), int(position), int(when))


def check_receipt_in_checkpoint(
    receipt: CheckedReceipt,
    checkpoint_note: str,
    log_key: str,
    envelope: bytes | None,
    proof: Sequence[bytes],
) -> R1Finding | None:
    """Check R1. ``envelope``: the bytes the log serves at the receipt's
    position (None if it serves none); ``proof``: their inclusion proof in
    the checkpoint's tree. Returns None when the checkpoint keeps the
    promise or is too small to say; the finding otherwise. Raises
    ``ReceiptError`` if the checkpoint itself does not verify (then it
    proves nothing either way)."""
    try:
        checkpoint = verify_checkpoint(checkpoint_note, parse_verifier_key(log_key))
    except NoteVerificationError as error:
        raise ReceiptError(f"checkpoint: {error}") from None
    if checkpoint.origin != receipt.origin:
        raise ReceiptError("the checkpoint is of another log")
    if receipt.position >= checkpoint.size:
        return None  # not yet covered: a later checkpoint must cover it
    if envelope is None:
        return R1Finding(receipt, f"the log serves no record at position {receipt.position}")
    if hashlib.sha256(envelope).digest() != receipt.record:
        return R1Finding(receipt, f"the record at position {receipt.position} is not the receipted one")
    try:
        merkle.verify_inclusion(merkle.hash_leaf(envelope), receipt.position, checkpoint.size, list(proof),
                                checkpoint.root_hash)
    except merkle.VerificationError as error:
        return R1Finding(receipt, f"not included in checkpoint {checkpoint.size}: {error}")
    return None
