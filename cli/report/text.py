"""The words of a report, shared by the HTML, PDF and CSV renderers.

Every phrase goes through ``cli.i18n`` (Bahasa Indonesia by default,
English with ``--lang en``). Findings and statements carry codes; their text
is the catalogue's when it has one, else the verifier's English.
"""

from __future__ import annotations

from cli.i18n import has, num, t
from cli.output import local_time, localize, zone_offset
from cli.report.model import Event, Line, Person, ReportModel
from cli.vocabulary import finding_param, word


def when(model: ReportModel, ms: int | None, place: str | None = None) -> str:
    """Local time where it happened: WIB, WITA or WIT by the place's province
    (the ledger's own offset when the place is not known)."""
    return local_time(ms, zone_offset(place, model.utc_offset))


def zone(model: ReportModel) -> str:
    return local_time(0, model.utc_offset).rsplit(" ", 1)[-1]


def who(person: Person | None) -> str:
    return person.label if person else "-"


def people(persons: list[Person]) -> str:
    return "; ".join(who(p) for p in persons) or "-"


def signers(event: Event) -> str:
    """Who co-signed or attested, then (apart) who was named and did not sign."""
    text = people(event.witnesses)
    if event.unsigned:
        text += "\n" + t("report.named_unsigned", people=people(event.unsigned))
    return text


def place(code: str | None) -> str:
    if code is None:
        return "-"
    if code == "":
        return "Indonesia"
    try:
        from ledger import regions

        name = regions.name(code)
    except Exception:  # noqa: BLE001 - a code outside the shipped reference data is shown as is
        name = ""
    return f"{code} {name}".strip()


def event_title(event: Event) -> str:
    key = f"report.event.{event.kind}"
    kind = word("incident_kind", event.details.get("kind")) if event.details.get("kind") else ""
    title = t(key, box=event.details.get("box", ""), kind=kind) if has(key) else word("record_type", event.kind)
    if event.kind == "handover":
        title += " (" + t(f"report.outcome.{event.outcome}") + ")"
    return title


def where(event: Event) -> str:
    parts = [place(event.place) if event.place is not None else "", event.site or ""]
    return ", ".join(p for p in parts if p) or "-"


def qty(value) -> str:
    return "-" if value is None else num(value)


def counts(line: Line) -> str:
    if line.extra.get("used") is not None:
        return t("report.tally_text", **{k: num(v) for k, v in line.extra.items()})
    if "qty_lost" in line.extra:
        return t("report.qty_lost", qty=num(line.extra["qty_lost"]))
    if line.declared_qty is None and line.observed_qty is None:
        if line.contents:
            return t("report.contents") + ": " + ", ".join(f"{i} {num(q)}" for i, q in line.contents)
        return "-"
    text = qty(line.declared_qty)
    if line.observed_qty is not None or line.condition is not None:
        text += " / " + qty(line.observed_qty)
    if line.qty_differs:
        text += " " + t("report.differs")
    return text


def seals(line: Line) -> str:
    declared = ", ".join(line.declared_seals) if line.declared_seals is not None else None
    observed = ", ".join(line.observed_seals) if line.observed_seals is not None else None
    if declared is None and observed is None:
        return "-"
    text = declared if declared is not None else "-"
    if observed is not None and observed != declared:
        text += " / " + (observed or "-") + " " + t("report.differs")
    return text or "-"


def condition(line: Line) -> str:
    if line.refused:
        return t("report.refused_line")
    if line.condition is None:
        return "-"
    key = f"report.cond.{line.condition}"
    text = t(key) if has(key) else line.condition
    if line.note:
        text += f" ({t('report.note')}: {line.note})"
    return text


