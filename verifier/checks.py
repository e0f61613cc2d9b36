"""The numbered checks of SPEC section 8, one function each.

Two halves, because they run in different processes:

* ``examine`` (V1, V2, V4) needs nothing but the record's bytes. Worker
  processes run it on batches of rows: decoding, schema, hashing and
  signatures, the expensive part. It returns a compact tuple.
* ``Rules`` (V3, V5-V19) needs everything before the record, so it runs in
  one process, in global order, on those tuples, and keeps ``State``.

Each ``vN_...`` function's docstring quotes the rule it enforces. Finding
codes are stable identifiers (``verifier.messages`` has their English text,
``cli/i18n/catalog/verify.py`` the translations).
"""

from __future__ import annotations

import hashlib
import time as _time

from verifier import edwards, records
from verifier.records import SIG_PREFIX, Invalid
from verifier.report import ERROR, NOTICE, WARNING, Finding, Report, fingerprint, iso
from verifier.state import (
    CUSTODY_ROLES,
    DESTROYED,
    LEVEL,
    LINELESS,
    LOST,
    TRANSIT,
    TYPE_TAG,
    State,
    covers,
)

_sha256 = hashlib.sha256


# =============================================================================
# Stateless checks, run in workers
# =============================================================================


def examine(raw: bytes, backend) -> tuple:
    """V1, V2 and V4 on one envelope.

    Returns ``(record_id, type, body, cosigners, problems, signatures)`` where
    ``type``/``body`` are None when the body cannot be read, ``cosigners`` is
    the tuple of co-signing keys, ``problems`` a list of
    ``(check, code, params)`` (or None) and ``signatures`` how many were
    verified.
    """
    return tuple(examine_batch([(None, raw)], backend)[0][1:])


def examine_batch(rows, backend, ship: bool = False) -> list:
    """V1, V2 and V4 on ``rows`` (``[(where, raw), ...]``), keeping ``where``.

    Each result is ``[where, record_id, type, body, cosigners, problems,
    signatures]`` as in ``examine``. With ``ship`` the body is returned as its
    SCE bytes (for a worker: bytes cross a process boundary far more cheaply
    than a tree of dicts, and the parent decodes them in C).

    Signatures are verified after the whole batch is decoded, in one tight
    loop: the Ed25519 code and tables stay in the CPU cache, which is worth
    about a fifth of the verification time.
    """
    out = []
    pending = []  # (result index, signature index, key, signature, message)
    for where, raw in rows:
        rid = _sha256(raw).digest()
        try:
            body_bytes, sigs = v1_envelope(raw)
        except Invalid as bad:
            out.append([where, rid, None, None, (), [(bad.check, bad.code, bad.params)], 0])
            continue
        problems = None
        kind = body = None
        try:
            kind, body = v1_v2_body(body_bytes)
        except Invalid as bad:
            problems = [(bad.check, bad.code, bad.params)]
        if kind == "genesis" and body is not None and not records.is_ledger_name(body["name"]):
            problems = [(2, "schema_bad_value", dict(_BAD_NAME))]  # V2, but the roots stay usable (Rules.record)
        if (kind == "enrol" or kind == "genesis") and body is not None:
            weak = v6_weak_keys(kind, body)
            if weak:
                problems = (problems or []) + weak
        message = SIG_PREFIX + body_bytes
        number = len(out)
        if len(sigs) == 1:  # the common case, written out
            key, sig = sigs[0]
            pending.append((number, 0, key, sig, message))
            cosigners = ()
            if body is not None and (key != body["author"] or kind == "genesis"):
                problems = (problems or []) + (v4_signers(sigs, body, kind) or [])
        else:
            for index, (key, sig) in enumerate(sigs):
                pending.append((number, index, key, sig, message))
            cosigners = tuple([pair[0] for pair in sigs[1:]])
            if body is not None:
                shape = v4_signers(sigs, body, kind)
                if shape:
                    problems = (problems or []) + shape
        shipped = body_bytes if (ship and body is not None) else body
        out.append([where, rid, kind, shipped, cosigners, problems, len(sigs)])
    v4_signatures(pending, out, backend)
    return out


def v6_weak_keys(kind: str, body: dict) -> list:
    """V6, SPEC 4.2: an enrolled or root key is a point of order exactly L (not the
    identity, not small or mixed order). Checked here, in the workers, once per
    key; the record then takes no effect (SPEC 5), like one that fails V4."""
    keys = [body["key"]] if kind == "enrol" else [root["key"] for root in body["roots"]]
    return [(6, "enrol_weak_key", {"subject": fingerprint(key)}) for key in keys if not edwards.prime_order(key)]


# SPEC 4.1: the genesis name is a signed-note key name (it is the log origin).
_BAD_NAME = {"field": "name", "expected": records.TYPE_NAMES[records.is_ledger_name]}

# V1 (and V2 for the envelope's shape): "the envelope [is] SCE (section 2);
# re-encoding gives the same bytes". SPEC 3.1: the envelope is
# ``{"body": bytes, "sigs": [[key, signature], ...]}`` with at least one entry.
# Returns ``(body_bytes, sigs)``; raises ``Invalid``. (Aliases, not wrappers:
# these run once per record.)
v1_envelope = records.open_envelope

# V1: the body is SCE. V2: "`v` known, `type` known, required fields present
# with the right types, no unknown fields, lines sorted and unique".
# Returns ``(type, body)``; raises ``Invalid``.
v1_v2_body = records.open_body


def v4_signatures(pending: list, out: list, backend) -> None:
    """V4: "every signature verifies (section 3.1)", with the strict rules of
    RFC 8032 (``verifier.sign``). Adds a finding to the record in ``out``."""
    for number, index, key, _sig, _message in backend.verify_many(pending):
        result = out[number]
        result[5] = (result[5] or []) + [(4, "bad_signature", {"signer": fingerprint(key), "index": index})]


def v4_signers(sigs: list, body: dict, kind: str | None) -> list | None:
    """V4: "`sigs[0]` is the author; co-signatures sorted and unique; genesis
    co-signed by every root" (SPEC 3.1: no co-signer repeated or equal to the author)."""
    problems = None
    author = body["author"]
    if sigs[0][0] != author:
        problems = [(4, "author_sig_mismatch", {"signer": fingerprint(sigs[0][0]), "author": fingerprint(author)})]
    previous = None
    for key, _ in sigs[1:]:
        if key == author or (previous is not None and not previous < key):
            problems = problems or []
            problems.append((4, "cosig_order", {"signer": fingerprint(key)}))
            break
        previous = key
    if kind == "genesis":
        signed = {key for key, _ in sigs}
        for root in body["roots"]:
            if root["key"] not in signed:
                problems = problems or []
                problems.append((4, "genesis_root_unsigned", {"root": fingerprint(root["key"])}))
    return problems


