"""Envelopes and bodies: SPEC sections 3 and 4, as shapes.

This module answers "is this a well-formed record?" without any ledger
context: the envelope is SCE with exactly ``body`` and ``sigs`` (V1), the body
is SCE (V1) and has the fields of its type with the right types, nothing else,
and lines sorted and unique (V2). Whether the record is *allowed* is the
business of ``verifier.checks``.

The fast decoding path (``verifier.sce.unpack``) cannot see floats, ext values,
non-text keys or unsorted keys, so the schema below checks the exact type of
every value and the key order of every map; when it objects, the strict parser
is asked first, so an encoding fault is reported as V1, not V2.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import msgpack

from verifier import sce

_unpackb = msgpack.unpackb
_pack = sce._packer.pack
VERSION = 1
SIG_PREFIX = b"serah/record/v1\x00"

ROLES = frozenset({"kpu", "printer", "ppk", "pps", "kpps", "escort", "witness"})
KINDS = frozenset({"box", "ballots", "seal", "form", "other"})
ELECTIONS = frozenset({"PPWP", "DPR", "DPD", "DPRD_PROV", "DPRD_KAB"})
CONDITIONS = frozenset({"ok", "damaged", "wet", "missing", "opened"})
INCIDENT_KINDS = frozenset({"damage", "loss", "flood", "other"})
REGION_LENGTHS = frozenset({0, 2, 4, 6, 10, 13})

_ITEM = re.compile(r"[A-Z0-9][A-Z0-9._/-]{0,63}").fullmatch
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


class Invalid(Exception):
    """A record fails V1 or V2. ``check`` is 1 or 2; ``code`` and ``params`` make the finding."""

    def __init__(self, check: int, code: str, **params):
        super().__init__(code)
        self.check = check
        self.code = code
        self.params = params


# --- value types (SPEC 2.2) -------------------------------------------------
# Each returns True when the value has the type. They are plain functions so a
# table can name them, and the failure message can name the expected type.


def is_int(x):
    return type(x) is int


def is_count(x):
    return type(x) is int and x >= 0


def is_text(x):
    return type(x) is str


def is_name(x):
    """Non-empty text (seal and serial numbers, `dapil`, `exception`)."""
    return type(x) is str and x != ""


def is_offset(x):
    """Minutes east of UTC, as on Earth: -12:00 to +14:00."""
    return type(x) is int and -720 <= x <= 840


def is_bool(x):
    return type(x) is bool


def is_key(x):
    return type(x) is bytes and len(x) == 32


is_id = is_key  # both are 32 raw bytes


def is_nil(x):
    return x is None


def is_item(x):
    return type(x) is str and _ITEM(x) is not None


def is_region(x):
    return type(x) is str and len(x) in REGION_LENGTHS and (x == "" or (x.isascii() and x.isdigit()))


# The characters with the Unicode White_Space property (Unicode 15).
_WHITE_SPACE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                         + "".join(map(chr, range(0x2000, 0x200B))))


def is_ledger_name(x):  # checked by checks.examine, so a genesis with a bad name still names its roots
    """SPEC 4.1: the genesis `name` is the log origin and the log key's name
    (10.2, 10.3), so a signed-note key name on one line: non-empty, no `+`,
    no White_Space character, no control character (C0, DEL, C1: category Cc)."""
    if type(x) is not str or x == "" or "+" in x:
        return False
    for ch in x:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F or ch in _WHITE_SPACE or ch in _BIDI:
            return False
    return True


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # SPEC 2.2


def is_date(x):
    if type(x) is not str or _DATE(x) is None:
        return False
    try:
        datetime.date.fromisoformat(x)
    except ValueError:
        return False
    return True


def _one_of(values, name):
    def check(x):
        return type(x) is str and x in values

    check.__name__ = name
    return check


is_role = _one_of(ROLES, "role")
is_kind = _one_of(KINDS, "item kind")
is_election = _one_of(ELECTIONS, "election type")
is_condition = _one_of(CONDITIONS, "condition")
is_incident_kind = _one_of(INCIDENT_KINDS, "incident kind")


def is_keys(x):
    """Keys, sorted (bytes ascending), no repeats (SPEC 4.8 `escorts`, `witnesses`)."""
    if type(x) is not list:
        return False
    for i, k in enumerate(x):
        if not is_key(k) or (i and not x[i - 1] < k):
            return False
    return True


def is_seals(x):
    """Seal numbers: text, sorted (UTF-8 bytes, ascending), no repeats."""
    if type(x) is not list:
        return False
    for i, s in enumerate(x):
        if type(s) is not str or not s or (i and not x[i - 1] < s):
            return False
    return True


def is_some_seals(x):
    return is_seals(x) and len(x) > 0


MAX_LABEL = 120  # SPEC 4.4: characters in a register line's label


def is_label(x):
    return type(x) is str and 0 < len(x) <= MAX_LABEL


# SPEC 3.8: files attached to a record by their SHA-256.
MAX_ATTACHMENTS = 16
MAX_ATTACHMENT_NAME = 100
MAX_ATTACHMENT_SIZE = 2**40
_MEDIA = re.compile(r"[a-z0-9][a-z0-9.+-]{0,62}/[a-z0-9][a-z0-9.+-]{0,62}").fullmatch
_ATTACHMENT_KEYS = ["media", "name", "sha256", "size"]


def _is_attachment(a) -> bool:
    return (type(a) is dict and list(a) == _ATTACHMENT_KEYS
            and type(a["sha256"]) is bytes and len(a["sha256"]) == 32
            and type(a["size"]) is int and 0 <= a["size"] <= MAX_ATTACHMENT_SIZE
            and type(a["media"]) is str and _MEDIA(a["media"]) is not None
            and type(a["name"]) is str and 0 < len(a["name"]) <= MAX_ATTACHMENT_NAME
            and "/" not in a["name"] and "\\" not in a["name"] and _FORBIDDEN_TEXT.search(a["name"]) is None)


def is_attachments(x):
    """1 to 16 ``{media, name, sha256, size}`` maps sorted by ``sha256``, none twice (SPEC 3.8)."""
    if type(x) is not list or not 0 < len(x) <= MAX_ATTACHMENTS:
        return False
    for i, a in enumerate(x):
        if not _is_attachment(a) or (i and not x[i - 1]["sha256"] < a["sha256"]):
            return False
    return True


def is_serial(x):
    return type(x) is list and len(x) == 2 and is_name(x[0]) and is_name(x[1])


def is_contents(x):
    """``[[item, qty], ...]`` sorted by item, no item repeated."""
    if type(x) is not list:
        return False
    previous = None
    for pair in x:
        if type(pair) is not list or len(pair) != 2 or not is_item(pair[0]) or not is_count(pair[1]):
            return False
        if previous is not None and not previous < pair[0]:
            return False
        previous = pair[0]
    return True


TYPE_NAMES = {
    is_int: "integer",
    is_count: "count",
    is_text: "text",
    is_bool: "boolean",
    is_name: "non-empty text",
    is_offset: "minutes from -720 to 840",
    is_key: "key",
    is_nil: "nil",
    is_item: "item id",
    is_region: "region code",
    is_date: "date",
    is_ledger_name: "a key name: non-empty, no '+', no white space or control character",
    is_keys: "sorted keys",
    is_seals: "sorted seal numbers",
    is_some_seals: "sorted seal numbers",
    is_serial: "[first, last]",
    is_label: "text of 1 to 120 characters",
    is_attachments: "1 to 16 attachments {media, name, sha256, size} sorted by sha256",
    is_contents: "sorted [item, qty] pairs",
}


def type_name(check) -> str:
    return TYPE_NAMES.get(check) or check.__name__


# --- record types (SPEC 4) ---------------------------------------------------
# For each type: required fields, optional fields, and the line shape (or None).

COMMON = {"v": is_int, "type": is_text, "time": is_count, "author": is_key, "ledger": is_id}

BODY = {
    "genesis": (
        {"name": is_text, "election": is_text, "vote_date": is_date, "utc_offset": is_offset, "roots": None},
        {},
    ),
    "enrol": ({"key": is_key, "role": is_role, "region": is_region, "name": is_text, "org": is_text}, {}),
    "revoke": ({"key": is_key, "reason": is_text}, {}),
    "register": ({"lines": None}, {}),
    "pack": ({"box": is_item, "lines": None}, {}),
    "seal": ({"box": is_item, "seals": is_some_seals, "lines": None}, {"attachments": is_attachments}),
    "open": (
        {"box": is_item, "seals": is_seals, "intact": is_bool, "reason": is_text, "lines": None},
        {"exception": is_name, "attachments": is_attachments},
    ),
    "handover.prepare": (
        {"to": is_key, "place": is_region, "site": is_text, "purpose": is_text, "lines": None},
        {"escorts": is_keys, "witnesses": is_keys, "exception": is_name, "attachments": is_attachments},
    ),
    "handover.accept": ({"handover": is_id, "lines": None}, {"attachments": is_attachments}),
    "handover.refuse": ({"handover": is_id, "reason": is_text, "lines": None}, {"attachments": is_attachments}),
    "handover.withdraw": ({"handover": is_id, "reason": is_text, "lines": None}, {}),
    "handover.partial": ({"handover": is_id, "reason": is_text, "lines": None}, {"attachments": is_attachments}),
    "void": ({"reason": is_text, "lines": None}, {}),
    "incident": ({"kind": is_incident_kind, "description": is_text, "lines": None}, {"attachments": is_attachments}),
    "tally": ({"lines": None}, {}),
    "destroy": ({"method": is_text, "reason": is_text, "lines": None}, {"attachments": is_attachments}),
    "witness": ({"target": is_id, "statement": is_text}, {}),
}
TYPES = frozenset(BODY)

Shape = tuple[dict[str, Callable[[Any], Any]], dict[str, Callable[[Any], Any]]]  # required, optional fields
_PLAIN_LINE: Shape = ({"item": is_item, "prev": is_id}, {})
LINE = {
    "pack": _PLAIN_LINE,
    "seal": _PLAIN_LINE,
    "open": _PLAIN_LINE,
    "handover.prepare": (
        {"item": is_item, "prev": is_id},
        {"qty": is_count, "seals": is_seals, "contents": is_contents},
    ),
    "handover.accept": (
        {"item": is_item, "prev": is_id, "condition": is_condition},
        {"qty": is_count, "seals": is_seals, "note": is_text},
    ),
    "handover.refuse": _PLAIN_LINE,
    "handover.withdraw": _PLAIN_LINE,
    "handover.partial": (
        {"item": is_item, "prev": is_id, "accepted": is_bool},
        {"condition": is_condition, "qty": is_count, "seals": is_seals, "note": is_text},
    ),
    "void": _PLAIN_LINE,
    "incident": ({"item": is_item, "prev": is_id}, {"qty_lost": is_count, "condition": is_condition}),
    "tally": ({"item": is_item, "prev": is_id, "used": is_count, "unused": is_count, "spoiled": is_count}, {}),
    "destroy": _PLAIN_LINE,
}

# `register` lines depend on the item kind (SPEC 4.4).
_REGISTER_BASE = {"item": is_item, "prev": is_nil, "kind": is_kind, "dest": is_region}
REGISTER_LINE = {
    "box": ({**_REGISTER_BASE, "election": is_election}, {"label": is_label}),
    "ballots": (
        {**_REGISTER_BASE, "qty": is_count, "election": is_election, "dapil": is_name},
        {"serial": is_serial},
    ),
    "seal": ({**_REGISTER_BASE, "qty": is_count}, {"serial": is_serial}),
    "form": ({**_REGISTER_BASE, "qty": is_count}, {"label": is_label}),
    "other": ({**_REGISTER_BASE, "qty": is_count}, {"label": is_label}),
}

ROOT: Shape = ({"key": is_key, "name": is_text, "region": is_region}, {})


def _fields(value, shape, where: str) -> None:
    """Check one map against ``(required, optional)``: types, no extras, key order."""
    required, optional = shape
    if type(value) is not dict:
        raise Invalid(2, "schema_bad_value", field=where or "body", expected="map")
    for key in value:
        if key not in required and key not in optional:
            raise Invalid(2, "schema_unknown_field", field=_join(where, key))
    for key, check in required.items():
        if key not in value:
            raise Invalid(2, "schema_missing", field=_join(where, key))
        if check is not None and not check(value[key]):
            raise Invalid(2, "schema_bad_value", field=_join(where, key), expected=type_name(check))
    for key, check in optional.items():
        if key in value and not check(value[key]):
            raise Invalid(2, "schema_bad_value", field=_join(where, key), expected=type_name(check))
    keys = list(value)
    if keys != sorted(keys):
        # Not a schema fault but an encoding one; the caller's explain() names it.
        raise Invalid(1, "sce_key_order", offset=0)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def check_body(body) -> str:
    """Validate a decoded body (V2); return its type. Raises ``Invalid``.

    The compiled fast path (``_fast_body``) accepts nearly every honest
    record; anything it does not accept goes through the field-by-field
    reference check below, which names the fault. The fast path is only ever
    stricter, never more lenient (tests/unit/test_verifier_encoding.py).
    """
    kind = _fast_body(body)
    if kind is None:
        return _check_body_slowly(body)
    _check_body_text(kind, body)
    return kind


# SPEC 2.2 "text": C0 and C1 controls and bidirectional formatting characters.
_FORBIDDEN_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Where free text can be (SPEC 4): the fields the schema types as free text
# (or arrays of it). Every other text field is an item id, a region code, a
# date or one of a fixed set of words, already checked by the schema, so it
# cannot hold a forbidden character. Looking only here keeps the check cheap
# on records with hundreds of lines; derived from the tables, a new field is
# covered by being declared.
_FREE_TEXT = (is_text, is_name, is_seals, is_some_seals, is_serial, is_label)


def _free_text_fields(shapes) -> frozenset:
    return frozenset(name for required, optional in shapes for name, check in {**required, **optional}.items()
                     if check in _FREE_TEXT)


_BODY_TEXT = _free_text_fields(BODY.values())
_LINE_TEXT = _free_text_fields([*LINE.values(), *REGISTER_LINE.values()])


def _check_body_text(kind: str, body: dict) -> None:
    """V2 for SPEC 2.2 text, after the schema check. A genesis ``name`` is
    left to ``is_ledger_name`` (which forbids the same characters and more),
    checked by checks.examine so that a genesis with a bad name still names
    its roots."""
    bad = _FORBIDDEN_TEXT.search
    for key in _BODY_TEXT.intersection(body):
        if kind == "genesis" and key == "name":
            continue
        value = body[key]
        if (bad(value) if type(value) is str else any(bad(v) for v in value if type(v) is str)):
            _check_text(value, key)
    if kind == "genesis":
        for i, root in enumerate(body["roots"]):
            _check_text(root, f"roots[{i}]")
        return
    for i, line in enumerate(body.get("lines", ())):
        for key in _LINE_TEXT.intersection(line):
            value = line[key]
            if (bad(value) if type(value) is str else any(bad(v) for v in value if type(v) is str)):
                _check_text(value, f"lines[{i}].{key}")


def _check_text(value, where: str) -> None:
    """V2: no text value, at any depth, holds a character SPEC 2.2 forbids."""
    if type(value) is str:
        found = _FORBIDDEN_TEXT.search(value)
        if found is not None:
            raise Invalid(2, "schema_bad_text", field=where or "body", char=f"U+{ord(found.group()):04X}")
    elif type(value) is dict:
        for key, item in value.items():
            _check_text(item, _join(where, key))
    elif type(value) is list:
        for i, item in enumerate(value):
            _check_text(item, f"{where}[{i}]")


def _check_body_slowly(body) -> str:
    if type(body) is not dict:
        raise Invalid(2, "schema_bad_value", field="body", expected="map")
    version = body.get("v")
    if type(version) is not int or version != VERSION:
        raise Invalid(2, "schema_version", version=repr(version))
    kind = body.get("type")
    if type(kind) is not str or kind not in TYPES:
        raise Invalid(2, "schema_type", type=repr(kind))
    required, optional = BODY[kind]
    common = dict(COMMON)
    if kind == "genesis":
        del common["ledger"]
    _fields(body, ({**common, **required}, optional), "")
    if kind == "genesis":
        _roots(body["roots"])
    elif "lines" in required:
        _lines(kind, body)
    _check_body_text(kind, body)
    return kind


def _roots(roots) -> None:
    if type(roots) is not list or not roots:
        raise Invalid(2, "schema_bad_value", field="roots", expected="non-empty array of maps")
    for i, root in enumerate(roots):
        _fields(root, ROOT, f"roots[{i}]")


def _lines(kind: str, body: dict) -> None:
    lines = body["lines"]
    if type(lines) is not list or not lines:
        raise Invalid(2, "schema_bad_value", field="lines", expected="non-empty array of maps")
    previous = None
    for i, line in enumerate(lines):
        where = f"lines[{i}]"
        if kind == "register":
            if type(line) is not dict:
                raise Invalid(2, "schema_bad_value", field=where, expected="map")
            item_kind = line.get("kind")
            if not is_kind(item_kind):
                raise Invalid(2, "schema_bad_value", field=f"{where}.kind", expected="item kind")
            _fields(line, REGISTER_LINE[line["kind"]], where)
        else:
            _fields(line, LINE[kind], where)
        item = line["item"]
        if previous is not None and not previous < item:
            raise Invalid(2, "schema_lines_order", field=where, item=item)
        previous = item
    if kind in ("pack", "seal", "open"):
        box = body["box"]
        items = [line["item"] for line in lines]
        # pack: the box and at least one content; seal and open: the box only.
        wrong = (box not in items or len(items) < 2) if kind == "pack" else (items != [box])
        if wrong:
            raise Invalid(2, "schema_box_lines", box=box)


# --- the compiled fast path ----------------------------------------------------
# For each map shape, every allowed key tuple (required keys plus any subset of
# the optional ones, in SCE order) maps to a small function generated from the
# table above, with every field's test written inline. One dict lookup and one
# call then check a whole map; anything unusual falls back to the reference.

_INLINE = {
    is_int: "type({v}) is int",
    is_count: "type({v}) is int and {v} >= 0",
    is_text: "type({v}) is str",
    is_bool: "type({v}) is bool",
    is_key: "type({v}) is bytes and len({v}) == 32",
    is_nil: "{v} is None",
    is_item: "type({v}) is str and ({v} in _GOOD_ITEMS or _good_item({v}))",
    is_role: "type({v}) is str and {v} in ROLES",
    is_kind: "type({v}) is str and {v} in KINDS",
    is_election: "type({v}) is str and {v} in ELECTIONS",
    is_condition: "type({v}) is str and {v} in CONDITIONS",
    is_incident_kind: "type({v}) is str and {v} in INCIDENT_KINDS",
    None: "type({v}) is list",  # lines and roots: checked by the caller
}
_VERSION_TEST = "type({v}) is int and {v} == VERSION"

# Item ids that matched the pattern: an item is named by a dozen records of
# its chain, and a set lookup is a fraction of a regular-expression match.
_GOOD_ITEMS: set = set()
_GOOD_ITEMS_MAX = 1 << 18  # about 25 MiB at most; then start again


def _good_item(x) -> bool:
    if _ITEM(x) is None:
        return False
    if len(_GOOD_ITEMS) >= _GOOD_ITEMS_MAX:
        _GOOD_ITEMS.clear()
    _GOOD_ITEMS.add(x)
    return True


def _compile(shape, version: bool = False) -> dict:
    required, optional = shape
    table = {}
    names = sorted(optional)
    for mask in range(1 << len(names)):
        fields = {**required, **{n: optional[n] for i, n in enumerate(names) if mask >> i & 1}}
        keys = tuple(sorted(fields))
        variables = [f"x{i}" for i in range(len(keys))]
        tests = []
        for key, var in zip(keys, variables, strict=True):
            check = fields[key]
            if version and key == "v":
                tests.append(_VERSION_TEST.format(v=var))
            elif check in _INLINE:
                tests.append(_INLINE[check].format(v=var))
            else:
                tests.append(f"{check.__name__}({var})")
        unpack = ", ".join(variables) + ("," if len(variables) == 1 else "")
        source = f"def fits(m):\n    {unpack} = m.values()\n    return " + " and ".join(f"({t})" for t in tests)
        scope = dict(globals())
        exec(compile(source, f"<shape {','.join(keys)}>", "exec"), scope)
        table[keys] = scope["fits"]
    return table


def _fits(value, table) -> bool:
    fits = table.get(tuple(value))
    return fits is not None and fits(value)


def _body_shape(kind):
    required, optional = BODY[kind]
    common = {k: v for k, v in COMMON.items() if not (kind == "genesis" and k == "ledger")}
    return ({**common, **required}, optional)


_FAST_BODY = {kind: _compile(_body_shape(kind), version=True) for kind in TYPES}
_FAST_LINE = {kind: _compile(shape) for kind, shape in LINE.items()}
_FAST_REGISTER = {kind: _compile(shape) for kind, shape in REGISTER_LINE.items()}
_FAST_ROOT = _compile(ROOT)


def _fast_body(body) -> str | None:
    """The record type if ``body`` is plainly valid, else None (look closer)."""
    if type(body) is not dict:
        return None
    kind = body.get("type")
    if type(kind) is not str:
        return None
    table = _FAST_BODY.get(kind)
    if table is None:
        return None
    fits = table.get(tuple(body))
    if fits is None or not fits(body):
        return None
    if kind == "genesis":
        roots = body["roots"]
        if not roots or not all(type(r) is dict and _fits(r, _FAST_ROOT) for r in roots):
            return None
        return kind
    lines = body.get("lines")
    if lines is None:
        return kind
    if not lines:
        return None
    previous = ""
    if kind == "register":
        for line in lines:
            if type(line) is not dict:
                return None
            shape = _FAST_REGISTER.get(line.get("kind", ""))
            if shape is None or not _fits(line, shape):
                return None
            if not previous < line["item"]:
                return None
            previous = line["item"]
        return kind
    table = _FAST_LINE[kind]
    for line in lines:
        if type(line) is not dict:
            return None
        fits = table.get(tuple(line))
        if fits is None or not fits(line) or not previous < line["item"]:
            return None
        previous = line["item"]
    if kind in ("pack", "seal", "open"):
        items = [line["item"] for line in lines]
        box = body["box"]
        if (box not in items or len(items) < 2) if kind == "pack" else (items != [box]):
            return None
    return kind


def check_envelope(env) -> tuple[bytes, list]:
    """Check the decoded envelope's shape (V2); return ``(body_bytes, sigs)``."""
    if type(env) is not dict or list(env) != ["body", "sigs"]:
        if type(env) is dict and sorted(env) == ["body", "sigs"]:
            raise Invalid(1, "sce_key_order", offset=0)
        raise Invalid(2, "schema_envelope", field="envelope", expected='map {"body", "sigs"}')
    body, sigs = env["body"], env["sigs"]
    if type(body) is not bytes:
        raise Invalid(2, "schema_envelope", field="body", expected="bytes")
    if type(sigs) is not list or not sigs:
        raise Invalid(2, "schema_envelope", field="sigs", expected="non-empty array")
    for i, pair in enumerate(sigs):
        if (
            type(pair) is not list
            or len(pair) != 2
            or type(pair[0]) is not bytes
            or len(pair[0]) != 32
            or type(pair[1]) is not bytes
            or len(pair[1]) != 64
        ):
            raise Invalid(2, "schema_envelope", field=f"sigs[{i}]", expected="[key, signature]")
    return body, sigs