def event_notes(model: ReportModel, event: Event) -> list[str]:
    """Extra sentences under an event: purpose, reasons, exceptions, statements."""
    notes = []
    if event.kind == "handover" and event.prepared_time is not None and event.prepared_time != event.time:
        notes.append(t("report.prepared_at", time=when(model, event.prepared_time)))
    if event.purpose:
        notes.append(event.purpose)
    if event.kind == "seal" and event.details.get("seals"):
        notes.append(", ".join(event.details["seals"]))
    if event.kind == "open":
        notes.append(", ".join(event.details.get("seals", [])) + ": "
                     + t("report.seals_intact" if event.details.get("intact") else "report.seals_broken"))
    for key in ("description", "method"):
        if event.details.get(key):
            notes.append(event.details[key])
    if event.reason:
        notes.append(f"{t('report.reason')}: {event.reason}")
    if event.exception:
        notes.append(f"{t('report.exception')}: {event.exception}")
    for person, statement, time in event.details.get("statements", []):
        notes.append(f"{t('report.statement')} {who(person)} ({when(model, time)}): {statement}")
    return notes


def finding_text(finding, utc_offset: int = 420) -> str:
    """A finding in the reader's language, its times local (the verifier writes UTC)."""
    key = f"finding.{finding.code}"
    if finding.code and has(key):
        return t(key, **{k: str(finding_param(finding.code, k, localize(v, utc_offset)))
                         for k, v in (finding.params or {}).items()})
    return finding.message


def statement_text(statement) -> str:
    key = f"report.{statement.code}"
    return t(key, **{k: str(v) for k, v in statement.params.items()}) if has(key) else statement.text


def key_lines(result) -> list[str]:
    """``log serah.kpu.go.id/...: 04211-93310-...``: every key the bundle names, with its SPEC 3.5
    fingerprint, for a reader to compare with the ones KPU and Bawaslu published."""
    named = getattr(result, "named_keys", None)
    return [f"{t('export.key.' + what)} {name}: {fp}" for what, name, fp in (named() if named else [])]


def verdict(model: ReportModel) -> str:
    r = model.result
    if r.exit_code == 0 and not getattr(r, "anchored", True):
        return t("report.verified_unanchored", notices=r.count("notice"))
    if r.exit_code == 0:
        return t("report.verified_ok", notices=r.count("notice"))
    return t("report.verified_findings", errors=r.count("error"), warnings=r.count("warning"),
             notices=r.count("notice"))


def item_kind(kind: str) -> str:
    key = f"report.kind.{kind}"
    return t(key) if has(key) else kind


def item_what(item) -> str:
    """The item table's kind cell: kind, election and the label printed on it (SPEC 4.4)."""
    return item_kind(item.kind) + (f" {item.election}" if item.election else "") + (
        f" · {item.label}" if item.label else "")


def item_state(item) -> str:
    text = t(f"report.state.{item.state}") if has(f"report.state.{item.state}") else item.state
    if item.container:
        text += ", " + t("report.in_box", box=item.container)
    return text


def scope(model: ReportModel) -> str:
    s = model.scope
    parts = [*s.get("items", []), *s.get("places", [])]
    if "since" in s or "until" in s:
        parts.append(f"{when(model, s.get('since')) if 'since' in s else '…'} – "
                     f"{when(model, s.get('until')) if 'until' in s else '…'}")
    return ", ".join(parts) or t("report.scope_all")


def chain_place(step) -> str:
    """Where a box reached a holder, short: the site when the giver named one, else the region's name."""
    if step.site:
        return step.site
    if step.place is None:
        return "-"
    return place(step.place).split(" ", 1)[-1] if step.place else place(step.place)


def chain_witnesses(step) -> str:
    return t("report.chain.witnessed", people="; ".join(p.name for p in step.witnesses))


def chain_unsigned(step) -> str:
    return t("report.chain.unsigned", people="; ".join(p.name for p in step.unsigned))


def run_title(kind: str) -> str:
    """The name of an act done several times in a row (a block of the timeline)."""
    key = f"report.run.{kind}"
    return t(key) if has(key) else word("record_type", kind)
