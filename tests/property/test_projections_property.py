"""Property: however records arrive, the views are the same.

Hypothesis draws a list of abstract steps; each is turned into a *valid*
command against the current state of a real ledger (real keys, a real SQLite
file): handovers along the allowed path, acceptances with random short
counts, other seals or damage, refusals, handovers left open, packing,
sealing, openings, incidents and losses, tallies, destruction, witness
records, new registrations. The views are caught up after every command.
Then:

* a rebuild from nothing gives the same view rows;
* applying the records in random batch sizes gives the same view rows;
* applying records a second time is refused and changes nothing;
* the custody view equals the ledger's own state for every item;
* the independent verifier finds no error in the ledger.
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application import Ledger
from ledger.errors import SerahError
from ledger.projections import Views
from ledger.projections.runner import Stale
from ledger.records import parse, record_id
from support.projections import (
    ALL_TPS,
    KAB,
    assert_custody_matches_ledger,
    copy_sqlite,
    ledger_holdings,
    make_world,
    snapshot,
)
from verifier.api import verify

ACTIONS = ("handover",) * 6 + ("answer", "answer", "pack", "seal", "open", "incident", "tally", "tally",
                              "destroy", "witness", "register")  # fmt: skip
LEVEL = {"printer": 0, "kpu": 1, "ppk": 2, "pps": 3, "kpps": 4}

steps = st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 10**6), st.integers(0, 10**6)), max_size=45)
batch_sizes = st.lists(st.integers(1, 12), min_size=1, max_size=8)


class Driver:
    """Turns abstract steps into valid commands on a real ledger."""

    def __init__(self, world):
        self.w = world
        self.L = world.ledger
        self.items: list[str] = []
        self.pending: list[tuple[bytes, object]] = []  # (prepare envelope, receiver)
        self.records: list[bytes] = []
        self.seals = 0
        self.roles = {world.kab.public: "kpu", world.printer.public: "printer"}
        for group, role in ((world.ppk, "ppk"), (world.pps, "pps"), (world.kpps, "kpps")):
            for s in group.values():
                self.roles[s.public] = role
        self.new_items = 0
        for t in ALL_TPS[:2]:
            self.register(t)
        # One TPS's items start at the TPS, so that tallies and the return
        # trip are within reach of a short random walk.
        t = ALL_TPS[0]
        first = self.items[:3]
        L = self.L
        L.accept(world.kab, L.prepare(world.printer, world.kab.public, [first[0]], KAB, "gudang", "kirim"))
        for giver, taker, place in ((world.kab, world.ppk[t[:6]], t[:6]), (world.ppk[t[:6]], world.pps[t[:10]], t[:10]),
                                    (world.pps[t[:10]], world.kpps[t], t)):  # fmt: skip
            L.accept(taker, L.prepare(giver, taker.public, first, place, "site", "distribusi"))

    # --- helpers ---------------------------------------------------------------------

    def state(self, item):
        return self.L.item(item)

    def loose_held(self):
        """(item, state) of items held loose (not packed, not in transit/lost/destroyed)."""
        out = []
        for i in self.items:
            s = self.state(i)
            if s.state == "held" and s.container is None:
                out.append((i, s))
        return out

    def seal_numbers(self, n=1):
        self.seals += 1
        return [f"SG-{self.seals:05d}-{k}" for k in range(n)]

    def receiver(self, holder_key, dest, pick):
        w, role = self.w, self.roles[holder_key]
        options = {
            "printer": [w.kab],
            "kpu": [w.ppk[dest[:6]]],
            "ppk": [w.pps[dest[:10]], w.pps[dest[:10]], w.kab],  # mostly onwards, sometimes back
            "pps": [w.kpps[dest], w.kpps[dest], w.ppk[dest[:6]]],
            "kpps": [w.pps[dest[:10]]],
        }[role]
        return options[pick % len(options)]

    def region_of(self, signer):
        w = self.w
        if signer is w.kab:
            return KAB
        for group in (w.ppk, w.pps, w.kpps):
            for region, s in group.items():
                if s is signer:
                    return region
        return ""

    def observe(self, items, b):
        observed = {}
        for n, i in enumerate(items):
            s = self.state(i)
            o = {}
            if s.qty is not None and (b >> n) % 3 == 0:
                o["qty"] = max(0, s.qty - 1 - (b >> (n + 2)) % 3)
                o["note"] = "kurang"
            if s.kind == "box" and (b >> n) % 7 == 0:
                o["seals"] = self.seal_numbers(1)
            if (b >> n) % 11 == 0:
                o["condition"] = "damaged"
            if o:
                observed[i] = o
        return observed

    def do(self, fn, *args, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except SerahError:
            return None  # refused: nothing was written
        return result

    # --- steps -----------------------------------------------------------------------------

    def register(self, tps, election="PPWP"):
        self.new_items += 1
        n = self.new_items
        box, ballots, form = f"BX-{n}-{tps}", f"SS-{n}-{tps}", f"FM-{n}-{tps}"
        self.records.append(self.L.register(self.w.printer, [
            {"item": ballots, "kind": "ballots", "dest": tps, "qty": 40 + n, "election": election, "dapil": f"D-{election}"},
        ]))  # fmt: skip
        self.records.append(self.L.register(self.w.kab, [
            {"item": box, "kind": "box", "dest": tps, "election": election},
            {"item": form, "kind": "form", "dest": tps, "qty": 2, "label": "C.Hasil"},
        ]))  # fmt: skip
        self.items += [ballots, box, form]

    def step(self, action, a, b):
        getattr(self, "step_" + action)(a, b)

    def step_register(self, a, b):
        self.register(ALL_TPS[a % len(ALL_TPS)], ("PPWP", "DPR", "DPD")[b % 3])

    def step_handover(self, a, b):
        held = self.loose_held()
        if not held:
            return
        item, s = held[a % len(held)]
        to = self.receiver(s.holder, s.dest, b)
        region = self.region_of(to)
        group = [i for i, t in held if t.holder == s.holder and t.dest.startswith(region) and (i == item or (b >> len(i)) % 2)]
        giver = self.w.by_key(s.holder)
        envelope = self.do(self.L.prepare, giver, to.public, group, region, "site", "distribusi")
        if envelope is None:
            return
        self.records.append(record_id(envelope))
        outcome = b % 6
        if outcome <= 2:
            self.records.append(self.do(self.L.accept, to, envelope, observed=self.observe(group, b)))
        elif outcome == 3:
            self.records.append(self.do(self.L.refuse, to, envelope, "ditolak"))
        else:
            self.pending.append((envelope, to))

    def step_answer(self, a, b):
        if not self.pending:
            return
        envelope, to = self.pending.pop(a % len(self.pending))
        items = [ln["item"] for ln in parse(envelope, verify=False).lines]
        if b % 3 == 0:
            self.records.append(self.do(self.L.refuse, to, envelope, "ditolak"))
        else:
            self.records.append(self.do(self.L.accept, to, envelope, observed=self.observe(items, b)))

    def step_pack(self, a, b):
        held = self.loose_held()
        open_boxes = [(i, s) for i, s in held if s.kind == "box" and not s.seals]
        if not open_boxes:
            return
        box, s = open_boxes[a % len(open_boxes)]
        contents = [i for i, t in held if t.kind != "box" and t.holder == s.holder and (b >> len(i)) % 2]
        if contents:
            self.records.append(self.do(self.L.pack, self.w.by_key(s.holder), box, contents))

    def step_seal(self, a, b):
        boxes = [(i, s) for i, s in self.loose_held() if s.kind == "box" and not s.seals]
        if boxes:
            box, s = boxes[a % len(boxes)]
            self.records.append(self.do(self.L.seal, self.w.by_key(s.holder), box, self.seal_numbers(1 + b % 2)))

    def step_open(self, a, b):
        boxes = [(i, s) for i, s in self.loose_held() if s.kind == "box" and s.seals]
        if not boxes:
            return
        box, s = boxes[a % len(boxes)]
        found = list(s.seals) if b % 4 else self.seal_numbers(1)
        exception = None if self.roles[s.holder] == "kpu" else "pemeriksaan"
        self.records.append(self.do(self.L.open_box, self.w.by_key(s.holder), box, found, b % 3 != 0, "cek",
                                    [self.w.witness], exception=exception))  # fmt: skip

    def step_incident(self, a, b):
        live = [(i, self.state(i)) for i in self.items]
        live = [(i, s) for i, s in live if s.state in ("held", "transit")]
        if not live:
            return
        item, s = live[a % len(live)]
        author = self.w.escort if b % 2 else self.w.by_key(s.holder)
        kind = ("damage", "loss", "flood", "other")[b % 4]
        line = {}
        if kind == "loss" and s.qty and b % 3:
            line["qty_lost"] = 1 + b % s.qty
        elif kind in ("damage", "flood"):
            line["condition"] = "damaged" if kind == "damage" else "wet"
        self.records.append(self.do(self.L.incident, author, kind, "kejadian", {item: line}))

    def step_tally(self, a, b):
        ballots = [(i, s) for i, s in self.loose_held() if s.kind == "ballots" and self.roles.get(s.holder) == "kpps"]
        if ballots:
            item, s = ballots[a % len(ballots)]
            used = b % (s.qty + 1)
            spoiled = (b // 7) % (s.qty - used + 1)
            self.records.append(self.do(self.L.tally, self.w.by_key(s.holder), {item: {"used": used, "spoiled": spoiled, "unused": s.qty - used - spoiled}}))

    def step_destroy(self, a, b):
        mine = [(i, s) for i, s in self.loose_held() if s.holder == self.w.kab.public and not s.contents]
        if mine:
            item, _ = mine[a % len(mine)]
            self.records.append(self.do(self.L.destroy, self.w.kab, [item], "dicacah", "rusak", [self.w.witness]))

    def step_witness(self, a, b):
        done = [r for r in self.records if r]
        if done:
            author = (self.w.witness, self.w.kab, self.w.escort)[b % 3]
            self.records.append(self.do(self.L.witness, author, done[a % len(done)], "disaksikan"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps, sizes=batch_sizes)
def test_incremental_batched_and_rebuilt_views_agree(steps, sizes):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ledger.sqlite")
        world = make_world(path)
        views = Views(world.ledger)
        views.catch_up()
        driver = Driver(world)
        views.catch_up()
        for action, a, b in steps:
            driver.step(action, a, b)
            views.catch_up()  # after every command
        incremental = snapshot(views)
        assert_custody_matches_ledger(world.ledger, views, driver.items)
        for who in [world.kab, world.printer, *world.ppk.values(), *world.pps.values(), *world.kpps.values()]:
            assert views.holdings_states(who.public) == ledger_holdings(world.ledger, who.public, driver.items)

        # The same records again: refused, nothing changes.
        everything = views.store.records(0, 10**6)
        try:
            views.apply(everything, 0)
            raise AssertionError("records applied twice")
        except Stale:
            pass
        assert views.catch_up() == 0
        assert snapshot(views) == incremental

        # Rebuilt from nothing on a copy.
        copy_sqlite(path, os.path.join(tmp, "rebuilt.sqlite"))
        rebuilt = Views(Ledger(os.path.join(tmp, "rebuilt.sqlite")))
        rebuilt.rebuild(max_items=1 + len(steps) % 9)  # also with tiny memory bounds
        assert snapshot(rebuilt) == incremental

        # Applied in random batch sizes on another copy, each batch offered twice.
        copy_sqlite(path, os.path.join(tmp, "batched.sqlite"))
        batched = Views(Ledger(os.path.join(tmp, "batched.sqlite")))
        batched._reset(force=True)
        after, n = 0, 0
        while True:
            rows = batched.store.records(after, sizes[n % len(sizes)])
            if not rows:
                break
            batched.apply(rows, after)
            try:
                batched.apply(rows, after)
                raise AssertionError("batch applied twice")
            except Stale:
                pass
            after, n = rows[-1][0], n + 1
        assert snapshot(batched) == incremental

        # Whatever the ledger accepted, the verifier (SPEC 8, written apart from it) accepts too.
        report = verify(path, jobs=1)
        assert report.fatal is None and report.records > 0, report.fatal
        assert report.counts["error"] == 0, [f.as_dict() for f in report.findings if f.severity == "error"]
