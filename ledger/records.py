"""Records: bodies, envelopes, signatures, identifiers, files (SPEC 3, 4, 7.1).

A record is built as a body (a dict), signed into an envelope (bytes), and
identified by the SHA-256 of the envelope. :func:`parse` is the one way back
from bytes to a :class:`Record`: it checks the encoding, the schema of the
body (SPEC 3.3, 3.4, 4.x: check V2) and every signature, so a caller holding a
``Record`` knows it is well formed and authentic. Whether it is *allowed*
(custody, roles, chains) is the ledger's business, not this module's.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgpack

from ledger import keys
from ledger.encoding import decode, encode, normalise
from ledger.errors import BadRecord, BadSignature, InvalidInput

# What used to live here and is still imported from here: the vocabulary,
# the schema, the strict signature check and the handover file.
from ledger.handover_file import (
    HANDOVER_FORMAT,
    MAX_FILE_BYTES,
    handover_file_bytes,
    read_handover_file,
    write_handover_file,
)
from ledger.schema import (
    DATE_RE,
    FORBIDDEN_TEXT,
    ITEM_RE,
    REGION_RE,
    VERSION,
    check_body,
    check_ledger_name,
    forbidden_text,
    valid_ledger_name,
)
from ledger.signatures import _L, _P, _SMALL_ORDER, verify_signature
from ledger.vocabulary import (
    CONDITIONS,
    ELECTIONS,
    INCIDENT_KINDS,
    KINDS,
    LEVELS,
    REGION_LENGTHS,
    ROLES,
    covers,
)

__all__ = [
    "CONDITIONS",
    "DATE_RE",
    "ELECTIONS",
    "FORBIDDEN_TEXT",
    "HANDOVER_FORMAT",
    "INCIDENT_KINDS",
    "ITEM_RE",
    "KINDS",
    "LEVELS",
    "MAX_FILE_BYTES",
    "MAX_RECORD_BYTES",
    "REGION_LENGTHS",
    "REGION_RE",
    "ROLES",
    "SIG_PREFIX",
    "VERSION",
    "_L",
    "_P",
    "_SMALL_ORDER",
    "Record",
    "body_id",
    "build",
    "check_body",
    "check_ledger_name",
    "cosign",
    "covers",
    "forbidden_text",
    "handover_file_bytes",
    "now_ms",
    "parse",
    "read_handover_file",
    "record_id",
    "sign",
    "sign_record",
    "valid_ledger_name",
    "verify_signature",
    "write_handover_file",
]

SIG_PREFIX = b"serah/record/v1\x00"
#: SPEC 3.7: the largest envelope. A tlog-tiles entry bundle (10.9) holds an
#: entry of at most 65,535 bytes, and a reader can then hold any record in
#: bounded memory (a 50 MB incident was appended and printed whole).
MAX_RECORD_BYTES = 65_535


#: SPEC 5.1: how far a record's time may be ahead of the clock of the ledger
#: appending it (and of a verifier reading it): device clocks drift, but an
#: incident dated 2**63-1 froze its item for ever.
FUTURE_TOLERANCE_MS = 15 * 60_000


def time_text(time_ms: int) -> str:
    """A SPEC 2.2 time as UTC text for messages; the number itself when no calendar holds it."""
    try:
        moment = datetime.datetime.fromtimestamp(time_ms / 1000, datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return f"{time_ms} ms"
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def now_ms() -> int:
    """The system clock in milliseconds since the epoch (SPEC 2.2 "time")."""
    return time.time_ns() // 1_000_000


# --- records -----------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """A parsed, well-formed, authentically signed record."""

    raw: bytes  #: the envelope bytes
    id: bytes  #: SHA-256 of ``raw``
    body: dict[str, Any]
    body_bytes: bytes
    sigs: list[tuple[bytes, bytes]]  #: author first, then co-signers by key

    @property
    def type(self) -> str:
        return self.body["type"]

    @property
    def time(self) -> int:
        return self.body["time"]

    @property
    def author(self) -> bytes:
        return self.body["author"]

    @property
    def ledger(self) -> bytes | None:
        return self.body.get("ledger")

    @property
    def cosigners(self) -> list[bytes]:
        return [key for key, _ in self.sigs[1:]]

    @property
    def signers(self) -> list[bytes]:
        return [key for key, _ in self.sigs]

    @property
    def lines(self) -> list[dict[str, Any]]:
        return self.body.get("lines", [])


def record_id(envelope: bytes) -> bytes:
    """SPEC 3.2: the SHA-256 of the exact envelope bytes."""
    return hashlib.sha256(envelope).digest()


def body_id(record: Record | bytes) -> bytes:
    """SPEC 3.2: the SHA-256 of the body bytes alone. Unlike the record id it
    does not change when a co-signature is added, so it is the number a giver
    writes on paper for a handover (SPEC 7.1) and the name of a record file
    passed from signer to signer (SPEC 7.4)."""
    rec = record if isinstance(record, Record) else parse(record, verify=False)
    return hashlib.sha256(rec.body_bytes).digest()


def build(
    type: str,
    author: keys.Signer,
    ledger_id: bytes | None,
    time_ms: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Returns a body: the common fields of SPEC 3.3 plus ``fields``.

    Fields given as None are left out (SPEC 3.4: optional fields are omitted,
    never encoded as nil). Lines are taken as given: a register line's
    ``prev`` is None and is encoded as nil.
    """
    body: dict[str, Any] = {
        "v": VERSION,
        "type": type,
        "time": now_ms() if time_ms is None else time_ms,
        "author": author.public,
    }
    if ledger_id is not None:
        body["ledger"] = ledger_id
    for name, value in fields.items():
        if value is not None:
            body[name] = value
    return body


