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
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import msgpack
from cryptography.exceptions import InvalidSignature

from ledger import keys
from ledger.encoding import decode, encode, normalise
from ledger.errors import BadFile, BadRecord, BadSignature, EncodingError, InvalidInput

__all__ = [
    "SIG_PREFIX",
    "VERSION",
    "Record",
    "build",
    "sign",
    "sign_record",
    "cosign",
    "parse",
    "record_id",
    "check_body",
    "forbidden_text",
    "check_ledger_name",
    "valid_ledger_name",
    "now_ms",
    "write_handover_file",
    "handover_file_bytes",
    "read_handover_file",
]

SIG_PREFIX = b"serah/record/v1\x00"
VERSION = 1
HANDOVER_FORMAT = "serah-handover"
MAX_FILE_BYTES = 64 * 1024 * 1024

ROLES = ("kpu", "printer", "ppk", "pps", "kpps", "escort", "witness")
#: Custody levels (SPEC 4); escorts and witnesses never hold items.
LEVELS = {"printer": 0, "kpu": 1, "ppk": 2, "pps": 3, "kpps": 4}
KINDS = ("box", "ballots", "seal", "form", "other")
ELECTIONS = ("PPWP", "DPR", "DPD", "DPRD_PROV", "DPRD_KAB")
CONDITIONS = ("ok", "damaged", "wet", "missing", "opened")
INCIDENT_KINDS = ("damage", "loss", "flood", "other")
#: Expected length of a key's region by role (SPEC 4.2); None: any.
REGION_LENGTHS = {
    "kpu": (0, 2, 4),
    "ppk": (6,),
    "pps": (10,),
    "kpps": (13,),
    "printer": None,
    "escort": None,
    "witness": None,
}

