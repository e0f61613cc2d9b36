"""Auditor-side checks of C2SP signed notes, tlog checkpoints and cosignatures.

Independent of ``ledger/`` on purpose (an auditor should not have to trust
the operator's code).  Depends only on the standard library and an Ed25519
implementation: PyNaCl (libsodium) when installed, else ``cryptography``.

Formats: c2sp.org/signed-note, c2sp.org/tlog-checkpoint,
c2sp.org/tlog-cosignature (cosignature/v1, Ed25519).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

try:  # libsodium verifies faster; either library gives the same answer.
    from nacl.exceptions import BadSignatureError as _NaclBadSignature
    from nacl.signing import VerifyKey as _NaclVerifyKey

    _HAVE_NACL = True
except ImportError:  # pragma: no cover - depends on the environment
    _HAVE_NACL = False

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"


class NoteVerificationError(Exception):
    """The note, checkpoint or a signature on it failed a check."""


def ed25519_ok(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True if ``signature`` is a valid Ed25519 signature of ``message``."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    if _HAVE_NACL:
        try:
            _NaclVerifyKey(public_key).verify(message, signature)
            return True
        except (_NaclBadSignature, ValueError, TypeError):
            return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def _strict_b64(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteVerificationError(f"invalid base64: {text[:24]!r}") from exc
    if base64.b64encode(raw).decode("ascii") != text:
        raise NoteVerificationError(f"non-canonical base64: {text[:24]!r}")
    return raw


def _valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


def compute_key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """First 4 bytes of SHA-256(name || "\\n" || type byte || public key)."""
    h = hashlib.sha256()
    h.update(name.encode("utf-8"))
    h.update(b"\n")
    h.update(bytes([sig_type]))
    h.update(public_key)
    return h.digest()[:4]


@dataclass(frozen=True)
class TrustedKey:
    """A configured key: name, signature type (0x01 log, 0x04 witness) and public key."""

    name: str
    sig_type: int
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return compute_key_id(self.name, self.sig_type, self.public_key)


def parse_verifier_key(vkey: str) -> TrustedKey:
    """Parse ``<name>+<8 hex key ID>+<base64(type || key)>`` and check the key ID."""
    name, plus1, rest = vkey.partition("+")
    key_hex, plus2, material_b64 = rest.partition("+")
    if not (plus1 and plus2 and _valid_name(name)):
        raise NoteVerificationError("verifier key is not <name>+<hash>+<keydata>")
    try:
        claimed = bytes.fromhex(key_hex)
    except ValueError as exc:
        raise NoteVerificationError("verifier key hash is not hex") from exc
    if len(key_hex) != 8:
        raise NoteVerificationError("verifier key hash must be 8 hex digits")
    material = _strict_b64(material_b64)
    if len(material) != 33 or material[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteVerificationError("verifier key is not an Ed25519 (0x01) or cosignature/v1 (0x04) key")
    key = TrustedKey(name, material[0], material[1:])
    if key.key_id != claimed:
        raise NoteVerificationError("verifier key hash does not match its name and key")
    return key


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes  # after the 4-byte key ID


def split_signed_note(note: str) -> tuple[str, list[SignatureLine]]:
    """Separate a signed note into its text (final newline included) and signature lines."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteVerificationError("note contains control characters")
    cut = note.rfind("\n\n")
    if cut == -1 or not note.endswith("\n"):
        raise NoteVerificationError("note lacks a blank line before its signatures or a final newline")
    text, block = note[: cut + 1], note[cut + 2 :]
    lines = block.split("\n")[:-1]
    if not lines or len(lines) > 100:
        raise NoteVerificationError("note must carry between 1 and 100 signature lines")
    signatures = []
    for line in lines:
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH or not _valid_name(parts[1]):
            raise NoteVerificationError(f"malformed signature line {line[:40]!r}")
        raw = _strict_b64(parts[2])
        if len(raw) < 5:
            raise NoteVerificationError("signature too short")
        signatures.append(SignatureLine(parts[1], raw[:4], raw[4:]))
    return text, signatures


