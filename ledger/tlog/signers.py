"""Adapters from a Serah key (``ledger.keys.Signer``) to the signers of
signed notes: the log's checkpoint signer, a witness's cosigner, and a
witness whose key is a Serah key file. They never see the private key,
only its ``sign`` method.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from typing import Any

from ledger.tlog.note import (
    SIG_TYPE_ED25519,
    NoteSignature,
    check_key_name,
    check_note_text,
    format_verifier_key,
    key_id,
)
from ledger.tlog.witness import (
    SIG_TYPE_COSIGNATURE_V1,
    CosignatureVerifier,
    Witness,
    WitnessState,
    cosigned_message,
)

__all__ = ["KeyWitness", "LogSigner", "WitnessSigner", "log_verifier_key", "witness_verifier_key"]


def log_verifier_key(name: str, public: bytes) -> str:
    """``name+keyhash+base64(0x01 || key)``: how a log key is configured and pinned."""
    return format_verifier_key(name, SIG_TYPE_ED25519, public)


def witness_verifier_key(name: str, public: bytes) -> str:
    """``name+keyhash+base64(0x04 || key)``: a witness's cosignature/v1 key."""
    return format_verifier_key(name, SIG_TYPE_COSIGNATURE_V1, public)


class LogSigner:
    """Signs checkpoint notes (type 0x01) with a Serah key, under the log's name."""

    sig_type = SIG_TYPE_ED25519

    def __init__(self, name: str, signer: Any) -> None:
        check_key_name(name)
        self.name = name
        self.public_key = signer.public
        self.key_id = key_id(name, self.sig_type, signer.public)
        self._signer = signer

    def sign(self, text: str) -> NoteSignature:
        check_note_text(text)
        return NoteSignature(self.name, self.key_id, self._signer.sign(text.encode("utf-8")))

    def verifier_key(self) -> str:
        return log_verifier_key(self.name, self.public_key)


class WitnessSigner:
    """cosignature/v1 lines (type 0x04) made with a Serah key (the witness's role)."""

    sig_type = SIG_TYPE_COSIGNATURE_V1

    def __init__(self, name: str, signer: Any, clock: Callable[[], float] = time.time) -> None:
        check_key_name(name)
        self.name = name
        self.public_key = signer.public
        self.key_id = key_id(name, self.sig_type, signer.public)
        self._signer = signer
        self._clock = clock

    def sign(self, text: str, timestamp: int | None = None) -> NoteSignature:
        timestamp = int(self._clock()) if timestamp is None else timestamp
        signature = self._signer.sign(cosigned_message(text, timestamp))
        return NoteSignature(self.name, self.key_id, struct.pack(">Q", timestamp) + signature)

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)

    def verifier_key(self) -> str:
        return witness_verifier_key(self.name, self.public_key)


class KeyWitness(Witness):
    """A :class:`~ledger.tlog.witness.Witness` whose key is a Serah key file.

    ``Witness.__init__`` wants the raw ``cryptography`` private key, which
    ``ledger.keys.Signer`` deliberately never hands out; everything else
    (state file, rollback and split-view rules) is the parent's.
    """

    def __init__(self, name: str, signer: Any, state_path, logs, clock: Callable[[], float] = time.time) -> None:
        self.signer = WitnessSigner(name, signer, clock)
        self.state = WitnessState(state_path)
        self.logs = dict(logs)
