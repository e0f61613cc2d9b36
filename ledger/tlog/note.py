"""C2SP signed notes (c2sp.org/signed-note) and tlog checkpoints (c2sp.org/tlog-checkpoint).

A signed note is UTF-8 text ending in a newline, a blank line, then one or
more signature lines ``— <key name> <base64(key ID || signature)>``.  The log
operator signs checkpoints as notes with Ed25519 (signature type 0x01);
witnesses add cosignatures (type 0x04, see ``witness.py``) to the same note.
Keeping to the public formats lets off-the-shelf tools (Go sumdb/note,
transparency-dev witnesses) read Serah checkpoints.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ledger.errors import Category, SerahError

SIG_TYPE_ED25519 = 0x01
SIG_LINE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100  # the spec requires accepting at least 16
HASH_SIZE = 32


class NoteError(SerahError):
    """A note, checkpoint or key is malformed, or its signatures do not verify."""

    code = "note"
    category = Category.INPUT


# --- small helpers ----------------------------------------------------------


def b64encode(data: bytes) -> str:
    """Standard base64 with padding (RFC 4648 section 4)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Strict standard base64: rejects other alphabets, missing padding and non-canonical input."""
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise NoteError(f"bad base64 {text[:20]!r}") from exc
    if b64encode(data) != text:
        raise NoteError(f"non-canonical base64 {text[:20]!r}")
    return data


def check_key_name(name: str) -> None:
    """Key names must be non-empty and contain no Unicode space and no '+'."""
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise NoteError(f"invalid key name {name!r}")


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    """SHA-256(key name || 0x0A || signature type || public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    """The 32-byte RFC 8032 encoding of an Ed25519 public key."""
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def ed25519_verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- verifier keys ------------------------------------------------------------


@dataclass(frozen=True)
class VerifierKey:
    """Parsed ``<name>+<8 hex digits key ID>+<base64(type || public key)>``."""

    name: str
    key_id: bytes
    sig_type: int
    public_key: bytes

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        # The base64 part may itself contain '+', so split at the first two only.
        parts = text.split("+", 2)
        if len(parts) != 3:
            raise NoteError("verifier key must be <name>+<hash>+<keydata>")
        name, hash_hex, key_b64 = parts
        check_key_name(name)
        if len(hash_hex) != 8 or any(ch not in "0123456789abcdefABCDEF" for ch in hash_hex):
            raise NoteError("verifier key hash must be 8 hex digits")
        material = b64decode(key_b64)
        if len(material) < 2:
            raise NoteError("verifier key data too short")
        sig_type, public_key = material[0], material[1:]
        if key_id(name, sig_type, public_key) != bytes.fromhex(hash_hex):
            raise NoteError("verifier key hash does not match name and key")
        return cls(name, bytes.fromhex(hash_hex), sig_type, public_key)

    def __str__(self) -> str:
        return format_verifier_key(self.name, self.sig_type, self.public_key)


def format_verifier_key(name: str, sig_type: int, public_key: bytes) -> str:
    """Text form of a verifier key (key ID as 8 lowercase hex digits)."""
    check_key_name(name)
    return f"{name}+{key_id(name, sig_type, public_key).hex()}+{b64encode(bytes([sig_type]) + public_key)}"


# --- notes ------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSignature:
    """One signature line: key name, 4-byte key ID and the signature bytes after it."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{SIG_LINE_PREFIX}{self.name} {b64encode(self.key_id + self.signature)}\n"

    @classmethod
    def parse_line(cls, line: str) -> NoteSignature:
        """Parse one signature line without its trailing newline."""
        if not line.startswith(SIG_LINE_PREFIX):
            raise NoteError(f"signature line must start with an em dash: {line[:30]!r}")
        name, sep, sig_b64 = line[len(SIG_LINE_PREFIX):].partition(" ")
        if not sep:
            raise NoteError("signature line has no signature")
        check_key_name(name)
        blob = b64decode(sig_b64)
        if len(blob) < 5:
            raise NoteError("signature too short")
        return cls(name, blob[:4], blob[4:])


@dataclass(frozen=True)
class Note:
    """Note text (with its final newline) and its signatures, verified or not."""

    text: str
    signatures: tuple[NoteSignature, ...] = field(default=())

    def to_text(self) -> str:
        return self.text + "\n" + "".join(sig.line() for sig in self.signatures)

    def with_signatures(self, *signatures: NoteSignature) -> Note:
        return Note(self.text, self.signatures + tuple(signatures))


def check_note_text(text: str) -> None:
    """Note text must end in a newline and hold no control characters but newline."""
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise NoteError("note text contains a control character")


def parse_note(message: str | bytes) -> Note:
    """Split a signed note into text and signature lines (no verification)."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError("note is not valid UTF-8") from exc
    split = message.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    text, sig_block = message[: split + 1], message[split + 2 :]
    if not sig_block:
        raise NoteError("note has no signature lines")
    check_note_text(text)
    check_note_text(sig_block)
    lines = sig_block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("note has too many signatures")
    return Note(text, tuple(NoteSignature.parse_line(line) for line in lines))


class Verifier(Protocol):
    """Anything that can check one kind of note signature for one key."""

    name: str
    key_id: bytes

    def verify(self, text: str, signature: bytes) -> bool: ...


class Signer(Protocol):
    name: str
    key_id: bytes

    def sign(self, text: str) -> NoteSignature: ...


def open_note(message: str | bytes | Note, verifiers: Iterable[Verifier]) -> Note:
    """Verify a note against known keys, per the signed-note rules.

    Signatures from unknown (name, key ID) pairs are ignored; a signature
    from a known key that fails makes the whole note invalid; at least one
    known key must have signed.  Returns the note with only verified
    signatures.
    """
    note = message if isinstance(message, Note) else parse_note(message)
    known = {(v.name, v.key_id): v for v in verifiers}
    verified = []
    for sig in note.signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue
        if not verifier.verify(note.text, sig.signature):
            raise NoteError(f"invalid signature by {sig.name}")
        verified.append(sig)
    if not verified:
        raise NoteError("note is not signed by any known key")
    return Note(note.text, tuple(verified))


def sign_note(text: str, signers: Sequence[Signer]) -> str:
    """Signed note text with one signature line per signer."""
    check_note_text(text)
    return Note(text, tuple(signer.sign(text) for signer in signers)).to_text()


# --- Ed25519 (signature type 0x01) ---------------------------------------------


class KeyVerifier:
    """What every note verifier shares: a named Ed25519 key of one signature type.

    Subclasses set ``sig_type`` and say in ``verify`` what the signature covers.
    """

    sig_type: int

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        if len(public_key) != 32:
            raise NoteError("Ed25519 public key must be 32 bytes")
        self.name = name
        self.public_key = public_key
        self.key_id = key_id(name, self.sig_type, public_key)

    @classmethod
    def from_verifier_key(cls, text: str):
        vkey = VerifierKey.parse(text)
        if vkey.sig_type != cls.sig_type:
            raise NoteError(f"verifier key has type {vkey.sig_type:#04x}, expected {cls.sig_type:#04x}")
        return cls(vkey.name, vkey.public_key)

    def verifier_key(self) -> str:
        return format_verifier_key(self.name, self.sig_type, self.public_key)

    def verify(self, text: str, signature: bytes) -> bool:
        raise NotImplementedError


class Ed25519Verifier(KeyVerifier):
    """Verifies plain Ed25519 note signatures (type 0x01) over the note text."""

    sig_type = SIG_TYPE_ED25519

    def verify(self, text: str, signature: bytes) -> bool:
        return len(signature) == 64 and ed25519_verify(self.public_key, signature, text.encode("utf-8"))


class Ed25519Signer:
    """Signs note text with an Ed25519 key under a key name (the log operator's role)."""

    sig_type = SIG_TYPE_ED25519

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        check_key_name(name)
        self.name = name
        self._private_key = private_key
        self.public_key = raw_public_key(private_key)
        self.key_id = key_id(name, self.sig_type, self.public_key)

    def sign(self, text: str) -> NoteSignature:
        check_note_text(text)
        return NoteSignature(self.name, self.key_id, self._private_key.sign(text.encode("utf-8")))

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.public_key)

    def verifier_key(self) -> str:
        return format_verifier_key(self.name, self.sig_type, self.public_key)


