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
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cli.i18n import t
from cli.report import attachments
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
        pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic="Vera", boldItalic="VeraBd")
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
    keys = Paragraph("<br/>".join(escape(line) for line in T.key_lines(model.result)), styles["body"])
    fact_table = Table([[p(k, "small"), p(v)] for k, v in facts] + [[p(t("export.compare_keys"), "small"), keys]],
                       colWidths=[42 * mm, 170 * mm])
    fact_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("TOPPADDING", (0, 0), (-1, -1), 1)]))
    qr_box = Table([[QR(model.fingerprint, 38 * mm)], [p(t("report.qr_caption"), "small")]], colWidths=[45 * mm])
    qr_box.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    header = Table([[[p(t("report.title"), "title"), p(t("report.lead"), "small"), Spacer(1, 4), fact_table],
                     qr_box]], colWidths=[220 * mm, 50 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(header)
    story.append(Spacer(1, 4))
    story.append(_attribution(model, p))

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

    story += _chains(model, p, regular, bold)

    story.append(p(t("report.discrepancies"), "h2"))
    if model.discrepancies:
        story.append(_handover_blocks(model, model.discrepancies, cell, styles))
    else:
        story.append(p(t("report.no_discrepancies")))

    story.append(p(t("report.timeline"), "h2"))
    story.append(p(t("report.times_note", zone=T.zone(model)), "small"))
    story.append(_handover_blocks(model, model.events, cell, styles))

    story += attachments.pdf_block(model, p, cell, _grid, mm)

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
    story += _key(p, cell)
    story += _signature_place(model, p)

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


ITEMS_PER_ROW = 24  # a table row never splits across pages, so a handover of many items continues in further rows


def _handover_blocks(model: ReportModel, events: list[Event], cell, styles) -> Table:
    """The timeline as blocks (cli/report/blocks.py), as in the HTML: when and
    where; what happened and who signed; its items compact, any that differs
    spelled out first in red."""
    from cli.report.blocks import blocks

    grey = '<font color="#5b6573">{}</font>'
    rows = [[cell(t("report.col.when_where")), cell(t("report.col.handover")), cell(t("report.col.items"))]]
    bad_rows = []
    for block in blocks(model, events):
        meta = [block.when] + ([block.where] if block.where != "-" else [])
        who = [f"<b>{escape(block.title)}</b>"]
        who += [grey.format(escape(label) + ":") + " " + escape(people) for label, people in block.parties]
        if block.witnesses:
            who.append(grey.format(escape(t("report.block.signed")) + ":") + " " + escape(T.people(block.witnesses)))
        if block.unsigned:
            who.append(f'<font color="#b3261e">{escape(t("report.named_unsigned", people=T.people(block.unsigned)))}</font>')
        who += [f'<font size="6" color="#5b6573">{escape(n)}</font>' for n in block.notes]
        entries = []
        for entry in block.entries:
            if entry.bad:
                entries.append(f'<font color="#b3261e"><b>{escape(entry.item)}</b> {escape(entry.detail)}</font>')
            else:
                entries.append(escape(entry.item) + (" " + grey.format(escape(entry.detail)) if entry.detail else ""))
        chunks = [entries[i:i + ITEMS_PER_ROW] for i in range(0, len(entries), ITEMS_PER_ROW)] or [[]]
        for n, chunk in enumerate(chunks):
            if block.flagged:
                bad_rows.append(len(rows))
            items = (grey.format(escape(t("report.block.items", count=block.count))) + "<br/>" if n == 0 else "")
            rows.append([Paragraph("<br/>".join(escape(m) for m in meta) if n == 0 else "", styles["cell"]),
                         Paragraph("<br/>".join(who) if n == 0 else "", styles["cell"]),
                         Paragraph(items + "<br/>".join(chunk), styles["cell"])])
    return _grid(rows, [38 * mm, 110 * mm, 125 * mm], bad_rows)


def _attribution(model: ReportModel, p) -> Table:
    """Who exported the report, when (local time), for which case: a framed block under the header."""
    a = model.attribution
    rows = [[p(t("report.attribution"), "cellb"), ""],
            [p(t("report.case"), "small"), p(a.case if a and a.case else t("report.not_stated"))],
            [p(t("report.exported_by"), "small"), p(a.exported_by if a and a.exported_by else t("report.not_stated"))],
            [p(t("report.exported_at"), "small"), p(T.when(model, a.at if a else model.created))]]
    table = Table(rows, colWidths=[42 * mm, 231 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("SPAN", (0, 0), (-1, 0)),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 5)]))
    return table


def _signature_place(model: ReportModel, p) -> list:
    """Two places to sign on paper, kept on one page: the exporter (name filled in when known) and who received it."""
    a = model.attribution
    boxes = []
    for title, name in ((t("report.sign_exporter"), a.exported_by if a and a.exported_by else ""),
                        (t("report.sign_receiver"), "")):
        inner = Table([[p(title, "cellb")], [Spacer(1, 22 * mm)],
                       [p(f"{t('report.sign_name')}: {name}")], [p(f"{t('report.sign_date')}:")]],
                      colWidths=[120 * mm])
        inner.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                                   ("LINEBELOW", (0, 1), (0, 1), 0.6, colors.black),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 6)]))
        boxes.append(inner)
    table = Table([boxes], colWidths=[136 * mm, 136 * mm])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [KeepTogether([p(t("report.signature_place"), "h2"), p(t("report.sign_note"), "small"), Spacer(1, 4),
                          table])]


