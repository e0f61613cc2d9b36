"""The monitor's state folder (SPEC 10.12), read as data only.

A monitor's folder may sit on a shared drive or be restored from a backup
someone else made: whoever can swap a file in it must at worst make the
monitor re-check or refuse, never run code. So the folder holds no pickle:

``state.json`` (at most 1 MiB, UTF-8 JSON)
    ``{"version": 2, "url", "size", "root" (64 hex), "note", "count",
    "peaks" (hex, one per set bit of count), "verified", "checks":
    {"file", "bytes", "sha256"}}``: the last verified checkpoint, the right
    frontier of its tree, and which checks file goes with it.

``checks-<8 hex>.msgpack`` (at most ``MAX_CHECKS`` bytes)
    the state of the section 8 checks after record ``size`` - 1, as msgpack
    with six extension types for the verifier's own value classes (below).
    Decoding builds only those classes, field by field, with each field's
    type checked; anything else is refused as a whole.

The checks file is written first under a new name, then ``state.json`` is
replaced naming it (both fsynced, renamed into place), then older checks
files are removed: a crash at any point leaves a state.json whose checks
file exists and matches its SHA-256. A file that does not is refused with
one line (``StateError``; the monitor reports it as unusable, exit 2), and
the state is left as it was for a person to look at.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import msgpack

from verifier import checks
from verifier.state import EMPTY, Custodian, Handover, Item, Seen, State

VERSION = 2
MAX_STATE_JSON = 1024 * 1024
MAX_CHECKS = 1024 * 1024 * 1024  # 1 GiB: a 1M-record ledger's checks take ~60 MB
_CHECKS_NAME = re.compile(r"checks-[0-9a-f]{8}\.msgpack\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")

# msgpack extension codes (documented in SPEC 10.12)
TUPLE, SET, FROZENSET, CUSTODIAN, ITEM, HANDOVER, SEEN, STATE = range(1, 9)

_STATE_FIELDS = ("ledger_id", "genesis_time", "utc_offset", "vote_day", "custodians", "roots", "items",
                 "handovers", "seals_used", "lineless", "_keys")
_RULES_FIELDS = ("genesis_seen", "pending_targets", "latest", "ahead", "tallies", "conditions")

_OPT_INT = (int, type(None))
_OPT_BYTES = (bytes, type(None))
_OPT_STR = (str, type(None))
_SEALS = (tuple, list)
# Per class: each slot's allowed types (checked on decoding; bool is an int in Python).
_CUSTODIAN_TYPES = ((str,), (str,), (bool,), _OPT_INT)
_ITEM_TYPES = ((str,), (str,), _OPT_INT, _OPT_BYTES, (str,), _OPT_STR, (frozenset, set, type(None)), _SEALS,
               (bytes,), (int,), _OPT_BYTES, (bytes,))
_HANDOVER_TYPES = ((bytes,), (bytes,), (dict,), (int,), (bytes,), _OPT_INT)
_STATE_TYPES = (_OPT_BYTES, _OPT_INT, (int,), _OPT_INT, (dict,), (list,), (dict,), (dict,), (list,), (dict,), (dict,))


class StateError(Exception):
    """The state folder cannot be used (corrupt, oversized, another version, mismatched files)."""


# --- encoding ------------------------------------------------------------------


def _pack(value: Any) -> bytes:
    return msgpack.packb(value, default=_default, use_bin_type=True, strict_types=True)


def _default(value: Any) -> msgpack.ExtType:
    kind = type(value)
    if kind is tuple:
        return msgpack.ExtType(TUPLE, _pack(list(value)))
    if kind is set:
        return msgpack.ExtType(SET, _pack(sorted(value, key=_order)))
    if kind is frozenset:
        return msgpack.ExtType(FROZENSET, _pack(sorted(value, key=_order)))
    if kind is Custodian:
        return msgpack.ExtType(CUSTODIAN, _pack([getattr(value, s) for s in Custodian.__slots__]))
    if kind is Item:
        return msgpack.ExtType(ITEM, _pack([getattr(value, s) for s in Item.__slots__]))
    if kind is Handover:
        return msgpack.ExtType(HANDOVER, _pack([getattr(value, s) for s in Handover.__slots__]))
    if kind is Seen:
        return msgpack.ExtType(SEEN, _pack(value._tags))
    if kind is State:
        fields = [getattr(value, f) for f in _STATE_FIELDS]
        fields[4] = {k: [c.role, c.region, c.root, c.revoked] for k, c in value.custodians.items()}
        fields[5] = sorted(value.roots)
        fields[6] = {k: _flat_item(i) for k, i in value.items.items()}
        fields[8] = sorted(value.seals_used, key=_order)
        fields[9] = value.lineless._tags
        return msgpack.ExtType(STATE, _pack(fields))
    raise TypeError(f"the monitor state cannot hold a {kind.__name__}")


def _flat_item(item: Item) -> list:
    """An item as one plain array (no extension types: the hot path of a large state)."""
    contents = item.contents
    code = 0 if contents is None else 1 if type(contents) is frozenset else 2
    return [item.kind, item.dest, item.qty, item.holder, item.state, item.box, code,
            sorted(contents, key=_order) if contents else [], list(item.seals), item.head, item.time, item.pending,
            item.history]


def _order(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def encode_rules(rules: checks.Rules) -> bytes:
    """The checks' state (not the report, not the clock) as msgpack bytes."""
    saved = {"v": VERSION, "state": rules.state, **{f: getattr(rules, f) for f in _RULES_FIELDS}}
    saved["tallies"] = {item: list(tally) for item, tally in rules.tallies.items()}  # plain arrays: no hook per tally
    return _pack(saved)


