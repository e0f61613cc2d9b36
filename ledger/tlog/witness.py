"""C2SP tlog-cosignature (cosignature/v1, Ed25519) and a stateful witness.

A Bawaslu witness cosigns a checkpoint only after checking that it extends,
append-only, the last checkpoint it cosigned for that log.  Its cosignature
is a note signature with key ID algorithm byte 0x04 whose bytes are
``key ID (4) || timestamp (8, big-endian) || Ed25519 signature (64)`` over

    cosignature/v1\\n
    time <timestamp>\\n
    <the whole checkpoint note text>

Clients holding a quorum of such cosignatures know the operator did not
show them a private fork of the log.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import Category, SerahError
from ledger.tlog.note import (
    KeyVerifier,
    NoteError,
    NoteSignature,
    Verifier,
    check_key_name,
    check_note_text,
    ed25519_verify,
    format_verifier_key,
    key_id,
    open_checkpoint,
    raw_public_key,
)
from ledger.tlog.tree import EMPTY_ROOT, ProofError, verify_consistency

SIG_TYPE_COSIGNATURE_V1 = 0x04
MAX_TIMESTAMP = 2**63 - 1


def cosigned_message(text: str, timestamp: int) -> bytes:
    """The bytes a cosignature/v1 signs: header line, time line, whole note text."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError("cosignature timestamp out of range")
    check_note_text(text)
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


class CosignatureVerifier(KeyVerifier):
    """Checks cosignature/v1 signatures of one witness key (type 0x04)."""

    sig_type = SIG_TYPE_COSIGNATURE_V1

    def verify(self, text: str, signature: bytes) -> bool:
        if len(signature) != 8 + 64:
            return False
        timestamp = struct.unpack(">Q", signature[:8])[0]
        if timestamp > MAX_TIMESTAMP:
            return False
        return ed25519_verify(self.public_key, signature[8:], cosigned_message(text, timestamp))

    @staticmethod
    def timestamp(signature: bytes) -> int:
        """The signing time carried in a cosignature (after the key ID)."""
        return struct.unpack(">Q", signature[:8])[0]


class CosignatureSigner:
    """Produces cosignature/v1 signature lines with a witness's Ed25519 key."""

    sig_type = SIG_TYPE_COSIGNATURE_V1

    def __init__(self, name: str, private_key: Ed25519PrivateKey,
                 clock: Callable[[], float] = time.time) -> None:
        check_key_name(name)
        self.name = name
        self._private_key = private_key
        self._clock = clock
        self.public_key = raw_public_key(private_key)
        self.key_id = key_id(name, self.sig_type, self.public_key)

    def sign(self, text: str, timestamp: int | None = None) -> NoteSignature:
        timestamp = int(self._clock()) if timestamp is None else timestamp
        signature = self._private_key.sign(cosigned_message(text, timestamp))
        return NoteSignature(self.name, self.key_id, struct.pack(">Q", timestamp) + signature)

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)

    def verifier_key(self) -> str:
        return format_verifier_key(self.name, self.sig_type, self.public_key)


class Cosigner(Protocol):
    """What a witness signs with: a raw key (:class:`CosignatureSigner`) or a
    Serah key file (``ledger.tlog.signers.WitnessSigner``)."""

    name: str

    def sign(self, text: str, timestamp: int | None = None) -> NoteSignature: ...

    def verifier_key(self) -> str: ...


# --- the witness ----------------------------------------------------------------


class WitnessError(SerahError):
    """The witness refused to cosign."""

    code = "witness_refused"
    category = Category.REFUSED


class UnknownLogError(WitnessError):
    """The checkpoint's origin is not a log this witness is configured for."""

    category = Category.INPUT


class BadCheckpointError(WitnessError):
    """The checkpoint note is malformed or not validly signed by the log's key."""

    category = Category.TAMPER


class RollbackError(WitnessError):
    """The checkpoint is smaller than one already cosigned: the log went backwards."""

    category = Category.TAMPER


class SplitViewError(WitnessError):
    """The checkpoint contradicts one already cosigned: the log forked."""

    category = Category.TAMPER


class InconsistentProofError(SplitViewError):
    """The consistency proof from the cosigned checkpoint to the new one does not verify."""


