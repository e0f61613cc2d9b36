"""Trust files (SPEC 10.10): the keys KPU and Bawaslu publish, pinned in one file.

A verifier that takes its keys from the thing it checks proves only that the
thing is self-consistent: anyone can make a ledger or a bundle with keys of
their own and a witness *named* Bawaslu. Pinning what the authorities
published out of band is what ties a result to them. One file holds it::

    # KPU Kab. Adm. Kepulauan Seribu, published 2024-01-10
    ledger 3f2a...64 hex digits
    root   9c1b...64 hex digits
    log    serah.kpu.go.id/3101/pemilu-2024+8a0a198a+AS...      (oldest first: the key history)
    witness bawaslu.go.id/3101/w1+bf46fdbc+BN...
    quorum 1

Parsing is strict: an unknown word, a malformed value or a repeated
``ledger``/``quorum`` is a ``TrustError`` naming the line, never a pin
silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier import note

MAX_BYTES = 1 << 20  # a trust file is a page of keys, not data


class TrustError(ValueError):
    """The trust file is not usable: ``line`` (1-based, 0 for the whole file) and why."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Trust:
    """Pinned anchors. Empty fields pin nothing."""

    ledger_id: bytes | None = None
    roots: tuple[bytes, ...] = ()
    log_keys: tuple[str, ...] = ()  # verifier keys, type 0x01, oldest first
    witness_keys: tuple[str, ...] = ()  # verifier keys, type 0x04
    quorum: int = 0

    @property
    def empty(self) -> bool:
        return self.ledger_id is None and not self.roots and not self.log_keys and not self.witness_keys

    def merged(self, other: Trust) -> Trust:
        """This file's pins plus ``other``'s (options given beside the file)."""
        if self.ledger_id and other.ledger_id and self.ledger_id != other.ledger_id:
            raise TrustError(0, "two different ledger ids pinned")
        return Trust(self.ledger_id or other.ledger_id, _unique(self.roots + other.roots),
                     _unique(self.log_keys + other.log_keys), _unique(self.witness_keys + other.witness_keys),
                     max(self.quorum, other.quorum))


def _unique(values: tuple) -> tuple:
    return tuple(dict.fromkeys(values))


def _hex32(value: str, line: int, what: str) -> bytes:
    if len(value) != 64:
        raise TrustError(line, f"{what} must be 64 hex digits")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise TrustError(line, f"{what} must be 64 hex digits") from None


def _vkey(value: str, line: int, sig_type: int, what: str) -> str:
    try:
        key = note.parse_verifier_key(value)
    except note.NoteVerificationError as exc:
        raise TrustError(line, f"{what}: {exc}") from None
    if key.sig_type != sig_type:
        raise TrustError(line, f"{what}: a key of type {key.sig_type:#04x}, expected {sig_type:#04x}")
    return value


def parse(text: str) -> Trust:
    """Read a trust file's text (SPEC 10.10)."""
    ledger_id: bytes | None = None
    quorum: int | None = None
    roots: list[bytes] = []
    logs: list[str] = []
    witnesses: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, value = line.partition(" ")
        value = value.strip()
        if not value or " " in value:
            raise TrustError(number, "expected '<word> <value>'")
        if word == "ledger":
            if ledger_id is not None:
                raise TrustError(number, "ledger given twice")
            ledger_id = _hex32(value, number, "ledger")
        elif word == "root":
            roots.append(_hex32(value, number, "root"))
        elif word == "log":
            logs.append(_vkey(value, number, note.ED25519, "log"))
        elif word == "witness":
            witnesses.append(_vkey(value, number, note.COSIGNATURE_V1, "witness"))
        elif word == "quorum":
            if quorum is not None:
                raise TrustError(number, "quorum given twice")
            if not (value.isascii() and value.isdigit()) or len(value) > 3:
                raise TrustError(number, "quorum must be a small whole number")
            quorum = int(value)
        else:
            raise TrustError(number, f"unknown word {word[:20]!r} (ledger, root, log, witness, quorum)")
    names = {note.parse_verifier_key(k).name for k in logs}
    if len(names) > 1:
        raise TrustError(0, "log keys of different logs: a trust file pins one log")
    return Trust(ledger_id, _unique(tuple(roots)), _unique(tuple(logs)), _unique(tuple(witnesses)), quorum or 0)


def read(path) -> Trust:
    """Read a trust file; ``OSError`` for an unreadable one, ``TrustError`` for a bad one."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TrustError(0, f"larger than {MAX_BYTES} bytes")
    try:
        return parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise TrustError(0, "not UTF-8 text") from None