# --- decoding ------------------------------------------------------------------


def _fields(code: int, data: bytes, types: tuple) -> list:
    values = _unpack(data)
    if type(values) is not list or len(values) != len(types):
        raise StateError(f"extension {code}: expected {len(types)} fields")
    for number, (value, allowed) in enumerate(zip(values, types, strict=True)):
        if not isinstance(value, allowed):
            raise StateError(f"extension {code}: field {number} is a {type(value).__name__}")
    return values


def _build(cls: Any, values: list) -> Any:
    obj = cls.__new__(cls)  # no __init__: every slot is set from the checked values
    for name, value in zip(cls.__slots__, values, strict=True):
        setattr(obj, name, value)
    return obj


def _seen(tags: Any) -> Seen:
    if type(tags) is not dict or not all(type(k) is bytes and type(v) is int for k, v in tags.items()):
        raise StateError("state: the ids of records without lines are not a map of bytes to tags")
    seen = Seen()
    seen._tags = tags
    return seen


def _custodian(key: Any, fields: Any) -> Custodian:
    if type(key) is not bytes or type(fields) is not list or len(fields) != 4:
        raise StateError("state: a custodian is not a key and four fields")
    role, region, root, revoked = fields
    if type(role) is not str or type(region) is not str or type(root) is not bool or not isinstance(revoked, _OPT_INT):
        raise StateError("state: a custodian's field has the wrong type")
    custodian = Custodian(role, region, root)
    custodian.revoked = revoked
    return custodian


def _item(key: Any, fields: Any) -> Item:
    if type(key) is not str or type(fields) is not list or len(fields) != 13:
        raise StateError("state: an item is not a name and thirteen fields")
    kind, dest, qty, holder, state, box, code, contents, seals, head, time, pending, history = fields
    if not (type(kind) is str and type(dest) is str and isinstance(qty, _OPT_INT) and isinstance(holder, _OPT_BYTES)
            and type(state) is str and isinstance(box, _OPT_STR) and code in (0, 1, 2) and type(contents) is list
            and type(seals) is list and type(head) is bytes and type(time) is int and isinstance(pending, _OPT_BYTES)
            and type(history) is bytes and (code or not contents)):
        raise StateError("state: an item's field has the wrong type")
    item = Item.__new__(Item)
    item.kind, item.dest, item.qty, item.holder, item.state, item.box = kind, dest, qty, holder, state, box
    item.contents = None if code == 0 else (EMPTY if not contents else frozenset(contents)) if code == 1 \
        else set(contents)
    item.seals, item.head, item.time, item.pending, item.history = tuple(seals), head, time, pending, history
    return item


def _ext_hook(code: int, data: bytes) -> Any:
    if code in (TUPLE, SET, FROZENSET):
        values = _unpack(data)
        if type(values) is not list:
            raise StateError(f"extension {code}: not an array")
        return tuple(values) if code == TUPLE else set(values) if code == SET else frozenset(values)
    if code == CUSTODIAN:
        return _build(Custodian, _fields(code, data, _CUSTODIAN_TYPES))
    if code == ITEM:
        values = _fields(code, data, _ITEM_TYPES)
        values[7] = tuple(values[7])  # seals
        return _build(Item, values)
    if code == HANDOVER:
        return _build(Handover, _fields(code, data, _HANDOVER_TYPES))
    if code == SEEN:
        return _seen(_unpack(data))
    if code == STATE:
        values = _fields(code, data, _STATE_TYPES)
        state = State()
        for name, value in zip(_STATE_FIELDS, values, strict=True):
            setattr(state, name, value)
        state.custodians = {key: _custodian(key, c) for key, c in values[4].items()}
        state.roots = set(values[5])
        state.items = {key: _item(key, i) for key, i in values[6].items()}
        state.seals_used = set(values[8])
        state.lineless = _seen(values[9])
        if not all(type(k) is bytes for k in state.roots):
            raise StateError("state: a root key is not bytes")
        return state
    raise StateError(f"unknown extension type {code}")