# =============================================================================
# Stateful checks, run in order in one process
# =============================================================================

# SPEC 4.15: who may author each type (None: any enrolled key).
AUTHOR_ROLES = {
    "enrol": frozenset({"kpu"}),
    "revoke": frozenset({"kpu"}),
    "register": frozenset({"printer", "kpu"}),
    "pack": CUSTODY_ROLES,
    "seal": CUSTODY_ROLES,
    "open": CUSTODY_ROLES,
    "handover.prepare": CUSTODY_ROLES,
    "tally": frozenset({"kpps"}),
    "destroy": frozenset({"kpu"}),
    "void": frozenset({"printer", "kpu"}),
}

# SPEC 8, V19: in transit longer than this, the items were signed for by nobody.
GAP_MS = 72 * 3_600_000

# SPEC 5.1: how far a record's time may be ahead of the verifier's clock, and
# of every record appended after it (device clocks drift; a time bomb does not).
AHEAD_MS = 15 * 60_000

# SPEC 4.2: expected region lengths per role (None: any).
ENROL_REGION_LENGTHS = {"kpu": (0, 2, 4), "ppk": (6,), "pps": (10,), "kpps": (13,)}


class Rec:
    """One record as the sequential checks see it."""

    __slots__ = ("position", "id", "kind", "body", "author", "time", "cosigners", "who")

    def __init__(self, position, rid, kind, body, cosigners, who=None):
        self.position = position
        self.id = rid
        self.kind = kind
        self.body = body
        self.author = body["author"]
        self.time = body["time"]
        self.cosigners = cosigners
        self.who = who  # the author's Custodian (None: not enrolled)

    @property
    def hex(self) -> str:
        return self.id.hex()


