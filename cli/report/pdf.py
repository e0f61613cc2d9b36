"""The report as a PDF (A4 landscape), with ReportLab.

The fonts are the Bitstream Vera TTFs that ship inside ReportLab, embedded
in the file, so names with any Latin letter print the same everywhere; the
QR code is drawn as vector squares from segno's matrix (sharp at any zoom,
scannable from a photocopy). Each page carries the bundle's fingerprint in
its footer: a loose page still says which file it belongs to.
"""

from __future__ import annotations

import io
import os
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cli.i18n import t
from cli.report import text as T
from cli.report.model import Event, ReportModel
from cli.vocabulary import word

RED = colors.HexColor("#b3261e")
RED_BG = colors.HexColor("#fdecea")
GREEN = colors.HexColor("#1e6b3a")
GREEN_BG = colors.HexColor("#e7f4ec")
GRID = colors.HexColor("#c9ced6")
HEAD_BG = colors.HexColor("#eef1f5")


def _fonts() -> tuple[str, str]:
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    try:
        for name, file in (("Vera", "Vera.ttf"), ("VeraBd", "VeraBd.ttf")):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
        return "Vera", "VeraBd"
    except Exception:  # noqa: BLE001 - a trimmed ReportLab without its fonts still prints (Latin-1 only)
        return "Helvetica", "Helvetica-Bold"


class QR(Flowable):
    """A QR code drawn as filled squares."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(data, error="m").matrix
        self.size = size

    def wrap(self, *_):
        return self.size, self.size

    def draw(self):
        n = len(self.matrix) + 4  # quiet zone of 2 modules each side
        cell = self.size / n
        c = self.canv
        c.setFillColor(colors.white)
        c.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        c.setFillColor(colors.black)
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    c.rect((x + 2) * cell, self.size - (y + 3) * cell, cell, cell, stroke=0, fill=1)


class WholeWords(Paragraph):
    """A table cell that never breaks inside a word: an item id or a seal
    number split over two lines ("SG3101-00066 / 1") reads as two numbers.
    When the widest word does not fit the column, the cell's font shrinks
    until it does (never below MIN_FONT, where it overflows instead)."""

    MIN_FONT = 4.0

    def __init__(self, text: str, style: ParagraphStyle, plain: str) -> None:
        super().__init__(text, style)
        self._text, self._plain = text, plain

    def wrap(self, availWidth, availHeight):
        style = self.style
        widest = max((pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in self._plain.split()),
                     default=0)
        if widest > availWidth > 0 and style.fontSize > self.MIN_FONT:
            size = max(self.MIN_FONT, style.fontSize * availWidth / widest * 0.98)
            smaller = ParagraphStyle(style.name + "-fit", parent=style, fontSize=size,
                                     leading=style.leading * size / style.fontSize)
            Paragraph.__init__(self, self._text, smaller)
        return super().wrap(availWidth, availHeight)


def render(model: ReportModel) -> bytes:
    regular, bold = _fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5),
        "body": ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7, leading=9),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7, leading=8.6, splitLongWords=0),
        "cellb": ParagraphStyle("cellb", fontName=bold, fontSize=7, leading=8.6, splitLongWords=0),
        "ok": ParagraphStyle("ok", fontName=bold, fontSize=10, leading=13, textColor=GREEN, backColor=GREEN_BG,
                             borderPadding=5, spaceBefore=4, spaceAfter=8),
        "bad": ParagraphStyle("bad", fontName=bold, fontSize=10, leading=13, textColor=RED, backColor=RED_BG,
                              borderPadding=5, spaceBefore=4, spaceAfter=8),
    }

    def p(text, style="body"):
        return Paragraph(escape(str(text)), styles[style])

    def cell(text, bad=False):
        plain = str(text)
        text = escape(plain)
        return WholeWords(f'<font color="#b3261e">{text}</font>' if bad else text, styles["cellb" if bad else "cell"],
                          plain)

    r, cp = model.result, model.result.checkpoint
    story = []
    facts = [
        (t("report.fingerprint"), model.fingerprint),
        (t("report.ledger"), model.ledger_name),
        (t("report.ledger_id"), model.ledger_id.hex()),
        (t("report.election"), f"{model.election} ({t('report.vote_date')} {model.vote_date})"),
        (t("report.scope"), T.scope(model)),
        (t("report.created"), T.when(model, model.created)),
    ]
    if cp is not None:
        facts.append((t("report.checkpoint"), t("report.checkpoint_text", size=cp.size, root=cp.root.hex())))
        facts.append((t("report.cosigned_by"), ", ".join(sorted(cp.cosigned)) or t("report.none")))
    facts.append((t("export.compare_keys"), "<br/>".join(escape(line) for line in T.key_lines(model.result))))
    fact_table = Table([[p(k, "small"), p(v)] for k, v in facts], colWidths=[42 * mm, 170 * mm])
    fact_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    qr_box = Table([[QR(model.fingerprint, 38 * mm)], [p(t("report.qr_caption"), "small")]], colWidths=[45 * mm])
    qr_box.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    header = Table([[[p(t("report.title"), "title"), p(t("report.lead"), "small"), Spacer(1, 4), fact_table],
                     qr_box]], colWidths=[220 * mm, 50 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(header)

    story.append(p(t("report.verification"), "h2"))
    story.append(p(T.verdict(model), "ok" if model.verified else "bad"))
    story.append(p(t("report.proves"), "cellb"))
    story += [p("• " + T.statement_text(s)) for s in r.proves]
    story.append(Spacer(1, 4))
    story.append(p(t("report.limits"), "cellb"))
    story += [p("• " + T.statement_text(s)) for s in r.limits]

    story.append(p(t("report.items"), "h2"))
    rows = [[cell(h) for h in (t("report.col.item"), t("report.col.kind"), t("report.col.dest"),
                               t("report.col.qty"), t("report.col.holder"), t("report.col.state"))]]
    for i in model.items:
        rows.append([cell(i.id), cell(T.item_what(i)),
                     cell(T.place(i.dest)), cell(T.qty(i.qty)), cell(T.who(i.holder)), cell(T.item_state(i))])
    story.append(_grid(rows, [62 * mm, 30 * mm, 55 * mm, 18 * mm, 70 * mm, 35 * mm], []))

    story.append(p(t("report.discrepancies"), "h2"))
    if model.discrepancies:
        story.append(_timeline(model, model.discrepancies, cell))
    else:
        story.append(p(t("report.no_discrepancies")))

    story.append(p(t("report.timeline"), "h2"))
    story.append(p(t("report.times_note", zone=T.zone(model)), "small"))
    story.append(_timeline(model, model.events, cell))

    if r.findings:
        story.append(p(t("report.findings"), "h2"))
        rows = [[cell(t("report.col.check")), cell(t("report.col.severity")), cell(t("report.col.item")),
                 cell(t("report.col.detail"))]]
        for f in r.findings:
            where = " ".join(x for x in (f.item or "", f"#{f.index}" if f.index is not None else "") if x)
            rows.append([cell(f.check), cell(t("report.severity." + f.severity), f.severity == "error"),
                         cell(where), cell(T.finding_text(f, model.utc_offset))])
        story.append(_grid(rows, [16 * mm, 22 * mm, 60 * mm, 172 * mm], []))

    story.append(p(t("report.people"), "h2"))
    rows = [[cell(h) for h in (t("report.col.name"), t("report.col.org"), t("report.col.role"),
                               t("report.col.region"), t("report.col.key"))]]
    for person in sorted(model.people.values(), key=lambda x: (x.role, x.name)):
        rows.append([cell(person.name), cell(person.org), cell(word("role_name", person.role)), cell(person.region),
                     cell(person.fingerprint)])
    story.append(_grid(rows, [60 * mm, 80 * mm, 22 * mm, 35 * mm, 73 * mm], []))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.setFillColor(colors.HexColor("#5b6573"))
        canvas.drawString(12 * mm, 7 * mm, f"{t('report.bundle')}: {model.fingerprint}")
        canvas.restoreState()

    class PageOfPages(Canvas):
        """Holds the pages back until the last, so that each footer says
        "Halaman X dari Y" (a court counts the pages it was handed)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(regular, 7)
                self.setFillColor(colors.HexColor("#5b6573"))
                self.drawRightString(landscape(A4)[0] - 12 * mm, 7 * mm,
                                     t("report.page_of", page=self._pageNumber, pages=total))
                Canvas.showPage(self)
            Canvas.save(self)

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=14 * mm, title=t("report.title"),
                            author="serah", subject=model.fingerprint, creator="serah export")
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=PageOfPages)
    return out.getvalue()