def _decode(data: bytes, part: str):
    """Fast decode plus the round-trip test; any failure is explained exactly (V1)."""
    try:
        value = sce.unpack(data)
        same = sce.canonical_bytes(value) == data
    except Exception:  # noqa: BLE001 - msgpack raises many types; _encoding_fault explains which rule broke
        same = False
    if not same:
        raise _encoding_fault(data, part)
    return value


def _encoding_fault(data: bytes, part: str) -> Invalid:
    problem = sce.explain(data) or ("sce_not_canonical", 0)
    return Invalid(1, problem[0], part=part, offset=problem[1])


def _recheck(data: bytes, part: str, fault: Invalid) -> Invalid:
    """A shape fault may really be an encoding fault (float, ext, bytes key, order)."""
    problem = sce.explain(data)
    if problem is not None:
        return Invalid(1, problem[0], part=part, offset=problem[1])
    if fault.check == 1:  # unsorted keys that explain() did not see cannot happen; be safe
        return Invalid(1, "sce_not_canonical", part=part, offset=0)
    return fault


_BODY_HEAD = b"\x82\xa4body"  # {"body": ...
_SIGS_HEAD = b"\xa4sigs"  # ..., "sigs": [...]}
_SIG_PAIR_HEAD = b"\x92\xc4\x20"  # [bin 8 of 32 bytes, ...
_SIG_HEAD = b"\xc4\x40"  # ..., bin 8 of 64 bytes]
_ONE_SIG_HEAD = b"\xa4sigs\x91\x92\xc4\x20"  # "sigs": [[bin 8 of 32 bytes, ...


