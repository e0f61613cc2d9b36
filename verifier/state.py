"""What the verifier remembers while it reads the ledger (SPEC section 5).

Processing records in global order, the verifier keeps, per item, only what
the checks of the next record need: chain head, holder, state, container,
qty, seals, dest, kind, the time of its last record and its **history** (8
bytes per record of its chain: enough to tell a fork from a broken chain and
a replay from a new record); per key, its role, region and revocation; the
open handovers; the seal numbers used; and the ids of the records without
lines (genesis, enrolments, revocations, witness statements). Nothing is
kept per record otherwise, so memory follows the number of items and keys,
not the length of the ledger.

The state follows the ledger *as written*: a record that breaks a rule
(V5-V19) is reported and still applied, so one fault gives one finding, not
a cascade. Records that are not records at all (V1, V2), not signed (V4),
from another ledger (V3) or replayed (V7) are reported and not applied.
"""

from __future__ import annotations

import datetime
from sys import intern

HELD, TRANSIT, LOST, DESTROYED = "held", "transit", "lost", "destroyed"

# SPEC 4: custody levels; escort and witness never hold items.
LEVEL = {"printer": 0, "kpu": 1, "ppk": 2, "pps": 3, "kpps": 4}
CUSTODY_ROLES = frozenset(LEVEL)

DAY_MS = 86_400_000
EMPTY: frozenset[str] = frozenset()

# One byte per record type, stored with the record id.
TYPE_TAG = {
    name: number
    for number, name in enumerate(
        (
            "genesis",
            "enrol",
            "revoke",
            "register",
            "pack",
            "seal",
            "open",
            "handover.prepare",
            "handover.accept",
            "handover.refuse",
            "incident",
            "tally",
            "destroy",
            "witness",
            "handover.withdraw",  # SPEC 4.16, 4.17: added last, so the earlier tags keep their numbers
            "void",
            "handover.partial",
        ),
        start=1,
    )
}


TAG_BYTE = {name: bytes([number]) for name, number in TYPE_TAG.items()}
LINELESS = frozenset({"genesis", "enrol", "revoke", "witness"})


def covers(region: str, other: str) -> bool:
    """SPEC 2.2: region A covers region B when B starts with A."""
    return other.startswith(region)


class Custodian:
    __slots__ = ("role", "region", "root", "revoked")

    def __init__(self, role: str, region: str, root: bool = False):
        self.role = role
        self.region = region
        self.root = root
        self.revoked: int | None = None  # position of the revoke record

    def active_at(self, position: int) -> bool:
        """Not revoked by a record before ``position`` (SPEC 4.3)."""
        return self.revoked is None or position <= self.revoked


class Item:
    __slots__ = (
        "kind", "dest", "qty", "holder", "state", "box", "contents", "seals", "head", "time", "pending", "history",
    )

    def __init__(self, kind, dest, qty, holder, head, time, entry: bytes):
        self.kind = kind
        self.dest = dest
        self.qty = qty  # None for kinds without a count (boxes)
        self.holder = holder
        self.state = HELD
        self.box: str | None = None  # the box this item is packed in
        # Boxes share one empty set until something is packed (most boxes, most of the time).
        self.contents: frozenset | set | None = EMPTY if kind == "box" else None
        self.seals: tuple = ()
        self.head = head
        self.time = time
        self.pending: bytes | None = None  # prepare id while in transit
        self.history = entry  # 8 bytes per record of the chain: 7 of its id, 1 of its type

    def knows(self, rid: bytes) -> int:
        """The type tag of ``rid`` if it is a record of this item's chain, else 0.

        Seven bytes of a SHA-256 among the few dozen records of one chain:
        finding a second record that matches one of them is out of reach.
        """
        history, prefix = self.history, rid[:7]
        at = history.find(prefix)
        while at >= 0:
            if at % 8 == 0:
                return history[at + 7]
            at = history.find(prefix, at + 1)
        return 0


class Handover:
    """An open handover: a prepare with no accept or refuse yet."""

    __slots__ = ("giver", "to", "lines", "time", "rid", "position")

    def __init__(self, giver: bytes, to: bytes, lines: dict, time: int = 0, rid: bytes = b"", position=None):
        self.giver = giver
        self.to = to
        self.lines = lines  # item -> the prepare's line (declared qty, seals, contents)
        self.time = time  # the prepare's time: the items are in transit from then (V19)
        self.rid = rid
        self.position = position


class Seen:
    """Ids of the records without lines (16 bytes each), with their type.

    Records with lines are remembered in their items' histories instead.
    """

    def __init__(self):
        self._tags: dict[bytes, int] = {}

    def tag(self, rid: bytes) -> int:
        return self._tags.get(rid[:16], 0)

    def __contains__(self, rid: bytes) -> bool:
        return rid[:16] in self._tags

    def __len__(self) -> int:
        return len(self._tags)

    def add(self, rid: bytes, tag: int) -> int:
        """Insert ``rid``; return the tag it already had (0 if it is new)."""
        key = rid[:16]
        old = self._tags.get(key)
        if old is not None:
            return old
        self._tags[key] = tag
        return 0


