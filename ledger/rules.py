"""The custody rules (SPEC 4, 5): may a record be appended, and what does it change?

:func:`apply` takes a parsed record and the :class:`State` an append reads
(the ledger's unit of work: aggregates loaded from the index), checks the
record rule by rule and applies its effects to those aggregates, in memory
only. It raises the refusal (a class of ``ledger.errors``) and never reads
or writes storage itself, so the same rules judge a record a command has
just signed, a record signed elsewhere (``Ledger.submit``), and the
re-check after a save lost a race.

:func:`reads` tells the application which aggregates and keys :func:`apply`
will ask for, so they can be loaded in one query first; anything else the
rules ask for is loaded on demand.

One function per record type (``RULES``), each checking first and changing
state last, so a refusal leaves nothing half-applied that matters: the
caller throws the state away anyway.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol
from uuid import UUID

from ledger import records, regions
from ledger.domain import (
    Attestations,
    Custodian,
    Genesis,
    Item,
    Seal,
    attestations_uuid,
    item_uuid,
    record_uuid,
    seal_uuid,
)
from ledger.errors import (
    AlreadyEnrolled,
    AlreadyInitialised,
    AlreadyRegistered,
    BadRecord,
    BadSignature,
    BadTime,
    BoxSealed,
    DuplicateRecord,
    ExceptionRequired,
    HandoverClosed,
    InTransit,
    InvalidInput,
    ItemDestroyed,
    ItemLost,
    ItemPacked,
    KeyRevoked,
    NotEnrolled,
    NotHolder,
    NotInitialised,
    OutOfJurisdiction,
    RoleNotAllowed,
    SealInUse,
    StaleRecord,
    UnknownItem,
    UnknownRecord,
    WitnessRequired,
    WrongDestination,
    WrongLedger,
    WrongReceiver,
)
from ledger.keys import fingerprint
from ledger.records import LEVELS, REGION_LENGTHS, covers
from ledger.transitions import DESTROYED, LOST, TRANSIT, VOIDED

__all__ = ["State", "apply", "reads", "holder_of", "box_contents", "RULES"]


class State(Protocol):
    """What the rules read and change: the ledger's unit of work."""

    genesis: Genesis | None

    def preload(self, ids: Iterable[UUID] = (), keys: Iterable[bytes] = ()) -> None: ...

    def get(self, uid: UUID) -> Any: ...

    def item(self, item_id: str) -> Item | None: ...

    def custodian(self, key: bytes) -> Custodian | None: ...

    def envelope(self, record_id: bytes) -> bytes | None: ...

    def parsed(self, record_id: bytes) -> records.Record: ...

    def add(self, aggregate: Any) -> None: ...

    def touch(self, *aggregates: Any) -> None: ...

    def add_record(self, rec: records.Record) -> None: ...


def apply(rec: records.Record, state: State, *, fresh: bool = False) -> None:
    """Checks ``rec`` against ``state`` and applies its effects there.

    ``fresh``: signed just now by this process, with a new time, so it
    cannot be a replay; the database's primary key would refuse a
    duplicate anyway, so the lookup is skipped. Raises the refusal;
    ``state`` must then be thrown away.
    """
    if rec.type == "genesis":
        _genesis(rec, state)
        return
    genesis = state.genesis
    if genesis is None:
        raise NotInitialised()
    if rec.ledger is None or rec.ledger != bytes.fromhex(genesis.ledger_id):
        raise WrongLedger(expected=genesis.ledger_id, got=rec.ledger.hex() if rec.ledger is not None else "-")
    if not fresh and state.envelope(rec.id) is not None:
        raise DuplicateRecord(record=rec.id.hex())
    if rec.time < genesis.time:
        raise BadTime(time=rec.time, earlier=genesis.time)
    signers = []
    for key in rec.signers:
        custodian = state.custodian(key)
        if custodian is None:
            raise NotEnrolled(key=fingerprint(key))
        if custodian.revoked:
            raise KeyRevoked(key=fingerprint(key))
        signers.append(custodian)
    RULES[rec.type](rec, state, signers[0], signers[1:])
    _mark_used(rec, state)
    state.add_record(rec)