def _signature_ok(key: TrustedKey, text: str, signature: bytes) -> tuple[bool, int | None]:
    """Check one signature; for a cosignature also return its timestamp."""
    if key.sig_type == ED25519:
        return ed25519_ok(key.public_key, signature, text.encode("utf-8")), None
    if len(signature) != 72:
        return False, None
    timestamp = int.from_bytes(signature[:8], "big")
    if timestamp >= 1 << 63:
        return False, None
    message = b"cosignature/v1\ntime " + str(timestamp).encode("ascii") + b"\n" + text.encode("utf-8")
    return ed25519_ok(key.public_key, signature[8:], message), timestamp


def verify_signed_note(note: str, keys: Iterable[TrustedKey]) -> tuple[str, dict[TrustedKey, int | None]]:
    """Verify a note with the trusted keys; return its text and who signed it.

    Unknown (name, key ID) pairs are ignored; a failing signature by a
    trusted key rejects the note; at least one trusted key must have signed.
    The mapping gives each trusted key that signed and, for cosignatures,
    the signed timestamp (None for plain Ed25519 signatures).
    """
    text, signatures = split_signed_note(note)
    trusted = {(k.name, k.key_id): k for k in keys}
    signers: dict[TrustedKey, int | None] = {}
    for sig in signatures:
        key = trusted.get((sig.name, sig.key_id))
        if key is None:
            continue
        ok, timestamp = _signature_ok(key, text, sig.signature)
        if not ok:
            raise NoteVerificationError(f"bad signature from {sig.name}")
        signers[key] = timestamp
    if not signers:
        raise NoteVerificationError("no signature from a trusted key")
    return text, signers


@dataclass(frozen=True)
class VerifiedCheckpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...]
    cosigned_at: dict[str, int]  # witness name -> cosignature timestamp


def parse_checkpoint_text(text: str) -> tuple[str, int, bytes, tuple[str, ...]]:
    """Origin, tree size, root hash and extension lines of a checkpoint note text."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteVerificationError("checkpoint needs at least three newline-terminated lines")
    origin, size_line, root_line, *extensions = lines[:-1]
    if not origin:
        raise NoteVerificationError("checkpoint origin is empty")
    if not (size_line.isascii() and size_line.isdigit()) or (len(size_line) > 1 and size_line[0] == "0"):
        raise NoteVerificationError(f"checkpoint size {size_line!r} is not a canonical decimal")
    root = _strict_b64(root_line)
    if len(root) != 32:
        raise NoteVerificationError("checkpoint root hash is not 32 bytes")
    if any(not line for line in extensions):
        raise NoteVerificationError("checkpoint extension lines must not be empty")
    return origin, int(size_line), root, tuple(extensions)


def verify_checkpoint(note: str, log_key: TrustedKey, witness_keys: Iterable[TrustedKey] = (),
                      quorum: int = 0) -> VerifiedCheckpoint:
    """Check a checkpoint's log signature and at least ``quorum`` witness cosignatures."""
    if log_key.sig_type != ED25519:
        raise NoteVerificationError("the log key must be an Ed25519 (0x01) key")
    witness_keys = list(witness_keys)
    if any(k.sig_type != COSIGNATURE_V1 for k in witness_keys):
        raise NoteVerificationError("witness keys must be cosignature/v1 (0x04) keys")
    text, signers = verify_signed_note(note, [log_key, *witness_keys])
    if log_key not in signers:
        raise NoteVerificationError("checkpoint is not signed by the log key")
    origin, size, root, extensions = parse_checkpoint_text(text)
    if origin != log_key.name:
        raise NoteVerificationError(f"checkpoint origin {origin!r} is not the log key name {log_key.name!r}")
    # a cosignature/v1 signature always carries its timestamp
    cosigned = {key.name: ts for key, ts in signers.items() if key.sig_type == COSIGNATURE_V1 and ts is not None}
    if len(cosigned) < quorum:
        raise NoteVerificationError(f"{len(cosigned)} valid cosignatures, quorum is {quorum}")
    return VerifiedCheckpoint(origin, size, root, extensions, cosigned)