class Rules:
    """Runs V3 and V5-V19 over records in global order, keeping ``State``."""

    def __init__(self, report: Report, now: int | None = None):
        self.report = report
        self.state = State()
        self.genesis_seen = False
        self.pending_targets: dict[bytes, list] = {}  # witness target -> [(position, witness id)]
        self.latest = None  # the largest plausible record time: the ledger's "now" (V19, SPEC 5.1)
        self.now = int(_time.time() * 1000) if now is None else now  # the verifier's clock (V16)
        # V16, SPEC 5.1: records whose time is more than AHEAD_MS after every
        # record after them so far, as (time, position, id), times decreasing.
        self.ahead: list = []
        self.tallies: dict[str, tuple] = {}  # ballots item -> its last tally (used, unused, spoiled): V13
        self.conditions: dict[str, str] = {}  # item -> its condition as last recorded, when not ok: V13
        self.handlers = {
            "genesis": self.on_genesis,
            "enrol": self.on_enrol,
            "revoke": self.on_revoke,
            "register": self.on_register,
            "pack": self.on_pack,
            "seal": self.on_seal,
            "open": self.on_open,
            "handover.prepare": self.on_prepare,
            "handover.accept": self.on_answer,
            "handover.refuse": self.on_answer,
            "handover.withdraw": self.on_withdraw,
            "handover.partial": self.on_partial,
            "void": self.on_void,
            "incident": self.on_incident,
            "tally": self.on_tally,
            "destroy": self.on_destroy,
            "witness": self.on_witness,
        }

    # --- plumbing ------------------------------------------------------------

    def emit(self, check, severity, code, rec=None, item=None, position=None, **params):
        self.report.add(
            Finding(
                check,
                severity,
                code,
                params,
                None if rec is None else rec.hex,
                item,
                rec.position if rec is not None else position,
            )
        )

    def record(self, position, rid, kind, body, cosigners, problems) -> None:
        """Take one examined record (the tuple from ``examine``) in global order."""
        if problems:
            hexid = rid.hex()
            for check, code, params in problems:
                self.report.add(Finding(check, ERROR, code, params, hexid, None, position))
            if kind == "genesis" and position == 0 and not self.genesis_seen:
                # A damaged genesis still names the roots; using them avoids
                # reporting every later record as unauthorised. Its id is not
                # the ledger id any more, so that is taken from the next record.
                self.genesis_seen = True
                self.state.genesis(None, body)
            elif position == 0:
                self.emit(3, ERROR, "not_genesis_first", position=position)
            return
        if kind is None:
            return
        rec = Rec(position, rid, kind, body, cosigners, self.state.custodians.get(body["author"]))
        self.v16_future(rec)
        if not self.v3_binding(rec):
            return
        if self.v7_replay(rec):
            return
        if kind != "genesis":
            self.v16_after_genesis(rec)
            self.v5_signers(rec)
            self.v5_role(rec)
        self.handlers[kind](rec)

    # --- V3 ------------------------------------------------------------------

    def v3_binding(self, rec: Rec) -> bool:
        """V3: "the first record is the only `genesis`; every other record's
        `ledger` equals the ledger id". Returns False if the record is not
        part of this ledger (it is then not applied)."""
        st = self.state
        if rec.kind == "genesis":
            if rec.position != 0 or self.genesis_seen:
                self.emit(3, ERROR, "genesis_not_first", rec)
                return False
            return True
        if rec.position == 0:
            self.emit(3, ERROR, "not_genesis_first", rec)
        ledger = rec.body["ledger"]
        if st.ledger_id is None:
            st.ledger_id = ledger  # presumed: the genesis is missing or damaged
            if self.report.ledger_id is None:
                self.report.ledger_id = ledger.hex()
            return True
        if ledger != st.ledger_id:
            self.emit(3, ERROR, "wrong_ledger", rec, expected=st.ledger_id.hex(), found=ledger.hex())
            return False
        return True

    # --- V5 ------------------------------------------------------------------

    def v5_signers(self, rec: Rec) -> None:
        """V5: "the author and every co-signer is a root or enrolled, and not
        revoked at that position" (SPEC 4.3, 4.15)."""
        who = rec.who
        if who is None or (who.revoked is not None and who.revoked < rec.position):
            self.v5_signer(rec, rec.author, who, "author")
        if rec.cosigners:
            custodians = self.state.custodians
            for key in rec.cosigners:
                self.v5_signer(rec, key, custodians.get(key), "cosigner")

    def v5_signer(self, rec: Rec, key: bytes, who, part: str) -> None:
        if who is None:
            self.emit(5, ERROR, "unknown_signer", rec, signer=fingerprint(key), part=part)
        elif not who.active_at(rec.position):
            self.emit(5, ERROR, "revoked_signer", rec, signer=fingerprint(key), part=part, revoked_at=who.revoked)

    def v5_role(self, rec: Rec) -> None:
        """V5: "the author's role may write this type" (SPEC 4.15)."""
        allowed = AUTHOR_ROLES.get(rec.kind)
        if allowed is not None and rec.who is not None and rec.who.role not in allowed:
            self.emit(5, ERROR, "role_not_allowed", rec, role=rec.who.role, type=rec.kind)

    def v5_region(self, rec: Rec, name: str, dest: str) -> None:
        """V5: the author's "region covers what it acts on" (SPEC 4.15)."""
        who = rec.who
        if who is not None and not dest.startswith(who.region):
            self.emit(5, ERROR, "out_of_region", rec, name, region=who.region, dest=dest)

    def witnesses(self, rec: Rec) -> int:
        """Co-signers that are enrolled witnesses, active at this position."""
        count = 0
        for key in rec.cosigners:
            who = self.state.custodians.get(key)
            if who is not None and who.role == "witness" and who.active_at(rec.position):
                count += 1
        return count

    # --- V6 ------------------------------------------------------------------

    def v6_enrolment(self, rec: Rec) -> None:
        """V6, SPEC 4.2: "The author MUST be a `kpu` key whose region covers
        `region`. A `kpu` key MAY enrol another `kpu` key only for a region
        strictly below its own. A key is enrolled at most once." Region
        lengths by role: `kpu` 0, 2 or 4; `ppk` 6; `pps` 10; `kpps` 13."""
        body = rec.body
        key, role, region = body["key"], body["role"], body["region"]
        author = rec.who
        if key in self.state.custodians:
            self.emit(6, ERROR, "enrol_twice", rec, subject=fingerprint(key))
        lengths = ENROL_REGION_LENGTHS.get(role)
        if lengths is not None and len(region) not in lengths:
            self.emit(6, ERROR, "enrol_region_shape", rec, role=role, region=region)
        if author is None or author.role != "kpu":
            return  # V5 has said so
        if not covers(author.region, region):
            self.emit(6, ERROR, "enrol_out_of_region", rec, region=region, author_region=author.region)
        elif role == "kpu" and len(region) <= len(author.region):
            self.emit(6, ERROR, "enrol_delegation", rec, region=region, author_region=author.region)

    def v6_revocation(self, rec: Rec) -> None:
        """V6, SPEC 4.3: "The author MUST be a `kpu` key whose region covers the
        revoked key's region. Root keys cannot be revoked." A key is revoked once."""
        key = rec.body["key"]
        subject = self.state.custodians.get(key)
        if subject is None:
            self.emit(6, ERROR, "revoke_unknown", rec, subject=fingerprint(key))
            return
        if subject.root:
            self.emit(6, ERROR, "revoke_root", rec, subject=fingerprint(key))
            return
        if subject.revoked is not None:
            self.emit(6, ERROR, "revoke_twice", rec, subject=fingerprint(key), revoked_at=subject.revoked)
        author = rec.who
        if author is not None and author.role == "kpu" and not covers(author.region, subject.region):
            self.emit(6, ERROR, "revoke_out_of_region", rec, region=subject.region, author_region=author.region)

    # --- V7, V8 --------------------------------------------------------------

    def v7_replay(self, rec: Rec) -> bool:
        """V7: "no record id appears twice (replay)". True if ``rec`` was seen
        before (it is then reported and not applied).

        A record without lines is looked up among those kept by id. A record
        with lines is a replay only if its first known item's `prev` is not
        that item's head (a record already applied moved the head past it)
        and the item's history holds its id: nothing to look up on the
        honest path."""
        st = self.state
        if rec.kind in LINELESS:
            seen = st.lineless.add(rec.id, TYPE_TAG[rec.kind])
        else:
            seen = 0
            for line in rec.body["lines"]:
                item = st.items.get(line["item"])
                if item is not None:
                    seen = line["prev"] != item.head and item.knows(rec.id)
                    break
        if seen:
            self.emit(7, ERROR, "replay", rec)
        return bool(seen)

    def v7_chain(self, rec: Rec, name: str, item, prev: bytes) -> None:
        """V7: "every line's `prev` equals the item's head; the item exists"."""
        if prev == item.head:
            return
        if item.knows(prev):
            self.v8_fork(rec, name, prev, item.head)
        else:
            self.emit(7, ERROR, "prev_mismatch", rec, name, prev=prev.hex(), head=item.head.hex())

    def v8_fork(self, rec: Rec, name: str, prev: bytes, head: bytes) -> None:
        """V8: "a line's `prev` names an earlier, superseded record of the item"
        (SPEC 5: the same item handed over twice from the same state)."""
        self.emit(8, ERROR, "fork", rec, name, prev=prev.hex(), head=head.hex())

    def v7_reference(self, rec: Rec, target: bytes) -> None:
        """V7 for `witness`: `target` is "the id of an earlier record" (SPEC 4.14).

        Records without lines are known by id; any other target is settled by
        ``finish`` after the pass, which needs no per-record memory."""
        if target not in self.state.lineless:
            self.pending_targets.setdefault(target, []).append((rec.position, rec.hex))

    def finish(self, ids) -> None:
        """Settle the witness targets ``v7_reference`` left open.

        ``ids`` yields ``(position, record id)`` in global order (a second,
        light pass: SHA-256 of each envelope). A target must appear before
        its witness."""
        pending = self.pending_targets
        if not pending:
            return
        first = {}
        for position, rid in ids:
            if rid in pending and rid not in first:
                first[rid] = position
                if len(first) == len(pending):
                    break
        for target, witnesses in pending.items():
            for position, hexid in witnesses:
                if first.get(target, position) >= position:
                    self.report.add(Finding(7, ERROR, "unknown_target", {"target": target.hex()}, hexid, None, position))
        pending.clear()

    # --- per-line prelude (V7, V8, V12, V16) ---------------------------------

    def lines(self, rec: Rec) -> list:
        """``(line, name, item)`` for each line whose item exists and is not
        destroyed, after the chain, destruction and time checks."""
        items = self.state.items
        time = rec.time
        out = []
        for line in rec.body["lines"]:
            name = line["item"]
            item = items.get(name)
            if item is None:
                self.emit(7, ERROR, "unknown_item", rec, name)
                continue
            if line["prev"] != item.head:
                self.v7_chain(rec, name, item, line["prev"])
            if time < item.time:
                self.v16_time(rec, name, item)
            where = item if item.box is None else self.state.effective(item)
            if where.state == DESTROYED:
                self.v12_destroyed(rec, name)
                continue
            out.append((line, name, item))
        return out

    def v12_destroyed(self, rec: Rec, name: str) -> None:
        """V12: "nothing after destruction: no line names a destroyed item"
        (SPEC 4.13: nothing may follow a destroyed item in its chain)."""
        self.emit(12, ERROR, "after_destroy", rec, name)

    def v16_time(self, rec: Rec, name: str, item) -> None:
        """V16: "`time` does not decrease along an item's chain"."""
        self.emit(16, ERROR, "time_backwards", rec, name, time=iso(rec.time), previous=iso(item.time))

    def v16_future(self, rec: Rec) -> None:
        """V16, SPEC 5.1: a time more than 15 minutes after the verifier's
        clock is an error. Otherwise the record joins ``ahead`` and settles
        the earlier ones it is not far behind; only plausible times count as
        the ledger's "now" (V19), so a time bomb cannot make open handovers
        look abandoned."""
        if rec.time > self.now + AHEAD_MS:
            self.emit(16, ERROR, "time_in_future", rec, time=iso(rec.time), now=iso(self.now))
            return
        ahead = self.ahead
        while ahead and ahead[-1][0] <= rec.time + AHEAD_MS:
            settled = ahead.pop()[0]
            if self.latest is None or settled > self.latest:
                self.latest = settled
        ahead.append((rec.time, rec.position, rec.id))

    def v16_ahead_at_end(self) -> None:
        """V16, SPEC 5.1, whole ledgers only: a record whose time is more than
        15 minutes after that of every record appended after it (warning):
        it was dated ahead. The last record has nothing after it to compare."""
        ahead = self.ahead
        if not ahead:
            return
        last = ahead[-1]
        if self.latest is None or last[0] > self.latest:
            self.latest = last[0]
        for moment, position, rid in ahead[:-1]:
            self.report.add(Finding(16, WARNING, "time_ahead", {"time": iso(moment), "later": iso(last[0])},
                                    rid.hex(), None, position))
        del ahead[:-1]

    def v16_after_genesis(self, rec: Rec) -> None:
        """V16: "no record is earlier than genesis"."""
        start = self.state.genesis_time
        if start is not None and rec.time < start:
            self.emit(16, ERROR, "before_genesis", rec, time=iso(rec.time), genesis=iso(start))

    # --- V9 ------------------------------------------------------------------

    def v9_holds(self, rec: Rec, name: str, item, loose: bool = True) -> None:
        """V9: "the [...] author holds every item and none is in transit, lost,
        destroyed or packed" (SPEC 4.5-4.8, 4.12, 4.13: the author MUST hold).
        ``loose``: the item must not be packed (a destroy may name packed items)."""
        where = self.state.effective(item)
        if where.holder != rec.author:
            self.emit(9, ERROR, "not_holder", rec, name, holder=fingerprint(where.holder))
        elif where.state == TRANSIT:
            self.emit(9, ERROR, "in_transit", rec, name)
        elif where.state == LOST:
            self.emit(9, ERROR, "item_lost", rec, name)
        if loose and item.box is not None:
            self.emit(9, ERROR, "item_packed", rec, name, box=item.box)

    def v9_lost(self, rec: Rec, name: str) -> None:
        """V9, SPEC 4.11: a lost item "can no longer be handed over, and an open
        handover of it can be refused but not accepted"."""
        self.emit(9, ERROR, "item_lost", rec, name)

    def v9_holder(self, rec: Rec, name: str, item) -> None:
        """V9, SPEC 4.11: an incident's author holds the item (in any state),
        unless it is an escort or a witness."""
        where = self.state.effective(item)
        if where.holder != rec.author:
            self.emit(9, ERROR, "not_holder", rec, name, holder=fingerprint(where.holder))

    def v9_whole(self, rec: Rec, name: str, item, named: set) -> None:
        """V9, SPEC 4.13: "A packed item is destroyed only together with its
        box, and a box only together with all its contents (or after `open`)"."""
        if item.box is not None and item.box not in named:
            self.emit(9, ERROR, "destroy_partial", rec, name, other=item.box)
        for content in sorted(item.contents or ()):
            if content not in named:
                self.emit(9, ERROR, "destroy_partial", rec, name, other=content)

    def v9_receiver(self, rec: Rec) -> object | None:
        """V9, SPEC 4.8: "The receiver MUST be enrolled with a custody role and
        MUST NOT be the author" (and not revoked). Returns the receiver when it
        may receive."""
        to = rec.body["to"]
        if to == rec.author:
            self.emit(9, ERROR, "self_handover", rec)
            return None
        who = self.state.custodians.get(to)
        if who is None or who.role not in CUSTODY_ROLES or not who.active_at(rec.position):
            self.emit(
                9, ERROR, "receiver_not_custodian", rec, receiver=fingerprint(to), role=who.role if who else "-"
            )
            return None
        return who

    def v9_answer(self, rec: Rec):
        """V9: "accept/refuse by the named receiver, of an open handover, with
        exactly its items". Returns the open handover or None."""
        hid = rec.body["handover"]
        handover = self.state.handovers.get(hid)
        if handover is None:
            items = self.state.items
            prepared = TYPE_TAG["handover.prepare"]
            closed = any(
                items[line["item"]].knows(hid) == prepared for line in rec.body["lines"] if line["item"] in items
            )
            code = "handover_closed" if closed else "unknown_handover"
            self.emit(9, ERROR, code, rec, handover=hid.hex())
            return None
        if rec.author != handover.to:
            self.emit(9, ERROR, "not_receiver", rec, receiver=fingerprint(handover.to))
        named = [line["item"] for line in rec.body["lines"]]
        if named != list(handover.lines):  # both sorted and unique (V2)
            missing = sorted(set(handover.lines) - set(named))
            extra = sorted(set(named) - set(handover.lines))
            self.emit(9, ERROR, "handover_items", rec, missing=", ".join(missing), extra=", ".join(extra))
        return handover

    # --- V10, V11 ------------------------------------------------------------

    def v10_path(self, rec: Rec, receiver) -> None:
        """V10: "a handover off the allowed path without `exception` (warning);
        with `exception` (notice)". Allowed: one level down, one level up from
        kpps/pps/ppk, or kpu -> kpu (SPEC 4.8)."""
        giver = rec.who
        if giver is None or giver.role not in LEVEL:
            return  # V5 has said so
        g, r = LEVEL[giver.role], LEVEL[receiver.role]
        if r == g + 1 or (g >= 2 and r == g - 1) or (g == r == 1):
            return
        if "exception" in rec.body:
            self.emit(10, NOTICE, "path_exception", rec, giver=giver.role, receiver=receiver.role,
                      exception=rec.body["exception"])
        else:
            self.emit(10, WARNING, "path_off", rec, giver=giver.role, receiver=receiver.role)

    def v11_destination(self, rec: Rec, receiver, name: str, dest: str) -> None:
        """V11: "the receiver's region does not cover an item's `dest`
        (tertukar) without `exception` (warning); with it (notice)". Packed
        contents travel with their box, so their `dest` counts too."""
        if dest.startswith(receiver.region):
            return
        if "exception" in rec.body:
            self.emit(11, NOTICE, "dest_exception", rec, name, dest=dest, region=receiver.region,
                      exception=rec.body["exception"])
        else:
            self.emit(11, WARNING, "dest_mismatch", rec, name, dest=dest, region=receiver.region)

    # --- V13, V14 ------------------------------------------------------------

    def v13_declared(self, rec: Rec, line: dict, name: str, item) -> None:
        """V13: "a prepare's declared `qty` equals the item's qty (error
        otherwise)"; SPEC 4.8: "a box line always carries `seals` and
        `contents` (possibly empty), a line for an item with a `qty` always
        carries `qty`, and no other line carries them"; the declared contents
        are what is packed in the box."""
        if line.get("qty") != item.qty:
            self.emit(13, ERROR, "qty_declared", rec, name, declared=_shown(line.get("qty")), actual=_shown(item.qty))
        if item.contents is None:
            if "contents" in line:
                self.emit(13, ERROR, "contents_declared", rec, name, declared=_pairs(line["contents"]), actual="-")
            return
        declared = line.get("contents")
        if declared is None or not self._same_contents(declared, item.contents):
            packed = sorted([c, self.state.items[c].qty] for c in item.contents)
            shown = _pairs(declared) if declared is not None else "-"
            self.emit(13, ERROR, "contents_declared", rec, name, declared=shown, actual=_pairs(packed))

    def _same_contents(self, declared: list, contents: set) -> bool:
        """``declared`` (sorted, unique by V2) names exactly ``contents``, with their qty."""
        if len(declared) != len(contents):
            return False
        items = self.state.items
        for name, qty in declared:
            if name not in contents or items[name].qty != qty:
                return False
        return True

    def v13_observed(self, rec: Rec, line: dict, name: str, declared: dict, item=None) -> None:
        """V13: "observed differs from declared (notice: discrepancy)"; a
        condition other than the item's last recorded one is a discrepancy
        too (SPEC 4.9: it carries forward). SPEC 4.9: the observed
        `qty` is stated exactly for items with a `qty` (error otherwise)."""
        if item is not None and ("qty" in line) != (item.qty is not None):
            self.emit(13, ERROR, "qty_observed_shape", rec, name)
        elif line.get("qty") != declared.get("qty"):
            self.emit(13, NOTICE, "qty_observed", rec, name,
                      declared=_shown(declared.get("qty")), observed=_shown(line.get("qty")))
        known = self.conditions.get(name, "ok")  # a condition carries forward: the same again is no news
        if line["condition"] != known:
            self.emit(13, NOTICE, "condition", rec, name, condition=line["condition"], note=line.get("note", ""))
        self._condition(name, line["condition"])

    def _condition(self, name: str, condition: str) -> None:
        if condition == "ok":
            self.conditions.pop(name, None)
        else:
            self.conditions[name] = condition

    def v13_tally(self, rec: Rec, line: dict, name: str, item) -> None:
        """V13: "`tally` sums to qty (error otherwise)" (SPEC 4.12: one line
        per ballots item, `used + unused + spoiled` equals the item's qty)."""
        if item.kind != "ballots":
            self.emit(13, ERROR, "tally_not_ballots", rec, name, kind=item.kind)
            return
        total = line["used"] + line["unused"] + line["spoiled"]
        if total != item.qty:
            self.emit(13, ERROR, "tally_sum", rec, name, total=total, qty=_shown(item.qty))
        counts = (line["used"], line["unused"], line["spoiled"])
        before = self.tallies.get(name)
        if before is not None and before != counts:
            self.emit(13, NOTICE, "tally_changed", rec, name, before="/".join(map(str, before)),
                      after="/".join(map(str, counts)))
        self.tallies[name] = counts

    def v13_lost(self, rec: Rec, line: dict, name: str, item) -> None:
        """V13, SPEC 4.11: "`qty_lost` reduces its qty": only an item with a
        count, by at most that count."""
        lost = line["qty_lost"]
        if item.qty is None or lost > item.qty:
            self.emit(13, ERROR, "qty_lost_invalid", rec, name, lost=lost, qty=_shown(item.qty))

    def v14_declared(self, rec: Rec, line: dict, name: str, item) -> None:
        """V14: "a prepare's declared seals equal the box's seals (error
        otherwise)"; only a box line carries `seals`, and always (SPEC 4.8)."""
        is_box = item.kind == "box"
        if ("seals" in line) != is_box or (is_box and tuple(line["seals"]) != item.seals):
            declared = _seals(line["seals"]) if "seals" in line else "-"
            self.emit(14, ERROR, "seals_declared", rec, name, declared=declared, actual=_seals(item.seals))

    def v14_observed(self, rec: Rec, line: dict, name: str, declared: dict, item=None) -> None:
        """V14: "observed differs from declared (notice)". SPEC 4.9: observed
        `seals` are stated exactly for boxes (error otherwise)."""
        if item is not None and ("seals" in line) != (item.kind == "box"):
            self.emit(14, ERROR, "seals_observed_shape", rec, name)
        elif line.get("seals", []) != declared.get("seals", []):
            self.emit(14, NOTICE, "seals_observed", rec, name,
                      declared=_seals(declared.get("seals", ())), observed=_seals(line.get("seals", ())))

    def v14_sealing(self, rec: Rec, name: str, item) -> None:
        """V14: "a seal number used twice (error); sealing a sealed box (error)"
        (SPEC 4.6: the box MUST have no intact seals; a seal number is used at
        most once in a ledger)."""
        if item.kind != "box":
            self.emit(14, ERROR, "seal_not_box", rec, name, kind=item.kind)
        if item.seals:
            self.emit(14, ERROR, "seal_sealed_box", rec, name, seals=_seals(item.seals))
        used = self.state.seals_used
        for number in rec.body["seals"]:
            if number in used:
                self.emit(14, ERROR, "seal_reused", rec, name, seal=number)

    def v14_packing(self, rec: Rec, name: str, box) -> None:
        """V14, SPEC 4.5: for `pack`, "the box MUST NOT be sealed"."""
        if box.seals:
            self.emit(14, ERROR, "pack_sealed_box", rec, name, seals=_seals(box.seals))

    def v14_found(self, rec: Rec, name: str, box) -> None:
        """V14 (notice) for `open`: the seals found differ from the box's
        recorded seals, or were not intact (SPEC 4.7)."""
        found = tuple(rec.body["seals"])
        if found != box.seals:
            self.emit(14, NOTICE, "seals_found", rec, name, found=_seals(found), recorded=_seals(box.seals))
        if not rec.body["intact"]:
            self.emit(14, NOTICE, "seals_broken", rec, name, seals=_seals(found))

    # --- V15 -----------------------------------------------------------------

    def v15_opening(self, rec: Rec) -> None:
        """V15: "`open` without a witness co-signature (error); by a role or on
        a day not allowed, without `exception` (warning)". Allowed (SPEC 4.7):
        a `kpps` on the vote date (local) at its TPS, or a `kpu` key; with
        `exception` an off-path opening is a notice."""
        if not self.witnesses(rec):
            self.emit(15, ERROR, "open_no_witness", rec, rec.body["box"])
        role = rec.who.role if rec.who is not None else None
        st = self.state
        allowed = role == "kpu" or (role == "kpps" and st.vote_day is not None and st.local_day(rec.time) == st.vote_day)
        if allowed:
            return
        if "exception" in rec.body:
            self.emit(15, NOTICE, "open_exception", rec, rec.body["box"], role=role or "-",
                      exception=rec.body["exception"])
        else:
            self.emit(15, WARNING, "open_not_allowed", rec, rec.body["box"], role=role or "-")

    # --- V17, V18, V19 --------------------------------------------------------

    def v17_deadline(self, rec: Rec) -> None:
        """V17: "an acceptance by a `kpps` after the H-1 deadline (end of the
        day before `vote_date`, local time)" (notice)."""
        deadline = self.state.deadline()
        if deadline is not None and rec.time >= deadline and rec.who is not None and rec.who.role == "kpps":
            self.emit(17, NOTICE, "late_delivery", rec, time=iso(rec.time), deadline=iso(deadline))

    def v18_destroy(self, rec: Rec) -> None:
        """V18: "`destroy` without a witness co-signature (error)"."""
        if not self.witnesses(rec):
            self.emit(18, ERROR, "destroy_no_witness", rec)

    def v18_listed(self, rec: Rec, code: str, **params) -> None:
        """V18: "incidents and refusals are listed (notice)"."""
        self.emit(18, NOTICE, code, rec, **params)

    def v19_gap(self, rec: Rec, prepared: int) -> None:
        """V19: "an accept or refuse more than 72 hours after its prepare"
        (notice): for that long the items were in transit, in nobody's
        signed custody (DOMAIN: a break in custody)."""
        if rec.time - prepared > GAP_MS:
            self.emit(19, NOTICE, "custody_gap", rec, hours=(rec.time - prepared) // 3_600_000, prepared=iso(prepared))

    def v19_open_at_end(self) -> None:
        """V19: "a handover still open at the ledger's latest record, prepared
        more than 72 hours before it" (notice): items left in transit.

        Only for a whole ledger: a bundle's trail may end before the answer."""
        self.v16_ahead_at_end()
        latest = self.latest
        if latest is None:
            return
        for handover in self.state.handovers.values():
            if latest - handover.time > GAP_MS:
                names = sorted(handover.lines)
                shown = ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
                params = {"items": shown, "prepared": iso(handover.time), "latest": iso(latest),
                          "hours": (latest - handover.time) // 3_600_000}
                self.report.add(Finding(19, NOTICE, "still_in_transit", params, handover.rid.hex(),
                                        names[0] if len(names) == 1 else None, handover.position))

    # --- record types --------------------------------------------------------

    def on_genesis(self, rec: Rec) -> None:
        body = rec.body
        self.genesis_seen = True
        self.report.ledger_id = rec.hex
        self.report.utc_offset = body["utc_offset"]
        keys = [root["key"] for root in body["roots"]]
        if rec.author not in keys:
            self.emit(5, ERROR, "genesis_author_not_root", rec, author=fingerprint(rec.author))
        for i, key in enumerate(keys):
            if key in keys[:i]:
                self.emit(6, ERROR, "root_duplicate", rec, root=fingerprint(key))
        for root in body["roots"]:
            if len(root["region"]) not in ENROL_REGION_LENGTHS["kpu"]:
                self.emit(6, ERROR, "enrol_region_shape", rec, role="kpu", region=root["region"])
        self.state.genesis(rec.id, body)
        for key in rec.cosigners:
            if key not in self.state.roots:
                self.emit(5, ERROR, "unknown_signer", rec, signer=fingerprint(key), part="cosigner")

    def on_enrol(self, rec: Rec) -> None:
        self.v6_enrolment(rec)
        self.state.enrol(rec.body)

    def on_revoke(self, rec: Rec) -> None:
        self.v6_revocation(rec)
        self.state.revoke(rec.position, rec.body)

    def on_register(self, rec: Rec) -> None:
        """SPEC 4.4; V7: "the item [...] is new in `register`, registered once"."""
        items = self.state.items
        for line in rec.body["lines"]:
            name = line["item"]
            if name in items:
                self.emit(7, ERROR, "registered_twice", rec, name)
            self.v5_region(rec, name, line["dest"])
        self.state.register(rec.id, rec.body)

    def on_pack(self, rec: Rec) -> None:
        """SPEC 4.5: the author holds the box and every content; the box is not
        sealed; no content is a box or already packed."""
        box_name = rec.body["box"]
        for _line, name, item in self.lines(rec):
            self.v5_region(rec, name, item.dest)
            self.v9_holds(rec, name, item)
            if name == box_name:
                if item.kind != "box":
                    self.emit(9, ERROR, "pack_not_box", rec, name, kind=item.kind)
                else:
                    self.v14_packing(rec, name, item)
            elif item.kind == "box":
                self.emit(9, ERROR, "pack_content_kind", rec, name, kind=item.kind)
        self.state.pack(rec.body)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_seal(self, rec: Rec) -> None:
        for _line, name, item in self.lines(rec):
            self.v5_region(rec, name, item.dest)
            self.v9_holds(rec, name, item)
            self.v14_sealing(rec, name, item)
        self.state.seal(rec.body)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_open(self, rec: Rec) -> None:
        for _line, name, item in self.lines(rec):
            self.v5_region(rec, name, item.dest)
            self.v9_holds(rec, name, item)
            if item.kind != "box":
                self.emit(14, ERROR, "seal_not_box", rec, name, kind=item.kind)
            self.v14_found(rec, name, item)
        self.v15_opening(rec)
        self.state.open(rec.body)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def v5_listed(self, rec: Rec) -> None:
        """V5, SPEC 4.8: the `escorts` and `witnesses` a prepare lists are
        enrolled (or root) and not revoked."""
        custodians = self.state.custodians
        for part in ("escorts", "witnesses"):
            for key in rec.body.get(part, ()):
                who = custodians.get(key)
                if who is None or not who.active_at(rec.position):
                    self.emit(5, ERROR, "listed_not_enrolled", rec, signer=fingerprint(key), part=part[:-1])

    def on_prepare(self, rec: Rec) -> None:
        body = rec.body
        if "escorts" in body or "witnesses" in body:
            self.v5_listed(rec)
        receiver = self.v9_receiver(rec)
        if receiver is not None:
            self.v10_path(rec, receiver)
        excepted = "exception" in body
        items = self.state.items
        for line, name, item in self.lines(rec):
            if not excepted:
                self.v5_region(rec, name, item.dest)
            self.v9_holds(rec, name, item)
            self.v13_declared(rec, line, name, item)
            self.v14_declared(rec, line, name, item)
            if receiver is not None:
                self.v11_destination(rec, receiver, name, item.dest)
                if item.contents:
                    for content in sorted(item.contents):
                        self.v11_destination(rec, receiver, content, items[content].dest)
        self.state.prepare(rec.id, body, rec.position)
        self.state.touch(rec.id, rec.kind, rec.time, body["lines"])

    def on_answer(self, rec: Rec) -> None:
        """`handover.accept` (SPEC 4.9) and `handover.refuse` (SPEC 4.10)."""
        accepted = rec.kind == "handover.accept"
        handover = self.v9_answer(rec)
        if handover is not None:
            self.v19_gap(rec, handover.time)
        for line, name, item in self.lines(rec):
            if accepted and item.state == LOST:
                self.v9_lost(rec, name)
            if accepted and handover is not None and name in handover.lines:
                declared = handover.lines[name]
                self.v13_observed(rec, line, name, declared, item)
                self.v14_observed(rec, line, name, declared, item)
        if accepted:
            self.v17_deadline(rec)
        else:
            self.v18_listed(rec, "refused", reason=rec.body["reason"])
        self.state.close(rec.body, accepted)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_incident(self, rec: Rec) -> None:
        """SPEC 4.11: the author holds the items or is an escort or witness;
        only the holder's incident changes an item (an escort's or witness's
        is a report: listed, no custody change)."""
        bystander = rec.who is not None and rec.who.role in ("escort", "witness")
        held = set()
        for line, name, item in self.lines(rec):
            self.v5_region(rec, name, item.dest)
            if self.state.effective(item).holder == rec.author:
                held.add(name)
            elif not bystander:
                self.v9_holder(rec, name, item)
            if "qty_lost" in line:
                self.v13_lost(rec, line, name, item)
            if name in held and "condition" in line:
                self._condition(name, line["condition"])
        self.v18_listed(rec, "incident", kind=rec.body["kind"], description=rec.body["description"])
        self.state.incident(rec.body, held)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_tally(self, rec: Rec) -> None:
        for line, name, item in self.lines(rec):
            self.v5_region(rec, name, item.dest)
            self.v9_holds(rec, name, item)
            self.v13_tally(rec, line, name, item)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_destroy(self, rec: Rec) -> None:
        named = {line["item"] for line in rec.body["lines"]}
        for _line, name, item in self.lines(rec):
            self.v5_region(rec, name, item.dest)
            self.v9_holds(rec, name, item, loose=False)
            self.v9_whole(rec, name, item, named)
        self.v18_destroy(rec)
        self.state.destroy(rec.body)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_witness(self, rec: Rec) -> None:
        self.v7_reference(rec, rec.body["target"])

    def on_partial(self, rec: Rec) -> None:
        """SPEC 4.18: an answer by the named receiver whose accepted lines are
        checked as an acceptance's (V9 lost, V13, V14, V17) and whose refused
        lines as a refusal's (V18); a refused line observes nothing, an
        accepted one states its condition (V2)."""
        handover = self.v9_answer(rec)
        if handover is not None:
            self.v19_gap(rec, handover.time)
        for line, name, item in self.lines(rec):
            if not line["accepted"]:
                if set(line) - {"item", "prev", "accepted"}:
                    self.emit(2, ERROR, "partial_refused_line", rec, name)
                continue
            if "condition" not in line:
                self.emit(2, ERROR, "partial_accepted_line", rec, name)
                continue
            if item.state == LOST:
                self.v9_lost(rec, name)
            if handover is not None and name in handover.lines:
                declared = handover.lines[name]
                self.v13_observed(rec, line, name, declared, item)
                self.v14_observed(rec, line, name, declared, item)
        if any(line["accepted"] for line in rec.body["lines"]):
            self.v17_deadline(rec)
        self.v18_listed(rec, "refused", reason=rec.body["reason"])
        self.state.close(rec.body, None)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_withdraw(self, rec: Rec) -> None:
        """SPEC 4.16, V9: the prepare's own author takes back an open handover,
        naming exactly its items; custody stays, the items leave transit."""
        hid = rec.body["handover"]
        handover = self.state.handovers.get(hid)
        if handover is None:
            self.emit(9, ERROR, "unknown_handover", rec, handover=hid.hex())
        else:
            if rec.author != handover.giver:
                self.emit(9, ERROR, "not_giver", rec, giver=fingerprint(handover.giver))
            named = [line["item"] for line in rec.body["lines"]]
            if named != list(handover.lines):
                missing = sorted(set(handover.lines) - set(named))
                extra = sorted(set(named) - set(handover.lines))
                self.emit(9, ERROR, "handover_items", rec, missing=", ".join(missing), extra=", ".join(extra))
        self.lines(rec)  # V7, V12, V16 on the chains
        self.v18_listed(rec, "withdrawn", reason=rec.body["reason"])
        self.state.close(rec.body, False)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])

    def on_void(self, rec: Rec) -> None:
        """SPEC 4.17, V9: the holder voids items whose chain is their
        registration alone; nothing may follow them (V12, as destroyed)."""
        for _line, name, item in self.lines(rec):
            self.v9_holds(rec, name, item)
            if len(item.history) != 8:  # 8 bytes per record of its chain: the register only
                self.emit(9, ERROR, "void_after_use", rec, name)
        self.v18_listed(rec, "voided", reason=rec.body["reason"])
        self.state.destroy(rec.body)
        self.state.touch(rec.id, rec.kind, rec.time, rec.body["lines"])


