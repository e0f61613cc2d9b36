"""Checkpoints and cosignatures as the log stores them (SPEC 10.8)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.tlog.note import NoteSignature
from ledger.tlog.witness import CosignatureVerifier

__all__ = ["StoredCheckpoint", "StoredCosignature"]


@dataclass(frozen=True)
class StoredCosignature:
    size: int
    name: str
    key_id: bytes
    line: str  #: the signature line, with its final newline
    witness_key: str  #: the witness's verifier key (type 0x04)
    added: int  #: when it was stored, ms since the epoch

    @property
    def time(self) -> int:
        """The cosignature's own timestamp (POSIX seconds), as the witness signed it."""
        return CosignatureVerifier.timestamp(NoteSignature.parse_line(self.line.rstrip("\n")).signature)


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str  #: the note as the log signed it
    log_key: str  #: the log's verifier key (type 0x01)
    created: int  #: when it was signed, ms since the epoch
    cosignatures: tuple[StoredCosignature, ...] = field(default=())

    @property
    def origin(self) -> str:
        return self.note.split("\n", 1)[0]

    @property
    def full_note(self) -> str:
        """The note with every stored cosignature line: what clients are given."""
        return self.note + "".join(c.line for c in self.cosignatures)
