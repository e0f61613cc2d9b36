"""What a report shows, worked out once from a verified bundle.

The HTML page, the PDF and the CSV render the same ``ReportModel``, so the
three can never tell a different story. Everything comes from the bundle's
records (and the verifier's findings about them), never from a ledger: a
report must be reproducible by anyone holding the file.

A handover is one timeline entry made of two records, the giver's prepare
and the receiver's accept (or refuse): who released, who received, who
witnessed, the declared and the observed counts and seals side by side.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cli.report.attribution import Attribution
from verifier.bundle import Result

# Notices that a reader should see highlighted (SPEC 8): counts, seals, path,
# destination, deadline, witnessed acts, custody gaps.
FLAG_CHECKS = ("V10", "V11", "V13", "V14", "V15", "V17", "V18", "V19")


@dataclass
class Person:
    key: bytes
    name: str
    org: str
    role: str
    region: str
    fingerprint: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.org})" if self.org else self.name


@dataclass
class Line:
    """One item in one event, declared (by the giver) and observed (by the receiver)."""

    item: str
    declared_qty: int | None = None
    observed_qty: int | None = None
    declared_seals: list[str] | None = None
    observed_seals: list[str] | None = None
    contents: list | None = None  # [[item, qty]] declared in a box
    condition: str | None = None
    note: str | None = None
    extra: dict = field(default_factory=dict)  # per-type fields (tally counts, qty_lost, ...)
    refused: bool = False  # refused in a partial answer (SPEC 4.18)

    @property
    def qty_differs(self) -> bool:
        return None not in (self.declared_qty, self.observed_qty) and self.declared_qty != self.observed_qty

    @property
    def seals_differ(self) -> bool:
        return None not in (self.declared_seals, self.observed_seals) and self.declared_seals != self.observed_seals

    @property
    def discrepant(self) -> bool:
        return self.refused or self.qty_differs or self.seals_differ or (self.condition not in (None, "ok"))


@dataclass
class Event:
    """One entry of the timeline: a handover (prepare + outcome) or a single record."""

    kind: str  # record type; "handover" for prepare (+ accept/refuse)
    time: int  # when it happened: the accept's time for a completed handover
    index: int
    record_ids: list[bytes]
    author: Person | None
    released_by: Person | None = None
    received_by: Person | None = None
    witnesses: list[Person] = field(default_factory=list)  # co-signed it, or attested it later
    named: list[Person] = field(default_factory=list)  # escorts and witnesses the prepare names
    prepared_time: int | None = None
    outcome: str | None = None  # "accepted", "refused", "open" for handovers
    place: str | None = None
    site: str | None = None
    purpose: str | None = None
    reason: str | None = None
    exception: str | None = None
    lines: list[Line] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)

    @property
    def unsigned(self) -> list[Person]:
        """Named by the giver as escort or witness, but never signed: a
        reader must not take them for witnesses of this handover."""
        return [p for p in self.named if p not in self.witnesses]

    @property
    def flagged(self) -> bool:
        """Worth a look as a whole: a refusal, an incident, an exception, or a finding."""
        return (self.outcome in ("refused", "withdrawn", "partial") or self.kind in ("incident", "void") or bool(self.exception)
                or any(f.severity in ("error", "warning") or f.check in FLAG_CHECKS for f in self.findings))

    @property
    def discrepant(self) -> bool:
        return self.flagged or any(line.discrepant for line in self.lines)


@dataclass
class ItemInfo:
    id: str
    kind: str
    dest: str
    election: str | None = None
    dapil: str | None = None
    qty: int | None = None
    serial: list | None = None
    label: str | None = None
    holder: Person | None = None
    state: str = "held"
    container: str | None = None


@dataclass
class ReportModel:
    result: Result
    ledger_name: str
    election: str
    vote_date: str
    utc_offset: int
    ledger_id: bytes
    fingerprint: str
    scope: dict
    items: list[ItemInfo]
    events: list[Event]
    people: dict[bytes, Person]
    created: int
    attribution: Attribution | None = None  # who exported it, when, for which case

    @property
    def verified(self) -> bool:
        return self.result.exit_code == 0

    @property
    def discrepancies(self) -> list[Event]:
        return [e for e in self.events if e.discrepant]


def fingerprint(key: bytes) -> str:
    """SPEC 3.5, as read aloud."""
    number = int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % 10**20
    text = f"{number:020d}"
    return "-".join(text[i : i + 5] for i in range(0, 20, 5))


def build(result: Result) -> ReportModel:
    """The model of a report for a bundle the verifier could read (not unusable)."""
    bundle = result.bundle
    if bundle is None:
        raise ValueError("an unusable bundle has no report")
    people = {k["key"]: Person(k["key"], k["name"], k["org"], k["role"], k["region"], fingerprint(k["key"]))
              for k in bundle.keys}

    def person(key) -> Person | None:
        if type(key) is not bytes:
            return None
        if key not in people:
            people[key] = Person(key, fingerprint(key), "", "?", "", fingerprint(key))
        return people[key]

    genesis = bundle.genesis or {}
    subject = set(bundle.subject)
    by_record: dict[bytes, list] = {}
    for finding in result.findings:
        if finding.record is not None:
            by_record.setdefault(bytes.fromhex(finding.record) if isinstance(finding.record, str)
                                 else finding.record, []).append(finding)

    items: dict[str, ItemInfo] = {}
    events: list[Event] = []
    handovers: dict[bytes, Event] = {}
    attested: dict[bytes, Event] = {}

    for record in bundle.records:
        body = record.body
        if body is None or record.type in ("genesis", "enrol", "revoke"):
            continue
        kind = record.type or ""  # "": a body without a type, which V2 reports
        lines = [line for line in record.lines() if line.get("item") in subject]
        if kind == "witness":
            target = attested.get(body.get("target", b""))
            if target is not None:
                _add_witness(target, person(body.get("author")))
                target.details.setdefault("statements", []).append(
                    (person(body.get("author")), body.get("statement", ""), body.get("time")))
                target.record_ids.append(record.id)
                target.findings += by_record.get(record.id, [])
            continue
        if not lines:
            continue
        author = person(body.get("author"))
        cosigners = [person(k) for k, _ in record.sigs[1:]]
        if kind == "handover.prepare":
            event = Event("handover", body.get("time", 0), record.index, [record.id], author,
                          released_by=author, received_by=person(body.get("to")),
                          prepared_time=body.get("time"), outcome="open", place=body.get("place"),
                          site=body.get("site"), purpose=body.get("purpose"), exception=body.get("exception"))
            for key in [*body.get("escorts", []), *body.get("witnesses", [])]:
                named = person(key)
                if named is not None and named not in event.named:
                    event.named.append(named)
            for c in cosigners:
                _add_witness(event, c)
            event.lines = [Line(line["item"], declared_qty=line.get("qty"), declared_seals=line.get("seals"),
                                contents=line.get("contents")) for line in lines]
            handovers[record.id] = event
            events.append(event)
        elif kind == "handover.withdraw" and body.get("handover") in handovers:
            event = handovers[body["handover"]]
            event.record_ids.append(record.id)
            event.time = body.get("time", event.time)
            event.outcome = "withdrawn"
            event.reason = body.get("reason")
        elif kind in ("handover.accept", "handover.refuse", "handover.partial") and body.get("handover") in handovers:
            event = handovers[body["handover"]]
            event.record_ids.append(record.id)
            event.time = body.get("time", event.time)
            event.received_by = author
            event.outcome = {"handover.accept": "accepted", "handover.refuse": "refused"}.get(kind, "partial")
            event.reason = body.get("reason")
            for c in cosigners:
                _add_witness(event, c)
            observed = {line["item"]: line for line in lines}
            for line in event.lines:
                seen = observed.get(line.item, {})
                taken = kind == "handover.accept" or (kind == "handover.partial" and seen.get("accepted"))
                if kind == "handover.partial" and not seen.get("accepted"):
                    line.refused = True
                line.observed_qty = seen.get("qty", line.declared_qty if taken else None)
                line.observed_seals = seen.get("seals")
                line.condition = seen.get("condition")
                line.note = seen.get("note")
        else:
            event = Event(kind, body.get("time", 0), record.index, [record.id], author,
                          place=None, reason=body.get("reason"), exception=body.get("exception"))
            for c in cosigners:
                _add_witness(event, c)
            event.details = {k: body[k] for k in ("box", "seals", "intact", "kind", "description", "method",
                                                  "statement") if k in body}
            event.lines = [_single_line(kind, line) for line in lines]
            events.append(event)
        event.findings += by_record.get(record.id, [])
        attested[record.id] = event
        _track(items, kind, body, lines, author, person)

    events.sort(key=lambda e: (e.index))
    manifest = bundle.manifest
    return ReportModel(result, manifest["name"], genesis.get("election", ""), genesis.get("vote_date", ""),
                       genesis.get("utc_offset", 420), manifest["ledger"], result.fingerprint, manifest["scope"],
                       [items[i] for i in bundle.subject if i in items], events, people, manifest["created"])


def _add_witness(event: Event, who: Person | None) -> None:
    if who is not None and who not in event.witnesses and who is not event.author:
        event.witnesses.append(who)


def _single_line(kind: str, line: dict) -> Line:
    out = Line(line["item"], condition=line.get("condition"))
    if kind == "register":
        out.declared_qty = line.get("qty")
    elif kind == "tally":
        out.extra = {k: line[k] for k in ("used", "unused", "spoiled") if k in line}
    elif kind == "incident" and "qty_lost" in line:
        out.extra = {"qty_lost": line["qty_lost"]}
    return out


def _track(items: dict[str, ItemInfo], kind: str, body: dict, lines: list[dict], author, person) -> None:
    """Enough custody state for the item table: holder, state, container."""
    for line in lines:
        item = line["item"]
        if kind == "register":
            items[item] = ItemInfo(item, line["kind"], line["dest"], line.get("election"), line.get("dapil"),
                                   line.get("qty"), line.get("serial"), line.get("label"), holder=author)
            continue
        info = items.get(item)
        if info is None:
            continue
        if kind == "handover.prepare":
            info.state = "transit"
        elif kind == "handover.accept" or (kind == "handover.partial" and line.get("accepted")):
            info.holder, info.state = author, "held"
            if line.get("qty") is not None:
                info.qty = line["qty"]
            for other in items.values():  # packed contents move with their box
                if other.container == item:
                    other.holder = author
        elif kind in ("handover.refuse", "handover.withdraw", "handover.partial"):
            info.state = "held"
        elif kind == "void":
            info.state = "voided"
        elif kind == "pack" and item != body.get("box"):
            info.container = body.get("box")
        elif kind == "open":
            for other in items.values():
                if other.container == item:
                    other.container = None
        elif kind == "destroy":
            info.state = "destroyed"
        elif kind == "incident" and body.get("kind") == "loss" and "qty_lost" not in line:
            info.state = "lost"
        elif kind == "incident" and "qty_lost" in line and info.qty is not None:
            info.qty -= line["qty_lost"]