def _shown(value) -> str:
    return "-" if value is None else str(value)


def _seals(seals) -> str:
    return ", ".join(seals) if seals else "-"


def _pairs(pairs) -> str:
    return ", ".join(f"{item} x{qty}" for item, qty in pairs) if pairs else "-"


# =============================================================================
# A handover file on its own (SPEC 7.1)
# =============================================================================


def check_handover_file(rows: list, backend, report: Report) -> None:
    """Check a `.serah` file without its ledger.

    Without the ledger there is no genesis, no enrolment and no chain, so only
    what the file itself can show is checked: V1, V2, V4 on each record; the
    prepare first; an accept or refuse of exactly that prepare, by its `to`,
    with the same items, each `prev` naming the prepare (V9, V7); both bound
    to the same ledger (V3); time order (V16); discrepancies (V13, V14 notices)
    and a refusal (V18). Authority (V5) needs the ledger: verify it there.
    A V5 notice says so in every report, so that no reader takes a clean
    file for checked signers (SPEC 7.1).
    """
    rules = Rules(report)
    report.add(Finding(5, NOTICE, "handover_file_unanchored", {}, None, None, None))
    examined = []
    for position, (_where, raw) in enumerate(rows):  # 0-based in the file: it has no global order
        rid, kind, body, cosigners, problems, count = examine(raw, backend)
        report.records += 1
        report.signatures += count
        for check, code, params in problems or ():
            report.add(Finding(check, ERROR, code, params, rid.hex(), None, position))
        examined.append(Rec(position, rid, kind, body, cosigners) if kind and not problems else None)
    prepare = examined[0]
    if prepare is None:
        return
    if prepare.kind == "handover.prepare":
        # SPEC 3.2, 7.1: the handover's number is its prepare's body id, the
        # same whoever has co-signed; the number the giver wrote on paper.
        report.handover = _sha256(v1_envelope(rows[0][1])[0]).hexdigest()
    if prepare.kind != "handover.prepare" or len(examined) > 2:
        rules.emit(9, ERROR, "handover_file_shape", prepare, count=len(examined), first=prepare.kind)
        return
    if len(examined) == 1 or examined[1] is None:
        return
    answer = examined[1]
    if answer.kind not in ("handover.accept", "handover.refuse"):
        rules.emit(9, ERROR, "handover_file_shape", answer, count=len(examined), first=prepare.kind)
        return
    if answer.body["ledger"] != prepare.body["ledger"]:
        rules.emit(3, ERROR, "wrong_ledger", answer, expected=prepare.body["ledger"].hex(),
                   found=answer.body["ledger"].hex())
    if answer.body["handover"] != prepare.id:
        rules.emit(9, ERROR, "unknown_handover", answer, handover=answer.body["handover"].hex())
        return
    if answer.time < prepare.time:
        rules.emit(16, ERROR, "time_backwards", answer, time=iso(answer.time), previous=iso(prepare.time))
    rules.v19_gap(answer, prepare.time)
    if answer.author != prepare.body["to"]:
        rules.emit(9, ERROR, "not_receiver", answer, receiver=fingerprint(prepare.body["to"]))
    declared = {line["item"]: line for line in prepare.body["lines"]}
    named = [line["item"] for line in answer.body["lines"]]
    if set(named) != set(declared):
        rules.emit(9, ERROR, "handover_items", answer, missing=", ".join(sorted(set(declared) - set(named))),
                   extra=", ".join(sorted(set(named) - set(declared))))
    for line in answer.body["lines"]:
        name = line["item"]
        if line["prev"] != prepare.id:
            rules.emit(7, ERROR, "prev_mismatch", answer, name, prev=line["prev"].hex(), head=prepare.hex)
        if answer.kind == "handover.accept" and name in declared:
            rules.v13_observed(answer, line, name, declared[name])
            rules.v14_observed(answer, line, name, declared[name])
    if answer.kind == "handover.refuse":
        rules.v18_listed(answer, "refused", reason=answer.body["reason"])


# =============================================================================
# A record file on its own (SPEC 7.4)
# =============================================================================


def check_record_file(rows: list, backend, report: Report) -> None:
    """Check a record file awaiting co-signers (an ``open`` or ``destroy``
    on its way to its witness) without its ledger: V1, V2, V4 on its one
    record and the file's shape (no ``handover.*``: those travel as handover
    files). Who signed with what authority, and whether the witness rule is
    met, is for the ledger that appends it: a V5 notice says so."""
    report.add(Finding(5, NOTICE, "record_file_unanchored", {}, None, None, None))
    (_where, raw), = rows
    rid, kind, _body, _cosigners, problems, count = examine(raw, backend)
    report.records += 1
    report.signatures += count
    for check, code, params in problems or ():
        report.add(Finding(check, ERROR, code, params, rid.hex(), None, 0))
    if kind is not None and not problems and kind.startswith("handover."):
        report.add(Finding(9, ERROR, "record_file_shape", {"first": kind}, rid.hex(), None, 0))