class NoStateError(WitnessError):
    """The witness has no state for this log and was not told this is its first checkpoint.

    A witness that lost its state file would otherwise start again from
    size 0, which every tree extends, and cosign a shortened or forked log.
    """

    category = Category.INPUT


class WitnessState:
    """Per-origin (size, root) last cosigned, kept in a JSON file replaced atomically.

    Losing or rewinding this file would let the witness be tricked into
    cosigning a fork, so every update is written to a temporary file,
    fsynced, renamed over the old one, and the directory fsynced.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, tuple[int, bytes]]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return {origin: (int(entry["size"]), base64.b64decode(entry["root"]))
                for origin, entry in data["logs"].items()}

    def save(self, logs: Mapping[str, tuple[int, bytes]]) -> None:
        data = {"version": 1, "logs": {origin: {"size": size, "root": base64.b64encode(root).decode()}
                                       for origin, (size, root) in sorted(logs.items())}}
        payload = json.dumps(data, indent=2, sort_keys=True).encode("utf-8") + b"\n"
        directory = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class Witness:
    """Cosigns checkpoints of known logs only when they extend what it cosigned before.

    ``logs`` maps each log origin to the verifier of its operator key.  A
    log with no entry in the state is refused (``NoStateError``) unless
    ``first_time`` is set, the operator's explicit word that this witness
    never cosigned this log; it then starts from size 0, which every tree
    extends.  One process per state file.
    """

    #: Set (by the operator, never by default) to cosign a log the state has no entry for.
    first_time: bool = False

    def __init__(self, name: str, private_key: Ed25519PrivateKey, state_path: str | os.PathLike,
                 logs: Mapping[str, Verifier], clock: Callable[[], float] = time.time,
                 first_time: bool = False) -> None:
        self.signer: Cosigner = CosignatureSigner(name, private_key, clock)
        self.state = WitnessState(state_path)
        self.logs = dict(logs)
        self.first_time = first_time

    def verifier_key(self) -> str:
        return self.signer.verifier_key()

    def cosign(self, checkpoint_note: str | bytes, consistency_proof: Sequence[bytes]) -> str:
        """Check and cosign a checkpoint; return the cosignature line to append to the note.

        Raises ``UnknownLogError``, ``BadCheckpointError``, ``NoStateError``,
        ``RollbackError`` or ``SplitViewError`` (``InconsistentProofError``
        for a bad proof) and leaves the state untouched when it refuses.
        """
        checkpoint, note = self._open(checkpoint_note)
        logs = self.state.load()
        if checkpoint.origin not in logs and not self.first_time:
            raise NoStateError(f"{checkpoint.origin}: no cosigned checkpoint in {self.state.path}; "
                               "cosigning from size 0 needs the explicit first-time flag")
        old_size, old_root = logs.get(checkpoint.origin, (0, EMPTY_ROOT))
        new_size, new_root = checkpoint.size, checkpoint.root_hash
        if new_size < old_size:
            raise RollbackError(
                f"{checkpoint.origin}: checkpoint size {new_size} is below cosigned size {old_size}")
        if new_size == old_size and new_root != old_root:
            raise SplitViewError(f"{checkpoint.origin}: two different roots for size {new_size}")
        try:
            verify_consistency(old_size, new_size, old_root, new_root, list(consistency_proof))
        except ProofError as exc:
            raise InconsistentProofError(
                f"{checkpoint.origin}: no valid consistency proof from size {old_size} "
                f"to {new_size}: {exc}") from exc
        if (new_size, new_root) != (old_size, old_root):
            logs[checkpoint.origin] = (new_size, new_root)
            self.state.save(logs)
        return self.signer.sign(note.text).line()

    def _open(self, checkpoint_note: str | bytes):
        try:
            text = checkpoint_note.decode("utf-8") if isinstance(checkpoint_note, bytes) else checkpoint_note
            origin = text.split("\n", 1)[0]
        except UnicodeDecodeError as exc:
            raise BadCheckpointError("checkpoint note is not UTF-8") from exc
        verifier = self.logs.get(origin)
        if verifier is None:
            raise UnknownLogError(f"unknown log origin {origin!r}")
        try:
            return open_checkpoint(text, verifier)
        except NoteError as exc:
            raise BadCheckpointError(str(exc)) from exc
