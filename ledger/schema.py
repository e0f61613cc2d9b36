"""The form of a record body (SPEC 3.3, 3.4, 4.x; verifier check V2).

:func:`check_body` says whether a body has the fields its type requires,
each of the right form; the ledger's state is never consulted (whether a
record is *allowed* is :mod:`ledger.rules`' business).
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from typing import Any

from ledger.errors import BadRecord, InvalidInput
from ledger.vocabulary import CONDITIONS, ELECTIONS, INCIDENT_KINDS, KINDS, ROLES

__all__ = ["FORBIDDEN_TEXT", "MAX_ATTACHMENTS", "MAX_ATTACHMENT_NAME", "MAX_ATTACHMENT_SIZE", "MAX_LABEL",
           "MEDIA_RE", "valid_attachment_name", "VERSION", "check_body", "check_ledger_name", "forbidden_text", "valid_ledger_name"]

VERSION = 1

ITEM_RE = re.compile(r"[A-Z0-9][A-Z0-9._/-]{0,63}")
REGION_RE = re.compile(r"|[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}|[0-9]{13}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: SPEC 2.2 "text": characters no text value may hold. C0 and C1 controls
#: (a newline forged a "closed by" line in ``handover show``; ESC[8m hid a
#: terminal's output) and bidirectional formatting characters (an RTL
#: override makes a name read as another).
FORBIDDEN_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    return all(a < b for a, b in itertools.pairwise(values))


def _text_set(v: Any) -> bool:
    """An array of non-empty text, sorted and unique (seal numbers)."""
    return type(v) is list and all(_nonempty_text(s) for s in v) and _sorted_unique(v)


def _key_set(v: Any) -> bool:
    return type(v) is list and all(_key(k) for k in v) and _sorted_unique(v)


#: SPEC 4.4: a register line's ``label`` (what a box or a form is, printed on
#: its sticker) is at most this many characters: a label is read on a screen
#: and a report line, not a note.
MAX_LABEL = 120


def _label(v: Any) -> bool:
    return type(v) is str and 0 < len(v) <= MAX_LABEL


#: SPEC 3.8: a record names at most this many attached files, each with a
#: name of at most MAX_ATTACHMENT_NAME characters (a base name: no ``/`` or
#: ``\\``), a media type ``type/subtype`` (lower-case ASCII) and a size of
#: at most MAX_ATTACHMENT_SIZE bytes.
MAX_ATTACHMENTS = 16
MAX_ATTACHMENT_NAME = 100
MAX_ATTACHMENT_SIZE = 2**40
MEDIA_RE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,62}/[a-z0-9][a-z0-9.+-]{0,62}")
ATTACHMENT_FIELDS = frozenset({"media", "name", "sha256", "size"})


def valid_attachment_name(v: Any) -> bool:
    return (type(v) is str and 0 < len(v) <= MAX_ATTACHMENT_NAME and "/" not in v and "\\" not in v
            and FORBIDDEN_TEXT.search(v) is None)


def _attachment(v: Any) -> bool:
    return (type(v) is dict and set(v) == ATTACHMENT_FIELDS
            and type(v["sha256"]) is bytes and len(v["sha256"]) == 32
            and type(v["size"]) is int and 0 <= v["size"] <= MAX_ATTACHMENT_SIZE
            and type(v["media"]) is str and MEDIA_RE.fullmatch(v["media"]) is not None
            and valid_attachment_name(v["name"]))


def _attachments(v: Any) -> bool:
    """SPEC 3.8: 1 to MAX_ATTACHMENTS files, sorted by ``sha256``, none twice."""
    return (type(v) is list and 0 < len(v) <= MAX_ATTACHMENTS and all(_attachment(a) for a in v)
            and _sorted_unique([a["sha256"] for a in v]))


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
    "seal": ({"box": _item, "seals": _text_set}, {"attachments": _attachments}),
    "open": (
        {"box": _item, "seals": _text_set, "intact": _bool, "reason": _text},
        {"exception": _nonempty_text, "attachments": _attachments},
    ),
    "handover.prepare": (
        {"to": _key, "place": _region, "site": _text, "purpose": _text},
        {"escorts": _key_set, "witnesses": _key_set, "exception": _nonempty_text, "attachments": _attachments},
    ),
    "handover.accept": ({"handover": _id}, {"attachments": _attachments}),
    "handover.refuse": ({"handover": _id, "reason": _text}, {"attachments": _attachments}),
    "handover.withdraw": ({"handover": _id, "reason": _text}, {}),
    "handover.partial": ({"handover": _id, "reason": _text}, {"attachments": _attachments}),
    "void": ({"reason": _text}, {}),
    "incident": ({"kind": _one_of(*INCIDENT_KINDS), "description": _text}, {"attachments": _attachments}),
    "tally": ({}, {}),
    "destroy": ({"method": _text, "reason": _text}, {"attachments": _attachments}),
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
            "label": _label,
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
    "handover.withdraw": ({}, {}),
    "handover.partial": (
        {"accepted": _bool},
        {"condition": _one_of(*CONDITIONS), "qty": _count, "seals": _text_set, "note": _text},
    ),
    "void": ({}, {}),
    "incident": ({}, {"qty_lost": _count, "condition": _one_of(*CONDITIONS)}),
    "tally": ({"used": _count, "unused": _count, "spoiled": _count}, {}),
    "destroy": ({}, {}),
}

#: SPEC 4.4: which register fields each kind requires (R) or allows (O).
REGISTER_KIND_FIELDS = {
    "box": {"election": "R", "label": "O"},
    "ballots": {"qty": "R", "election": "R", "dapil": "R", "serial": "O"},
    "seal": {"qty": "R", "serial": "O"},
    "form": {"qty": "R", "label": "O"},
    "other": {"qty": "R", "label": "O"},
}


def forbidden_text(value: Any, where: str = "") -> tuple[str, str] | None:
    """The first text value (at any depth) holding a character SPEC 2.2
    forbids in text, as ``(field path, "U+XXXX")``; None when all are clean.

    Every record is scanned when it is signed and again when it is parsed,
    so the clean case is the fast one: the texts are gathered without
    building field paths (only containers go on the stack; the methods are
    bound once, as this loop runs once per value of a record) and searched
    as one string (the pattern is a character class, so joining them cannot
    make or hide a match). Every character the pattern matches is one
    ``str.isprintable`` refuses (C0/C1 controls are Cc, the bidirectional
    marks Cf), so a printable text, the usual one, needs no regular
    expression; the path is worked out only when something was found.
    """
    texts: list[str] = []
    text = texts.append
    stack: list[Any] = [[value]]
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        for item in node.values() if type(node) is dict else node:
            kind = type(item)
            if kind is str:
                text(item)
            elif kind is dict or kind is list:
                push(item)
    joined = "".join(texts)
    if joined.isprintable() or FORBIDDEN_TEXT.search(joined) is None:
        return None
    return _locate_forbidden(value, where)


def _locate_forbidden(value: Any, where: str) -> tuple[str, str] | None:
    """The path and character :func:`forbidden_text` reports, depth first in
    document order (the slow walk, run only on a record that fails)."""
    if type(value) is str:
        found = FORBIDDEN_TEXT.search(value)
        return None if found is None else (where or "body", f"U+{ord(found.group()):04X}")
    if type(value) is dict:
        for key, item in value.items():
            bad = _locate_forbidden(item, f"{where}.{key}" if where else str(key))
            if bad is not None:
                return bad
    elif type(value) is list:
        for i, item in enumerate(value):
            bad = _locate_forbidden(item, f"{where}[{i}]")
            if bad is not None:
                return bad
    return None


def check_body(body: Any, *, text_checked: bool = False) -> None:
    """Raises :class:`BadRecord` unless ``body`` has the form SPEC 2.2, 3.3,
    3.4 and 4.x give its type (verifier check V2; the ledger's state is not
    consulted). ``text_checked``: the caller has just run
    :func:`forbidden_text` on this very body (signing does, to name the
    field to the user), so the texts are not scanned twice.
    """
    if type(body) is not dict:
        raise BadRecord(detail="a body is a map")
    bad = None if text_checked else forbidden_text(body)
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