ITEM_RE = re.compile(r"[A-Z0-9][A-Z0-9._/-]{0,63}")
REGION_RE = re.compile(r"|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}|[0-9]{13}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: SPEC 2.2 "text": characters no text value may hold. C0 and C1 controls
#: (a newline forged a "closed by" line in ``handover show``; ESC[8m hid a
#: terminal's output) and bidirectional formatting characters (an RTL
#: override makes a name read as another).
FORBIDDEN_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Ed25519 group order and field prime, for the strict checks of RFC 8032 5.1.7.
_L = 2**252 + 27742317777372353535851937790883648493
_P = 2**255 - 19


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


def covers(region: str, target: str) -> bool:
    """SPEC 2.2: region A covers region B when B starts with A."""
    return target.startswith(region)


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


def build(
    type: str,  # noqa: A002 - the SPEC's field name
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
    check_body(body)
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
    return Record(envelope, record_id(envelope), body, body_bytes, sigs)


def cosign(envelope: bytes, signer: keys.Signer) -> bytes:
    """Returns ``envelope`` with one more co-signature, in canonical order."""
    rec = parse(envelope)
    if signer.public in rec.signers:
        raise InvalidInput("already_signed", key=signer.fingerprint)
    sig = signer.sign(SIG_PREFIX + rec.body_bytes)
    cosigs = sorted([*rec.sigs[1:], (signer.public, sig)])
    sigs = [list(rec.sigs[0])] + [list(s) for s in cosigs]
    return encode({"body": rec.body_bytes, "sigs": sigs})


def parse(envelope: bytes, *, verify: bool = True) -> Record:
    """Returns the :class:`Record` in ``envelope`` after checking everything
    SPEC 3 and 4 say about its form: SCE (V1), schema (V2), signatures (V4).

    Raises :class:`EncodingError`, :class:`BadRecord` or :class:`BadSignature`.
    ``verify=False`` skips only the signature arithmetic, for bytes this
    process signed itself a moment ago.
    """
    if not isinstance(envelope, (bytes, bytearray)):
        raise BadRecord(detail="an envelope is bytes")
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


def verify_signature(key: bytes, sig: bytes, message: bytes) -> bool:
    """Strict Ed25519 verification (SPEC 3.1, RFC 8032 5.1.7), refusing
    keys and R of small order too."""
    if int.from_bytes(sig[32:], "little") >= _L:
        return False
    if not _canonical_point(sig[:32]) or not _canonical_point(key):
        return False
    if sig[:32] in _SMALL_ORDER or key in _SMALL_ORDER:
        return False
    try:
        _public_key(key).verify(sig, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _sqrts(a: int) -> list[int]:
    """Square roots mod p (p = 5 mod 8), none when ``a`` is not a square."""
    a %= _P
    root = pow(a, (_P + 3) // 8, _P)
    if root * root % _P != a:
        root = root * pow(2, (_P - 1) // 4, _P) % _P  # times sqrt(-1)
    return sorted({root, _P - root}) if root * root % _P == a else []


def _small_order_encodings() -> frozenset[bytes]:
    """Encodings of the 8 points whose order divides 8 (SPEC 3.1): with
    such a key anyone can forge, and libraries disagree about them. They
    have y = 1, -1, 0, or y^2 = (-1 +- sqrt(1 + d)) / d (order 8), with
    either sign bit."""
    d = -121665 * pow(121666, -1, _P) % _P
    ys = {0, 1, _P - 1}
    for s in _sqrts(1 + d):
        ys.update(_sqrts((s - 1) * pow(d, -1, _P)))
    return frozenset((y | sign << 255).to_bytes(32, "little") for y in ys for sign in (0, 1))


def _canonical_point(encoded: bytes) -> bool:
    # The y coordinate must be reduced mod p; the sign bit is the top bit.
    return int.from_bytes(encoded, "little") & ((1 << 255) - 1) < _P


_SMALL_ORDER = _small_order_encodings()


@lru_cache(maxsize=4096)
def _public_key(key: bytes):
    return keys.verifier_key(key)


# --- schema (SPEC 3.3, 3.4, 4.x; verifier check V2) -----------------------------

def _text(v: Any) -> bool:
    return type(v) is str


def _nonempty_text(v: Any) -> bool:
    return type(v) is str and v != ""


def _count(v: Any) -> bool:
    return type(v) is int and v >= 0


def _key(v: Any) -> bool:
    return type(v) is bytes and len(v) == 32


_id = _key


def _item(v: Any) -> bool:
    return type(v) is str and ITEM_RE.fullmatch(v) is not None


def _region(v: Any) -> bool:
    return type(v) is str and REGION_RE.fullmatch(v) is not None


def _date(v: Any) -> bool:
    if type(v) is not str or not DATE_RE.fullmatch(v):
        return False
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _bool(v: Any) -> bool:
    return type(v) is bool


def _one_of(*choices: str):
    return lambda v: type(v) is str and v in choices


def _sorted_unique(values: list[Any]) -> bool:
    return all(a < b for a, b in zip(values, values[1:]))


def _text_set(v: Any) -> bool:
    """An array of non-empty text, sorted and unique (seal numbers)."""
    return type(v) is list and all(_nonempty_text(s) for s in v) and _sorted_unique(v)


def _key_set(v: Any) -> bool:
    return type(v) is list and all(_key(k) for k in v) and _sorted_unique(v)


def _serial(v: Any) -> bool:
    return type(v) is list and len(v) == 2 and all(_nonempty_text(s) for s in v)


def _contents(v: Any) -> bool:
    return (
        type(v) is list
        and all(
            type(e) is list and len(e) == 2 and _item(e[0]) and _count(e[1]) for e in v
        )
        and _sorted_unique([e[0] for e in v])
    )


def valid_ledger_name(v: Any) -> bool:
    """SPEC 4.1: the genesis ``name`` is the transparency log's origin and the
    log key's name (10.2, 10.3), so it must be a signed-note key name that
    fits on one line of note text: non-empty, no ``+``, no Unicode white
    space, no control character."""
    return (
        type(v) is str
        and v != ""
        and "+" not in v
        and not any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in v)
    )


def check_ledger_name(name: Any) -> None:
    """Raises :class:`InvalidInput` (``bad_ledger_name``) unless ``name`` can
    be a genesis ``name`` (:func:`valid_ledger_name`)."""
    if not valid_ledger_name(name):
        # Shown in one error line: escape what would break or hide in it.
        shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in str(name))
        raise InvalidInput("bad_ledger_name", name=shown)


def _offset(v: Any) -> bool:
    return type(v) is int and -720 <= v <= 840


def _roots(v: Any) -> bool:
    if type(v) is not list or not v:
        return False
    for root in v:
        if type(root) is not dict or set(root) != {"key", "name", "region"}:
            return False
        if not (_key(root["key"]) and _text(root["name"]) and _region(root["region"])):
            return False
    return len({root["key"] for root in v}) == len(v)


COMMON = {"v": _count, "type": _text, "time": _count, "author": _key, "ledger": _id}

#: Per type: (required fields, optional fields), besides COMMON and "lines".
FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "genesis": (
        {"name": valid_ledger_name, "election": _text, "vote_date": _date, "utc_offset": _offset, "roots": _roots},
        {},
    ),
    "enrol": (
        {"key": _key, "role": _one_of(*ROLES), "region": _region, "name": _text, "org": _text},
        {},
    ),
    "revoke": ({"key": _key, "reason": _text}, {}),
    "register": ({}, {}),
    "pack": ({"box": _item}, {}),
    "seal": ({"box": _item, "seals": _text_set}, {}),
    "open": (
        {"box": _item, "seals": _text_set, "intact": _bool, "reason": _text},
        {"exception": _nonempty_text},
    ),
    "handover.prepare": (
        {"to": _key, "place": _region, "site": _text, "purpose": _text},
        {"escorts": _key_set, "witnesses": _key_set, "exception": _nonempty_text},
    ),
    "handover.accept": ({"handover": _id}, {}),
    "handover.refuse": ({"handover": _id, "reason": _text}, {}),
    "incident": ({"kind": _one_of(*INCIDENT_KINDS), "description": _text}, {}),
    "tally": ({}, {}),
    "destroy": ({"method": _text, "reason": _text}, {}),
    "witness": ({"target": _id, "statement": _text}, {}),
}

#: Per type with lines: (required line fields, optional line fields),
#: besides "item" and "prev".
LINE_FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "register": (
        {"kind": _one_of(*KINDS), "dest": _region},
        {
            "qty": _count,
            "election": _one_of(*ELECTIONS),
            "dapil": _nonempty_text,
            "serial": _serial,
            "label": _text,
        },
    ),
    "pack": ({}, {}),
    "seal": ({}, {}),
    "open": ({}, {}),
    "handover.prepare": ({}, {"qty": _count, "seals": _text_set, "contents": _contents}),
    "handover.accept": (
        {"condition": _one_of(*CONDITIONS)},
        {"qty": _count, "seals": _text_set, "note": _text},
    ),
    "handover.refuse": ({}, {}),
    "incident": ({}, {"qty_lost": _count, "condition": _one_of(*CONDITIONS)}),
    "tally": ({"used": _count, "unused": _count, "spoiled": _count}, {}),
    "destroy": ({}, {}),
}

#: SPEC 4.4: which register fields each kind requires (R) or allows (O).
REGISTER_KIND_FIELDS = {
    "box": {"election": "R"},
    "ballots": {"qty": "R", "election": "R", "dapil": "R", "serial": "O"},
    "seal": {"qty": "R", "serial": "O"},
    "form": {"qty": "R", "label": "O"},
    "other": {"qty": "R", "label": "O"},
}


def forbidden_text(value: Any, where: str = "") -> tuple[str, str] | None:
    """The first text value (at any depth) holding a character SPEC 2.2
    forbids in text, as ``(field path, "U+XXXX")``; None when all are clean."""
    if type(value) is str:
        found = FORBIDDEN_TEXT.search(value)
        return None if found is None else (where or "body", f"U+{ord(found.group()):04X}")
    if type(value) is dict:
        for key, item in value.items():
            bad = forbidden_text(item, f"{where}.{key}" if where else str(key))
            if bad is not None:
                return bad
    elif type(value) is list:
        for i, item in enumerate(value):
            bad = forbidden_text(item, f"{where}[{i}]")
            if bad is not None:
                return bad
    return None


def check_body(body: Any) -> None:
    """Raises :class:`BadRecord` unless ``body`` has the form SPEC 2.2, 3.3,
    3.4 and 4.x give its type (verifier check V2; the ledger's state is not
    consulted).
    """
    if type(body) is not dict:
        raise BadRecord(detail="a body is a map")
    bad = forbidden_text(body)
    if bad is not None:
        raise BadRecord(detail=f"text field {bad[0]} holds {bad[1]}, a control or bidirectional formatting character")
    if body.get("v") != VERSION or type(body.get("v")) is not int:
        raise BadRecord(detail=f"unknown format version {body.get('v')!r}")
    rtype = body.get("type")
    if rtype not in FIELDS:
        raise BadRecord(detail=f"unknown record type {rtype!r}")
    required, optional = FIELDS[rtype]
    required = {**{k: v for k, v in COMMON.items() if k != "ledger" or rtype != "genesis"}, **required}
    if rtype in LINE_FIELDS:
        required["lines"] = None
    _check_fields(body, required, optional, rtype)
    if rtype in LINE_FIELDS:
        _check_lines(rtype, body["lines"])
        if rtype in ("seal", "open") and [ln["item"] for ln in body["lines"]] != [body["box"]]:
            raise BadRecord(detail=f"{rtype}: 'lines' must name the box only")
        if rtype == "pack" and body["box"] not in {ln["item"] for ln in body["lines"]}:
            raise BadRecord(detail="pack: 'lines' must include the box")
        if rtype == "pack" and len(body["lines"]) < 2:
            raise BadRecord(detail="pack: nothing to put in the box")


def _check_fields(obj: dict[str, Any], required: dict[str, Any], optional: dict[str, Any], where: str) -> None:
    for name, check in required.items():
        if name not in obj:
            raise BadRecord(detail=f"{where}: missing field '{name}'")
        if check is not None and not check(obj[name]):
            raise BadRecord(detail=f"{where}: bad value for '{name}'")
    for name, value in obj.items():
        if name in required:
            continue
        if name not in optional:
            raise BadRecord(detail=f"{where}: unknown field '{name}'")
        if not optional[name](value):
            raise BadRecord(detail=f"{where}: bad value for '{name}'")


def _check_lines(rtype: str, lines: Any) -> None:
    if type(lines) is not list or not lines:
        raise BadRecord(detail=f"{rtype}: 'lines' must be a non-empty array")
    required, optional = LINE_FIELDS[rtype]
    required = {"item": _item, "prev": None, **required}
    items = []
    for line in lines:
        if type(line) is not dict:
            raise BadRecord(detail=f"{rtype}: each line is a map")
        _check_fields(line, required, optional, f"{rtype} line")
        prev = line["prev"]
        if rtype == "register":
            if prev is not None:
                raise BadRecord(detail="register: 'prev' must be nil")
            _check_register_line(line)
        elif not _id(prev):
            raise BadRecord(detail=f"{rtype}: 'prev' must be a record id")
        items.append(line["item"].encode("utf-8"))
    if not _sorted_unique(items):
        raise BadRecord(detail=f"{rtype}: lines must be sorted by item, each item once")


def _check_register_line(line: dict[str, Any]) -> None:
    fields = REGISTER_KIND_FIELDS[line["kind"]]
    for name in ("qty", "election", "dapil", "serial", "label"):
        rule = fields.get(name)
        if rule == "R" and name not in line:
            raise BadRecord(detail=f"register: a {line['kind']} needs '{name}' ({line['item']})")
        if rule is None and name in line:
            raise BadRecord(detail=f"register: a {line['kind']} has no '{name}' ({line['item']})")


# --- handover files (SPEC 7.1) --------------------------------------------------

def handover_file_bytes(envelopes: Iterable[bytes]) -> bytes:
    """The bytes of a handover file (SPEC 7.1) holding ``envelopes``."""
    return encode({"format": HANDOVER_FORMAT, "v": 1, "records": [bytes(e) for e in envelopes]})


def write_handover_file(path: str | os.PathLike[str], envelopes: Iterable[bytes]) -> None:
    """Writes a handover file atomically (a reader never sees half a file)."""
    data = handover_file_bytes(envelopes)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise BadFile(path=str(path), detail=e.strerror or "cannot write") from None


def read_handover_file(path: str | os.PathLike[str]) -> list[bytes]:
    """Returns the envelopes in a handover file: the prepare, then possibly
    its accept or refuse. Each envelope is fully checked (:func:`parse`), so a
    tampered file fails here, before anything is shown or appended.
    """
    where = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise BadFile(path=where, detail=e.strerror or "cannot read") from None
    if len(data) > MAX_FILE_BYTES:
        raise BadFile(path=where, detail="file too large for a handover file")
    try:
        outer = decode(data)
    except EncodingError as e:
        raise BadFile(path=where, detail=f"not a Serah handover file ({e.params['detail']})") from None
    if (
        type(outer) is not dict
        or outer.get("format") != HANDOVER_FORMAT
        or set(outer) != {"format", "v", "records"}
    ):
        raise BadFile(path=where, detail="not a Serah handover file")
    if outer["v"] != 1 or type(outer["v"]) is not int:
        raise BadFile(path=where, detail=f"unknown handover file version {outer['v']!r}")
    envelopes = outer["records"]
    if type(envelopes) is not list or not 1 <= len(envelopes) <= 2 or any(type(e) is not bytes for e in envelopes):
        raise BadFile(path=where, detail="a handover file holds one or two records")
    parsed = [parse(e) for e in envelopes]
    if parsed[0].type != "handover.prepare":
        raise BadFile(path=where, detail="the first record is not a handover.prepare")
    if len(parsed) == 2 and (
        parsed[1].type not in ("handover.accept", "handover.refuse")
        or parsed[1].body["handover"] != parsed[0].id
    ):
        raise BadFile(path=where, detail="the second record is not the answer to the first")
    return envelopes
