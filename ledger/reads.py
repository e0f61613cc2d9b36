"""What the ledger answers about an item, a key or a record: plain frozen
values built from the aggregates, so callers (the CLI, the views, exports)
never hold an aggregate that could be mutated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger import rules
from ledger.domain import Custodian, Item
from ledger.keys import fingerprint
from ledger.transitions import DESTROYED, LOST, VOIDED

if TYPE_CHECKING:
    from ledger.work import Work

__all__ = ["CustodianState", "ItemState", "RecordView", "custodian_state", "item_state"]


@dataclass(frozen=True)
class ItemState:
    """What the ledger knows about an item now (SPEC 5).

    For a packed item, ``holder``, ``location`` and ``state`` are its box's.
    """

    id: str
    kind: str
    dest: str
    qty: int | None
    election: str | None
    dapil: str | None
    holder: bytes
    state: str  # held, transit, lost, destroyed
    location: str
    seals: list[str]
    container: str | None
    contents: list[str]
    head: bytes
    pending_handover: bytes | None
    serial: list[str] | None = None
    label: str | None = None
    condition: str = "ok"
    tally: dict[str, int] | None = None
    time: int = 0  #: time of the chain head record


@dataclass(frozen=True)
class CustodianState:
    key: bytes
    role: str
    region: str
    name: str
    org: str
    revoked: bool
    root: bool = False
    enrolled_by: bytes | None = None  #: the enrol (or genesis) record
    revoked_by: bytes | None = None
    reason: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


@dataclass(frozen=True)
class RecordView:
    """A record as a line of an item's history."""

    position: int | None  #: 0-based place in the global order = leaf index in the log (SPEC 1, 10.1)
    id: bytes
    type: str
    time: int
    author: bytes
    cosigners: list[bytes]
    summary: dict[str, Any] = field(default_factory=dict)  #: type fields, no lines
    line: dict[str, Any] | None = None  #: this item's line (or its box's, with ``via``)
    via: str | None = None  #: the box, for records of the box the item was packed in



def item_state(work: Work, item: Item) -> ItemState:
    outer = rules.holder_of(work, item)
    return ItemState(
        id=item.item_id,
        kind=item.kind,
        dest=item.dest,
        qty=item.qty,
        election=item.election,
        dapil=item.dapil,
        holder=bytes.fromhex(outer.holder),
        state=item.state if item.state in (LOST, DESTROYED, VOIDED) else outer.state,
        location=outer.location,
        seals=list(item.seals),
        container=item.container,
        contents=list(item.contents),
        head=bytes.fromhex(item.head),
        pending_handover=bytes.fromhex(outer.pending) if outer.pending else None,
        serial=item.serial,
        label=item.label,
        condition=item.condition,
        tally=item.tally,
        time=item.time,
    )


def custodian_state(c: Custodian) -> CustodianState:
    return CustodianState(
        key=bytes.fromhex(c.key),
        role=c.role,
        region=c.region,
        name=c.name,
        org=c.org,
        revoked=c.revoked,
        root=c.root,
        enrolled_by=bytes.fromhex(c.record),
        revoked_by=bytes.fromhex(c.revoked_by) if c.revoked_by else None,
        reason=c.reason,
    )
