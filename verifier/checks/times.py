"""V16 (record times), V17 (the H-1 deadline) and V19 (custody gaps), SPEC 8, 5.1.

Clocks and durations: times do not go back along a chain, nor before the
genesis, nor far past the verifier's clock or the records after them; a
KPPS acceptance after the H-1 deadline is noted, and so is a handover left
in transit (nobody's signed custody) for more than 72 hours.
"""

from __future__ import annotations

from verifier.checks.base import Rec, RuleBase
from verifier.report import ERROR, NOTICE, WARNING, Finding, iso

# SPEC 8, V19: in transit longer than this, the items were signed for by nobody.
GAP_MS = 72 * 3_600_000

# SPEC 5.1: how far a record's time may be ahead of the verifier's clock, and
# of every record appended after it (device clocks drift; a time bomb does not).
AHEAD_MS = 15 * 60_000


class Times(RuleBase):
    """V16, V17, V19."""

    now: int  # the verifier's clock, ms (V16)
    latest: int | None  # the largest plausible record time: the ledger's "now" (V19, SPEC 5.1)
    # V16, SPEC 5.1: records whose time is more than AHEAD_MS after every
    # record after them so far, as (time, position, id), times decreasing.
    ahead: list

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

    def v17_deadline(self, rec: Rec) -> None:
        """V17: "an acceptance by a `kpps` after the H-1 deadline (end of the
        day before `vote_date`, local time)" (notice)."""
        deadline = self.state.deadline()
        if deadline is not None and rec.time >= deadline and rec.who is not None and rec.who.role == "kpps":
            self.emit(17, NOTICE, "late_delivery", rec, time=iso(rec.time), deadline=iso(deadline))

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