# --- checkpoints ----------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """The note text of a tlog checkpoint: origin, tree size, root hash, extensions."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise NoteError("checkpoint origin must be one non-empty line")
        if self.size < 0:
            raise NoteError("checkpoint size must not be negative")
        if len(self.root_hash) != HASH_SIZE:
            raise NoteError("checkpoint root hash must be 32 bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise NoteError("checkpoint extension lines must be non-empty single lines")

    def body(self) -> str:
        """The exact note text: each line, extensions included, ends with a newline."""
        lines = [self.origin, str(self.size), b64encode(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        check_note_text(text)
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise NoteError("checkpoint needs origin, size and root hash lines")
        origin, size_text, root_text, *extensions = lines
        if not size_text.isdigit() or not size_text.isascii() or (size_text != "0" and size_text[0] == "0"):
            raise NoteError(f"bad checkpoint size {size_text!r}")
        root = b64decode(root_text)
        return cls(origin, int(size_text), root, tuple(extensions))

    def sign(self, signer: Signer) -> str:
        """Signed note for this checkpoint."""
        return sign_note(self.body(), [signer])


def open_checkpoint(message: str | bytes, log_verifier: Verifier) -> tuple[Checkpoint, Note]:
    """Verify the operator's signature on a checkpoint note and parse its body.

    Other signatures (witness cosignatures) are left in the returned note
    unverified, so callers can check them against their own witness keys.
    """
    note = parse_note(message)
    open_note(note, [log_verifier])
    checkpoint = Checkpoint.parse(note.text)
    if checkpoint.origin != log_verifier.name:
        raise NoteError(f"checkpoint origin {checkpoint.origin!r} does not match key name {log_verifier.name!r}")
    return checkpoint, note