def _split_envelope(raw: bytes):
    """The canonical envelope read straight from its bytes, or None.

    ``{"body": bin, "sigs": [[bin 32, bin 64], ...]}`` has exactly one SCE
    encoding per content, so checking every header byte here proves V1 and
    the envelope's shape without decoding and re-encoding. Anything unusual
    returns None and takes the general path, which names the fault.
    """
    size = len(raw)
    if size < 16 or not raw.startswith(_BODY_HEAD):
        return None
    head = raw[6]
    if head == 0xC5:  # most bodies: 256 to 65535 bytes
        length, start = raw[7] << 8 | raw[8], 9
        if length < 0x100:
            return None
    elif head == 0xC4:
        length, start = raw[7], 8
    elif head == 0xC6:
        length, start = int.from_bytes(raw[7:11], "big"), 11
        if length < 0x10000:
            return None
    else:
        return None
    end = start + length
    if size == end + 107:  # one signature, the common case, written out
        if raw.startswith(_ONE_SIG_HEAD, end) and raw.startswith(_SIG_HEAD, end + 41):
            return raw[start:end], [[raw[end + 9 : end + 41], raw[end + 43 :]]]
        return None
    if not raw.startswith(_SIGS_HEAD, end) or end + 5 >= size:
        return None
    count = raw[end + 5] - 0x90  # fixarray: 1 to 15 signatures; more take the general path
    position = end + 6
    if not 1 <= count <= 15 or size != position + count * 101:
        return None
    sigs = []
    for _ in range(count):
        if not (raw.startswith(_SIG_PAIR_HEAD, position) and raw.startswith(_SIG_HEAD, position + 35)):
            return None
        sigs.append([raw[position + 3 : position + 35], raw[position + 37 : position + 101]])
        position += 101
    return raw[start:end], sigs


