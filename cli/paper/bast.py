"""The BAST (berita acara serah terima) of one handover, and its QR code.

The BAST is the paper both parties sign at the handover today; printed from
the signed prepare record, it carries what the ledger holds (items, counts,
seal numbers, place, local time, the record id) and a QR code with which
``serah bast check`` finds that record again, so a paper BAST and its
record can be matched without typing 64 hex digits.

The QR payload (README "BAST"), one line of ASCII, fields split by a space::

    SERAH-BAST/1 <ledger name> <prepare record id, 64 hex> <check, 16 hex>

``check`` is the first 8 bytes of SHA-256("serah-bast/1" || ledger id ||
record id), in hex: a record id alone matches the same handover in a copy of
another ledger; the check ties the paper to this ledger's genesis (SPEC 4.1)
and catches a payload typed or read wrongly.

The PDF is drawn with the evidence report's fonts, QR flowable and table
grid (``cli/report/pdf.py``): one PDF layer for the project.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from cli.i18n import num, t

PREFIX = "SERAH-BAST/1"
#: A scanned payload is one short line; anything longer is not ours.
MAX_PAYLOAD = 512
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")


class BadPayload(ValueError):
    """The text is not a BAST payload (the CLI says so in one line, exit 2)."""


def check_of(ledger_id: bytes, record_id: bytes) -> str:
    return hashlib.sha256(b"serah-bast/1" + ledger_id + record_id).digest()[:8].hex()


def payload(ledger_name: str, ledger_id: bytes, record_id: bytes) -> str:
    return f"{PREFIX} {ledger_name} {record_id.hex()} {check_of(ledger_id, record_id)}"


@dataclass(frozen=True)
class Payload:
    ledger_name: str
    record_id: bytes
    check: str

    def matches(self, ledger_id: bytes) -> bool:
        return check_of(ledger_id, self.record_id) == self.check


def parse_payload(text: str) -> Payload:
    """A scanned or typed payload; raises :class:`BadPayload`."""
    if len(text) > MAX_PAYLOAD:
        raise BadPayload("too long")
    parts = text.strip().split()
    if len(parts) != 4 or parts[0] != PREFIX:
        raise BadPayload("shape")
    _, name, record, check = parts
    record, check = record.lower(), check.lower()
    if not _HEX64.match(record) or not _HEX16.match(check):
        raise BadPayload("hex")
    return Payload(name, bytes.fromhex(record), check)


# --- what a BAST says -------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    name: str
    role: str  #: already in the reader's language
    org: str
    region: str
    fingerprint: str


@dataclass(frozen=True)
class Line:
    item: str
    kind: str  #: in the reader's language
    qty: int | None
    seals: list[str]
    contents: list[tuple[str, int]]


@dataclass(frozen=True)
class Bast:
    ledger_name: str
    record_id: bytes
    payload: str
    when: str  #: local time with its zone (WIB/WITA/WIT)
    place: str
    site: str
    purpose: str
    giver: Party
    receiver: Party
    escorts: list[Party]
    witnesses: list[Party]
    lines: list[Line]
    status: str  #: the ledger's answer so far, in the reader's language
    exception: str | None = None
    notes: list[str] = field(default_factory=list)


def render(bast: Bast) -> bytes:
    """The BAST as an A4 portrait PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from cli.report.pdf import QR, WholeWords, _fonts, _grid

    regular, bold = _fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, alignment=1),
        "sub": ParagraphStyle("sub", fontName=regular, fontSize=8, leading=10, alignment=1),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=10, leading=13, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=regular, fontSize=6.5, leading=8),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10, splitLongWords=0),
        "cellb": ParagraphStyle("cellb", fontName=bold, fontSize=8, leading=10, splitLongWords=0),
    }

    def p(text, style="body"):
        return Paragraph(escape(str(text)), styles[style])

    def cell(text, style="cell"):
        return WholeWords(escape(str(text)), styles[style], str(text))

    width = 180 * mm
    story: list = []
    heading = [p(t("bast.title"), "title"), p(t("bast.subtitle"), "sub"), Spacer(1, 3),
               p(t("bast.record", id=bast.record_id.hex()), "small"),
               p(t("bast.ledger", name=bast.ledger_name), "small")]
    qr = Table([[QR(bast.payload, 32 * mm)], [p(t("bast.qr_caption"), "small")]], colWidths=[36 * mm])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    top = Table([[heading, qr]], colWidths=[width - 38 * mm, 38 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [top, Spacer(1, 6)]
    story.append(p(t("bast.opening", when=bast.when, site=bast.site, place=bast.place)))

    def party_rows(title: str, who: Party) -> list:
        return [[cell(title, "cellb"), cell("")],
                [cell(t("bast.name")), cell(who.name)], [cell(t("bast.role")), cell(f"{who.role}, {who.org}")],
                [cell(t("bast.region")), cell(who.region)], [cell(t("bast.key")), cell(who.fingerprint)]]

    parties = Table(party_rows(t("bast.first_party"), bast.giver) + party_rows(t("bast.second_party"), bast.receiver),
                    colWidths=[40 * mm, width - 40 * mm])
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("SPAN", (0, 0), (1, 0)),
                                 ("SPAN", (0, 5), (1, 5))]))
    story += [Spacer(1, 4), parties, Spacer(1, 4)]
    story.append(p(t("bast.handed", purpose=bast.purpose)))
    if bast.exception:
        story.append(p(t("bast.exception", text=bast.exception)))

    story.append(p(t("bast.items"), "h2"))
    rows = [[cell(h, "cellb") for h in (t("bast.col.no"), t("bast.col.item"), t("bast.col.kind"), t("bast.col.qty"),
                                        t("bast.col.seals"), t("bast.col.contents"))]]
    from cli.report import text as T

    for n, line in enumerate(bast.lines, 1):
        contents = " ".join(f"{item}({num(qty)})" if qty is not None else item for item, qty in line.contents)
        rows.append([cell(str(n)), cell(line.item), cell(line.kind), cell(T.qty(line.qty)),
                     cell(" ".join(line.seals) or "-"), cell(contents or "-")])
    story.append(_grid(rows, [10 * mm, 50 * mm, 22 * mm, 18 * mm, 40 * mm, 40 * mm], []))
    total_qty = sum((line.qty or 0) + sum(q or 0 for _, q in line.contents) for line in bast.lines)
    seals = sum(len(line.seals) for line in bast.lines)
    story.append(Spacer(1, 3))
    story.append(p(t("bast.totals", items=num(len(bast.lines)), qty=num(total_qty), seals=num(seals))))
    if bast.escorts or bast.witnesses:
        story.append(p(t("bast.present"), "h2"))
        for title, people in ((t("bast.escort"), bast.escorts), (t("bast.witness"), bast.witnesses)):
            for who in people:
                story.append(p(f"{title}: {who.name} ({who.role}, {who.org}) {who.fingerprint}"))
    story.append(p(t("bast.status_title"), "h2"))
    story.append(p(bast.status))
    for note in bast.notes:
        story.append(p(note))
    story.append(p(t("bast.closing"), "body"))

    signers = [(t("bast.first_party_sign"), bast.giver), (t("bast.second_party_sign"), bast.receiver)]
    signers += [(t("bast.escort"), who) for who in bast.escorts] + [(t("bast.witness"), who) for who in bast.witnesses]
    boxes: list = []
    for title, who in signers:
        boxes.append([cell(title, "cellb"), Spacer(1, 16 * mm), cell("(" + who.name + ")"), cell(who.role, "cell")])
    grid = [boxes[i:i + 2] for i in range(0, len(boxes), 2)]
    if len(grid[-1]) == 1:
        grid[-1].append("")
    signatures = Table(grid, colWidths=[width / 2, width / 2])
    signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                    ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    story.append(KeepTogether([p(t("bast.signatures"), "h2"), signatures]))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 6.5)
        canvas.drawString(15 * mm, 8 * mm, t("bast.footer", id=bast.record_id.hex()[:16], name=bast.ledger_name,
                                             page=doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=t("bast.title"), author="serah", subject=bast.payload,
                            keywords=bast.payload, creator="serah bast")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
