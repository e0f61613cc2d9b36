"""V9 (custody), V10 (path), V11 (destination) and V12 (nothing after destruction), SPEC 8.

Who holds an item and where it may go: the author of a custody record holds
its items, a handover goes to an active custodian, is answered by its
receiver with exactly its items, follows the allowed path between levels and
reaches a region covering each item's `dest`; a destroyed item takes no
further record.
"""

from __future__ import annotations

from verifier.checks.base import Rec, RuleBase
from verifier.report import ERROR, NOTICE, WARNING, fingerprint
from verifier.state import CUSTODY_ROLES, LEVEL, LOST, TRANSIT, TYPE_TAG


class Custody(RuleBase):
    """V9, V10, V11, V12."""

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

    def v9_withdraw(self, rec: Rec) -> None:
        """V9, SPEC 4.16: a withdrawal names an open handover, is written by
        that prepare's author, and names exactly its items."""
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

    def v12_destroyed(self, rec: Rec, name: str) -> None:
        """V12: "nothing after destruction: no line names a destroyed item"
        (SPEC 4.13: nothing may follow a destroyed item in its chain)."""
        self.emit(12, ERROR, "after_destroy", rec, name)