def _key(p, cell) -> list:
    """The plain-language key to signatures and check codes (cli/report/legend.py), two columns."""
    from cli.report import legend

    out = [p(t("report.key"), "h2"), p(t("report.key.signatures"), "cellb")]
    out += [p("• " + row, "small") for row in legend.signature_rows()]
    out += [Spacer(1, 4), p(t("report.key.checks"), "cellb"), p(t("report.key.checks_note"), "small"), Spacer(1, 3)]
    checks = legend.check_rows()
    half = (len(checks) + 1) // 2
    rows = []
    for n in range(half):
        row = []
        for code, text in (checks[n], checks[n + half] if n + half < len(checks) else ("", "")):
            row += [p(code, "cellb"), p(text, "small")]
        rows.append(row)
    table = Table(rows, colWidths=[11 * mm, 125 * mm, 11 * mm, 126 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(table)
    return out


class ChainRow(Flowable):
    """One row of a box's chain diagram: numbered boxes (holder, place, time,
    co-signers) joined by arrows; a long chain continues on the next row,
    starting with an arrow, so a page can break between rows."""

    NODE_W, GAP = 48 * mm, 6.5 * mm
    MOST = {"name": 2, "text": 2, "time": 1, "sub": 5, "bad": 5}  # lines per field; signers' names are not cut short

    def __init__(self, nodes: list[tuple[int, list[tuple[str, str]], str]], first: bool, fonts: tuple[str, str]):
        super().__init__()
        self.first, self.fonts = first, fonts
        regular, bold = fonts
        self.nodes = []
        for number, fields, style in nodes:
            drawn = []
            for k, (text, kind) in enumerate(fields):
                font, size = (bold, 7) if kind == "name" else (regular, 6.3)
                label = f"{number}  {text}" if k == 0 else text
                drawn += [(part, font, size, kind)
                          for part in _fit_lines(label, font, size, self.NODE_W - 3 * mm, self.MOST[kind])]
            self.nodes.append((drawn, style))
        self.NODE_H = max(16 * mm, max((sum(size + 1.4 for _, _, size, _ in d) + 4 * mm for d, _ in self.nodes),
                                       default=0))

    def wrap(self, *_):
        return len(self.nodes) * (self.NODE_W + self.GAP), self.NODE_H + 2 * mm

    def draw(self):
        c = self.canv
        x = 0.0 if self.first else self.GAP
        if not self.first:
            self._arrow(c, 0, self.GAP)
        for n, (drawn, style) in enumerate(self.nodes):
            c.setLineWidth(0.9)
            c.setStrokeColor(colors.black)
            c.setFillColor(HEAD_BG if style == "first" else colors.white)
            if style == "transit":
                c.setDash(3, 2)
            c.roundRect(x, 1 * mm, self.NODE_W, self.NODE_H, 2 * mm, stroke=1, fill=1)
            c.setDash()
            y = 1 * mm + self.NODE_H - 3.6 * mm
            for part, font, size, kind in drawn:
                c.setFont(font, size)
                c.setFillColor(RED if kind == "bad" else colors.HexColor("#5b6573") if kind == "sub" else colors.black)
                c.drawString(x + 1.5 * mm, y, part)
                y -= size + 1.4
            x += self.NODE_W
            if n < len(self.nodes) - 1:
                self._arrow(c, x, self.GAP)
            x += self.GAP

    def _arrow(self, c, x: float, width: float) -> None:
        y = 1 * mm + self.NODE_H / 2
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.black)
        c.setLineWidth(1)
        c.line(x + 1, y, x + width - 2.5, y)
        path = c.beginPath()
        path.moveTo(x + width - 1, y)
        path.lineTo(x + width - 3.5, y + 1.6)
        path.lineTo(x + width - 3.5, y - 1.6)
        path.close()
        c.drawPath(path, stroke=0, fill=1)


def _fit_lines(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """``text`` wrapped on words into at most ``most`` lines of ``width``, the last one cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word_ in text.split():
        trial = f"{current} {word_}".strip()
        if pdfmetrics.stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word_
    lines.append(current)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] += " …"
    out = []
    for line in lines:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 2:
            line = line[:-2] + "…"
        out.append(line)
    return out


def _chains(model: ReportModel, p, regular: str, bold: str) -> list:
    """One drawn chain per box (boxes that travelled together share one)."""
    from cli.report.chain import box_chains

    head = [p(t("report.chains"), "h2"), p(t("report.chains_note"), "small"), Spacer(1, 3)]
    out: list = []
    chains = box_chains(model)
    if not chains:
        return [*head, p(t("report.chain.none"))]
    per_row = 5
    for chain in chains:
        nodes = []
        for n, step in enumerate(chain.steps, 1):
            name = t("report.chain.in_transit", who=T.who(step.holder)) if step.in_transit else (
                step.holder.name if step.holder else "-")
            lines = [(name, "name"), (T.chain_place(step), "text"),
                     (T.when(model, step.time, step.place)
                      + (f" ({t('report.chain.registered')})" if step.registered else ""), "time")]
            if step.witnesses:
                lines.append((T.chain_witnesses(step), "sub"))
            if step.unsigned:
                lines.append((T.chain_unsigned(step), "bad"))
            nodes.append((n, lines, "first" if step.registered else "transit" if step.in_transit else "node"))
        rows = [nodes[i:i + per_row] for i in range(0, len(nodes), per_row)]
        block = [p(", ".join(chain.boxes), "cellb"), Spacer(1, 1)]
        block += [ChainRow(row, i == 0, (regular, bold)) for i, row in enumerate(rows)]
        out.append(KeepTogether([*(head if not out else []), *block, Spacer(1, 4)]))  # the heading stays with a chain
    return out
