"""Reports for people on a verified evidence bundle: HTML, PDF, CSV.

Why here and not in ``ledger/``: a report renders what the *verifier*
established about a bundle (``verifier.bundle.Result``), in the reader's
language, so it sits with the other user-facing text on the CLI side and
speaks through ``cli/i18n``; it never needs the ledger's database. It also
keeps ReportLab and segno out of the ledger's import graph.

``model``  what the report says, computed once from the bundle's records.
``text``   the phrases (through ``cli/i18n``).
``html``   one self-contained page; ``pdf`` A4 landscape; ``sheet`` CSV.
"""

from __future__ import annotations

from pathlib import Path

from verifier.bundle import Result


def render(result: Result, *, html: str | Path | None = None, pdf: str | Path | None = None,
           csv: str | Path | None = None) -> list[Path]:
    """Write the requested reports for ``result``; return the paths written."""
    from cli.report import model

    report = model.build(result)
    written = []
    if html:
        from cli.report import html as html_report

        Path(html).write_text(html_report.render(report), encoding="utf-8")
        written.append(Path(html))
    if pdf:
        from cli.report import pdf as pdf_report

        Path(pdf).write_bytes(pdf_report.render(report))
        written.append(Path(pdf))
    if csv:
        from cli.report import sheet

        Path(csv).write_text(sheet.render(report), encoding="utf-8", newline="")
        written.append(Path(csv))
    return written