def _grid(rows, widths, bad_rows) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    style += [("BACKGROUND", (0, row), (-1, row), RED_BG) for row in bad_rows]
    table.setStyle(TableStyle(style))
    return table


def _timeline(model: ReportModel, events: list[Event], cell) -> Table:
    headers = [t("report.col.when"), t("report.col.event"), t("report.col.item"), t("report.col.released"),
               t("report.col.received"), t("report.col.witnesses"), t("report.col.where"),
               t("report.col.counts"), t("report.col.seals"), t("report.col.condition")]
    rows = [[cell(h) for h in headers]]
    bad_rows = []
    for event in events:
        notes = T.event_notes(model, event) + [f"{f.check}: {T.finding_text(f, model.utc_offset)}" for f in event.findings]
        title = T.event_title(event) + ("\n" + "\n".join(notes) if notes else "")
        released = event.released_by if event.kind == "handover" else event.author
        for n, line in enumerate(event.lines or [None]):
            first = n == 0
            if event.flagged or (line and line.discrepant):
                bad_rows.append(len(rows))
            rows.append([
                cell(T.when(model, event.time, event.place) if first else ""),
                _multi(title, cell) if first else cell(""),
                cell(line.item if line else "-"),
                cell(T.who(released) if first else ""),
                cell(T.who(event.received_by) if first else ""),
                _multi(T.signers(event), cell) if first else cell(""),
                cell(T.where(event) if first else ""),
                cell(T.counts(line) if line else "-", bool(line and line.qty_differs)),
                cell(T.seals(line) if line else "-", bool(line and line.seals_differ)),
                cell(T.condition(line) if line else "-", bool(line and line.condition not in (None, "ok"))),
            ])
    widths = [20, 37, 36, 28, 28, 29, 29, 22, 22, 22]  # mm, 273 in all: the landscape A4 text width
    return _grid(rows, [w * mm for w in widths], bad_rows)


def _multi(text: str, cell):
    first, *rest = text.split("\n")
    para = cell(first)
    if rest:
        para = WholeWords(escape(first) + "".join(f'<br/><font size="6" color="#5b6573">{escape(r)}</font>'
                                                  for r in rest), para.style, text)
    return para
