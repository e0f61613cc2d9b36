"""The report as one self-contained HTML page: inline CSS, inline SVG QR code.

Nothing is fetched (no fonts, scripts, images or stylesheets from anywhere),
so the page shows the same on a court's offline laptop as here, and a
Content-Security-Policy forbids the browser from loading anything else.
"""

from __future__ import annotations

from html import escape

import segno

from cli.i18n import get_lang, t
from cli.report import text as T
from cli.report.model import Event, ReportModel
from cli.vocabulary import word

CSS = """
:root { --ink:#1d2733; --muted:#5b6573; --line:#d5dae1; --bad:#b3261e; --badbg:#fdecea; --ok:#1e6b3a;
        --okbg:#e7f4ec; --warnbg:#fff4e0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px;
       border-bottom: 2px solid var(--ink); padding-bottom: 3px; }
.lead { color: var(--muted); margin: 0 0 16px; max-width: 62em; }
.head { display: flex; gap: 24px; align-items: flex-start; }
.head .facts { flex: 1; }
.qr { text-align: center; font-size: 11px; color: var(--muted); width: 180px; }
.qr svg { width: 160px; height: 160px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dt { color: var(--muted); } dd { margin: 0; word-break: break-all; }
.fp { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.verdict { padding: 10px 14px; border-radius: 6px; font-weight: bold; margin: 14px 0 6px; }
.verdict.ok { background: var(--okbg); color: var(--ok); } .verdict.bad { background: var(--badbg); color: var(--bad); }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
tr.discrepant td { background: var(--badbg); }
.bad { color: var(--bad); font-weight: bold; }
.notes { color: var(--muted); font-size: 12px; margin-top: 3px; }
.sev-error { color: var(--bad); font-weight: bold; } .sev-warning { color: #9a5b00; font-weight: bold; }
ul.claims li { margin-bottom: 4px; }
footer { margin-top: 28px; color: var(--muted); font-size: 11.5px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def qr_svg(data: str) -> str:
    """An inline SVG QR code of ``data`` (error correction M)."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")


