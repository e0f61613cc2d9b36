"""A sheet of QR labels for one TPS: A4 portrait, 3 x 7 labels of
70 x 42.3 mm (the common A4 label stock with 21 per page), one per item.

Each label has a QR code holding the label text ``ITEM+CC``
(``check_digit.py``), the same text printed large enough to type from, the
item's kind and count, and its destination. A scanner reading the QR types
exactly the label text, which every command accepts as an item id.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from cli.i18n import t
from cli.paper.check_digit import label_text

COLUMNS, ROWS = 3, 7
#: A sheet for one TPS is tens of labels; a thousand pages is a mistake.
MAX_LABELS = 21 * 1000


@dataclass(frozen=True)
class Label:
    item: str
    kind: str  #: in the reader's language
    qty: int | None
    dest: str  #: the destination code and name


def render(labels: list[Label], title: str) -> bytes:
    """The labels on A4 pages, in order, ``COLUMNS`` x ``ROWS`` per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from cli.i18n import num
    from cli.report.pdf import QR, _fonts

    regular, bold = _fonts()
    page_w, page_h = A4
    cell_w, cell_h = page_w / COLUMNS, 42.3 * mm
    top = (page_h - ROWS * cell_h) / 2
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle(title)
    canvas.setAuthor("serah")
    canvas.setCreator("serah label sheet")
    per_page = COLUMNS * ROWS
    for n, label in enumerate(labels):
        if n and n % per_page == 0:
            canvas.showPage()
        slot = n % per_page
        x = (slot % COLUMNS) * cell_w
        y = page_h - top - (slot // COLUMNS + 1) * cell_h
        text = label_text(label.item)
        pad, qr_size = 4 * mm, 24 * mm
        code = QR(text, qr_size)
        code.canv = canvas
        canvas.saveState()
        canvas.translate(x + pad, y + cell_h - pad - qr_size)
        code.draw()
        canvas.restoreState()
        left = x + pad + qr_size + 2 * mm
        width = cell_w - (left - x) - pad
        detail = label.kind + (f" {num(label.qty)}" if label.qty is not None else "")
        canvas.setFont(bold, _fit(detail, bold, 10, width))
        canvas.drawString(left, y + cell_h - pad - 5 * mm, detail)
        code_text, _, name = label.dest.partition(" ")
        canvas.setFont(regular, _fit(code_text, regular, 8, width))
        canvas.drawString(left, y + cell_h - pad - 10 * mm, code_text)
        canvas.setFont(regular, _fit(name, regular, 7, width))
        canvas.drawString(left, y + cell_h - pad - 14 * mm, name)
        full = cell_w - 2 * pad
        canvas.setFont(bold, _fit(text, bold, 12, full))
        canvas.drawString(x + pad, y + pad + 3.5 * mm, text)
        hint = t("label.scan_hint")
        canvas.setFont(regular, _fit(hint, regular, 5.5, full))
        canvas.drawString(x + pad, y + pad, hint)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``
    on one line: an item id is never split or cut."""
    from reportlab.pdfbase import pdfmetrics

    wide = pdfmetrics.stringWidth(text, font, size)
    return size if wide <= width else max(3.0, size * width / wide)
