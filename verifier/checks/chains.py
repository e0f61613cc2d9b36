"""V3 (ledger binding), V7 (chains, replay, references) and V8 (forks), SPEC 8.

Which ledger and which item chain a record belongs to: the first record is
the only genesis, every record is bound to the ledger id, every line's
`prev` is its item's head (or names a superseded record: a fork), no record
is applied twice, and a `witness` names an earlier record.
"""

from __future__ import annotations

from verifier.checks.base import Rec, RuleBase
from verifier.report import ERROR, Finding
from verifier.state import LINELESS, TYPE_TAG


class Chains(RuleBase):
    """V3, V7, V8."""

    genesis_seen: bool  # a genesis has been taken (V3: it is the only one)
    pending_targets: dict[bytes, list]  # witness target -> [(position, witness id)], settled by ``finish``

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