def render(model: ReportModel) -> str:
    e = escape
    r = model.result
    cp = r.checkpoint
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{get_lang()}"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(t('report.title'))} - {e(model.fingerprint[:19])}</title>",
        f"<style>{CSS}</style></head><body>",
        '<div class="head"><div class="facts">',
        f"<h1>{e(t('report.title'))}</h1>",
        f'<p class="lead">{e(t("report.lead"))}</p><dl>',
    ]
    facts = [
        (t("report.fingerprint"), f'<span class="fp">{e(model.fingerprint)}</span>'),
        (t("report.ledger"), e(model.ledger_name)),
        (t("report.ledger_id"), f'<span class="fp">{e(model.ledger_id.hex())}</span>'),
        (t("report.election"), e(model.election)),
        (t("report.vote_date"), e(model.vote_date)),
        (t("report.scope"), e(T.scope(model))),
        (t("report.created"), e(T.when(model, model.created))),
    ]
    if cp is not None:
        facts.append((t("report.checkpoint"), e(t("report.checkpoint_text", size=cp.size, root=cp.root.hex()))))
        facts.append((t("report.cosigned_by"), e(", ".join(sorted(cp.cosigned)) or t("report.none"))))
    facts.append((t("export.compare_keys"), "<br>".join(e(line) for line in T.key_lines(r))))
    parts += [f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in facts]
    parts += ["</dl></div>",
              f'<div class="qr">{qr_svg(model.fingerprint)}<div>{e(t("report.qr_caption"))}</div></div></div>']

    ok = model.verified
    parts.append(f'<h2>{e(t("report.verification"))}</h2>')
    parts.append(f'<div class="verdict {"ok" if ok else "bad"}">{e(T.verdict(model))}</div>')
    parts.append(f'<h3>{e(t("report.proves"))}</h3><ul class="claims">')
    parts += [f"<li>{e(T.statement_text(s))}</li>" for s in r.proves]
    parts.append(f'</ul><h3>{e(t("report.limits"))}</h3><ul class="claims">')
    parts += [f"<li>{e(T.statement_text(s))}</li>" for s in r.limits]
    parts.append("</ul>")

    parts.append(f'<h2>{e(t("report.items"))}</h2>')
    parts.append(_table([t("report.col.item"), t("report.col.kind"), t("report.col.dest"), t("report.col.qty"),
                         t("report.col.holder"), t("report.col.state")],
                        [([i.id, T.item_what(i),
                           T.place(i.dest), T.qty(i.qty), T.who(i.holder), T.item_state(i)], False)
                         for i in model.items]))

    parts.append(f'<h2>{e(t("report.discrepancies"))}</h2>')
    flagged = model.discrepancies
    if flagged:
        parts.append(_timeline(model, flagged))
    else:
        parts.append(f"<p>{e(t('report.no_discrepancies'))}</p>")

    parts.append(f'<h2>{e(t("report.timeline"))}</h2>')
    parts.append(f'<p class="notes">{e(t("report.times_note", zone=T.zone(model)))}</p>')
    parts.append(_timeline(model, model.events))

    if r.findings:
        parts.append(f'<h2>{e(t("report.findings"))}</h2>')
        rows = []
        for f in r.findings:
            where = " ".join(x for x in (f.item or "", f"#{f.index}" if f.index is not None else "") if x)
            rows.append(([f.check, f'<span class="sev-{f.severity}">{e(t("report.severity." + f.severity))}</span>',
                          e(where), e(T.finding_text(f, model.utc_offset))], f.severity == "error"))
        parts.append(_table([t("report.col.check"), t("report.col.severity"), t("report.col.item"),
                             t("report.col.detail")], rows, raw=True))

    parts.append(f'<h2>{e(t("report.people"))}</h2>')
    parts.append(_table([t("report.col.name"), t("report.col.org"), t("report.col.role"), t("report.col.region"),
                         t("report.col.key")],
                        [([p.name, p.org, word("role_name", p.role), p.region, p.fingerprint], False)
                         for p in sorted(model.people.values(), key=lambda p: (p.role, p.name))]))
    parts.append(f'<footer>{e(t("report.bundle"))}: <span class="fp">{e(model.fingerprint)}</span></footer>')
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(headers, rows, raw=False) -> str:
    out = ["<table><thead><tr>", *[f"<th>{escape(h)}</th>" for h in headers], "</tr></thead><tbody>"]
    for cells, bad in rows:
        out.append(f'<tr{" class=discrepant" if bad else ""}>')
        out += [f"<td>{c if raw else escape(str(c))}</td>" for c in cells]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _timeline(model: ReportModel, events: list[Event]) -> str:
    e = escape
    headers = [t("report.col.when"), t("report.col.event"), t("report.col.item"), t("report.col.released"),
               t("report.col.received"), t("report.col.witnesses"), t("report.col.where"), t("report.col.counts"),
               t("report.col.seals"), t("report.col.condition")]
    rows = []
    for event in events:
        notes = T.event_notes(model, event) + [T.finding_text(f, model.utc_offset) for f in event.findings]
        title = e(T.event_title(event))
        if notes:
            title += '<div class="notes">' + "<br>".join(e(n) for n in notes) + "</div>"
        released = event.released_by if event.kind == "handover" else event.author
        for n, line in enumerate(event.lines or [None]):
            first = n == 0
            cells = [e(T.when(model, event.time, event.place)) if first else "", title if first else "",
                     e(line.item if line else "-"), e(T.who(released)) if first else "",
                     e(T.who(event.received_by)) if first else "", _signers(event) if first else "",
                     e(T.where(event)) if first else "",
                     _mark(T.counts(line), line and line.qty_differs) if line else "-",
                     _mark(T.seals(line), line and line.seals_differ) if line else "-",
                     _mark(T.condition(line), line and line.condition not in (None, "ok")) if line else "-"]
            rows.append((cells, event.flagged or bool(line and line.discrepant)))
    return _table(headers, rows, raw=True)


def _signers(event: Event) -> str:
    signed, _, unsigned = T.signers(event).partition("\n")
    return escape(signed) + (f'<div class="bad">{escape(unsigned)}</div>' if unsigned else "")


def _mark(value: str, bad) -> str:
    return f'<span class="bad">{escape(value)}</span>' if bad else escape(value)
