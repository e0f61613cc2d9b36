"""A witness cosigning one of this ledger's checkpoints (SPEC 10.9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.tlog.errors import BadNote
from ledger.tlog.note import Checkpoint, NoteError, parse_note
from ledger.tlog.tree import EMPTY_ROOT
from ledger.tlog.witness import Witness

if TYPE_CHECKING:
    from ledger.tlog.log import TransparencyLog

__all__ = ["cosign_checkpoint"]


def cosign_checkpoint(log: TransparencyLog, witness: Witness, note_text: str) -> tuple[str, list[bytes]]:
    """Check ``note_text`` against what ``witness`` cosigned before and cosign it.

    The consistency proof comes from ``log`` (the ledger given to the
    witness), from the size the witness last cosigned to the note's size.
    Returns the note with the witness's cosignature line added, and the
    proof. Raises the witness's ``RollbackError`` / ``SplitViewError``
    (nothing stored) or ``BeyondLog`` when the ledger does not hold as many
    records as the checkpoint claims (itself evidence of a truncated log).
    """
    try:
        note = parse_note(note_text)
        checkpoint = Checkpoint.parse(note.text)
    except NoteError as error:
        raise BadNote(detail=str(error)) from None
    old_size, _ = witness.state.load().get(checkpoint.origin, (0, EMPTY_ROOT))
    if checkpoint.size < old_size:
        proof: list[bytes] = []  # the witness refuses it as a rollback
    else:
        proof = log.consistency_proof(old_size, checkpoint.size)
    line = witness.cosign(note_text, proof)
    return note.to_text() + line, proof