class State:
    """Keys, items, open handovers, used seals, ids of records without lines."""

    def __init__(self):
        self.ledger_id: bytes | None = None
        self.genesis_time: int | None = None
        self.utc_offset = 0
        self.vote_day: int | None = None  # days since 1970-01-01 of vote_date
        self.custodians: dict[bytes, Custodian] = {}
        self.roots: set[bytes] = set()
        self.items: dict[str, Item] = {}
        self.handovers: dict[bytes, Handover] = {}
        self.seals_used: set[str] = set()
        self.lineless = Seen()
        self._keys: dict[bytes, bytes] = {}

    # --- reading -------------------------------------------------------------

    def effective(self, item: Item) -> Item:
        """The item whose holder and state count: the box for a packed item."""
        while item.box is not None:
            item = self.items[item.box]
        return item

    def local_day(self, time_ms: int) -> int:
        return (time_ms + self.utc_offset * 60_000) // DAY_MS

    def deadline(self) -> int | None:
        """SPEC 4.1: H-1 ends when the vote day starts, local time (ms since epoch)."""
        if self.vote_day is None:
            return None
        return self.vote_day * DAY_MS - self.utc_offset * 60_000

    # --- effects (applied after the checks) ----------------------------------

    def genesis(self, rid: bytes | None, body: dict) -> None:
        self.ledger_id = rid
        self.genesis_time = body["time"]
        self.utc_offset = body["utc_offset"]
        vote_date = datetime.date.fromisoformat(body["vote_date"])
        self.vote_day = (vote_date - datetime.date(1970, 1, 1)).days
        for root in body["roots"]:
            if root["key"] not in self.custodians:
                self.custodians[root["key"]] = Custodian("kpu", root["region"], root=True)
                self.roots.add(root["key"])

    def enrol(self, body: dict) -> None:
        if body["key"] not in self.custodians:  # a second enrolment changes nothing
            self.custodians[body["key"]] = Custodian(body["role"], body["region"])

    def revoke(self, position: int, body: dict) -> None:
        subject = self.custodians.get(body["key"])
        if subject is not None and not subject.root and subject.revoked is None:
            subject.revoked = position

    def shared(self, key: bytes) -> bytes:
        """One bytes object per key, however many items it holds (memory, not meaning)."""
        return self._keys.setdefault(key, key)

    def register(self, rid: bytes, body: dict) -> None:
        author, time = self.shared(body["author"]), body["time"]
        entry = rid[:7] + TAG_BYTE["register"]
        for line in body["lines"]:
            if line["item"] not in self.items:
                # Kind and destination repeat across thousands of items: keep one copy.
                kind, dest = intern(line["kind"]), intern(line["dest"])
                self.items[line["item"]] = Item(kind, dest, line.get("qty"), author, rid, time, entry)

    def touch(self, rid: bytes, kind: str, time: int, lines: list) -> None:
        """Every record with lines becomes the head of each item it names."""
        items = self.items
        entry = rid[:7] + TAG_BYTE[kind]
        for line in lines:
            item = items.get(line["item"])
            if item is not None:
                item.head = rid
                item.time = time
                item.history += entry

    def pack(self, body: dict) -> None:
        box = self.items.get(body["box"])
        if box is None or box.contents is None:
            return
        for line in body["lines"]:
            name = line["item"]
            item = self.items.get(name)
            if name != body["box"] and item is not None and item.box is None and item.kind != "box":
                item.box = body["box"]
                if not isinstance(box.contents, set):  # the shared EMPTY: the box's first item
                    box.contents = set()
                box.contents.add(name)

    def seal(self, body: dict) -> None:
        box = self.items.get(body["box"])
        if box is not None:
            box.seals = tuple(body["seals"])
        self.seals_used.update(body["seals"])

    def open(self, body: dict) -> None:
        box = self.items.get(body["box"])
        if box is None:
            return
        box.seals = ()
        self.seals_used.update(body["seals"])
        for name in box.contents or ():
            content = self.items[name]
            content.box = None
            content.holder = box.holder
            content.state = box.state
        if box.contents:
            box.contents = EMPTY

    def prepare(self, rid: bytes, body: dict, position=None) -> None:
        lines = {}
        for line in body["lines"]:
            item = self.items.get(line["item"])
            if item is not None:
                item.state = TRANSIT
                item.pending = rid
            lines[line["item"]] = line
        self.handovers[rid] = Handover(body["author"], body["to"], lines, body["time"], rid, position)

    def close(self, body: dict, accepted: bool | None) -> None:
        """Accept or refuse: the handover is over; on accept custody moves.
        ``accepted`` None: each line says (a partial answer, SPEC 4.18)."""
        handover = self.handovers.pop(body["handover"], None)
        if handover is None:
            return
        author = self.shared(body["author"])
        answered = 0
        for line in body["lines"]:
            item = self.items.get(line["item"])
            if item is None or line["item"] not in handover.lines:
                continue
            answered += 1
            item.pending = None
            if item.state == TRANSIT:
                item.state = HELD
            if accepted or (accepted is None and line.get("accepted")):
                item.holder = author
                if item.qty is not None and "qty" in line:
                    item.qty = line["qty"]
                if item.kind == "box":
                    item.seals = tuple(line.get("seals", ()))
        if answered == len(handover.lines):
            return
        # Items of the prepare that the answer left out are no longer in transit.
        for name in handover.lines:
            item = self.items.get(name)
            if item is not None and item.pending == body["handover"]:
                item.pending = None
                if item.state == TRANSIT:
                    item.state = HELD

    def incident(self, body: dict, held: set) -> None:
        """SPEC 4.11: only lines whose item the author holds (``held``) change it."""
        for line in body["lines"]:
            item = self.items.get(line["item"])
            if item is None or line["item"] not in held:
                continue
            if "qty_lost" in line:
                if item.qty is not None:
                    item.qty = max(0, item.qty - line["qty_lost"])
            elif body["kind"] == "loss":
                item.state = LOST

    def destroy(self, body: dict) -> None:
        for line in body["lines"]:
            item = self.items.get(line["item"])
            if item is not None:
                item.state = DESTROYED
