"""``Rules``: the record types' handlers, run in global order (SPEC 4, 8).

One class per concern holds the numbered checks (``chains``: V3, V7, V8;
``signers``: V5, V6; ``custody``: V9-V12; ``contents``: V13, V14;
``witnessed``: V15, V18; ``times``: V16, V17, V19); ``Rules`` combines them
and adds what ties them together: ``record``, which takes each examined
record, and one ``on_<type>`` handler per record type, which runs the checks
that type needs in SPEC order and then applies the record to ``State``.

Mixins rather than free functions over a shared state: a check is still
``self.vN_...``, the handlers are bound once in ``__init__``, and a method
found through the class hierarchy costs what one found on a single class
costs (CPython caches the lookup per type), so the per-record hot path is
the same as when this was one class. A few one-line rules that belong to a
single record type stay inline in its handler (V7 ``registered_twice``, V9
``pack_not_box``, ``pack_content_kind``, ``void_after_use``, V14
``seal_not_box`` for `open`, V2 ``partial_*_line``).
"""

from __future__ import annotations

import time as _time

from verifier.checks.base import Rec
from verifier.checks.chains import Chains
from verifier.checks.contents import Contents
from verifier.checks.custody import Custody
from verifier.checks.signers import Signers
from verifier.checks.times import Times
from verifier.checks.witnessed import Witnessed
from verifier.report import ERROR, Finding, Report
from verifier.state import DESTROYED, LOST, State


class Rules(Chains, Signers, Custody, Contents, Witnessed, Times):
    """Runs V3 and V5-V19 over records in global order, keeping ``State``."""

    def __init__(self, report: Report, now: int | None = None):
        self.report = report
        self.state = State()
        # What each concern keeps besides ``State`` (declared, with its meaning, in its class):
        self.genesis_seen = False  # Chains, V3
        self.pending_targets = {}  # Chains, V7
        self.latest = None  # Times, V19
        self.now = int(_time.time() * 1000) if now is None else now  # Times, V16
        self.ahead = []  # Times, V16
        self.tallies = {}  # Contents, V13
        self.conditions = {}  # Contents, V13
        # Bound once: the per-record dispatch is one dict lookup and one call.
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

    # --- taking a record -----------------------------------------------------

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

    # --- record types --------------------------------------------------------

    def on_genesis(self, rec: Rec) -> None:
        body = rec.body
        self.genesis_seen = True
        self.report.ledger_id = rec.hex
        self.report.utc_offset = body["utc_offset"]
        self.v5_v6_genesis(rec)
        self.state.genesis(rec.id, body)
        self.v5_genesis_cosigners(rec)

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
        self.v9_withdraw(rec)
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
