"""The chain of custody of each box, in order: who held it, where and when
they received it, and who else signed that handover.

A reader following one box across a timeline of many items has to pick its
rows out by eye; the chain says it in one line per box. It is derived from
the same ``ReportModel`` events as the timeline (never from a ledger), so
the two cannot disagree. Only handovers that moved the box count: a refused
or withdrawn one leaves it where it was, and an open one ends the chain "in
transit".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cli.report.model import Person, ReportModel


@dataclass
class Step:
    holder: Person | None
    time: int
    place: str | None  # region code where it was received (the prepare's place), or the registrant's region
    site: str | None = None
    witnesses: list[Person] = field(default_factory=list)
    unsigned: list[Person] = field(default_factory=list)
    registered: bool = False  # the first step: the registration
    in_transit: bool = False  # the last step: prepared, not yet answered


@dataclass
class Chain:
    boxes: list[str]  # boxes that travelled together share one chain: a TPS's four boxes are one diagram
    steps: list[Step]

    def key(self) -> tuple:
        return tuple((s.holder.key if s.holder else None, s.time, s.place, s.site, s.registered, s.in_transit,
                      tuple(p.key for p in s.witnesses), tuple(p.key for p in s.unsigned)) for s in self.steps)


def box_chains(model: ReportModel) -> list[Chain]:
    """One chain per box in the bundle's subject, in the items' order; boxes
    whose chains are step for step the same (same holders, places, times and
    signers) are shown as one."""
    boxes = [i.id for i in model.items if i.kind == "box"]
    chains = {box: Chain([box], []) for box in boxes}
    for event in model.events:
        for line in event.lines:
            chain = chains.get(line.item)
            if chain is None:
                continue
            step = _step(event, line)
            if step is not None:
                chain.steps.append(step)
    merged: dict[tuple, Chain] = {}
    for box in boxes:
        chain = chains[box]
        same = merged.get(chain.key())
        if same is None:
            merged[chain.key()] = chain
        else:
            same.boxes.append(box)
    return list(merged.values())


def _step(event, line) -> Step | None:
    if event.kind == "register":
        who = event.author
        return Step(who, event.time, who.region if who else None, registered=True, witnesses=list(event.witnesses))
    if event.kind != "handover" or line.refused:
        return None
    if event.outcome in ("accepted", "partial"):
        return Step(event.received_by, event.time, event.place, event.site, list(event.witnesses),
                    list(event.unsigned))
    if event.outcome == "open":
        return Step(event.received_by, event.time, event.place, event.site, list(event.witnesses),
                    list(event.unsigned), in_transit=True)
    return None
