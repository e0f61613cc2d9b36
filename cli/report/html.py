"""The report as one self-contained HTML page: inline CSS, inline SVG QR code.

Nothing is fetched (no fonts, scripts, images or stylesheets from anywhere),
so the page shows the same on a court's offline laptop as here, and a
Content-Security-Policy forbids the browser from loading anything else.
"""

from __future__ import annotations

from html import escape

import segno

from cli.i18n import get_lang, t
from cli.report import attachments
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
.attr { border: 1px solid var(--ink); padding: 8px 14px; margin: 16px 0 4px; }
.attr h2 { margin: 0 0 6px; border: 0; font-size: 15px; }
.ev td.meta { width: 17%; } .ev td.who { width: 38%; }
.ev .title { font-weight: bold; } .ev .role { color: var(--muted); }
.its { margin: 0; padding: 0; list-style: none; column-width: 15em; column-gap: 14px; }
.its li { break-inside: avoid; } .its .sub { color: var(--muted); font-size: 11.5px; }
.its li.bad { column-span: all; }
.count { color: var(--muted); font-size: 11.5px; margin-bottom: 3px; }
.chain { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; margin: 0 0 10px; break-inside: avoid; }
.chain .box { font-weight: bold; margin-bottom: 6px; }
.chain ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; align-items: stretch; gap: 6px 0; }
.chain li { display: flex; align-items: center; }
.node { border: 1.5px solid var(--ink); border-radius: 5px; padding: 4px 6px; width: 142px; font-size: 11px;
        line-height: 1.3; background: #fff; align-self: stretch; }
.node.first { background: #eef1f5; } .node.transit { border-style: dashed; }
.node .n { display: inline-block; min-width: 16px; font-weight: bold; } .node .sub { color: var(--muted); }
.arrow { width: 18px; text-align: center; font-size: 18px; color: var(--ink); }
.key { columns: 2; column-gap: 28px; font-size: 12.5px; } .key p { margin: 0 0 4px; break-inside: avoid; }
.key b { display: inline-block; min-width: 34px; }
.sigs { display: flex; gap: 40px; margin-top: 10px; }
.sig { flex: 1; border: 1px solid var(--ink); padding: 10px 14px; break-inside: avoid; }
.sig .space { height: 80px; border-bottom: 1px solid var(--ink); margin: 6px 0; }
.sig dl { grid-template-columns: max-content 1fr; }
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

    parts.append(_attribution(model))

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

    parts.append(_chains(model))

    parts.append(f'<h2>{e(t("report.discrepancies"))}</h2>')
    flagged = model.discrepancies
    if flagged:
        parts.append(_handover_blocks(model, flagged))
    else:
        parts.append(f"<p>{e(t('report.no_discrepancies'))}</p>")

    parts.append(f'<h2>{e(t("report.timeline"))}</h2>')
    parts.append(f'<p class="notes">{e(t("report.times_note", zone=T.zone(model)))}</p>')
    parts.append(_handover_blocks(model, model.events))

    parts.append(attachments.html_block(model, _table))

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
    parts.append(_key())
    parts.append(_signature_place(model))
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


def _handover_blocks(model: ReportModel, events: list[Event]) -> str:
    """The timeline as blocks (cli/report/blocks.py): a handover is one row
    however many items it moved; when and where; what happened and who
    signed; the items, compact, any that differs spelled out first."""
    from cli.report.blocks import blocks

    e = escape
    out = [f'<table class="ev"><thead><tr><th>{e(t("report.col.when_where"))}</th>'
           f'<th>{e(t("report.col.handover"))}</th><th>{e(t("report.col.items"))}</th></tr></thead><tbody>']
    for block in blocks(model, events):
        meta = e(block.when) + (f"<br>{e(block.where)}" if block.where != "-" else "")
        who = [f'<div class="title">{e(block.title)}</div>']
        who += [f'<div><span class="role">{e(label)}:</span> {e(people)}</div>' for label, people in block.parties]
        if block.witnesses or block.unsigned:
            signed = e(T.people(block.witnesses)) if block.witnesses else ""
            if block.unsigned:
                signed += f'<div class="bad">{e(t("report.named_unsigned", people=T.people(block.unsigned)))}</div>'
            who.append(f'<div><span class="role">{e(t("report.block.signed"))}:</span> {signed}</div>')
        if block.notes:
            who.append('<div class="notes">' + "<br>".join(e(n) for n in block.notes) + "</div>")
        items = [f'<div class="count">{e(t("report.block.items", count=block.count))}</div><ul class="its">']
        for entry in block.entries:
            detail = f' <span class="{"" if entry.bad else "sub"}">{e(entry.detail)}</span>' if entry.detail else ""
            items.append(f'<li{" class=bad" if entry.bad else ""}>{e(entry.item)}{detail}</li>')
        items.append("</ul>")
        flagged = " class=discrepant" if block.flagged else ""
        out.append(f'<tr{flagged}><td class="meta">{meta}</td><td class="who">{"".join(who)}</td>'
                   f'<td>{"".join(items)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _attribution(model: ReportModel) -> str:
    """Who exported the report, when (local time), for which case."""
    e = escape
    a = model.attribution
    rows = [(t("report.case"), a.case if a and a.case else t("report.not_stated")),
            (t("report.exported_by"), a.exported_by if a and a.exported_by else t("report.not_stated")),
            (t("report.exported_at"), T.when(model, a.at if a else model.created))]
    return (f'<section class="attr"><h2>{e(t("report.attribution"))}</h2><dl>'
            + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows) + "</dl></section>")


def _signature_place(model: ReportModel) -> str:
    """Two places to sign on paper: the exporter (name filled in when known) and who received it."""
    e = escape
    a = model.attribution
    boxes = []
    for title, name in ((t("report.sign_exporter"), a.exported_by if a and a.exported_by else ""),
                        (t("report.sign_receiver"), "")):
        boxes.append(f'<div class="sig"><b>{e(title)}</b><div class="space"></div><dl>'
                     f'<dt>{e(t("report.sign_name"))}</dt><dd>{e(name) or "&nbsp;"}</dd>'
                     f'<dt>{e(t("report.sign_date"))}</dt><dd>&nbsp;</dd></dl></div>')
    return (f'<h2>{e(t("report.signature_place"))}</h2><p class="notes">{e(t("report.sign_note"))}</p>'
            f'<div class="sigs">{"".join(boxes)}</div>')


def _key() -> str:
    """The plain-language key to signatures and check codes (cli/report/legend.py)."""
    from cli.report import legend

    e = escape
    out = [f'<h2>{e(t("report.key"))}</h2><h3>{e(t("report.key.signatures"))}</h3><div class="key">']
    out += [f"<p>{e(row)}</p>" for row in legend.signature_rows()]
    out.append(f'</div><h3>{e(t("report.key.checks"))}</h3><p class="notes">{e(t("report.key.checks_note"))}</p>'
               '<div class="key">')
    out += [f"<p><b>{e(code)}</b> {e(text)}</p>" for code, text in legend.check_rows()]
    out.append("</div>")
    return "".join(out)


def _chains(model: ReportModel) -> str:
    """One chain per box: its holders in order, each with where and when it reached them."""
    from cli.report.chain import box_chains

    e = escape
    chains = box_chains(model)
    out = [f'<h2>{e(t("report.chains"))}</h2><p class="notes">{e(t("report.chains_note"))}</p>']
    if not chains:
        out.append(f'<p>{e(t("report.chain.none"))}</p>')
    for chain in chains:
        out.append(f'<div class="chain"><div class="box">{e(", ".join(chain.boxes))}</div><ol>')
        for n, step in enumerate(chain.steps, 1):
            arrow = '<span class="arrow">→</span>' if n > 1 else ""
            css = "node first" if step.registered else "node transit" if step.in_transit else "node"
            name = t("report.chain.in_transit", who=T.who(step.holder)) if step.in_transit else (
                step.holder.name if step.holder else "-")
            lines = [f'<span class="n">{n}</span> <b>{e(name)}</b>', e(T.chain_place(step)),
                     e(T.when(model, step.time, step.place))
                     + (f" ({e(t('report.chain.registered'))})" if step.registered else "")]
            if step.witnesses:
                lines.append(f'<span class="sub">{e(T.chain_witnesses(step))}</span>')
            if step.unsigned:
                lines.append(f'<span class="bad">{e(T.chain_unsigned(step))}</span>')
            out.append(f'<li>{arrow}<div class="{css}">{"<br>".join(lines)}</div></li>')
        out.append("</ol></div>")
    return "".join(out)
