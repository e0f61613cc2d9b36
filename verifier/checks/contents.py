"""V13 (counts and conditions) and V14 (seals and packing), SPEC 8.

What a record says is inside: a prepare declares the item's qty, contents
and seals exactly; an acceptance's observations that differ from them are
discrepancies (notices); tallies add up; a seal number is used once, and
only an unsealed box is sealed or packed.
"""

from __future__ import annotations

from verifier.checks.base import Rec, RuleBase
from verifier.report import ERROR, NOTICE


class Contents(RuleBase):
    """V13, V14."""

    tallies: dict[str, tuple]  # ballots item -> its last tally (used, unused, spoiled)
    conditions: dict[str, str]  # item -> its condition as last recorded, when not ok

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


def _shown(value) -> str:
    return "-" if value is None else str(value)


def _seals(seals) -> str:
    return ", ".join(seals) if seals else "-"


def _pairs(pairs) -> str:
    return ", ".join(f"{item} x{qty}" for item, qty in pairs) if pairs else "-"
