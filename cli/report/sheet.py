"""The trail as CSV for spreadsheets: one row per record and subject item.

UTF-8 with a byte-order mark, because that is how spreadsheet programs on
Indonesian office desktops recognise UTF-8; times both in UTC (ISO 8601,
for machines) and local (for people); keys as names plus fingerprints.
"""

from __future__ import annotations

import csv
import io

from cli.i18n import t
from cli.output import utc_text
from cli.report import text as T
from cli.report.model import ReportModel

COLUMNS = ("index", "record", "time_utc", "time_local", "type", "item", "author", "author_key", "released",
           "received", "witnesses", "named_unsigned", "place", "site", "declared_qty", "observed_qty", "declared_seals",
           "observed_seals", "condition", "note", "discrepancy", "findings")


def render(model: ReportModel) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([t(f"report.csv.{c}") for c in COLUMNS])
    for event in model.events:
        released = event.released_by if event.kind == "handover" else event.author
        findings = "; ".join(f"{f.check} {T.finding_text(f, model.utc_offset)}" for f in event.findings)
        for line in event.lines:
            _row(writer, [
                event.index,
                " ".join(r.hex() for r in event.record_ids),
                utc_text(event.time),
                T.when(model, event.time, event.place),
                event.kind if event.kind != "handover" else f"handover.{event.outcome}",
                line.item,
                T.who(event.author),
                event.author.fingerprint if event.author else "",
                T.who(released) if event.kind == "handover" else "",
                T.who(event.received_by) if event.kind == "handover" else "",
                T.people(event.witnesses) if event.witnesses else "",
                T.people(event.unsigned) if event.unsigned else "",
                event.place or "",
                event.site or "",
                _n(line.declared_qty),
                _n(line.observed_qty),
                " ".join(line.declared_seals or []),
                " ".join(line.observed_seals or []),
                line.condition or "",
                line.note or "",
                "1" if line.discrepant else "0",
                findings,
            ])
    return "\ufeff" + out.getvalue()


#: A cell starting with one of these is run as a formula by spreadsheet
#: programs (``=HYPERLINK(...)`` in a site name or a note).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _row(writer, cells: list) -> None:
    """Write one row with every text cell neutralised (SPEC 2.2): a leading
    apostrophe makes a would-be formula plain text, and the reader still sees it."""
    writer.writerow([f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_START) else c for c in cells])


def _n(value) -> str:
    return "" if value is None else str(value)
