"""V15 (opening a box) and V18 (witnessed acts, listed events), SPEC 8, 4.7, 4.13.

Acts that need a witness's co-signature (`open`, `destroy`), who may open a
box and when, and the records listed for a person to read (incidents,
refusals, withdrawals, voids).
"""

from __future__ import annotations

from verifier.checks.base import Rec, RuleBase
from verifier.report import ERROR, NOTICE, WARNING


class Witnessed(RuleBase):
    """V15, V18."""

    def witnesses(self, rec: Rec) -> int:
        """Co-signers that are enrolled witnesses, active at this position."""
        count = 0
        for key in rec.cosigners:
            who = self.state.custodians.get(key)
            if who is not None and who.role == "witness" and who.active_at(rec.position):
                count += 1
        return count

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

    def v18_destroy(self, rec: Rec) -> None:
        """V18: "`destroy` without a witness co-signature (error)"."""
        if not self.witnesses(rec):
            self.emit(18, ERROR, "destroy_no_witness", rec)

    def v18_listed(self, rec: Rec, code: str, **params) -> None:
        """V18: "incidents and refusals are listed (notice)"."""
        self.emit(18, NOTICE, code, rec, **params)