def _unpack(data: bytes) -> Any:
    # unpackb bounds every length by len(data): a declared length cannot make it allocate more
    return msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False, use_list=True)


def decode_rules(data: bytes, report) -> checks.Rules:
    """Rules resumed from ``encode_rules`` bytes; StateError if they are not exactly that."""
    try:
        saved = _unpack(data)
    except StateError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError, msgpack.UnpackException) as error:
        raise StateError(f"checks file is not valid msgpack: {type(error).__name__}") from None
    if type(saved) is not dict or saved.get("v") != VERSION or set(saved) != {"v", "state", *_RULES_FIELDS}:
        raise StateError("checks file: unknown version or fields")
    if type(saved["state"]) is not State or type(saved["genesis_seen"]) is not bool:
        raise StateError("checks file: malformed state")
    for name, kind in (("pending_targets", dict), ("ahead", list), ("tallies", dict), ("conditions", dict)):
        if type(saved[name]) is not kind:
            raise StateError(f"checks file: {name} is not a {kind.__name__}")
    if not isinstance(saved["latest"], _OPT_INT):
        raise StateError("checks file: latest is not a time")
    tallies = saved["tallies"]
    if not all(type(k) is str and type(v) is list and all(type(n) is int for n in v) for k, v in tallies.items()):
        raise StateError("checks file: a tally is not a list of counts")
    saved["tallies"] = {k: tuple(v) for k, v in tallies.items()}
    rules = checks.Rules(report)
    rules.state = saved["state"]
    for name in _RULES_FIELDS:
        setattr(rules, name, saved[name])
    return rules


# --- the folder ----------------------------------------------------------------


def _read_bounded(path: Path, limit: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise StateError(f"{path}: {error.strerror or error}") from None
    if len(data) > limit:
        raise StateError(f"{path}: larger than {limit} bytes")
    return data


def check_saved(data: Any, path: Path) -> dict:
    """``state.json``'s fields, each of its documented type; StateError otherwise."""
    if type(data) is not dict or data.get("version") != VERSION:
        raise StateError(f"{path}: not a monitor state of version {VERSION}")
    size, count, peaks, root = data.get("size"), data.get("count"), data.get("peaks"), data.get("root")
    ok = (type(size) is int and size > 0 and count == size and type(root) is str and _HEX64.match(root)
          and type(peaks) is list and len(peaks) == bin(size).count("1")
          and all(type(p) is str and _HEX64.match(p) for p in peaks)
          and type(data.get("note")) is str and type(data.get("url")) is str)
    ref = data.get("checks")
    ok = ok and type(ref) is dict and type(ref.get("file")) is str and bool(_CHECKS_NAME.match(ref["file"])) \
        and type(ref.get("bytes")) is int and 0 < ref["bytes"] <= MAX_CHECKS \
        and type(ref.get("sha256")) is str and bool(_HEX64.match(ref["sha256"]))
    if not ok:
        raise StateError(f"{path}: a field is missing or malformed")
    return data


class MonitorFolder:
    """Load and save ``state.json`` and its checks file (module docstring)."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def load(self, report) -> tuple[dict | None, checks.Rules | None]:
        path = self.folder / "state.json"
        if not path.exists():
            if (self.folder / "checks.pickle").exists():
                raise StateError(f"{self.folder}: a state of an older monitor (checks.pickle), not read: "
                                 "move the folder away to verify from the start")
            return None, None
        try:
            saved = json.loads(_read_bounded(path, MAX_STATE_JSON).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise StateError(f"{path}: not JSON") from None
        saved = check_saved(saved, path)
        ref = saved["checks"]
        blob = _read_bounded(self.folder / ref["file"], MAX_CHECKS)
        if len(blob) != ref["bytes"] or hashlib.sha256(blob).hexdigest() != ref["sha256"]:
            raise StateError(f"{self.folder / ref['file']}: does not match state.json (size or SHA-256)")
        return saved, decode_rules(blob, report)

    def _replace(self, name: str, payload: bytes) -> None:
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / name)

    def save(self, saved: dict, rules_blob: bytes) -> None:
        if len(rules_blob) > MAX_CHECKS:
            raise StateError(f"the checks' state is larger than {MAX_CHECKS} bytes")
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(rules_blob).hexdigest()
        name = f"checks-{digest[:8]}.msgpack"
        self._replace(name, rules_blob)
        data = {**saved, "version": VERSION, "checks": {"file": name, "bytes": len(rules_blob), "sha256": digest}}
        self._replace("state.json", (json.dumps(data, indent=1) + "\n").encode("utf-8"))
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        for old in self.folder.glob("checks-*.msgpack"):
            if old.name != name:
                old.unlink(missing_ok=True)


__all__ = ["MAX_CHECKS", "MAX_STATE_JSON", "VERSION", "MonitorFolder", "StateError", "decode_rules",
           "encode_rules"]