def _genesis(rec: records.Record, state: State) -> None:
    """SPEC 4.1: the first record; every root signs; the roots become ``kpu`` custodians."""
    if state.genesis is not None:
        raise AlreadyInitialised()
    roots = rec.body["roots"]
    root_keys = {r["key"] for r in roots}
    for key in rec.signers:
        if key not in root_keys:
            raise NotEnrolled(key=fingerprint(key))
    if set(rec.signers) != root_keys:
        raise BadSignature(detail="every root key must sign the genesis record")
    for root in roots:
        _check_region_for_role("kpu", root["region"])
        _require_prime_order(root["key"])
    rid = rec.id.hex()
    state.genesis = Genesis.establish(
        ledger_id=rid,
        name=rec.body["name"],
        election=rec.body["election"],
        vote_date=rec.body["vote_date"],
        utc_offset=rec.body["utc_offset"],
        time=rec.time,
        roots=[r["key"].hex() for r in roots],
    )
    state.touch(state.genesis)
    for root in roots:
        state.add(
            Custodian.enrol(root["key"], role="kpu", region=root["region"], name=root["name"], org="", root=True, record=rid)
        )
    state.add_record(rec)


def _enrol(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.2: a ``kpu`` key enrols a key in its region; delegation of ``kpu`` only goes down."""
    body = rec.body
    _require_role(author, ("kpu",), "enrol")
    _require_covers(author, body["region"])
    if body["role"] == "kpu" and len(body["region"]) <= len(author.region):
        # Delegation only goes down: KPU RI -> provinsi -> kabupaten/kota.
        raise OutOfJurisdiction(key=fingerprint(rec.author), region=author.region, target=body["region"])
    _check_region_for_role(body["role"], body["region"])
    if state.custodian(body["key"]) is not None:
        raise AlreadyEnrolled(key=fingerprint(body["key"]))
    _require_prime_order(body["key"])
    state.add(
        Custodian.enrol(
            body["key"],
            role=body["role"],
            region=body["region"],
            name=body["name"],
            org=body["org"],
            root=False,
            record=rec.id.hex(),
        )
    )


def _require_prime_order(key: bytes) -> None:
    """SPEC 4.2: no identity, small-order or mixed-order key is ever enrolled (see SPEC 3.1)."""
    from ledger.signatures import prime_order_key

    if not prime_order_key(key):
        raise InvalidInput("weak_key", key=fingerprint(key))


def _revoke(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.3: a ``kpu`` key covering the key's region revokes it; roots cannot be revoked."""
    _require_role(author, ("kpu",), "revoke")
    target = state.custodian(rec.body["key"])
    if target is None:
        raise NotEnrolled(key=fingerprint(rec.body["key"]))
    if target.root:
        raise InvalidInput("root_not_revocable", key=fingerprint(rec.body["key"]))
    _require_covers(author, target.region)
    if target.revoked:
        raise KeyRevoked(key=fingerprint(rec.body["key"]))
    target.revoke(record=rec.id.hex(), reason=rec.body["reason"])
    state.touch(target)


def _register(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.4: a printer or ``kpu`` key registers new items and holds them."""
    _require_role(author, ("printer", "kpu"), "register")
    rid = rec.id.hex()
    places: set[str] = set()  # a batch shares a few destinations: each is judged once
    for line in rec.lines:
        if state.item(line["item"]) is not None:
            raise AlreadyRegistered(item=line["item"])
        if line["dest"] not in places:
            _require_covers(author, line["dest"])
            _require_known_place(line["dest"])
            places.add(line["dest"])
    for line in rec.lines:
        state.add(
            Item.register(
                line["item"],
                record=rid,
                time=rec.time,
                holder=author.key,
                location=author.region,
                kind=line["kind"],
                dest=line["dest"],
                qty=line.get("qty"),
                election=line.get("election"),
                dapil=line.get("dapil"),
                serial=line.get("serial"),
                label=line.get("label"),
            )
        )


def _pack(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.5: the holder of an unsealed box puts loose items (not boxes) into it."""
    _require_role(author, tuple(LEVELS), "pack")
    box_id = rec.body["box"]
    items = _chain(rec, state)
    box = items[box_id]
    _require_box(box)
    _require_held(state, box, rec.author)
    if box.seals:
        raise BoxSealed(box=box_id)
    _require_covers(author, box.dest)
    contents = [items[i] for i in items if i != box_id]
    for item in contents:
        if item.kind == "box":
            raise InvalidInput("wrong_kind", item=item.item_id, kind=item.kind, expected="ballots, seal, form or other")
        _require_held(state, item, rec.author)
        _require_covers(author, item.dest)
    rid = rec.id.hex()
    box.record_event(Item.Filled, rid, rec.time, contents=[i.item_id for i in contents])
    for item in contents:
        item.record_event(Item.PackedInto, rid, rec.time, box=box_id)
    state.touch(*items.values())


def _seal(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.6: the holder seals an unsealed box with seal numbers never used before."""
    _require_role(author, tuple(LEVELS), "seal")
    box_id = rec.body["box"]
    box = _chain(rec, state)[box_id]
    _require_box(box)
    _require_held(state, box, rec.author)
    if box.seals:
        raise BoxSealed(box=box_id)
    _require_covers(author, box.dest)
    rid = rec.id.hex()
    for number in rec.body["seals"]:
        if state.get(seal_uuid(number)) is not None:
            raise SealInUse(seal=number)
        state.add(Seal.use(number, box=box_id, record=rid))
    box.record_event(Item.Sealed, rid, rec.time, seals=list(rec.body["seals"]))
    state.touch(box)


def _open(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.7: the holder opens a box before a witness; off the allowed step only with ``exception``."""
    body = rec.body
    box_id = body["box"]
    box = _chain(rec, state)[box_id]
    _require_box(box)
    _require_held(state, box, rec.author)
    _require_covers(author, box.dest)
    genesis = state.genesis
    if genesis is None:
        raise NotInitialised()
    at_tps_on_vote_day = (
        author.role == "kpps"
        and author.region == box.dest
        and _local_date(rec.time, genesis.utc_offset) == genesis.vote_date
    )
    if not (author.role == "kpu" or at_tps_on_vote_day) and "exception" not in body:
        raise ExceptionRequired(detail=f"opening box {box_id} by {author.role} outside its TPS on voting day")
    # Last of the checks: a record file signed for a witness to co-sign on
    # their own device (SPEC 7.4) has passed every other one when this fails.
    _require_witness(cosigners, "open")
    rid = rec.id.hex()
    contents = list(box.contents)
    state.preload([item_uuid(i) for i in contents])
    box.record_event(Item.Opened, rid, rec.time, seals_found=list(body["seals"]), intact=body["intact"])
    state.touch(box)
    for item_id in contents:
        item = _known(state, item_id)
        item.record_event(Item.Unpacked, rid, rec.time, holder=box.holder, location=box.location)
        state.touch(item)


def _handover_prepare(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.8: the holder hands items to an active custodian, on the
    allowed path and to the items' region unless ``exception``."""
    body = rec.body
    _require_role(author, tuple(LEVELS), "hand over items")
    if body["to"] == rec.author:
        raise InvalidInput("self_handover")
    receiver = _enrolled(state, body["to"])
    if receiver.role not in LEVELS:
        raise RoleNotAllowed(role=receiver.role, action="hold items")
    for key in (*body.get("escorts", ()), *body.get("witnesses", ())):
        _enrolled(state, key)
    exception = body.get("exception")
    giver, taker = LEVELS[author.role], LEVELS[receiver.role]
    on_path = taker - giver == 1 or (giver - taker == 1 and taker >= 1) or giver == taker == 1
    if not on_path and not exception:
        raise ExceptionRequired(detail=f"handover {author.role} -> {receiver.role}")
    items = _chain(rec, state)
    for line in rec.lines:
        item = items[line["item"]]
        _require_held(state, item, rec.author)
        _check_declared(state, item, line)
        if not exception:
            _require_covers(author, item.dest)
            # Packed items travel with their box: their dest counts too (tertukar).
            for moved in [item, *(_known(state, i) for i in sorted(item.contents))]:
                if not covers(receiver.region, moved.dest):
                    raise WrongDestination(item=moved.item_id, dest=moved.dest, region=receiver.region)
    rid, to = rec.id.hex(), body["to"].hex()
    for item in items.values():
        item.record_event(Item.HandoverPrepared, rid, rec.time, to=to)
    state.touch(*items.values())


def _handover_accept(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.9: the named receiver takes custody, recording what it observed."""
    items = _answer(rec, state)
    rid = rec.id.hex()
    for line in rec.lines:
        item = items[line["item"]]
        if (item.qty is not None) != ("qty" in line) or (item.kind == "box") != ("seals" in line):
            raise BadRecord(detail=f"accept line for {item.item_id}: observe qty for counted items, seals for boxes")
        item.record_event(
            Item.CustodyMoved,
            rid,
            rec.time,
            holder=author.key,
            location=author.region,
            qty=line.get("qty"),
            seals=line.get("seals"),
            condition=line["condition"],
        )
    state.touch(*items.values())


def _handover_partial(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.18: the named receiver accepts some items (as 4.9) and refuses
    the others (as 4.10) in one record."""
    items = _answer(rec, state)
    rid = rec.id.hex()
    for line in rec.lines:
        item = items[line["item"]]
        if not line["accepted"]:
            if set(line) - {"item", "prev", "accepted"}:
                raise BadRecord(detail=f"refused line for {item.item_id}: nothing is observed of a refused item")
            item.record_event(Item.HandoverRefused, rid, rec.time)
            continue
        if item.state == LOST:
            raise ItemLost(item=item.item_id)
        if "condition" not in line or (item.qty is not None) != ("qty" in line) or (item.kind == "box") != (
            "seals" in line
        ):
            raise BadRecord(detail=f"accepted line for {item.item_id}: a condition, qty for counted items, seals for boxes")
        item.record_event(Item.CustodyMoved, rid, rec.time, holder=author.key, location=author.region,
                          qty=line.get("qty"), seals=line.get("seals"), condition=line["condition"])
    state.touch(*items.values())


def _handover_withdraw(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.16: the giver takes back a handover nobody answered; custody
    stays with the giver, the items are no longer in transit."""
    items = _answer(rec, state, by_giver=True)
    for item in items.values():
        item.record_event(Item.HandoverRefused, rec.id.hex(), rec.time)
    state.touch(*items.values())


def _void(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.17: the registrant voids a registration that nothing followed
    (a wrong destination, a typing error); the item can never be used."""
    items = _chain(rec, state)
    for item in items.values():
        if item.head != getattr(item, "registered_by", None):
            raise InvalidInput("not_voidable", item=item.item_id)
        _require_held(state, item, rec.author)
    rid = rec.id.hex()
    for item in items.values():
        item.record_event(Item.Voided, rid, rec.time)
    state.touch(*items.values())


def _handover_refuse(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.10: the named receiver refuses; custody stays with the giver."""
    items = _answer(rec, state)
    for item in items.values():
        item.record_event(Item.HandoverRefused, rec.id.hex(), rec.time)
    state.touch(*items.values())


def _answer(rec: records.Record, state: State, by_giver: bool = False) -> dict[str, Item]:
    """Checks an accept, refuse (by the receiver) or withdraw (by the
    giver, ``by_giver``) against its prepare (SPEC 4.9, 4.10, 4.16)."""
    handover = rec.body["handover"]
    if state.envelope(handover) is None:
        raise UnknownRecord(record=handover.hex())
    prep = state.parsed(handover)
    if prep.type != "handover.prepare":
        raise InvalidInput("not_a_handover", record=handover.hex())
    if by_giver:
        if prep.body["author"] != rec.author:
            raise InvalidInput("not_the_giver", handover=handover.hex(), expected=fingerprint(prep.body["author"]),
                               key=fingerprint(rec.author))
    elif prep.body["to"] != rec.author:
        raise WrongReceiver(handover=handover.hex(), expected=fingerprint(prep.body["to"]), key=fingerprint(rec.author))
    if [ln["item"] for ln in rec.lines] != [ln["item"] for ln in prep.lines]:
        raise InvalidInput("lines_mismatch", handover=handover.hex())
    state.preload([item_uuid(ln["item"]) for ln in rec.lines])
    for line in rec.lines:
        item = _known(state, line["item"])
        if item.state == DESTROYED:
            raise ItemDestroyed(item=item.item_id)
        if item.pending != handover.hex():
            raise HandoverClosed(handover=handover.hex())
        if item.state == LOST and rec.type == "handover.accept":
            # A custody break is not papered over by a signature.
            raise ItemLost(item=item.item_id)
    return _chain(rec, state)


def _incident(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.11: the holder records damage or loss, and it changes the item;
    an escort or a witness records a **report**: in the item's chain and
    listed, but it changes no custody state (a witness key marking a box it
    never held as lost locked its holder out)."""
    body = rec.body
    items = _chain(rec, state)
    reports = set()
    for line in rec.lines:
        item = items[line["item"]]
        if holder_of(state, item).holder != author.key:
            if author.role not in ("escort", "witness"):
                raise NotHolder(item=item.item_id, key=fingerprint(rec.author))
            reports.add(item.item_id)
        _require_covers(author, item.dest)
        if "qty_lost" in line:
            if item.qty is None:
                raise InvalidInput("wrong_kind", item=item.item_id, kind=item.kind, expected="an item with a quantity")
            if line["qty_lost"] > item.qty:
                raise InvalidInput("qty_lost_too_large", item=item.item_id, qty_lost=line["qty_lost"], qty=item.qty)
    rid = rec.id.hex()
    for line in rec.lines:
        report = line["item"] in reports
        items[line["item"]].record_event(
            Item.IncidentRecorded,
            rid,
            rec.time,
            kind=body["kind"],
            qty_lost=None if report else line.get("qty_lost"),
            condition=None if report else line.get("condition"),
            lost=not report and body["kind"] == "loss" and "qty_lost" not in line,
        )
    state.touch(*items.values())


def _tally(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.12: a ``kpps`` holding loose ballots accounts for every one."""
    _require_role(author, ("kpps",), "tally")
    items = _chain(rec, state)
    for line in rec.lines:
        item = items[line["item"]]
        if item.kind != "ballots":
            raise InvalidInput("wrong_kind", item=item.item_id, kind=item.kind, expected="ballots")
        _require_held(state, item, rec.author)
        _require_covers(author, item.dest)
        total = line["used"] + line["unused"] + line["spoiled"]
        if total != item.qty:
            raise InvalidInput("tally_mismatch", item=item.item_id, total=total, qty=item.qty)
    rid = rec.id.hex()
    for line in rec.lines:
        items[line["item"]].record_event(
            Item.Tallied, rid, rec.time, used=line["used"], unused=line["unused"], spoiled=line["spoiled"]
        )
    state.touch(*items.values())


def _destroy(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.13: a ``kpu`` holder destroys items before a witness; a box with all its contents."""
    _require_role(author, ("kpu",), "destroy")
    items = _chain(rec, state)
    for item in items.values():
        if item.container and item.container not in items:
            raise ItemPacked(item=item.item_id, box=item.container)
        if item.kind == "box" and not set(item.contents) <= set(items):
            raise InvalidInput("box_not_empty", box=item.item_id)
        _require_held(state, item, rec.author, packed_ok=True)
        _require_covers(author, item.dest)
    _require_witness(cosigners, "destroy")  # last, as in _open
    rid = rec.id.hex()
    for item in items.values():
        item.record_event(Item.Destroyed, rid, rec.time)
    state.touch(*items.values())


def _witness(rec: records.Record, state: State, author: Custodian, cosigners: list[Custodian]) -> None:
    """SPEC 4.14: any active key attests an earlier record."""
    target = rec.body["target"]
    if state.envelope(target) is None:
        raise UnknownRecord(record=target.hex())
    attestations = state.get(attestations_uuid(target))
    if attestations is None:
        state.add(Attestations.start(target, rec.id.hex()))
    else:
        attestations.add(rec.id.hex())
        state.touch(attestations)


RULES: dict[str, Callable[..., None]] = {
    "enrol": _enrol,
    "revoke": _revoke,
    "register": _register,
    "pack": _pack,
    "seal": _seal,
    "open": _open,
    "handover.prepare": _handover_prepare,
    "handover.accept": _handover_accept,
    "handover.refuse": _handover_refuse,
    "handover.withdraw": _handover_withdraw,
    "handover.partial": _handover_partial,
    "void": _void,
    "incident": _incident,
    "tally": _tally,
    "destroy": _destroy,
    "witness": _witness,
}


# --- helpers ---------------------------------------------------------------------------------


def reads(rec: records.Record) -> tuple[list[UUID], list[bytes]]:
    """Aggregate ids and custodian keys :func:`apply` will read for ``rec``,
    so that they can be loaded in one go (the record's own id first)."""
    body = rec.body
    ids = [record_uuid(rec.id)]
    ids += [item_uuid(ln["item"]) for ln in rec.lines]
    for name in ("handover", "target"):
        if name in body:
            ids.append(record_uuid(body[name]))
    if rec.type == "witness":
        ids.append(attestations_uuid(body["target"]))
    if rec.type == "seal":
        ids += [seal_uuid(s) for s in body["seals"]]
    keys = list(rec.signers)
    if "key" in body:
        keys.append(body["key"])
    return ids, keys + _named_keys(rec)


def _named_keys(rec: records.Record) -> list[bytes]:
    """Keys a record names that must be active when it is appended: a
    prepare's receiver, escorts and witnesses (SPEC 4.8, V5, V9)."""
    body = rec.body
    keys = [body["to"]] if "to" in body else []
    for name in ("escorts", "witnesses"):
        keys += body.get(name, ())
    return keys


def _mark_used(rec: records.Record, state: State) -> None:
    """Appends :class:`Custodian.Used` to every key ``rec`` needs active (its
    signers and the keys it names), so that a revocation racing with it
    conflicts instead of landing first (SPEC 4.3). A key this record revokes
    has its ``Revoked`` event instead, which must stay its last."""
    rid = rec.id.hex()
    for key in dict.fromkeys([*rec.signers, *_named_keys(rec)]):
        custodian = state.custodian(key)
        if custodian is None:  # checked before: every key a record needs is enrolled
            raise NotEnrolled(key=fingerprint(key))
        if custodian.revoked_by != rid:
            custodian.use(rid)
            state.touch(custodian)


def _chain(rec: records.Record, state: State) -> dict[str, Item]:
    """The items of ``rec``'s lines, after the chain rules (SPEC 5, V7, V8,
    V12, V16): each exists, is not destroyed, and the line's ``prev`` is its
    head; the record is not older than the head."""
    items = {}
    for line in rec.lines:
        item = state.item(line["item"])
        if item is None:
            raise UnknownItem(item=line["item"])
        if item.state == DESTROYED:
            raise ItemDestroyed(item=item.item_id)
        if item.state == VOIDED:
            raise InvalidInput("item_voided", item=item.item_id)
        if line["prev"] != bytes.fromhex(item.head):
            raise StaleRecord(item=item.item_id, expected=item.head, got=line["prev"].hex())
        if rec.time < item.time:
            raise BadTime(time=rec.time, earlier=item.time)
        items[item.item_id] = item
    return items


def holder_of(state: State, item: Item) -> Item:
    """The item whose custody applies: the box, for a packed item."""
    return _known(state, item.container) if item.container else item


def _require_held(state: State, item: Item, key: bytes, *, packed_ok: bool = False) -> None:
    outer = holder_of(state, item)
    if LOST in (item.state, outer.state):
        raise ItemLost(item=item.item_id)
    if outer.holder != key.hex():
        raise NotHolder(item=item.item_id, key=fingerprint(key))
    if outer.state == TRANSIT:
        raise InTransit(item=item.item_id, handover=outer.pending)
    if item.container and not packed_ok:
        raise ItemPacked(item=item.item_id, box=item.container)


def _require_known_place(dest: str) -> None:
    """A registration to a place the reference data says does not exist is
    refused (a typed TPS 3101011001999): where the shipped data covers the
    province, the code must be in it. Not a SPEC rule (the verifier has no
    region data), a ledger's own check of what it signs."""
    problem = regions.unknown_place(dest)
    if problem is not None:
        raise InvalidInput("unknown_destination", dest=dest, known=problem)


def _require_box(item: Item) -> None:
    if item.kind != "box":
        raise InvalidInput("not_a_box", item=item.item_id)


def _require_role(custodian: Custodian, roles: Sequence[str], action: str) -> None:
    if custodian.role not in roles:
        raise RoleNotAllowed(role=custodian.role, action=action)


def _require_covers(custodian: Custodian, target: str) -> None:
    if not covers(custodian.region, target):
        raise OutOfJurisdiction(key=fingerprint(bytes.fromhex(custodian.key)), region=custodian.region, target=target)


def _require_witness(cosigners: Sequence[Custodian], action: str) -> None:
    if not any(c.role == "witness" for c in cosigners):
        raise WitnessRequired(action=action)


def _known(state: State, item_id: str) -> Item:
    """An item the ledger must already hold (a box's contents, a handover's lines)."""
    item = state.item(item_id)
    if item is None:
        raise UnknownItem(item=item_id)
    return item


def _enrolled(state: State, key: bytes) -> Custodian:
    custodian = state.custodian(key)
    if custodian is None:
        raise NotEnrolled(key=fingerprint(key))
    if custodian.revoked:
        raise KeyRevoked(key=fingerprint(key))
    return custodian


def _check_region_for_role(role: str, region: str) -> None:
    lengths = REGION_LENGTHS[role]
    if lengths is not None and len(region) not in lengths:
        raise InvalidInput("region_role_mismatch", role=role, region=region)


def _check_declared(state: State, item: Item, line: dict[str, Any]) -> None:
    """SPEC 4.8, V13, V14: a prepare declares the ledger's qty, seals, contents."""
    if line.get("qty") != item.qty:
        raise InvalidInput("qty_mismatch", item=item.item_id, declared=line.get("qty"), actual=item.qty)
    if item.kind == "box":
        if line.get("seals") != item.seals:
            raise InvalidInput("seals_mismatch", item=item.item_id)
        if line.get("contents") != box_contents(state, item):
            raise InvalidInput("contents_mismatch", item=item.item_id)
    elif "seals" in line or "contents" in line:
        raise BadRecord(detail=f"prepare line for {item.item_id}: only boxes carry seals and contents")


def box_contents(state: State, box: Item) -> list[list[Any]]:
    state.preload([item_uuid(i) for i in box.contents])
    return [[i, _known(state, i).qty] for i in sorted(box.contents)]


def _local_date(time_ms: int, utc_offset: int) -> str:
    try:
        moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=time_ms + utc_offset * 60_000)
    except OverflowError:
        return ""  # beyond any calendar: not a voting day (and refused as future time, SPEC 5.1)
    return moment.date().isoformat()
