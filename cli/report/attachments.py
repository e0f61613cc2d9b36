"""The report's block of attached files (SPEC 3.8, 11.8): each file a record
attaches, with its SHA-256 and what the verifier found (B13): in the bundle
and matching, not in the bundle (not checked), or not matching. One block,
shared by the HTML and the PDF, so that both say the same."""

from __future__ import annotations

from cli.i18n import t
from cli.report.model import ReportModel
from cli.vocabulary import word


def headers() -> list[str]:
    return [t("attach.col.record"), t("attach.col.attachment"), t("attach.col.media"), t("attach.col.size"),
            t("attach.col.sha256"), t("attach.col.checked")]


def rows(model: ReportModel) -> list[tuple[list[str], bool]]:
    """``(cells, bad)`` per attached file, in record order; empty when no record attaches one."""
    out = []
    for a in model.result.attachments:
        record = f"#{a['index']} {word('record_type', a['type'])}"
        out.append(([record, a["name"], a["media"] or "", f"{a['size']:,}" if isinstance(a["size"], int) else "",
                     a["sha256"].hex(), t(f"attach.state.{a['status']}")], a["status"] == "bad"))
    return out


def html_block(model: ReportModel, table) -> str:
    """The HTML section (``table`` is the report's table writer), or nothing."""
    from html import escape

    found = rows(model)
    if not found:
        return ""
    return f'<h2>{escape(t("attach.report.title"))}</h2>' + table(headers(), found)


def pdf_block(model: ReportModel, p, cell, grid, mm: float) -> list:
    """The PDF flowables (a heading and a table; the hash in groups of 16 so that no cell overflows)."""
    found = rows(model)
    if not found:
        return []
    table = [[cell(h) for h in headers()]]
    for cells, bad in found:
        digest = cells[4]
        cells = [*cells[:4], " ".join(digest[i : i + 16] for i in range(0, 64, 16)), cells[5]]
        table.append([cell(c, bad) for c in cells])
    bad_rows = [i + 1 for i, (_, bad) in enumerate(found) if bad]
    return [p(t("attach.report.title"), "h2"), grid(table, [40 * mm, 50 * mm, 30 * mm, 22 * mm, 80 * mm, 48 * mm],
                                                     bad_rows)]