#: SPEC 3.7: the largest envelope (a tlog-tiles entry holds at most 65,535 bytes).
MAX_ENVELOPE = 65_535


def open_envelope(raw: bytes) -> tuple[bytes, list]:
    """Decode and shape-check an envelope. Raises ``Invalid`` (V1 or V2)."""
    if len(raw) > MAX_ENVELOPE:
        raise Invalid(1, "envelope_too_large", size=len(raw), limit=MAX_ENVELOPE)
    fast = _split_envelope(raw)
    if fast is not None:
        return fast
    env = _decode(raw, "envelope")
    try:
        return check_envelope(env)
    except Invalid as fault:
        raise _recheck(raw, "envelope", fault) from None


def open_body(body_bytes: bytes) -> tuple[str, dict]:
    """Decode and schema-check a body. Returns ``(type, body)``; raises ``Invalid``.

    The common case is written out (one decode, one re-encode, the compiled
    shape check): this runs once per record and its calls add up.
    """
    try:
        body = _unpackb(body_bytes, raw=False, strict_map_key=True, ext_hook=sce._no_ext)
        same = _pack(body) == body_bytes
    except Exception:  # noqa: BLE001 - any decoding failure takes the slow path, which explains it
        same = False
    if same:
        kind = _fast_body(body)
        if kind is not None:
            _check_body_text(kind, body)
            return kind, body
    else:
        raise _encoding_fault(body_bytes, "body")
    try:
        kind = _check_body_slowly(body)
    except Invalid as fault:
        raise _recheck(body_bytes, "body", fault) from None
    return kind, body

