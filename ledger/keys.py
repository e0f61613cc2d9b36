"""Custodian keys: Ed25519 signing keys and their files (SPEC 3.5, 7.2).

The dangerous part, the private key, lives only inside :class:`Signer` and in
its passphrase-encrypted file. Nothing here writes it unencrypted, logs it or
shows it in a ``repr``. Public keys travel as 32 raw bytes, as a ``.pub`` text
line, or read aloud as a fingerprint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ledger.errors import BadKeyFile, InvalidInput, WrongPassphrase

__all__ = [
    "Signer",
    "generate",
    "from_seed",
    "save",
    "load",
    "public_path",
    "read_public",
    "public_line",
    "fingerprint",
]

PUBLIC_PREFIX = "serah-ed25519"


class Signer:
    """An Ed25519 private key that can sign and tell its public key."""

    __slots__ = ("_key", "public")

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        #: The 32-byte raw public key (SPEC 2.2 "key").
        self.public: bytes = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def sign(self, message: bytes) -> bytes:
        """Returns the 64-byte Ed25519 signature of ``message``."""
        return self._key.sign(message)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def __repr__(self) -> str:
        return f"Signer({self.fingerprint})"

    def __reduce__(self):
        # Pickling would copy the private key out of this object unencrypted
        # (for example into a multiprocessing pipe); refuse it.
        raise TypeError("a Signer cannot be pickled; load it from its key file")


def generate() -> Signer:
    """Returns a new random key."""
    return Signer(Ed25519PrivateKey.generate())


def from_seed(seed: bytes) -> Signer:
    """Returns the key with the given 32-byte RFC 8032 secret (test vectors)."""
    return Signer(Ed25519PrivateKey.from_private_bytes(bytes(seed)))


def public_path(path: str | os.PathLike[str]) -> Path:
    """The public key file that goes with a key file: ``PATH.pub``."""
    return Path(os.fspath(path) + ".pub")


def save(
    signer: Signer,
    path: str | os.PathLike[str],
    passphrase: str,
    name: str = "",
) -> None:
    """Writes the encrypted key to ``path`` (mode 0600) and ``PATH.pub``.

    Neither file may exist already: a key file is never overwritten, since that
    would destroy the only copy of a custodian's key.
    """
    if not passphrase:
        raise InvalidInput("empty_passphrase")
    path = Path(path)
    pub = public_path(path)
    for target in (path, pub):
        if target.exists():
            raise BadKeyFile(path=str(target), detail="file exists; refusing to overwrite")
    pem = signer._key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    try:
        _write_new(path, pem, 0o600)
    except OSError as e:
        raise BadKeyFile(path=str(path), detail=e.strerror or "cannot write") from None
    try:
        _write_new(pub, (public_line(signer.public, name) + "\n").encode("utf-8"), 0o644)
    except BaseException as e:
        path.unlink()
        if isinstance(e, OSError):
            raise BadKeyFile(path=str(pub), detail=e.strerror or "cannot write") from None
        raise


def load(path: str | os.PathLike[str], passphrase: str) -> Signer:
    """Reads and decrypts a key file written by :func:`save`."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise BadKeyFile(path=str(path), detail=e.strerror or "cannot read") from None
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data:
        raise BadKeyFile(path=str(path), detail="not an encrypted private key (PEM)")
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
    except ValueError as e:
        if "password" in str(e).lower() or "decrypt" in str(e).lower():
            raise WrongPassphrase(path=str(path)) from None
        raise BadKeyFile(path=str(path), detail="damaged key file") from None
    except TypeError:
        raise BadKeyFile(path=str(path), detail="key file is not encrypted") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKeyFile(path=str(path), detail="not an Ed25519 key")
    return Signer(key)


def public_line(public: bytes, name: str = "") -> str:
    """The ``.pub`` text form: ``serah-ed25519 <base64 key> <name>``."""
    line = f"{PUBLIC_PREFIX} {base64.b64encode(_check_public(public)).decode()}"
    name = " ".join(name.split())  # one line, whatever the name holds
    return f"{line} {name}" if name else line


def read_public(source: str | os.PathLike[str]) -> bytes:
    """Returns a 32-byte public key from a ``.pub`` file or key text.

    ``source`` is a path to a ``.pub`` file, or the text itself: a
    ``serah-ed25519 ...`` line, base64 (44 characters) or hex (64 digits).
    """
    text = os.fspath(source)
    where = text
    try:
        if Path(text).is_file():
            text = Path(text).read_text("utf-8")
    except (OSError, ValueError, UnicodeDecodeError):
        raise BadKeyFile(path=where, detail="cannot read public key") from None
    words = text.split()
    if words and words[0] == PUBLIC_PREFIX:
        words = words[1:2]
    if len(words) != 1:
        raise BadKeyFile(path=_short(where), detail="no public key found")
    word = words[0]
    try:
        if len(word) == 64:
            key = bytes.fromhex(word)
        else:
            key = base64.b64decode(word, validate=True)
    except (ValueError, binascii.Error):
        raise BadKeyFile(path=_short(where), detail="public key is not base64 or hex") from None
    if len(key) != 32:
        raise BadKeyFile(path=_short(where), detail="public key is not 32 bytes")
    return key


def fingerprint(public: bytes) -> str:
    """SPEC 3.5: 20 decimal digits in groups of 5, for reading a key aloud."""
    number = int.from_bytes(hashlib.sha256(public).digest()[:8], "big") % 10**20
    digits = f"{number:020d}"
    return "-".join(digits[i : i + 5] for i in range(0, 20, 5))


def verifier_key(public: bytes) -> Ed25519PublicKey:
    """The ``cryptography`` public key object for raw bytes."""
    return Ed25519PublicKey.from_public_bytes(_check_public(public))


def _check_public(public: bytes) -> bytes:
    if type(public) is not bytes or len(public) != 32:
        raise InvalidInput(detail="a public key is 32 bytes")
    return public


def _write_new(path: Path, data: bytes, mode: int) -> None:
    # O_EXCL: fail rather than replace a file that appeared meanwhile.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    os.chmod(path, mode)  # the umask may have narrowed or widened nothing else


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "..."
