"""Reports for people on a verified evidence bundle: HTML, PDF, CSV.

Why here and not in ``ledger/``: a report renders what the *verifier*
established about a bundle (``verifier.bundle.Result``), in the reader's
language, so it sits with the other user-facing text on the CLI side and
speaks through ``cli/i18n``; it never needs the ledger's database. It also
keeps ReportLab and segno out of the ledger's import graph.

``model``  what the report says, computed once from the bundle's records.
``text``   the phrases (through ``cli/i18n``).
``html``   one self-contained page; ``pdf`` A4 landscape; ``sheet`` CSV.
``attribution``  who exported it, when, for which case (typed values checked).
``chain``  each box's holders in order, for the chain diagram.
``legend`` the plain-language key to signature kinds and check codes.
"""

from __future__ import annotations

from pathlib import Path

from cli.report.attribution import Attribution
from verifier.bundle import Result


def render(result: Result, *, html: str | Path | None = None, pdf: str | Path | None = None,
           csv: str | Path | None = None, force: bool = False, ledger: str | None = None,
           attribution: Attribution | None = None) -> list[Path]:
    """Write the requested reports for ``result``; return the paths written.

    Through :mod:`cli.outfile`: an existing file only with ``force``, the
    ledger (``ledger``: the ``--db`` value) never. ``attribution``: who
    exported it, when, for which case (printed in the report's first block)."""
    from cli import outfile
    from cli.report import model

    report = model.build(result)
    report.attribution = attribution
    written = []
    if html:
        from cli.report import html as html_report

        written.append(outfile.write(html, html_report.render(report).encode("utf-8"), force=force, ledger=ledger))
    if pdf:
        from cli.report import pdf as pdf_report

        written.append(outfile.write(pdf, pdf_report.render(report), force=force, ledger=ledger))
    if csv:
        from cli.report import sheet

        written.append(outfile.write(csv, sheet.render(report).encode("utf-8"), force=force, ledger=ledger))
    return written
