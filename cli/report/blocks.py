"""The timeline as blocks a person reads: one block per handover (however many
items it moved), and one block for a run of warehouse acts (register, pack,
seal, open, tally) done by the same person within a few minutes (the KPU
warehouse packing and sealing a TPS's four boxes is eight records but one
thing a reader needs to see).

The HTML and the PDF both render these blocks, so they group alike. A run is
only merged when nothing in it needs a look on its own: no flag, no finding,
no named person who did not sign; and every record keeps its own line
(its box, its seals) inside the block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cli.i18n import t
from cli.report import text as T
from cli.report.model import Event, Person, ReportModel

MERGEABLE = ("register", "pack", "seal", "open", "tally")
WINDOW = 10 * 60_000  # ms: a run spans at most this from its first record; each later one shows its own time


@dataclass
class Entry:
    item: str
    detail: str
    bad: bool = False


@dataclass
class Block:
    when: str
    where: str
    title: str
    parties: list[tuple[str, str]]  # (label, people): released/received, or by
    witnesses: list[Person]
    unsigned: list[Person]
    notes: list[str]
    entries: list[Entry] = field(default_factory=list)
    count: int = 0  # distinct items the block is about
    flagged: bool = False


def blocks(model: ReportModel, events: list[Event]) -> list[Block]:
    return [_block(model, run) for run in _runs(events)]


def _runs(events: list[Event]) -> list[list[Event]]:
    runs: list[list[Event]] = []
    for event in events:
        if runs and _joins(runs[-1][0], event):
            runs[-1].append(event)
        else:
            runs.append([event])
    return runs


def _alone(event: Event) -> bool:
    return event.flagged or bool(event.findings) or bool(event.unsigned) or event.kind not in MERGEABLE


def _joins(first: Event, event: Event) -> bool:
    return (not _alone(first) and not _alone(event) and event.author is first.author
            and event.witnesses == first.witnesses and 0 <= event.time - first.time <= WINDOW)


def _block(model: ReportModel, run: list[Event]) -> Block:
    first = run[0]
    notes_of = [T.event_notes(model, e) for e in run]
    shared = [n for n in notes_of[0] if all(n in notes for notes in notes_of)] if len(run) > 1 else notes_of[0]
    if first.kind == "handover":
        parties = [(t("report.block.released"), T.who(first.released_by)),
                   (t("report.block.received"), T.who(first.received_by))]
    else:
        parties = [(t("report.block.by"), T.who(first.author))]
    kinds = list(dict.fromkeys(e.kind for e in run))
    title = T.event_title(first) if len(run) == 1 else t("report.block.run", count=len(run),
                                                             title=", ".join(T.run_title(k) for k in kinds))
    block = Block(T.when(model, first.time, first.place), T.where(first), title, parties, first.witnesses,
                  first.unsigned, shared + [f"{f.check}: {T.finding_text(f, model.utc_offset)}" for f in first.findings],
                  flagged=first.flagged)
    seen: set[str] = set()
    for event, notes in zip(run, notes_of, strict=True):
        at = T.when(model, event.time, event.place)
        own = "; ".join([n for n in notes if n not in shared] + ([at.split(" ", 1)[1]] if at != block.when else []))
        seen.update(line.item for line in event.lines)
        if len(run) > 1 and event.kind == "pack":
            box = event.details.get("box", "")
            inside = ", ".join(line.item for line in event.lines if line.item != box)
            block.entries.append(Entry(box, " · ".join(x for x in (f"{t('report.contents')}: {inside}" if inside else "",
                                                                  own.replace("; ", " · ")) if x)))
            continue
        bad = [line for line in event.lines if line.discrepant]
        good = [line for line in event.lines if not line.discrepant]
        for line in bad:
            block.entries.append(Entry(line.item, "; ".join(x for x in (T.counts(line), T.seals(line), T.condition(line))
                                                              if x != "-"), bad=True))
        for line in good:
            parts = [x for x in (T.counts(line), T.seals(line)) if x != "-"] + ([own] if own else [])
            block.entries.append(Entry(line.item, " · ".join(parts)))
    block.count = len(seen)
    return block