def sign(body: dict[str, Any], author: keys.Signer, cosigners: Iterable[keys.Signer] = ()) -> bytes:
    """Returns the envelope of ``body`` signed by the author and co-signers.

    The body is checked first (SPEC 3, 4), so a malformed record is never
    signed.
    """
    return sign_record(body, author, cosigners).raw


def sign_record(body: dict[str, Any], author: keys.Signer, cosigners: Iterable[keys.Signer] = ()) -> Record:
    """Like :func:`sign`, returning the :class:`Record` (what :func:`parse`
    of the envelope would return, without decoding it again)."""
    body = normalise(body)
    bad = forbidden_text(body)
    if bad is not None:  # what the user typed: a usage error naming the field, before the schema's BadRecord
        raise InvalidInput("bad_text", field=bad[0], char=bad[1])
    check_body(body, text_checked=True)
    if body["author"] != author.public:
        raise InvalidInput(detail="the body's author is not the signing key")
    body_bytes = msgpack.packb(body, use_bin_type=True)  # body is normalised
    message = SIG_PREFIX + body_bytes
    sigs = [(author.public, author.sign(message))]
    seen = {author.public}
    for signer in sorted(cosigners, key=lambda s: s.public):
        if signer.public in seen:
            raise InvalidInput("already_signed", key=signer.fingerprint)
        seen.add(signer.public)
        sigs.append((signer.public, signer.sign(message)))
    envelope = encode({"body": body_bytes, "sigs": sigs})
    if len(envelope) > MAX_RECORD_BYTES:
        raise InvalidInput("record_too_large", size=len(envelope), limit=MAX_RECORD_BYTES)
    return Record(envelope, record_id(envelope), body, body_bytes, sigs)


def cosign(envelope: bytes, signer: keys.Signer) -> bytes:
    """Returns ``envelope`` with one more co-signature, in canonical order."""
    rec = parse(envelope)
    if signer.public in rec.signers:
        raise InvalidInput("already_signed", key=signer.fingerprint)
    sig = signer.sign(SIG_PREFIX + rec.body_bytes)
    cosigs = sorted([*rec.sigs[1:], (signer.public, sig)])
    sigs = [list(rec.sigs[0])] + [list(s) for s in cosigs]
    envelope = encode({"body": rec.body_bytes, "sigs": sigs})
    if len(envelope) > MAX_RECORD_BYTES:
        raise InvalidInput("record_too_large", size=len(envelope), limit=MAX_RECORD_BYTES)
    return envelope


def parse(envelope: bytes, *, verify: bool = True) -> Record:
    """Returns the :class:`Record` in ``envelope`` after checking everything
    SPEC 3 and 4 say about its form: SCE (V1), schema (V2), signatures (V4).

    Raises :class:`EncodingError`, :class:`BadRecord` or :class:`BadSignature`.
    ``verify=False`` skips only the signature arithmetic, for bytes this
    process signed itself a moment ago.
    """
    if not isinstance(envelope, (bytes, bytearray)):
        raise BadRecord(detail="an envelope is bytes")
    if len(envelope) > MAX_RECORD_BYTES:
        raise BadRecord(detail=f"an envelope of {len(envelope)} bytes is over the {MAX_RECORD_BYTES}-byte limit (SPEC 3.7)")
    envelope = bytes(envelope)
    outer = decode(envelope)
    if type(outer) is not dict or set(outer) != {"body", "sigs"}:
        raise BadRecord(detail="an envelope is a map with exactly 'body' and 'sigs'")
    body_bytes, raw_sigs = outer["body"], outer["sigs"]
    if type(body_bytes) is not bytes:
        raise BadRecord(detail="envelope 'body' must be bytes")
    if type(raw_sigs) is not list or not raw_sigs:
        raise BadRecord(detail="envelope 'sigs' must be a non-empty array")
    sigs: list[tuple[bytes, bytes]] = []
    for entry in raw_sigs:
        if (
            type(entry) is not list
            or len(entry) != 2
            or type(entry[0]) is not bytes
            or len(entry[0]) != 32
            or type(entry[1]) is not bytes
            or len(entry[1]) != 64
        ):
            raise BadRecord(detail="each signature is [key (32 bytes), signature (64 bytes)]")
        sigs.append((entry[0], entry[1]))
    body = decode(body_bytes)
    check_body(body)
    if sigs[0][0] != body["author"]:
        raise BadSignature(detail="the first signature is not the author's")
    cokeys = [key for key, _ in sigs[1:]]
    if cokeys != sorted(set(cokeys)) or body["author"] in cokeys:
        raise BadSignature(detail="co-signatures must be sorted by key, unique, not the author's")
    if verify:
        message = SIG_PREFIX + body_bytes
        for key, sig in sigs:
            if not verify_signature(key, sig, message):
                raise BadSignature(detail=f"signature by {keys.fingerprint(key)} is not valid")
    return Record(envelope, record_id(envelope), body, body_bytes, sigs)
